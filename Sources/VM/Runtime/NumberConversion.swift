/// Number ↔ string conversions with JavaScript's exact rules.
public enum NumberConversion {
    /// Number::toString(10): shortest round-trip digits, JS exponent rules.
    public static func toString(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d == 0 { return "0" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        if d < 0 { return "-" + toString(-d) }
        if d < 1e21, d == d.rounded(.towardZero), d < 9007199254740992 {
            return String(Int64(d))
        }
        let (digits, n) = shortestDigits(d)
        let k = digits.count
        if k <= n && n <= 21 {
            return digits + String(repeating: "0", count: n - k)
        }
        if 0 < n && n <= 21 {
            let i = digits.index(digits.startIndex, offsetBy: n)
            return String(digits[..<i]) + "." + String(digits[i...])
        }
        if -6 < n && n <= 0 {
            return "0." + String(repeating: "0", count: -n) + digits
        }
        let e = n - 1
        let expPart = e < 0 ? "e-\(-e)" : "e+\(e)"
        if k == 1 { return digits + expPart }
        return String(digits.first!) + "." + String(digits.dropFirst()) + expPart
    }

    /// The shortest decimal digits `s` and exponent `n` with value 0.s × 10^n (positive finite d).
    public static func shortestDigits(_ d: Double) -> (String, Int) {
        // Swift's description is the shortest round-trip representation.
        let text = d.description  // e.g. "1.2345e-07", "123.45", "1e+21"
        var mantissa = text
        var exp = 0
        if let eIdx = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(text[..<eIdx])
            exp = Int(text[text.index(after: eIdx)...]) ?? 0
        }
        var intPart = mantissa
        var fracPart = ""
        if let dot = mantissa.firstIndex(of: ".") {
            intPart = String(mantissa[..<dot])
            fracPart = String(mantissa[mantissa.index(after: dot)...])
        }
        var digits = intPart + fracPart
        var n = intPart.count + exp
        // Strip leading zeros.
        while digits.count > 1 && digits.first == "0" {
            digits.removeFirst()
            n -= 1
        }
        while digits.count > 1 && digits.last == "0" { digits.removeLast() }
        return (digits, n)
    }

    /// ToInt32.
    @inline(__always) public static func toInt32(_ d: Double) -> Int32 {
        if let i = Int32(exactly: d) { return i }
        return toInt32Slow(d)
    }

    @inline(never) static func toInt32Slow(_ d: Double) -> Int32 {
        if !d.isFinite { return 0 }
        let t = d.rounded(.towardZero)
        let m = t.truncatingRemainder(dividingBy: 4294967296.0)
        let u = m < 0 ? m + 4294967296.0 : m
        return Int32(bitPattern: UInt32(u))
    }

    static func isWhitespace(_ c: UInt16) -> Bool {
        switch c {
        case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
            return true
        case 0x2000...0x200A:
            return true
        default:
            return false
        }
    }

    /// StringToNumber (the `Number("…")` grammar).
    public static func stringToNumber<C: BidirectionalCollection>(_ units: C) -> Double where C.Element == UInt16, C.Index == Int {
        var start = units.startIndex
        var end = units.endIndex
        while start < end && isWhitespace(units[start]) { start += 1 }
        while end > start && isWhitespace(units[end - 1]) { end -= 1 }
        if start == end { return 0 }
        var ascii = ""
        ascii.reserveCapacity(end - start)
        for i in start..<end {
            let c = units[i]
            guard c < 128 else { return .nan }
            ascii.append(Character(UnicodeScalar(UInt8(c))))
        }
        return parseNumberLiteral(ascii)
    }

    /// Parses trimmed ASCII text by the StringNumericLiteral grammar.
    static func parseNumberLiteral(_ s: String) -> Double {
        let u = Array(s.utf8)
        if u.count > 2 && u[0] == 48 {
            let radix: Int?
            switch u[1] {
            case 120, 88: radix = 16
            case 111, 79: radix = 8
            case 98, 66: radix = 2
            default: radix = nil
            }
            if let radix {
                var v = 0.0
                for c in u[2...] {
                    guard let dv = digitValue(c), dv < radix else { return .nan }
                    v = v * Double(radix) + Double(dv)
                }
                return v
            }
        }
        var body = u[...]
        var sign = 1.0
        if let f = body.first, f == 43 || f == 45 {
            if f == 45 { sign = -1 }
            body = body.dropFirst()
        }
        if body.elementsEqual("Infinity".utf8) { return sign * .infinity }
        // Validate: digits [. digits] [e[+-]digits], at least one digit in mantissa.
        var i = body.startIndex
        var mantDigits = 0
        while i < body.endIndex, body[i] >= 48 && body[i] <= 57 { i += 1; mantDigits += 1 }
        if i < body.endIndex, body[i] == 46 {
            i += 1
            while i < body.endIndex, body[i] >= 48 && body[i] <= 57 { i += 1; mantDigits += 1 }
        }
        if mantDigits == 0 { return .nan }
        if i < body.endIndex, body[i] == 101 || body[i] == 69 {
            i += 1
            if i < body.endIndex, body[i] == 43 || body[i] == 45 { i += 1 }
            var expDigits = 0
            while i < body.endIndex, body[i] >= 48 && body[i] <= 57 { i += 1; expDigits += 1 }
            if expDigits == 0 { return .nan }
        }
        if i != body.endIndex { return .nan }
        guard let v = Double(String(decoding: body, as: UTF8.self)) else { return .nan }
        return sign * v
    }

    static func digitValue(_ c: UInt8) -> Int? {
        switch c {
        case 48...57: return Int(c - 48)
        case 97...122: return Int(c - 97 + 10)
        case 65...90: return Int(c - 65 + 10)
        default: return nil
        }
    }
}
