import Foundation
import Testing
import SluiceHost
import SluiceServer

/// Bodies, heads and malformed input at and beyond the server's limits.
@Suite struct HTTPServerLimitTests {
    private func post(_ size: Int) -> [UInt8] {
        Array("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: \(size)\r\n\r\n".utf8)
            + [UInt8](repeating: UInt8(ascii: "x"), count: size)
    }

    @Test func bodyExactlyAtLimitIsKept() throws {
        try withServer { _, port in
            let connection = try TestConnection(port: port)
            connection.send(post(IncomingRequest.bodyLimit))
            let seen = fields(try #require(try connection.readResponse()))
            #expect(seen["body"] == "65536")
            #expect(seen["tooLarge"] == "false")
        }
    }

    @Test func bodyAboveLimitIsDroppedAndConnectionStaysUsable() throws {
        try withServer { _, port in
            let connection = try TestConnection(port: port)
            connection.send(post(IncomingRequest.bodyLimit + 1))
            let response = try #require(try connection.readResponse())
            #expect(response.status == 200)
            let seen = fields(response)
            #expect(seen["body"] == "nil")
            #expect(seen["tooLarge"] == "true")
            connection.send(get("/next"))
            #expect(fields(try #require(try connection.readResponse()))["target"] == "/next")
        }
    }

    @Test func declaredBodyOverHardLimitGets413() throws {
        try withServer { _, port in
            let connection = try TestConnection(port: port)
            connection.send("POST /big HTTP/1.1\r\nHost: test\r\nContent-Length: \(9 * 1024 * 1024)\r\n\r\n")
            connection.send([UInt8](repeating: 0x61, count: 100_000))
            let response = try #require(try connection.readResponse())
            #expect(response.status == 413)
            #expect(response.header("Connection") == "close")
            #expect(connection.isClosedByServer())
        }
    }

    @Test func streamedBodyOverHardLimitGets413() throws {
        try withServer(configure: { $0.bodyHardLimit = 1 << 20 }) { _, port in
            let connection = try TestConnection(port: port)
            connection.send("POST /stream HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n")
            let chunk = Array("10000\r\n".utf8) + [UInt8](repeating: 0x62, count: 0x10000) + Array("\r\n".utf8)
            // 2 MiB in 64 KiB chunks; the server keeps reading (and dropping) after its answer.
            for _ in 0..<32 { connection.send(chunk) }
            let response = try #require(try connection.readResponse())
            #expect(response.status == 413)
            #expect(response.header("Connection") == "close")
            #expect(connection.isClosedByServer())
        }
    }

    @Test func malformedRequestGets400AndOthersAreStillServed() throws {
        try withServer { _, port in
            let bad = try TestConnection(port: port)
            bad.send("GET / HTTP/1.1\r\nHost: test\r\nNo colon here\r\n\r\n")
            let response = try #require(try bad.readResponse())
            #expect(response.status == 400)
            #expect(response.header("Connection") == "close")
            #expect(bad.isClosedByServer())

            let garbage = try TestConnection(port: port)
            garbage.send("\u{1}\u{2}\u{3} nonsense\r\n\r\n")
            #expect(try garbage.readResponse()?.status == 400)

            let good = try TestConnection(port: port)
            good.send(get("/fine"))
            #expect(try good.readResponse()?.status == 200)
        }
    }

    @Test func missingHostOnHTTP11Gets400() throws {
        try withServer { _, port in
            let connection = try TestConnection(port: port)
            connection.send("GET / HTTP/1.1\r\n\r\n")
            #expect(try connection.readResponse()?.status == 400)
        }
    }

    @Test func oversizedHeadGets431() throws {
        try withServer { _, port in
            let connection = try TestConnection(port: port)
            let huge = String(repeating: "a", count: 20_000)
            connection.send("GET / HTTP/1.1\r\nHost: test\r\nX-Huge: \(huge)\r\n\r\n")
            let response = try #require(try connection.readResponse())
            #expect(response.status == 431)
            #expect(connection.isClosedByServer())

            let many = try TestConnection(port: port)
            let fieldsText = (0..<200).map { "X-F\($0): 1\r\n" }.joined()
            many.send("GET / HTTP/1.1\r\nHost: test\r\n\(fieldsText)\r\n")
            #expect(try many.readResponse()?.status == 431)
        }
    }

    @Test func idleConnectionIsClosed() throws {
        try withServer(configure: { $0.idleTimeout = .milliseconds(300) }) { _, port in
            let connection = try TestConnection(port: port, timeout: 5)
            connection.send(get("/once"))
            #expect(try connection.readResponse()?.status == 200)
            let start = DispatchTime.now()
            #expect(connection.isClosedByServer())
            #expect(seconds(since: start) < 3)
        }
    }
}
