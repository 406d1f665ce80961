import Foundation
import Testing
import SluiceServer

/// Slow handlers, overload and shutdown. Serialized: these measure time.
@Suite(.serialized) struct HTTPServerConcurrencyTests {
    @Test func slowHandlerDoesNotBlockOtherConnections() throws {
        let handler = EchoHandler()
        // One event loop, so both connections share it: only the worker pool keeps them apart.
        try withServer(handler: handler, configure: { $0.eventLoopThreads = 1; $0.workerThreads = 2 }) { _, port in
            let slowStart = DispatchTime.now()
            let slow = BackgroundCall { () -> Int? in
                guard let connection = try? TestConnection(port: port) else { return nil }
                connection.send(get("/slow?ms=2000"))
                return (try? connection.readResponse())?.status
            }
            #expect(handler.slowStarted.wait(timeout: .now() + 5) == .success)

            let fastStart = DispatchTime.now()
            let fast = try TestConnection(port: port)
            fast.send(get("/fast"))
            let fastResponse = try #require(try fast.readResponse())
            let fastSeconds = seconds(since: fastStart)
            #expect(fastResponse.status == 200)
            #expect(fastSeconds < 1.0, "fast request took \(fastSeconds) s behind a slow one")

            #expect(slow.wait() == .some(200))
            #expect(seconds(since: slowStart) >= 2.0)
        }
    }

    @Test func fullQueueAnswers503() throws {
        let handler = EchoHandler()
        try withServer(handler: handler, configure: { $0.workerThreads = 1; $0.maxQueuedRequests = 0 }) { _, port in
            let slow = BackgroundCall { () -> Int? in
                guard let connection = try? TestConnection(port: port) else { return nil }
                connection.send(get("/slow?ms=800"))
                return (try? connection.readResponse())?.status
            }
            #expect(handler.slowStarted.wait(timeout: .now() + 5) == .success)
            let rejected = try TestConnection(port: port)
            rejected.send(get("/more"))
            let response = try #require(try rejected.readResponse())
            #expect(response.status == 503)
            #expect(slow.wait() == .some(200))
        }
    }

    @Test func gracefulShutdownFinishesInFlightRequest() throws {
        let handler = EchoHandler()
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        configuration.workerThreads = 2
        let server = HTTPServer(configuration: configuration, handler: handler)
        let port = try server.start().port

        let idle = try TestConnection(port: port)
        idle.send(get("/warm"))
        #expect(try idle.readResponse()?.status == 200)

        let inFlight = BackgroundCall { () -> TestResponse? in
            guard let connection = try? TestConnection(port: port) else { return nil }
            connection.send(get("/slow?ms=1000"))
            return try? connection.readResponse()
        }
        #expect(handler.slowStarted.wait(timeout: .now() + 5) == .success)

        let shutdownStart = DispatchTime.now()
        server.shutdown()
        let shutdownSeconds = seconds(since: shutdownStart)

        let response = try #require(inFlight.wait(seconds: 5) ?? nil)
        #expect(response.status == 200)
        #expect(response.header("Connection") == "close")
        #expect(fields(response)["target"] == "/slow?ms=1000")
        #expect(shutdownSeconds > 0.5, "shutdown returned before the in-flight request finished")
        #expect(shutdownSeconds < 5)
        // The idle keep-alive connection was closed, and nothing listens any more.
        #expect(idle.isClosedByServer())
        #expect(throws: TestClientError.self) { try TestConnection(port: port) }
        #expect(server.address == nil)
        server.shutdown()  // a second call is harmless
    }

    @Test func shutdownTimeoutClosesStuckConnections() throws {
        let handler = EchoHandler()
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        configuration.shutdownTimeout = .milliseconds(200)
        let server = HTTPServer(configuration: configuration, handler: handler)
        let port = try server.start().port
        let stuck = BackgroundCall { () -> Bool in
            guard let connection = try? TestConnection(port: port) else { return false }
            connection.send(get("/slow?ms=1500"))
            do { return try connection.readResponse() == nil } catch { return false }
        }
        #expect(handler.slowStarted.wait(timeout: .now() + 5) == .success)
        let start = DispatchTime.now()
        server.shutdown()
        // The connection was closed without an answer at the timeout; shutdown still waited for
        // the handler itself, which cannot be interrupted.
        #expect(stuck.wait(seconds: 5) == true)
        #expect(seconds(since: start) >= 1.0)
    }

    @Test func startTwiceAndBadAddressAreReported() throws {
        try withServer { server, port in
            #expect(throws: HTTPServerError.self) { try server.start() }
            let clash = HTTPServer(configuration: .init(host: "127.0.0.1", port: port), handler: EchoHandler())
            let error = #expect(throws: HTTPServerError.self) { try clash.start() }
            #expect(error?.description == "cannot listen on 127.0.0.1:\(port): Address already in use")
        }
        var configuration = HTTPServer.Configuration(host: "203.0.113.77", port: 0)  // not a local address
        configuration.workerThreads = 1
        let server = HTTPServer(configuration: configuration, handler: EchoHandler())
        let error = #expect(throws: HTTPServerError.self) { try server.start() }
        #expect(error?.description.contains("cannot listen on 203.0.113.77:0") == true)
    }
}
