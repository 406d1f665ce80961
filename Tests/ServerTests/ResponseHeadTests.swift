import NIOHTTP1
import Testing
@testable import SluiceServer

@Suite struct ResponseHeadTests {
    @Test func dateIsIMFFixdate() {
        #expect(HTTPDateClock.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDateClock.format(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDateClock().current().count == 29)
    }

    @Test func serverOwnsFramingAndConnectionHeaders() {
        let encoded = ResponseHead(
            status: 200,
            headers: [("content-LENGTH", "1"), ("Connection", "keep-alive"), ("X-A", "1"), ("Date", "mine")],
            bodyCount: 5, version: .http1_1, keepAlive: false, date: "now", serverName: nil)
        let headers = encoded.head.headers
        #expect(headers["Content-Length"] == ["5"])
        #expect(headers["Connection"] == ["close"])
        #expect(headers["Date"] == ["mine"])
        #expect(headers["Server"] == [])
        #expect(headers["X-A"] == ["1"])
        #expect(encoded.sendsBody)
        #expect(encoded.droppedFields == 0)
    }

    @Test func invalidFieldsAreDropped() {
        let encoded = ResponseHead(
            status: 304, headers: [("X-Bad", "a\nb"), ("", "x"), ("Nö", "x"), ("X-Tab", "a\tb"), ("X-Utf8", "café")],
            bodyCount: 3, version: .http1_0, keepAlive: true, date: "now", serverName: "S")
        #expect(encoded.droppedFields == 3)
        #expect(!encoded.sendsBody)
        #expect(encoded.head.headers["Content-Length"] == [])
        #expect(encoded.head.headers["Connection"] == ["keep-alive"])
        #expect(encoded.head.headers["X-Tab"] == ["a\tb"])
        #expect(encoded.head.headers["X-Utf8"] == ["café"])
    }

    @Test func logHelpers() {
        #expect(RequestLog.path(of: "/a/b?token=secret") == "/a/b")
        #expect(RequestLog.path(of: "/plain") == "/plain")
        #expect(RequestLog.milliseconds(.microseconds(12_034)) == "12.034")
        #expect(RequestLog.milliseconds(.nanoseconds(5_000)) == "0.005")
    }
}
