import Logging
import NIOCore
import NIOHTTP1
import SluiceHost

/// One client connection: assembles each request from NIOHTTP1's parts, runs it on a worker
/// thread and writes the answer back on the connection's event loop.
///
/// NIOHTTP1's `HTTPServerPipelineHandler` sits in front of this handler and holds back pipelined
/// requests until the previous response is complete, so this handler sees one request at a time
/// and responses leave in request order.
final class HTTPConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Waiting for a request head.
        case idle
        /// Head seen; collecting the body.
        case receiving
        /// The request is on a worker thread.
        case processing
        /// An error answer was sent; input is dropped until the connection closes.
        case closing
    }

    /// The request being received or processed.
    private struct InProgress {
        let head: HTTPRequestHead
        let startedAt: NIODeadline
        var body: ByteBuffer?
        var bodyBytes = 0
        var bodyTooLarge = false
    }

    private let shared: ServerShared
    private var state = State.idle
    private var current: InProgress?
    private var remoteAddress = ""
    /// Set while the handler is in a pipeline; a worker's answer for a closed connection is dropped.
    private var context: ChannelHandlerContext?

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
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
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

    // MARK: Receiving

    private func begin(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        self.current = InProgress(head: head, startedAt: .now())
        self.state = .receiving
        guard head.version.major == 1 else {
            return self.answerAndClose(.httpVersionNotSupported, context: context)
        }
        var hasHost = false
        var declaredLength = 0
        var expectsContinue = false
        for field in head.headers {
            if fieldName(field.name, is: "host") {
                hasHost = true
            } else if fieldName(field.name, is: "content-length") {
                declaredLength = Int(field.value) ?? 0
            } else if fieldName(field.name, is: "expect") {
                expectsContinue = field.value.lowercased() == "100-continue"
            }
        }
        // RFC 9112 §3.2: a server must answer 400 to an HTTP/1.1 request without Host.
        if head.version.minor >= 1 && !hasHost {
            return self.answerAndClose(.badRequest, context: context)
        }
        if declaredLength > self.shared.configuration.bodyHardLimit {
            return self.answerAndClose(.payloadTooLarge, context: context)
        }
        if head.version.minor >= 1 && expectsContinue {
            let interim = HTTPResponseHead(version: head.version, status: .continue)
            context.writeAndFlush(self.wrapOutboundOut(.head(interim)), promise: nil)
        }
    }

    private func receive(_ chunk: ByteBuffer, context: ChannelHandlerContext) {
        self.current!.bodyBytes += chunk.readableBytes
        let total = self.current!.bodyBytes
        if total > self.shared.configuration.bodyHardLimit {
            return self.answerAndClose(.payloadTooLarge, context: context)
        }
        if total > self.shared.configuration.bodyLimit {
            // Keep reading so the connection stays usable, but keep none of it.
            self.current!.bodyTooLarge = true
            self.current!.body = nil
            return
        }
        if self.current!.body == nil {
            self.current!.body = chunk
        } else {
            var chunk = chunk
            self.current!.body!.writeBuffer(&chunk)
        }
    }

    // MARK: Processing

    private func dispatch(context: ChannelHandlerContext) {
        let received = self.current!
        self.current!.body = nil
        self.state = .processing

        let head = received.head
        var body: [UInt8]? = nil
        if !received.bodyTooLarge, let buffer = received.body, buffer.readableBytes > 0 {
            body = Array(buffer.readableBytesView)
        }
        let incoming = IncomingRequest(
            method: head.method.rawValue, target: head.uri, headers: Array(head.headers), body: body,
            bodyTooLarge: received.bodyTooLarge, remoteAddress: self.remoteAddress)
        let summary = RequestSummary(
            method: incoming.method, target: head.uri, version: head.version, keepAlive: head.isKeepAlive,
            isHead: head.method == .HEAD, startedAt: received.startedAt, remoteAddress: self.remoteAddress)

        let loop = context.eventLoop
        let handler = NIOLoopBound(self, eventLoop: loop)
        let shared = self.shared
        let submitted = shared.workers.submit { cancelled in
            if cancelled {
                // The pool shut down before this request's turn came.
                loop.execute { handler.value.answerAndCloseIfOpen(.serviceUnavailable) }
                return
            }
            let response = shared.handler.handle(incoming)
            let prepared = shared.prepare(response, to: summary)
            loop.execute { handler.value.deliver(prepared) }
        }
        if !submitted {
            self.shared.logger.warning("request queue full; answering 503", metadata: [
                "path": .string(RequestLog.path(of: head.uri)), "remote": .string(self.remoteAddress),
            ])
            self.answerAndClose(.serviceUnavailable, context: context)
        }
    }

    /// Writes a worker's answer. Runs on the event loop.
    private func deliver(_ response: PreparedResponse) {
        guard let context = self.context, case .processing = self.state else { return }
        self.current = nil
        // Set before writing `.end`: that write lets HTTPServerPipelineHandler hand over the next
        // pipelined request, which re-enters channelRead.
        self.state = response.keepAlive ? .idle : .closing
        context.write(self.wrapOutboundOut(.head(response.head)), promise: nil)
        if let body = response.body {
            context.write(self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        if response.keepAlive {
            context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            let channel = context.channel
            context.writeAndFlush(self.wrapOutboundOut(.end(nil))).whenComplete { _ in
                channel.close(promise: nil)
            }
        }
    }

    // MARK: Errors

    private func answerAndCloseIfOpen(_ status: HTTPResponseStatus) {
        guard let context = self.context else { return }
        self.answerAndClose(status, context: context)
    }

    /// Answers with an error status generated by the server, then closes the connection: stops
    /// writing at once, but keeps reading (and dropping) input for a short while, because closing
    /// a socket with unread input resets it and the client might never see the answer.
    private func answerAndClose(_ status: HTTPResponseStatus, context: ChannelHandlerContext) {
        let request = self.current
        self.current = nil
        self.state = .closing

        var version = request?.head.version ?? .http1_1
        if version.major != 1 { version = .http1_1 }
        let isHead = request?.head.method == .HEAD
        let text = Array("\(status.code) \(status.reasonPhrase)\n".utf8)
        let encoded = ResponseHead(
            status: Int(status.code), headers: [("Content-Type", "text/plain; charset=utf-8")],
            bodyCount: text.count, version: version, keepAlive: false, date: self.shared.dates.current(),
            serverName: self.shared.configuration.serverName)
        context.write(self.wrapOutboundOut(.head(encoded.head)), promise: nil)
        if !isHead {
            let body = context.channel.allocator.buffer(bytes: text)
            context.write(self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        let channel = context.channel
        let linger = self.shared.configuration.lingerTimeout
        context.writeAndFlush(self.wrapOutboundOut(.end(nil))).whenComplete { result in
            guard case .success = result else { return channel.close(promise: nil) }
            channel.close(mode: .output).whenFailure { _ in channel.close(promise: nil) }
            channel.eventLoop.scheduleTask(in: linger) { channel.close(promise: nil) }
        }

        self.shared.requestLog.record(
            method: request?.head.method.rawValue ?? "-", target: request?.head.uri ?? "-",
            status: Int(status.code), startedAt: request?.startedAt ?? .now(), metrics: RequestMetrics(),
            remoteAddress: self.remoteAddress)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let parseError = error as? HTTPParserError {
            switch self.state {
            case .idle, .receiving:
                let status: HTTPResponseStatus =
                    parseError == .headerOverflow ? .requestHeaderFieldsTooLarge : .badRequest
                self.answerAndClose(status, context: context)
            case .processing, .closing:
                // HTTPServerPipelineHandler holds parse errors back while a response is pending,
                // so this only happens once the connection is already being closed.
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
        context.fireUserInboundEventTriggered(event)
    }
}
