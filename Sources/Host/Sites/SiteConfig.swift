import SluiceVM

/// A site's `site.json`: name, hosts, brand variables, CRM description and limits.
public struct SiteConfig: Sendable {
    public var name: String
    /// Host names (without port) this site answers when several sites are served.
    public var hosts: [String]
    /// Brand variables (`{{ var.x }}`), overridden per request by `setVariable`.
    public var variables: [ScriptProperty]
    /// The raw `crm` object, handed to the CRM layer (`.null` when absent).
    public var crm: ScriptValue
    /// Per-execution budgets; anything not given in the file keeps the contract's default.
    public var limits: Limits
    /// The whole file, for bindings that expose more of it (e.g. `brand`).
    public var raw: ScriptValue

    /// Reads a site.json text. Errors name the problem and its line:column (the caller adds the path).
    public init(jsonText: String) throws(SiteConfigError) {
        let root: ScriptValue
        do { root = try JSONText.parse(jsonText) } catch {
            let (line, column) = SiteConfig.position(ofByte: error.offset, in: jsonText)
            throw SiteConfigError(line: line, column: column, message: error.message)
        }
        guard case .object = root else { throw SiteConfigError(line: 1, column: 1, message: "site.json must hold a JSON object") }
        guard case .string(let name)? = root["name"], !name.isEmpty else {
            throw SiteConfig.error(at: ["name"], in: jsonText, "site.json needs a non-empty \"name\" string")
        }
        self.name = name
        self.raw = root
        switch root["hosts"] {
        case nil, .null?: hosts = []
        case .array(let items)?:
            hosts = []
            for item in items {
                guard case .string(let h) = item else { throw SiteConfig.error(at: ["hosts"], in: jsonText, "\"hosts\" must be an array of strings") }
                hosts.append(h.lowercased())
            }
        default: throw SiteConfig.error(at: ["hosts"], in: jsonText, "\"hosts\" must be an array of strings")
        }
        switch root["variables"] {
        case nil, .null?: variables = []
        case .object(let props)?: variables = props
        default: throw SiteConfig.error(at: ["variables"], in: jsonText, "\"variables\" must be an object")
        }
        crm = root["crm"] ?? .null
        var limits = Limits.pageDefaults
        limits.callDepth = 1_000
        if let l = root["limits"] {
            guard case .object = l else { throw SiteConfig.error(at: ["limits"], in: jsonText, "\"limits\" must be an object") }
            func positiveInt(_ key: String) throws(SiteConfigError) -> Int? {
                guard let v = l[key] else { return nil }
                guard case .number(let d) = v, d >= 1, d <= 1e15, d == d.rounded() else {
                    throw SiteConfig.error(at: ["limits", key], in: jsonText, "limits.\(key) must be a positive integer")
                }
                return Int(d)
            }
            if let n = try positiveInt("instructions") { limits.instructions = n }
            if let n = try positiveInt("memoryBytes") { limits.heapBytes = n }
            if let n = try positiveInt("wallClockMs") { limits.wallClockMilliseconds = n }
            if let n = try positiveInt("callDepth") { limits.callDepth = n }
        }
        self.limits = limits
    }
}

extension SiteConfig {
    /// An error placed at the member `keys` names (e.g. ["limits", "instructions"]): each key is
    /// looked for as `"key":` after the previous one, so the author is pointed at the offending
    /// line; 1:1 when a key is not found (a missing member).
    static func error(at keys: [String], in text: String, _ message: String) -> SiteConfigError {
        let bytes = Array(text.utf8)
        var from = 0
        var found: Int? = nil
        for key in keys {
            guard let at = memberOffset(key, in: bytes, from: from) else { break }
            found = at
            from = at + 1
        }
        let (line, column) = found.map { position(ofByte: $0, in: text) } ?? (1, 1)
        return SiteConfigError(line: line, column: column, message: message)
    }

    /// Byte offset of the first `"key"` at or after `from` that is followed by `:` (a member name,
    /// not a string value).
    private static func memberOffset(_ key: String, in bytes: [UInt8], from: Int) -> Int? {
        let needle = Array("\"\(key)\"".utf8)
        var i = from
        while i + needle.count <= bytes.count {
            if bytes[i..<(i + needle.count)].elementsEqual(needle) {
                var j = i + needle.count
                while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0A || bytes[j] == 0x0D { j += 1 }
                if j < bytes.count, bytes[j] == 0x3A { return i }
            }
            i += 1
        }
        return nil
    }

    /// 1-based line and column of a UTF-8 byte offset.
    static func position(ofByte offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for b in text.utf8.prefix(offset) {
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }
}

/// Why a site.json was refused.
public struct SiteConfigError: Error, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let message: String
    public var description: String { "\(line):\(column): \(message)" }
}
