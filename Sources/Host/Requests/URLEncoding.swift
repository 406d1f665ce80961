/// Percent-decoding and query-string parsing as browsers send them.
public enum URLEncoding {
    /// Decodes %XX escapes (and `+` as space when `plusIsSpace`). Invalid escapes stay literal;
    /// invalid UTF-8 becomes U+FFFD.
    public static func decode(_ s: Substring, plusIsSpace: Bool) -> String {
        if !s.utf8.contains(where: { $0 == UInt8(ascii: "%") || ($0 == UInt8(ascii: "+") && plusIsSpace) }) { return String(s) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count)
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%"), it.count >= 2,
               let hi = hexValue(it[it.startIndex]), let lo = hexValue(it[it.startIndex + 1]) {
                bytes.append(hi << 4 | lo)
                it = it.dropFirst(2)
            } else if b == UInt8(ascii: "+") && plusIsSpace {
                bytes.append(0x20)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `a=1&b=two&a=3` → [("a","3"), ("b","two")]: first-seen order, last value wins.
    public static func parseQuery(_ query: Substring) -> [(key: String, value: String)] {
        var result: [(key: String, value: String)] = []
        var index: [String: Int] = [:]
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let key: String, value: String
            if let eq = part.firstIndex(of: "=") {
                key = decode(part[..<eq], plusIsSpace: true)
                value = decode(part[part.index(after: eq)...], plusIsSpace: true)
            } else {
                key = decode(part, plusIsSpace: true)
                value = ""
            }
            if key.isEmpty { continue }
            if let at = index[key] { result[at].value = value } else {
                index[key] = result.count
                result.append((key, value))
            }
        }
        return result
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
