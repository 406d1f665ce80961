import SluiceVM

/// The text checks of string schemas and the numeric-string coercion, on UTF-16 code units as
/// JavaScript sees strings.
enum SchemaTextFormats {
    /// JavaScript's WhiteSpace and LineTerminator code points (what `\s` and `trim()` match).
    static func isWhitespace(_ u: UInt16) -> Bool {
        switch u {
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
            return true
        default:
            return false
        }
    }

    /// The number a numeric string denotes: optional surrounding whitespace, then a decimal literal
    /// (`42`, `-3.14`, `.5`, `1e3`). Nil for anything else, including `""`, hex and `Infinity`.
    static func decimalValue(_ units: ContiguousArray<UInt16>) -> Double? {
        var start = 0
        var end = units.count
        while start < end && isWhitespace(units[start]) { start += 1 }
        while end > start && isWhitespace(units[end - 1]) { end -= 1 }
        var i = start
        var integerValue = 0  // the common case, a short integer, needs no further parsing
        func digits() -> Int {
            let from = i
            while i < end, units[i] >= 0x30, units[i] <= 0x39 {
                integerValue = integerValue &* 10 &+ Int(units[i] - 0x30)
                i += 1
            }
            return i - from
        }
        var negative = false
        if i < end, units[i] == 0x2B || units[i] == 0x2D {  // + -
            negative = units[i] == 0x2D
            i += 1
        }
        let integerDigits = digits()
        var mantissaDigits = integerDigits
        var isInteger = true
        if i < end, units[i] == 0x2E {  // .
            i += 1
            isInteger = false
            mantissaDigits += digits()
        }
        guard mantissaDigits > 0 else { return nil }
        if i < end, units[i] == 0x65 || units[i] == 0x45 {  // e E
            i += 1
            isInteger = false
            if i < end, units[i] == 0x2B || units[i] == 0x2D { i += 1 }
            guard digits() > 0 else { return nil }
        }
        guard i == end else { return nil }
        if isInteger && integerDigits <= 15 {
            let d = Double(integerValue)
            return negative ? -d : d
        }
        // The literal is plain ASCII: let the C library round it correctly.
        var text = ""
        text.unicodeScalars.append(contentsOf: units[start..<end].map { Unicode.Scalar(UInt8($0)) })
        return Double(text)
    }

    /// `^[^\s@]+@[^\s@]+\.[^\s@]+$`: one `@` with text on both sides, no whitespace, and a dot in
    /// the domain with text on both sides of it.
    static func isEmail(_ units: ContiguousArray<UInt16>) -> Bool {
        var at: Int?
        for (i, u) in units.enumerated() {
            if isWhitespace(u) { return false }
            if u == 0x40 {
                if at != nil { return false }
                at = i
            }
        }
        guard let at, at > 0 else { return false }
        let domainStart = at + 1
        let domainEnd = units.count
        guard domainEnd - domainStart >= 3 else { return false }
        for i in (domainStart + 1)..<(domainEnd - 1) where units[i] == 0x2E { return true }
        return false
    }

    /// An absolute `http:` or `https:` URL with a host: `scheme://[user@]host[:port][/path][?query][#fragment]`,
    /// without whitespace or control characters.
    static func isHTTPURL(_ units: ContiguousArray<UInt16>) -> Bool {
        for u in units where u <= 0x20 || u == 0x7F || isWhitespace(u) { return false }
        let text = String(decoding: units, as: UTF16.self)
        let lower = text.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            rest = text.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            rest = text.dropFirst(7)
        } else {
            return false
        }
        var authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" && $0 != "\\" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host = authority
        var port: Substring = ""
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return false }
            host = authority[...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return false }
                port = after.dropFirst()
            }
            guard host.count > 2 else { return false }
        } else {
            if let colon = authority.firstIndex(of: ":") {
                host = authority[..<colon]
                port = authority[authority.index(after: colon)...]
            }
            guard !host.isEmpty, host.contains(where: { $0 != "." }) else { return false }
            let forbidden: Set<Character> = ["<", ">", "^", "|", "\"", "`", "{", "}", "[", "]"]
            guard !host.contains(where: { forbidden.contains($0) }) else { return false }
        }
        if !port.isEmpty {
            guard port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }), Int(port)! <= 65535 else {
                return false
            }
        }
        return true
    }

    /// Already lowercase: lowercasing would not change it.
    static func isLowercase(_ s: JSString) -> Bool {
        let text = s.swiftString
        return text.lowercased() == text
    }
}
