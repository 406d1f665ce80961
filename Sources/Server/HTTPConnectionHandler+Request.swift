import NIOCore
import NIOHTTP1
import SluiceHost

extension HTTPConnectionHandler {
    func begin(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
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
            let interim = EncodedResponse.interim(100, version: head.version, allocator: context.channel.allocator)
            context.writeAndFlush(self.wrapOutboundOut(interim), promise: nil)
        }
    }

    func receive(_ chunk: ByteBuffer, context: ChannelHandlerContext) {
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

    /// Hands the complete request to a worker thread; the answer comes back through `deliver`.
    func dispatch(context: ChannelHandlerContext) {
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
            method: incoming.method, target: head.uri, version: head.version,
            keepAlive: head.isKeepAlive && !self.quiescing, isHead: head.method == .HEAD,
            startedAt: received.startedAt, remoteAddress: self.remoteAddress)

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
}
