import Logging
import NIOCore
import NIOHTTP1
import SluiceHost

/// What every connection of one server shares. Immutable (or internally locked), so worker
/// threads and event loops read it freely.
final class ServerShared: Sendable {
    let configuration: HTTPServer.Configuration
    let handler: any RequestHandler
    let workers: RequestWorkers
    let logger: Logger
    let requestLog: RequestLog
    let dates = HTTPDateClock()
    let allocator = ByteBufferAllocator()

    init(configuration: HTTPServer.Configuration, handler: any RequestHandler, logger: Logger) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        self.requestLog = RequestLog(logger: logger)
        self.workers = RequestWorkers(threads: configuration.workerThreads,
                                      maxQueued: configuration.maxQueuedRequests)
    }

    /// Encodes a handler's answer into the bytes the event loop writes, and logs the request.
    /// Runs on the worker thread, so the event loop only has to write one buffer.
    func prepare(_ response: OutgoingResponse, to request: RequestSummary) -> PreparedResponse {
        var status = response.status
        var headers = response.headers
        var body = response.body
        if !EncodedResponse.validStatuses.contains(status) {
            self.logger.error("handler answered with invalid status \(status); sending 500", metadata: [
                "request_id": .string(response.metrics.requestID), "path": .string(RequestLog.path(of: request.target)),
            ])
            status = 500
            headers = []
            body = []
        }
        let encoded = EncodedResponse(status: status, headers: headers, body: body, omitBody: request.isHead,
                                      version: request.version, keepAlive: request.keepAlive,
                                      date: self.dates.current(), serverName: self.configuration.serverName,
                                      allocator: self.allocator)
        if encoded.droppedFields > 0 {
            self.logger.warning("dropped \(encoded.droppedFields) invalid response header field(s)", metadata: [
                "request_id": .string(response.metrics.requestID), "path": .string(RequestLog.path(of: request.target)),
            ])
        }
        self.requestLog.record(method: request.method, target: request.target, status: status,
                               startedAt: request.startedAt, metrics: response.metrics,
                               remoteAddress: request.remoteAddress)
        return PreparedResponse(encoded: encoded, keepAlive: request.keepAlive)
    }
}

/// The facts about a request needed to answer and log it, without its body.
struct RequestSummary: Sendable {
    var method: String
    var target: String
    var version: HTTPVersion
    var keepAlive: Bool
    var isHead: Bool
    var startedAt: NIODeadline
    var remoteAddress: String
}

/// A response ready to write, and whether the connection stays open after it.
struct PreparedResponse: Sendable {
    var encoded: EncodedResponse
    var keepAlive: Bool
}
