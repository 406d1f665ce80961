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
    /// Every header `init` reads, lower-case.
    static let readHeaders = visibleHeaders + ["cookie", "content-type"]

    public init(_ request: IncomingRequest) {
        method = request.method.uppercased()
        let target = request.target
        let pathPart: Substring
        if let q = PageRequest.queryMark(in: target) {
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
        var contentType: String?
        for h in request.headers {
            guard let name = ASCIIText.lowercased(h.name, ifOneOf: PageRequest.readHeaders) else { continue }
            if name == "cookie" {
                let pairs = PageRequest.parseCookies(h.value)
                if cookies.isEmpty { cookies = pairs } else { cookies.append(contentsOf: pairs) }
            } else if PageRequest.visibleHeaders.contains(name), !headers.contains(where: { $0.key == name }) {
                headers.append((name, h.value))
            }
            if name == "host", host.isEmpty { host = h.value }
            if contentType == nil, name == "content-type" { contentType = h.value }
        }
        ip = request.remoteAddress
        let agent = ASCIIText.lowercasedUTF8(headers.first { $0.key == "user-agent" }?.value ?? "")
        func has(_ word: StaticString) -> Bool { PageRequest.contains(agent, word) }
        isTablet = has("ipad") || has("tablet") || (has("android") && !has("mobile"))
        isMobile = !isTablet && (has("mobi") || has("iphone") || has("android"))
        body = PageRequest.parseBody(request, method: method, contentType: contentType)
    }

    /// Where the query starts: the first `Character` "?" of `target`. For ASCII (any target a
    /// client sends) that is the first "?" byte, found without walking characters.
    static func queryMark(in target: String) -> String.Index? {
        var text = target
        let offset: Int?? = text.withUTF8 { bytes in
            guard ASCIIText.isASCII(bytes) else { return nil }
            return .some(bytes.firstIndex(of: UInt8(ascii: "?")))
        }
        guard let offset else { return target.firstIndex(of: "?") }
        return offset.map { target.utf8.index(target.utf8.startIndex, offsetBy: $0) }
    }

    /// Whether ASCII `word` occurs in `bytes`.
    static func contains(_ bytes: [UInt8], _ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard n > 0, bytes.count >= n else { return false }
        let w = word.utf8Start
        var i = 0
        while i + n <= bytes.count {
            var j = 0
            while j < n && bytes[i + j] == w[j] { j += 1 }
            if j == n { return true }
            i += 1
        }
        return false
    }

    /// `a=1; b=2` → pairs (first one wins); values are percent-decoded, surrounding quotes dropped.
    static func parseCookies(_ header: String) -> [(key: String, value: String)] {
        var header = header
        return header.withUTF8 { parseCookies(bytes: $0) }
    }

    private static func parseCookies(bytes: UnsafeBufferPointer<UInt8>) -> [(key: String, value: String)] {
        var result: [(key: String, value: String)] = []
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: ";") { end += 1 }
            var a = start
            while a < end && (bytes[a] == 0x20 || bytes[a] == 0x09) { a += 1 }
            if let eq = bytes[a..<end].firstIndex(of: UInt8(ascii: "=")), eq > a {
                let name = String(decoding: bytes[a..<eq], as: UTF8.self)
                var v0 = eq + 1, v1 = end
                while v1 > v0 && (bytes[v1 - 1] == 0x20 || bytes[v1 - 1] == 0x09) { v1 -= 1 }
                if v1 - v0 >= 2 && bytes[v0] == UInt8(ascii: "\"") && bytes[v1 - 1] == UInt8(ascii: "\"") { v0 += 1; v1 -= 1 }
                if !result.contains(where: { $0.key == name }) {
                    let raw = String(decoding: bytes[v0..<v1], as: UTF8.self)
                    // (Decoding keeps every ASCII byte, so the bytes have a "%" when `raw` has.)
                    let escaped = bytes[v0..<v1].contains(UInt8(ascii: "%"))
                    result.append((name, escaped ? URLEncoding.decode(raw[...], plusIsSpace: false) : raw))
                }
            }
            start = end + 1
        }
        return result
    }

    /// JSON and form bodies on POST only, up to the 64 KiB rule; anything else is null.
    /// `contentType` is the request's first Content-Type header.
    static func parseBody(_ request: IncomingRequest, method: String, contentType: String?) -> ScriptValue {
        guard method == "POST", !request.bodyTooLarge, let bytes = request.body,
              bytes.count <= IncomingRequest.bodyLimit else { return .null }
        switch RequestBodyFormat(contentType: contentType) {
        case .json:
            guard let text = validUTF8Text(bytes) else { return .null }
            return (try? JSONText.parse(text)) ?? .null
        case .form:
            let text = String(decoding: bytes, as: UTF8.self)
            return .object(URLEncoding.parseQuery(text[...]).map { ScriptProperty($0.key, .string($0.value)) })
        case .unread:
            return .null
        }
    }

    /// `bytes` as text, or nil when they are not valid UTF-8. ASCII (nearly every JSON body) is
    /// valid as it is and takes the plain decoding, which is quicker than the validating one.
    static func validUTF8Text(_ bytes: [UInt8]) -> String? {
        let ascii = bytes.withUnsafeBufferPointer { ASCIIText.isASCII($0) }
        return ascii ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
    }
}
