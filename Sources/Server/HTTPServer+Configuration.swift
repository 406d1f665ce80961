import NIOCore
import SluiceHost

extension HTTPServer {
    /// Everything that shapes one server: where it listens, how many threads it uses and the
    /// limits it enforces on every connection.
    public struct Configuration: Sendable {
        /// Address to bind, e.g. "127.0.0.1" or "0.0.0.0".
        public var host: String
        /// TCP port; 0 lets the system pick a free one (read it back from ``HTTPServer/start()``).
        public var port: Int
        /// Event-loop threads doing socket I/O and HTTP parsing. They never run site code.
        public var eventLoopThreads: Int
        /// Worker threads that call `RequestHandler.handle`; at most this many requests run at once.
        public var workerThreads: Int
        /// Complete requests allowed to wait for a free worker. Beyond this (plus the requests
        /// already running) the server answers 503 at once instead of queueing without bound.
        public var maxQueuedRequests: Int
        /// Open connections accepted at once; further connections are closed right after accept.
        public var maxConnections: Int
        /// Upper bound on the request line plus all header names and values, in bytes. Larger
        /// heads are answered with 431 and the connection is closed.
        public var maxHeaderBytes: Int
        /// Upper bound on the number of header fields in one request (431 beyond).
        public var maxHeaderCount: Int
        /// Body bytes kept and passed to the handler. A larger body is still read (and dropped),
        /// and the handler sees `body == nil, bodyTooLarge == true`.
        public var bodyLimit: Int
        /// Body bytes read at all. Past this the server answers 413 and closes the connection.
        public var bodyHardLimit: Int
        /// A connection that delivers no request data for this long while no request of its own
        /// is running is closed. This also bounds how long a request head may take to arrive.
        public var idleTimeout: TimeAmount
        /// After an error answer (400, 413, 431…) the server stops writing but keeps reading and
        /// dropping input for at most this long, so the client can read the answer before the
        /// connection is reset.
        public var lingerTimeout: TimeAmount
        /// How long ``HTTPServer/shutdown()`` lets in-flight requests finish before it closes
        /// their connections.
        public var shutdownTimeout: TimeAmount
        /// Value of the `Server` response header; nil leaves the header out.
        public var serverName: String?
        /// Listen backlog of the accepting socket.
        public var backlog: Int32

        /// A configuration with defaults suited to the host's core count.
        ///
        /// Worker count: `handle` is mostly CPU-bound script execution, so more workers than cores
        /// add no throughput; but with exactly `cores` workers, `cores` scripts spinning to their
        /// 30 s budget would stall every other page for that long. Twice the cores (at least 4)
        /// lets the OS time-slice fast pages next to runaway ones, while keeping the worst case
        /// of simultaneous script heaps (workers × the per-script heap budget) small. With a
        /// trivial handler on 2 cores, 2 and 4 workers measured the same within noise.
        public init(host: String = "127.0.0.1", port: Int = 8080) {
            let cores = System.coreCount
            self.host = host
            self.port = port
            self.eventLoopThreads = max(1, cores)
            self.workerThreads = max(4, 2 * cores)
            self.maxQueuedRequests = 1024
            self.maxConnections = 4096
            self.maxHeaderBytes = 16 * 1024
            self.maxHeaderCount = 128
            self.bodyLimit = IncomingRequest.bodyLimit
            self.bodyHardLimit = 8 * 1024 * 1024
            self.idleTimeout = .seconds(60)
            self.lingerTimeout = .seconds(2)
            self.shutdownTimeout = .seconds(10)
            self.serverName = "Sluice"
            self.backlog = 256
        }
    }
}
