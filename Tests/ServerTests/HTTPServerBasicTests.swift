import Foundation
import Testing
import SluiceServer

/// Requests and responses over real sockets: methods, keep-alive, pipelining, HTTP/1.0.
@Suite struct HTTPServerBasicTests {
    @Test func getReachesHandlerAndAnswerIsFramed() throws {
        try withServer { _, port in
            let connection = try TestConnection(port: port)
            connection.send(get("/hello?x=1"))
            let response = try #require(try connection.readResponse())
            #expect(response.version == "HTTP/1.1")
            #expect(response.status == 200)
            let seen = fields(response)
            #expect(seen["method"] == "GET")
            #expect(seen["target"] == "/hello?x=1")
            #expect(seen["body"] == "nil")
            #expect(seen["remote"] == "127.0.0.1")
            #expect(seen["host"] == "test")
            #expect(response.header("Content-Length") == "\(response.body.count)")
            #expect(response.header("Content-Type") == "text/plain")
            #expect(response.header("Server") == "Sluice")
            #expect(response.header("Date")?.hasSuffix(" GMT") == true)
            #expect(response.header("Connection") == nil)
        }
    }

    @Test func postBodyReachesHandler() throws {
        try withServer { _, port in
            let connection = try TestConnection(port: port)
            let body = "name=ada&x=1"
            connection.send("POST /form HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
            let response = try #require(try connection.readResponse())
            let seen = fields(response)
            #expect(response.status == 200)
            #expect(seen["method"] == "POST")
            #expect(seen["body"] == "\(body.utf8.count)")
            #expect(seen["content"] == body)
            #expect(seen["tooLarge"] == "false")
        }
    }

    @Test func chunkedPostBodyIsReassembled() throws {
        try withServer { _, port in
            let connection = try TestConnection(port: port)
            connection.send("POST /c HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
            let seen = fields(try #require(try connection.readResponse()))
            #expect(seen["content"] == "hello world")
        }
    }

    @Test func headSendsLengthButNoBody() throws {
        try withServer { _, port in
            let connection = try TestConnection(port: port)
            connection.send(get("/page"))
            let full = try #require(try connection.readResponse())
            connection.send("HEAD /page HTTP/1.1\r\nHost: test\r\n\r\n")
            let head = try #require(try connection.readResponse(forHead: true))
            #expect(head.status == 200)
            // Same length as the GET, but with HEAD in the echoed method line: "HEAD" is one longer.
            #expect(head.header("Content-Length") == "\(full.body.count + 1)")
            // No body bytes followed: the next response on the connection parses cleanly.
            connection.send(get("/after"))
            let after = try #require(try connection.readResponse())
            #expect(fields(after)["target"] == "/after")
            #expect(connection.unreadBytes == 0)
        }
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        try withServer { server, port in
            let connection = try TestConnection(port: port)
            for index in 0..<5 {
                connection.send(get("/n/\(index)"))
                let response = try #require(try connection.readResponse())
                #expect(fields(response)["target"] == "/n/\(index)")
                #expect(response.header("Connection") == nil)
            }
            #expect(server.openConnections == 1)
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        try withServer { _, port in
            let connection = try TestConnection(port: port)
            // The first one is slow, so later answers would overtake it without ordering.
            connection.send(get("/slow?ms=300") + get("/second") + get("/third"))
            let targets = try (0..<3).map { _ in fields(try #require(try connection.readResponse()))["target"] }
            #expect(targets == ["/slow?ms=300", "/second", "/third"])
        }
    }

    @Test func malformedPipelinedRequestIsAnsweredAfterTheOneBefore() throws {
        try withServer { _, port in
            let connection = try TestConnection(port: port)
            connection.send(get("/slow?ms=200") + "BAD REQUEST LINE\r\n\r\n")
            let first = try #require(try connection.readResponse())
            #expect(first.status == 200)
            #expect(fields(first)["target"] == "/slow?ms=200")
            let second = try #require(try connection.readResponse())
            #expect(second.status == 400)
            #expect(connection.isClosedByServer())
        }
    }

    @Test func manyPipelinedRequestsInOneWrite() throws {
        try withServer { _, port in
            let connection = try TestConnection(port: port)
            let count = 200
            connection.send((0..<count).map { get("/p/\($0)") }.joined())
            for index in 0..<count {
                let response = try #require(try connection.readResponse())
                #expect(fields(response)["target"] == "/p/\(index)")
            }
            connection.send(get("/after"))
            #expect(fields(try #require(try connection.readResponse()))["target"] == "/after")
        }
    }

    @Test func connectionCloseIsHonoured() throws {
        try withServer { _, port in
            let connection = try TestConnection(port: port)
            connection.send(get("/bye", connection: "close"))
            let response = try #require(try connection.readResponse())
            #expect(response.header("Connection") == "close")
            #expect(connection.isClosedByServer())
        }
    }

    @Test func http10ClosesUnlessKeepAliveIsAsked() throws {
        try withServer { _, port in
            let plain = try TestConnection(port: port)
            plain.send("GET /old HTTP/1.0\r\n\r\n")
            let first = try #require(try plain.readResponse())
            #expect(first.version == "HTTP/1.0")
            #expect(first.header("Connection") == "close")
            #expect(plain.isClosedByServer())

            let kept = try TestConnection(port: port)
            kept.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let a = try #require(try kept.readResponse())
            #expect(a.header("Connection") == "keep-alive")
            kept.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(fields(try #require(try kept.readResponse()))["target"] == "/b")
        }
    }

    @Test func expectContinueGetsInterimAnswer() throws {
        try withServer { _, port in
            let connection = try TestConnection(port: port)
            connection.send("POST /up HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = try #require(try connection.readResponse())
            #expect(interim.status == 100)
            connection.send("hello")
            let final = try #require(try connection.readResponse())
            #expect(final.status == 200)
            #expect(fields(final)["content"] == "hello")
        }
    }

    @Test func handlerStatusAndHeadersArePassedOnSafely() throws {
        try withServer { _, port in
            let connection = try TestConnection(port: port)
            connection.send(get("/status/404"))
            #expect(try connection.readResponse()?.status == 404)
            connection.send(get("/status/204"))
            let empty = try #require(try connection.readResponse())
            #expect(empty.status == 204)
            #expect(empty.header("Content-Length") == nil)
            connection.send(get("/status/99"))
            #expect(try connection.readResponse()?.status == 500)

            connection.send(get("/inject"))
            let injected = try #require(try connection.readResponse())
            #expect(injected.text == "ok")
            #expect(injected.header("Content-Length") == "2")
            #expect(injected.header("Connection") == nil)
            #expect(injected.header("Transfer-Encoding") == nil)
            #expect(injected.header("X-Split") == nil)
            #expect(injected.header("Bad Name") == nil)
            #expect(injected.header("X-Fine") == "kept")
            #expect(injected.headers.filter { $0.name == "Set-Cookie" }.map(\.value) == ["a=1", "b=2"])
            // The connection survived all of it.
            connection.send(get("/still"))
            #expect(fields(try #require(try connection.readResponse()))["target"] == "/still")
        }
    }
}
