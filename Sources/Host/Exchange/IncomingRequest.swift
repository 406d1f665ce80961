/// One HTTP request as the server hands it to a site: no sockets, just data.
public struct IncomingRequest: Sendable {
    /// Upper-case method, e.g. "GET".
    public var method: String
    /// The request target as sent: path plus optional "?query", not yet decoded.
    public var target: String
    /// Header fields in arrival order; names as sent (compare case-insensitively).
    public var headers: [(name: String, value: String)]
    /// The body, or nil when there was none or it was larger than `bodyLimit` (then discarded).
    public var body: [UInt8]?
    /// True when the client sent more body bytes than the server keeps.
    public var bodyTooLarge: Bool
    /// The peer's IP address ("127.0.0.1"), or "" when unknown.
    public var remoteAddress: String

    public init(method: String, target: String, headers: [(name: String, value: String)] = [],
                body: [UInt8]? = nil, bodyTooLarge: Bool = false, remoteAddress: String = "") {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.bodyTooLarge = bodyTooLarge
        self.remoteAddress = remoteAddress
    }

    /// The first value of a header, matched case-insensitively.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    /// Bodies above this size are not kept (`request.body` is null for them, per the contract).
    public static let bodyLimit = 65_536
}
