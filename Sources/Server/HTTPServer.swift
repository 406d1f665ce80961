import Dispatch
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import SluiceHost
import Synchronization

/// An HTTP/1.1 (and 1.0) server that hands every request to a `RequestHandler`.
///
/// Socket I/O and HTTP parsing run on SwiftNIO event loops; `RequestHandler.handle`, which may
/// block for as long as a script runs, runs on a bounded pool of worker threads, so a slow page
/// never stalls other connections. Keep-alive and pipelining are supported; responses always
/// carry `Content-Length`.
///
/// ```swift
/// let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 8080), handler: host)
/// let address = try server.start()
/// print("listening on \(address.url)")
/// server.runUntilSignalled()   // SIGINT/SIGTERM: graceful shutdown
/// ```
public final class HTTPServer: Sendable {
    /// The configuration the server was created with.
    public let configuration: Configuration
    private let shared: ServerShared
    private let registry: ConnectionRegistry
    private let lifecycle = Mutex(Lifecycle.created)

    private enum Lifecycle {
        case created
        case starting
        case running(Running)
        case stopped
    }

    private struct Running {
        var group: MultiThreadedEventLoopGroup
        var listener: any Channel
        var address: ListeningAddress
    }

    /// Creates a server; nothing listens until ``start()``.
    ///
    /// - Parameters:
    ///   - configuration: Address, thread counts and limits.
    ///   - handler: Answers every request; called from several worker threads at once.
    ///   - logger: Receives one `info` line per request plus warnings and errors.
    public init(configuration: Configuration, handler: any RequestHandler,
                logger: Logger = Logger(label: "sluice.server")) {
        self.configuration = configuration
        self.shared = ServerShared(configuration: configuration, handler: handler, logger: logger)
        self.registry = ConnectionRegistry(maxConnections: configuration.maxConnections)
    }

    /// Starts the threads and begins accepting connections.
    ///
    /// - Returns: The address actually bound (with the real port when the configuration said 0).
    /// - Throws: ``HTTPServerError`` if the server was started before or cannot listen.
    @discardableResult
    public func start() throws(HTTPServerError) -> ListeningAddress {
        let canStart = self.lifecycle.withLock { state -> Bool in
            guard case .created = state else { return false }
            state = .starting
            return true
        }
        guard canStart else { throw .alreadyStarted() }

        let configuration = self.configuration
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, configuration.eventLoopThreads))
        self.shared.workers.start()
        let listener: any Channel
        do {
            listener = try self.makeBootstrap(group: group)
                .bind(host: configuration.host, port: configuration.port).wait()
        } catch {
            try? self.shared.workers.pool.syncShutdownGracefully()
            try? group.syncShutdownGracefully()
            self.lifecycle.withLock { $0 = .stopped }
            throw .cannotListen(host: configuration.host, port: configuration.port, underlying: error)
        }
        let bound = listener.localAddress
        let address = ListeningAddress(host: bound?.ipAddress ?? configuration.host,
                                       port: bound?.port ?? configuration.port)
        let running = Running(group: group, listener: listener, address: address)
        let stillWanted = self.lifecycle.withLock { state -> Bool in
            guard case .starting = state else { return false }
            state = .running(running)
            return true
        }
        guard stillWanted else {
            // shutdown() ran while the server was starting.
            self.stop(running)
            throw .stoppedWhileStarting()
        }
        self.shared.logger.info("listening on \(address.url)", metadata: [
            "event_loops": .stringConvertible(configuration.eventLoopThreads),
            "workers": .stringConvertible(configuration.workerThreads),
        ])
        return address
    }

    /// Where the server listens, or nil when it is not running.
    public var address: ListeningAddress? {
        self.lifecycle.withLock { state in
            if case .running(let running) = state { return running.address }
            return nil
        }
    }

    /// Number of currently open client connections.
    public var openConnections: Int { self.registry.count }

    /// Stops the server gracefully and returns when it has stopped. Safe to call more than once
    /// and from any thread except an event loop of this server.
    ///
    /// It stops accepting at once, closes idle connections, and lets requests in flight finish
    /// (their responses say `Connection: close`) for up to `configuration.shutdownTimeout`;
    /// connections still open then are closed. Handlers already running cannot be interrupted,
    /// so the call also waits for them (a script's own wall-clock budget bounds this).
    public func shutdown() {
        let running = self.lifecycle.withLock { state -> Running? in
            defer { state = .stopped }
            if case .running(let running) = state { return running }
            return nil
        }
        guard let running else { return }
        self.stop(running)
    }

    private func stop(_ running: Running) {
        let logger = self.shared.logger
        logger.info("shutting down", metadata: ["open_connections": .stringConvertible(self.registry.count)])

        try? running.listener.close().wait()
        if !self.registry.drain(timeout: self.configuration.shutdownTimeout) {
            logger.warning("shutdown timeout reached; closing \(self.registry.count) connection(s) with requests in flight")
            _ = self.registry.closeAll(timeout: .seconds(2))
        }
        // Requests still queued are answered 503 by their cancelled work items, which need the
        // event loops: stop the workers first, on a serial queue so the cancellations run before
        // the completion callback.
        let workersStopped = DispatchSemaphore(value: 0)
        self.shared.workers.pool.shutdownGracefully(queue: DispatchQueue(label: "sluice.server.shutdown")) { _ in
            workersStopped.signal()
        }
        workersStopped.wait()
        try? running.group.syncShutdownGracefully()
        logger.info("stopped")
    }

    private func makeBootstrap(group: MultiThreadedEventLoopGroup) -> ServerBootstrap {
        let configuration = self.configuration
        let shared = self.shared
        let registry = self.registry
        let decoderLimits = {
            var limits = NIOHTTPDecoderLimitConfiguration()
            limits.maxHeaderFieldSize = configuration.maxHeaderBytes
            limits.maxHeaderListSize = configuration.maxHeaderBytes
            limits.maxHeaderFieldCount = configuration.maxHeaderCount
            return limits
        }()

        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: configuration.backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                guard registry.admit(channel) else {
                    return channel.close()
                }
                do {
                    let pipeline = channel.pipeline.syncOperations
                    // Only NIOHTTP1's request decoder: HTTPConnectionHandler keeps pipelined
                    // answers in order, answers 400/431 itself and writes responses already
                    // encoded (EncodedResponse validates the fields), so neither the pipelining,
                    // error, header-validation handlers nor the response encoder are needed.
                    try pipeline.addHandler(ByteToMessageHandler(
                        HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes, limitConfiguration: decoderLimits)))
                    try pipeline.addHandler(IdleStateHandler(readTimeout: configuration.idleTimeout))
                    try pipeline.addHandler(HTTPConnectionHandler(shared: shared))
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
    }
}
