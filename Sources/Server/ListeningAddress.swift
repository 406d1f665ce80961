/// Where a started ``HTTPServer`` accepts connections.
public struct ListeningAddress: Sendable, Hashable, CustomStringConvertible {
    /// The bound IP address, e.g. "127.0.0.1" or "::1".
    public var host: String
    /// The bound TCP port (the real one when the configuration asked for port 0).
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// The base URL to print for humans, e.g. "http://127.0.0.1:8080/".
    public var url: String {
        let bracketed = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "http://\(bracketed):\(self.port)/"
    }

    public var description: String { self.url }
}
