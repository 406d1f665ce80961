import Foundation
import Logging
import SluiceHost
import SluiceServer

/// A handler that describes the request it got, so tests can check what reached the handler.
///
/// Targets: `/slow?ms=N` sleeps N milliseconds first (and signals `slowStarted`),
/// `/status/N` answers with status N, `/inject` answers with headers a site must not be able
/// to send, anything else answers 200.
final class EchoHandler: RequestHandler, Sendable {
    /// Signalled each time a `/slow` request starts running.
    let slowStarted = DispatchSemaphore(value: 0)

    func handle(_ request: IncomingRequest) -> OutgoingResponse {
        if request.target.hasPrefix("/slow") {
            slowStarted.signal()
            let millis = request.target.split(separator: "=").last.flatMap { Int($0) } ?? 1000
            usleep(useconds_t(millis * 1000))
        }
        if request.target.hasPrefix("/status/"), let status = Int(request.target.dropFirst("/status/".count)) {
            return OutgoingResponse(status: status, body: Array("status \(status)".utf8))
        }
        if request.target == "/inject" {
            return OutgoingResponse(status: 200, headers: [
                ("Content-Length", "9999"), ("Connection", "close"), ("Transfer-Encoding", "chunked"),
                ("X-Split", "a\r\nSet-Cookie: evil=1"), ("Bad Name", "x"), ("X-Fine", "kept"),
                ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"),
            ], body: Array("ok".utf8))
        }
        let bodyText = request.body.map { "\($0.count)" } ?? "nil"
        let lines = [
            "method=\(request.method)",
            "target=\(request.target)",
            "body=\(bodyText)",
            "tooLarge=\(request.bodyTooLarge)",
            "remote=\(request.remoteAddress)",
            "host=\(request.header("host") ?? "")",
            "content=\(request.body.flatMap { $0.count <= 64 ? String(decoding: $0, as: UTF8.self) : nil } ?? "")",
        ]
        return OutgoingResponse(
            status: 200, headers: [("Content-Type", "text/plain")], body: Array(lines.joined(separator: "\n").utf8),
            metrics: RequestMetrics(requestID: "test", instructions: 1, site: "echo"))
    }
}

/// Parses the EchoHandler's "key=value" lines.
func fields(_ response: TestResponse) -> [String: String] {
    var result: [String: String] = [:]
    for line in response.text.split(separator: "\n") {
        guard let equals = line.firstIndex(of: "=") else { continue }
        result[String(line[..<equals])] = String(line[line.index(after: equals)...])
    }
    return result
}

/// Starts a server on 127.0.0.1 and a free port, runs `body` with the port, and shuts it down.
@discardableResult
func withServer<T>(
    handler: EchoHandler = EchoHandler(),
    configure: (inout HTTPServer.Configuration) -> Void = { _ in },
    _ body: (HTTPServer, Int) throws -> T
) throws -> T {
    var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
    configuration.eventLoopThreads = 1
    configuration.workerThreads = 2
    configure(&configuration)
    var logger = Logger(label: "test.server")
    logger.logLevel = .critical
    let server = HTTPServer(configuration: configuration, handler: handler, logger: logger)
    let address = try server.start()
    defer { server.shutdown() }
    return try body(server, address.port)
}

/// A plain GET request on one connection.
func get(_ target: String, connection: String? = nil) -> String {
    var text = "GET \(target) HTTP/1.1\r\nHost: test\r\n"
    if let connection { text += "Connection: \(connection)\r\n" }
    return text + "\r\n"
}

func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}
