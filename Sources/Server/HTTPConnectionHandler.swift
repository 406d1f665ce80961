import NIOCore
import NIOHTTP1

/// One client connection: assembles each request from NIOHTTP1's parts, runs it on a worker
/// thread and writes the answer back on the connection's event loop.
///
/// It also keeps pipelined requests in order. NIOHTTP1's `HTTPServerPipelineHandler` would do
/// that too, but it stops reading whenever a response is pending, which for a request answered
/// on another thread means two extra `epoll_ctl` calls per request (measured: about 15 % of
/// throughput). This handler stops reading only when a client actually pipelines: input that
/// arrives while a request is on a worker waits in `backlog`, and reading pauses until the
/// backlog is worked off.
final class HTTPConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    /// Responses leave as complete, already encoded messages (see `EncodedResponse`): there is
    /// no `HTTPResponseEncoder` in the pipeline, so each one is a single buffer written as is.
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum State {
        /// Waiting for a request head.
        case idle
        /// Head seen; collecting the body.
        case receiving
        /// The request is on a worker thread.
        case processing
        /// The last answer is out and the connection is closing; input is dropped.
        case closing
    }

    /// The request being received or processed.
    struct InProgress {
        let head: HTTPRequestHead
        let startedAt: NIODeadline
        var body: ByteBuffer?
        var bodyBytes = 0
        var bodyTooLarge = false
    }

    /// Input that arrived while a request was on a worker.
    enum Pending {
        case part(HTTPServerRequestPart)
        case parseError(HTTPParserError)
    }

    let shared: ServerShared
    var state = State.idle
    var current: InProgress?
    var remoteAddress = ""
    var backlog = CircularBuffer<Pending>()
    /// A `read()` was held back because of the backlog; issue it once the backlog is empty.
    var readWithheld = false
    /// Shutdown asked this connection to close after the request in flight.
    var quiescing = false
    /// Set while the handler is in a pipeline; a worker's answer for a closed connection is dropped.
    var context: ChannelHandlerContext?

    init(shared: ServerShared) {
        self.shared = shared
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.remoteAddress = context.channel.remoteAddress?.ipAddress ?? ""
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.context = nil
        self.backlog.removeAll()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = self.unwrapInboundIn(data)
        switch self.state {
        case .idle, .receiving:
            self.handle(part, context: context)
        case .processing:
            guard self.backlog.count < HTTPConnectionHandler.maxBacklog else {
                // Reading stops while a backlog exists, but one read can still bring thousands of
                // tiny pipelined requests; a client that sends that many gets disconnected.
                self.shared.logger.warning("too many pipelined requests; closing connection",
                                           metadata: ["remote": .string(self.remoteAddress)])
                self.backlog.removeAll()
                self.state = .closing
                context.close(promise: nil)
                return
            }
            self.backlog.append(.part(part))
        case .closing:
            break
        }
    }

    /// Most request parts (heads, body chunks, ends) held while a request is on a worker.
    static let maxBacklog = 4096

    func read(context: ChannelHandlerContext) {
        if self.backlog.isEmpty {
            context.read()
        } else {
            self.readWithheld = true
        }
    }

    private func handle(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let head):
            guard case .idle = self.state else { return }
            self.begin(head, context: context)
        case .body(let chunk):
            guard case .receiving = self.state else { return }
            self.receive(chunk, context: context)
        case .end:
            guard case .receiving = self.state else { return }
            self.dispatch(context: context)
        }
    }

    /// Works through pipelined input after an answer went out, until a request is on a worker
    /// again or the input is used up; then resumes reading if it was held back.
    func workOffBacklog(context: ChannelHandlerContext) {
        while !self.backlog.isEmpty {
            switch self.state {
            case .idle, .receiving:
                switch self.backlog.removeFirst() {
                case .part(let part):
                    self.handle(part, context: context)
                case .parseError(let error):
                    self.answerParseError(error, context: context)
                }
            case .processing:
                return
            case .closing:
                self.backlog.removeAll()
            }
        }
        if self.readWithheld {
            self.readWithheld = false
            context.read()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let parseError = error as? HTTPParserError {
            switch self.state {
            case .idle, .receiving:
                self.answerParseError(parseError, context: context)
            case .processing:
                // Answered in turn, after the request in flight.
                self.backlog.append(.parseError(parseError))
            case .closing:
                break
            }
            return
        }
        if error is ByteToMessageDecoderError {
            // More input after a parse error: the answer to that error is already on its way.
            return
        }
        // Socket errors (reset by peer, …): nothing can be answered any more.
        context.close(promise: nil)
    }

    private func answerParseError(_ error: HTTPParserError, context: ChannelHandlerContext) {
        let status: HTTPResponseStatus = error == .headerOverflow ? .requestHeaderFieldsTooLarge : .badRequest
        self.answerAndClose(status, context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            switch self.state {
            case .idle, .receiving:
                context.close(promise: nil)
            case .processing, .closing:
                // Silence is expected while a script runs; a closing connection has its own timer.
                break
            }
            return
        }
        if event is ChannelShouldQuiesceEvent {
            // Graceful shutdown: finish the request in flight (its answer says Connection: close),
            // drop pipelined ones, close idle connections now.
            self.quiescing = true
            self.backlog.removeAll()
            if case .idle = self.state {
                self.state = .closing
                context.close(promise: nil)
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
