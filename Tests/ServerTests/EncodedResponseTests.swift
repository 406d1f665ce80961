import NIOCore
import NIOHTTP1
import Testing
@testable import SluiceServer

/// The bytes the server puts on the wire for a response, encoded on the worker thread.
@Suite struct EncodedResponseTests {
    private let allocator = ByteBufferAllocator()

    private func encode(status: Int = 200, headers: [(name: String, value: String)] = [], body: String = "",
                        omitBody: Bool = false, version: HTTPVersion = .http1_1, keepAlive: Bool = true,
                        serverName: String? = "S") -> EncodedResponse {
        EncodedResponse(status: status, headers: headers, body: Array(body.utf8), omitBody: omitBody,
                        version: version, keepAlive: keepAlive, date: "now", serverName: serverName,
                        allocator: allocator)
    }

    private func text(_ buffer: ByteBuffer) -> String { String(buffer: buffer) }

    @Test func wholeResponseIsOneBuffer() {
        let encoded = encode(headers: [("Content-Type", "text/html")], body: "hello")
        #expect(text(encoded.bytes)
            == "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\nDate: now\r\nServer: S\r\n\r\nhello")
    }

    @Test func headKeepsTheLengthButNotTheBody() {
        let encoded = encode(body: "hello", omitBody: true)
        #expect(text(encoded.bytes) == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nDate: now\r\nServer: S\r\n\r\n")
    }

    @Test func connectionFieldFollowsKeepAliveAndVersion() {
        #expect(text(encode(status: 404, body: "x", keepAlive: false, serverName: nil).bytes)
            == "HTTP/1.1 404 Not Found\r\nContent-Length: 1\r\nDate: now\r\nConnection: close\r\n\r\nx")
        #expect(text(encode(body: "x", version: .http1_0).bytes)
            == "HTTP/1.0 200 OK\r\nContent-Length: 1\r\nDate: now\r\nServer: S\r\nConnection: keep-alive\r\n\r\nx")
        #expect(text(encode(body: "x", version: .http1_0, keepAlive: false).bytes)
            == "HTTP/1.0 200 OK\r\nContent-Length: 1\r\nDate: now\r\nServer: S\r\nConnection: close\r\n\r\nx")
    }

    @Test func keepAliveAnswerCanBeTurnedIntoAClosingOne() {
        let kept = encode(headers: [("X-A", "1")], body: "body")
        #expect(text(kept.closingConnection(allocator: allocator))
            == "HTTP/1.1 200 OK\r\nX-A: 1\r\nContent-Length: 4\r\nDate: now\r\nServer: S\r\nConnection: close\r\n\r\nbody")
        let old = encode(body: "b", version: .http1_0)
        #expect(text(old.closingConnection(allocator: allocator))
            == "HTTP/1.0 200 OK\r\nContent-Length: 1\r\nDate: now\r\nServer: S\r\nConnection: close\r\n\r\nb")
        let head = encode(body: "body", omitBody: true)
        #expect(text(head.closingConnection(allocator: allocator))
            == "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nDate: now\r\nServer: S\r\nConnection: close\r\n\r\n")
    }

    @Test func interimAnswerIsAStatusLineAndAnEmptyLine() {
        #expect(text(EncodedResponse.interim(100, version: .http1_1, allocator: allocator))
            == "HTTP/1.1 100 Continue\r\n\r\n")
        #expect(text(EncodedResponse.interim(100, version: HTTPVersion(major: 1, minor: 2), allocator: allocator))
            == "HTTP/1.2 100 Continue\r\n\r\n")
    }

    @Test func serverOwnsFramingAndConnectionHeaders() {
        let encoded = encode(
            headers: [("content-LENGTH", "1"), ("Connection", "keep-alive"), ("X-A", "1"), ("Date", "mine"),
                      ("Transfer-Encoding", "chunked"), ("Upgrade", "h2c"), ("Keep-Alive", "timeout=5")],
            body: "12345", keepAlive: false, serverName: nil)
        #expect(text(encoded.bytes)
            == "HTTP/1.1 200 OK\r\nX-A: 1\r\nDate: mine\r\nContent-Length: 5\r\nConnection: close\r\n\r\n12345")
        #expect(encoded.sendsBody)
        #expect(encoded.droppedFields == 0)
    }

    @Test func invalidFieldsAreDroppedAndNoBodyFor304() {
        let encoded = encode(
            status: 304, headers: [("X-Bad", "a\nb"), ("", "x"), ("Nö", "x"), ("X-Tab", "a\tb"), ("X-Utf8", "café")],
            body: "abc", version: .http1_0)
        #expect(encoded.droppedFields == 3)
        #expect(!encoded.sendsBody)
        #expect(text(encoded.bytes) == "HTTP/1.0 304 Not Modified\r\nX-Tab: a\tb\r\nX-Utf8: café\r\nDate: now\r\nServer: S\r\n"
            + "Connection: keep-alive\r\n\r\n")
    }

    @Test func everyStatusHasAStatusLine() {
        #expect(text(encode(status: 204).bytes).hasPrefix("HTTP/1.1 204 No Content\r\nDate: now\r\n"))
        #expect(text(encode(status: 299).bytes).hasPrefix("HTTP/1.1 299 "))
        #expect(text(encode(status: 503).bytes).hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
    }

    @Test func decimalsAreWrittenAsASCII() {
        for value in [0, 7, 10, 99, 100, 12_345, Int.max] {
            var buffer = allocator.buffer(capacity: 0)
            buffer.writeDecimal(value)
            #expect(text(buffer) == String(value))
        }
    }

    @Test func dateIsIMFFixdate() {
        #expect(HTTPDateClock.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDateClock.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDateClock().current().count == 29)
    }
}
