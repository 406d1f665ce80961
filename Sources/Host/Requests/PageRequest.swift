import SluiceVM

/// What a page's script sees of one HTTP request, parsed once from an `IncomingRequest`.
public struct PageRequest: Sendable {
    public var method: String
    /// Decoded path, always starting with "/".
    public var path: String
    public var query: [(key: String, value: String)]
    public var cookies: [(key: String, value: String)]
    /// The parsed body (`.null` for GET, other media types, oversized or unparseable bodies).
    public var body: ScriptValue
    /// Only the headers scripts may read, lower-case names.
    public var headers: [(key: String, value: String)]
    public var ip: String
    public var isMobile: Bool
    public var isTablet: Bool
    public var host: String

    /// The headers a script may see; the rest (proxy headers, tokens) stay hidden.
    static let visibleHeaders = ["user-agent", "referer", "accept-language", "host"]

    public init(_ request: IncomingRequest) {
        method = request.method.uppercased()
        let target = request.target
        let pathPart: Substring
        if let q = target.firstIndex(of: "?") {
            pathPart = target[..<q]
            query = URLEncoding.parseQuery(target[target.index(after: q)...])
        } else {
            pathPart = target[...]
            query = []
        }
        var decoded = URLEncoding.decode(pathPart, plusIsSpace: false)
        if !decoded.hasPrefix("/") { decoded = "/" + decoded }
        path = decoded
        cookies = []
        headers = []
        host = ""
        for h in request.headers {
            let name = h.name.lowercased()
            if name == "cookie" {
                cookies.append(contentsOf: PageRequest.parseCookies(h.value))
            } else if PageRequest.visibleHeaders.contains(name), !headers.contains(where: { $0.key == name }) {
                headers.append((name, h.value))
            }
            if name == "host", host.isEmpty { host = h.value }
        }
        ip = request.remoteAddress
        let agent = (headers.first { $0.key == "user-agent" }?.value ?? "").lowercased()
        isTablet = agent.contains("ipad") || agent.contains("tablet") || (agent.contains("android") && !agent.contains("mobile"))
        isMobile = !isTablet && (agent.contains("mobi") || agent.contains("iphone") || agent.contains("android"))
        body = PageRequest.parseBody(request, method: method)
    }

    /// `a=1; b=2` → pairs; values are percent-decoded when they look encoded.
    static func parseCookies(_ header: String) -> [(key: String, value: String)] {
        var result: [(key: String, value: String)] = []
        for part in header.split(separator: ";") {
            let trimmed = part.drop { $0 == " " }
            guard let eq = trimmed.firstIndex(of: "=") else { continue }
            let name = String(trimmed[..<eq])
            var value = trimmed[trimmed.index(after: eq)...]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            if name.isEmpty || result.contains(where: { $0.key == name }) { continue }
            result.append((name, URLEncoding.decode(value, plusIsSpace: false)))
        }
        return result
    }

    /// JSON and form bodies on POST only, up to the 64 KiB rule; anything else is null.
    static func parseBody(_ request: IncomingRequest, method: String) -> ScriptValue {
        guard method == "POST", !request.bodyTooLarge, let bytes = request.body,
              bytes.count <= IncomingRequest.bodyLimit else { return .null }
        let mediaType = (request.header("content-type") ?? "")
            .split(separator: ";").first.map { $0.trimmingSpaces.lowercased() } ?? ""
        switch mediaType {
        case "application/json":
            guard let text = String(validating: bytes, as: UTF8.self) else { return .null }
            return (try? JSONText.parse(text)) ?? .null
        case "application/x-www-form-urlencoded":
            let text = String(decoding: bytes, as: UTF8.self)
            return .object(URLEncoding.parseQuery(text[...]).map { ScriptProperty($0.key, .string($0.value)) })
        default:
            return .null
        }
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
