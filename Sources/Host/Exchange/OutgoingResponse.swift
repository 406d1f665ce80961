/// The answer a site gives to one request.
public struct OutgoingResponse: Sendable {
    public var status: Int
    /// Header fields in order; repeated names (Set-Cookie) are allowed.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// What the request cost, for the server's one-line-per-request log.
    public var metrics: RequestMetrics

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
                metrics: RequestMetrics = RequestMetrics()) {
        self.status = status
        self.headers = headers
        self.body = body
        self.metrics = metrics
    }
}

/// Per-request figures the server logs.
public struct RequestMetrics: Sendable {
    /// Request id, shared by every log line about this request.
    public var requestID: String = ""
    /// Script instructions executed (0 when no script ran).
    public var instructions: Int = 0
    /// The site that answered, by name ("" when none matched).
    public var site: String = ""
    /// Peak script heap bytes of this request (0 when no script ran).
    public var peakHeapBytes: Int = 0
    public init(requestID: String = "", instructions: Int = 0, site: String = "", peakHeapBytes: Int = 0) {
        self.requestID = requestID
        self.instructions = instructions
        self.site = site
        self.peakHeapBytes = peakHeapBytes
    }
}

/// What the server calls for every request. Implementations must be safe to call from many
/// threads at once; `handle` may block for as long as a script runs (the server calls it off its
/// event loops).
public protocol RequestHandler: Sendable {
    func handle(_ request: IncomingRequest) -> OutgoingResponse
}
