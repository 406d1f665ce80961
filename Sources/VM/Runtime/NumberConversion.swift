/// Number ↔ string conversions with JavaScript's exact rules.
public enum NumberConversion {
    /// Number::toString(10): shortest round-trip digits, JS exponent rules.
    public static func toString(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d == 0 { return "0" }
        if d < 1e21, d > -1e21, d == d.rounded(.towardZero), Swift.abs(d) < 9007199254740992 {
            return String(Int64(d))
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(26)
        format(d) { bytes.append($0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes Number::toString(d) as ASCII bytes through `emit` (no intermediate strings).
    @inline(__always)
    static func format(_ d: Double, _ emit: (UInt8) -> Void) {
        if d.isNaN { for c in "NaN".utf8 { emit(c) }; return }
        if d == 0 { emit(48); return }
        var v = d
        if v < 0 { emit(45); v = -v }
        if v.isInfinite { for c in "Infinity".utf8 { emit(c) }; return }
        if v < 9007199254740992 && v == v.rounded(.towardZero) {
            emitInteger(UInt64(v), emit)
            return
        }
        if emitShortDecimal(v, emit) { return }
        withShortestDigits(v) { digits, n in
            let k = digits.count
            if k <= n && n <= 21 {
                for c in digits { emit(c) }
                for _ in 0..<(n - k) { emit(48) }
            } else if 0 < n && n <= 21 {
                for i in 0..<n { emit(digits[i]) }
                emit(46)
                for i in n..<k { emit(digits[i]) }
            } else if -6 < n && n <= 0 {
                emit(48); emit(46)
                for _ in 0..<(-n) { emit(48) }
                for c in digits { emit(c) }
            } else {
                emit(digits[0])
                if k > 1 {
                    emit(46)
                    for i in 1..<k { emit(digits[i]) }
                }
                emit(101)
                let e = n - 1
                emit(e < 0 ? 45 : 43)
                emitInteger(UInt64(Swift.abs(e)), emit)
            }
        }
    }

    @inline(__always)
    static func emitInteger(_ value: UInt64, _ emit: (UInt8) -> Void) {
        var v = value
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: enough for 20 digits
        withUnsafeMutableBytes(of: &tmp) { raw in
            var n = 0
            repeat {
                raw[n] = UInt8(48 + v % 10)
                v /= 10
                n += 1
            } while v > 0
            while n > 0 { n -= 1; emit(raw[n]) }
        }
    }

    /// Positive finite non-integers with few decimals (12.25, 0.5, 19.99): writes them as
    /// integer "." fraction without the general shortest-digits search and returns true, or
    /// returns false (writing nothing).
    ///
    /// For the smallest p with m = round(v·10ᵖ) and m / 10ᵖ == v (one correctly rounded division
    /// of exact operands), the decimal m·10⁻ᵖ rounds to v, so it round-trips; no shorter decimal
    /// does (it would have been found at a smaller p: with m < 2⁵⁰ the product's rounding error
    /// stays far below ½), and it is the only p-decimal one that does (ulp(v) < 10⁻ᵖ/4). That is
    /// exactly Number::toString's choice, and v ≥ 1e-6 keeps the result in fixed notation.
    @inline(__always)
    static func emitShortDecimal(_ v: Double, _ emit: (UInt8) -> Void) -> Bool {
        guard v >= 1e-6 && v < 1e15 else { return false }
        var p = 1
        while p <= 15 {
            let scale = decimalScales[p]
            let m = (v * scale).rounded()
            if m >= 1125899906842624 { return false }  // 2^50
            if m / scale == v {
                let im = UInt64(m)
                let ip = integerScales[p]
                emitInteger(im / ip, emit)
                emit(46)
                var frac = im % ip
                // p digits, leading zeros included.
                var tmp: (UInt64, UInt64) = (0, 0)  // 16 bytes: enough for 15 digits
                withUnsafeMutableBytes(of: &tmp) { raw in
                    var i = p
                    while i > 0 {
                        i -= 1
                        raw[i] = UInt8(48 + frac % 10)
                        frac /= 10
                    }
                    for j in 0..<p { emit(raw[j]) }
                }
                return true
            }
            p += 1
        }
        return false
    }

    static let decimalScales: [Double] = (0...15).map { e in
        var v = 1.0
        for _ in 0..<e { v *= 10 }
        return v
    }
    static let integerScales: [UInt64] = (0...15).map { e in
        var v: UInt64 = 1
        for _ in 0..<e { v *= 10 }
        return v
    }

    /// Calls `body` with the shortest round-trip decimal digits (ASCII) of positive finite `d` and
    /// the exponent n such that d = 0.digits × 10ⁿ.
    @inline(__always)
    static func withShortestDigits<R>(_ d: Double, _ body: (UnsafeBufferPointer<UInt8>, Int) -> R) -> R {
        // Swift's description is the shortest round-trip representation ("1.2345e-07", "123.45", "1e+21").
        var text = d.description
        return text.withUTF8 { utf8 in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buf in
                var k = 0
                var intDigits = 0
                var seenDot = false
                var exp = 0
                var expSign = 1
                var inExp = false
                for c in utf8 {
                    if inExp {
                        if c == 45 { expSign = -1 } else if c >= 48 && c <= 57 { exp = exp * 10 + Int(c - 48) }
                    } else if c >= 48 && c <= 57 {
                        if k < 32 { buf[k] = c; k += 1 }
                        if !seenDot { intDigits += 1 }
                    } else if c == 46 {
                        seenDot = true
                    } else if c == 101 || c == 69 {
                        inExp = true
                    }
                }
                var n = intDigits + expSign * exp
                var start = 0
                while start < k - 1 && buf[start] == 48 { start += 1; n -= 1 }
                while k - 1 > start && buf[k - 1] == 48 { k -= 1 }
                return body(UnsafeBufferPointer(rebasing: buf[start..<k]), n)
            }
        }
    }

    /// The shortest decimal digits `s` and exponent `n` with value 0.s × 10^n (positive finite d).
    public static func shortestDigits(_ d: Double) -> (String, Int) {
        withShortestDigits(d) { digits, n in (String(decoding: digits, as: UTF8.self), n) }
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

// MARK: - Exact decimal arithmetic (toFixed / toExponential / toPrecision) and radix conversion

extension NumberConversion {
    /// A small arbitrary-precision natural number (little-endian 32-bit limbs).
    struct BigNat {
        var limbs: [UInt32]

        init(_ v: UInt64) {
            limbs = [UInt32(truncatingIfNeeded: v), UInt32(truncatingIfNeeded: v >> 32)]
            trim()
        }

        mutating func trim() { while let l = limbs.last, l == 0 { limbs.removeLast() } }
        var isZero: Bool { limbs.isEmpty }

        mutating func multiply(by s: UInt32) {
            var carry: UInt64 = 0
            for i in limbs.indices {
                let p = UInt64(limbs[i]) &* UInt64(s) &+ carry
                limbs[i] = UInt32(truncatingIfNeeded: p)
                carry = p >> 32
            }
            if carry > 0 { limbs.append(UInt32(carry)) }
        }

        mutating func shiftLeft(_ bits: Int) {
            if isZero || bits == 0 { return }
            let words = bits / 32, rest = bits % 32
            if rest > 0 {
                var carry: UInt32 = 0
                for i in limbs.indices {
                    let v = limbs[i]
                    limbs[i] = (v << UInt32(rest)) | carry
                    carry = v >> UInt32(32 - rest)
                }
                if carry > 0 { limbs.append(carry) }
            }
            if words > 0 { limbs.insert(contentsOf: repeatElement(0, count: words), at: 0) }
        }

        /// Divides in place by `d`, returning the remainder.
        mutating func divide(by d: UInt32) -> UInt32 {
            var rem: UInt64 = 0
            var i = limbs.count - 1
            while i >= 0 {
                let cur = (rem << 32) | UInt64(limbs[i])
                limbs[i] = UInt32(cur / UInt64(d))
                rem = cur % UInt64(d)
                i -= 1
            }
            trim()
            return UInt32(rem)
        }

        /// Decimal digits (most significant first), "0" → [0].
        func decimalDigits() -> [UInt8] {
            if isZero { return [0] }
            var n = self
            var chunks: [UInt32] = []
            while !n.isZero { chunks.append(n.divide(by: 1_000_000_000)) }
            var out: [UInt8] = []
            out.reserveCapacity(chunks.count * 9)
            var first = true
            for c in chunks.reversed() {
                var buf = [UInt8](repeating: 0, count: 9)
                var v = c
                for j in stride(from: 8, through: 0, by: -1) { buf[j] = UInt8(v % 10); v /= 10 }
                if first {
                    var k = 0
                    while k < 8 && buf[k] == 0 { k += 1 }
                    out.append(contentsOf: buf[k...])
                    first = false
                } else {
                    out.append(contentsOf: buf)
                }
            }
            return out
        }
    }

    /// The exact decimal expansion of a positive finite double: digits without leading or trailing
    /// zeros and `n` such that the value is 0.d₁d₂… × 10ⁿ.
    static func exactDigits(_ d: Double) -> (digits: [UInt8], n: Int) {
        precondition(d > 0 && d.isFinite)
        var m = d.significandBitPattern
        var e: Int
        if d.isSubnormal {
            e = -1074
        } else {
            m |= 1 << 52
            e = Int(d.exponent) - 52
        }
        // Drop trailing zero bits to keep the numbers small.
        let tz = m.trailingZeroBitCount
        m >>= UInt64(tz)
        e += tz
        var big = BigNat(m)
        var digits: [UInt8]
        var n: Int
        if e >= 0 {
            big.shiftLeft(e)
            digits = big.decimalDigits()
            n = digits.count
        } else {
            // m × 2^e = m × 5^k / 10^k with k = -e.
            var k = -e
            let kk = k
            while k >= 13 { big.multiply(by: 1_220_703_125); k -= 13 }
            var p: UInt32 = 1
            while k > 0 { p *= 5; k -= 1 }
            if p > 1 { big.multiply(by: p) }
            digits = big.decimalDigits()
            n = digits.count - kk
        }
        while let last = digits.last, last == 0, digits.count > 1 { digits.removeLast() }
        return (digits, n)
    }

    /// The first `count` digits of `digits` (zero-padded), rounded half-up on the next digit.
    /// Returns the rounded digits and whether a carry added a leading digit (then `count + 1` digits).
    static func roundDigits(_ digits: [UInt8], count: Int) -> (digits: [UInt8], carried: Bool) {
        var out = [UInt8](repeating: 0, count: max(count, 0))
        for i in 0..<min(count, digits.count) { out[i] = digits[i] }
        let roundUp = count >= 0 && count < digits.count && digits[count] >= 5
        if !roundUp { return (out, false) }
        var i = count - 1
        while i >= 0 {
            if out[i] == 9 { out[i] = 0; i -= 1 } else { out[i] += 1; return (out, false) }
        }
        out.insert(1, at: 0)
        return (out, true)
    }

    static func digitString(_ digits: some Sequence<UInt8>) -> String {
        String(decoding: digits.map { $0 + 48 }, as: UTF8.self)
    }

    /// Number.prototype.toFixed for finite |x| < 1e21 and 0 ≤ f ≤ 100 (sign handled here).
    public static func toFixed(_ x: Double, fractionDigits f: Int) -> String {
        if x < 0 { return "-" + toFixed(-x, fractionDigits: f) }
        var intDigits: [UInt8]  // the integer n = round(x × 10^f)
        if x == 0 {
            intDigits = [0]
        } else {
            let (digits, n) = exactDigits(x)
            let p = n + f  // digits of x × 10^f before the point
            if p < 0 {
                intDigits = [0]
            } else {
                let (r, _) = roundDigits(digits, count: p)
                intDigits = r.isEmpty ? [0] : r
                while intDigits.count > 1 && intDigits[0] == 0 { intDigits.removeFirst() }
            }
        }
        if f == 0 { return digitString(intDigits) }
        if intDigits.count <= f {
            intDigits.insert(contentsOf: repeatElement(0, count: f + 1 - intDigits.count), at: 0)
        }
        let k = intDigits.count
        return digitString(intDigits[0..<(k - f)]) + "." + digitString(intDigits[(k - f)...])
    }

    /// Significant digits of positive finite x rounded to `count` digits, with the decimal exponent e
    /// (x ≈ d₁.d₂… × 10^e).
    static func significantDigits(_ x: Double, count: Int) -> ([UInt8], Int) {
        let (digits, n) = exactDigits(x)
        let (r, carried) = roundDigits(digits, count: count)
        if carried { return (Array(r.dropLast()), n) }
        return (r, n - 1)
    }

    static func exponentSuffix(_ e: Int) -> String { e < 0 ? "e-\(-e)" : "e+\(e)" }

    /// Number.prototype.toExponential for finite x; `fractionDigits` nil means "as many as needed".
    public static func toExponential(_ x: Double, fractionDigits: Int?) -> String {
        if x < 0 { return "-" + toExponential(-x, fractionDigits: fractionDigits) }
        var digits: [UInt8]
        var e: Int
        if x == 0 {
            digits = [UInt8](repeating: 0, count: (fractionDigits ?? 0) + 1)
            e = 0
        } else if let f = fractionDigits {
            (digits, e) = significantDigits(x, count: f + 1)
        } else {
            let (s, n) = shortestDigits(x)
            digits = s.utf8.map { $0 - 48 }
            e = n - 1
        }
        var out = digitString(digits[0..<1])
        if digits.count > 1 { out += "." + digitString(digits[1...]) }
        return out + exponentSuffix(e)
    }

    /// Number.prototype.toPrecision for finite x and 1 ≤ p ≤ 100.
    public static func toPrecision(_ x: Double, precision p: Int) -> String {
        if x < 0 { return "-" + toPrecision(-x, precision: p) }
        var digits: [UInt8]
        var e: Int
        if x == 0 {
            digits = [UInt8](repeating: 0, count: p)
            e = 0
        } else {
            (digits, e) = significantDigits(x, count: p)
        }
        if e < -6 || e >= p {
            var out = digitString(digits[0..<1])
            if p != 1 { out += "." + digitString(digits[1...]) }
            return out + exponentSuffix(e)
        }
        if e == p - 1 { return digitString(digits) }
        if e >= 0 { return digitString(digits[0...e]) + "." + digitString(digits[(e + 1)...]) }
        return "0." + String(repeating: "0", count: -(e + 1)) + digitString(digits)
    }

    /// Number::toString(radix) for radix 2…36 (V8's algorithm: digits up to the double's precision).
    public static func toString(_ value: Double, radix: Int) -> String {
        if radix == 10 || value.isNaN || value.isInfinite || value == 0 { return toString(value) }
        let chars = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)
        let negative = value < 0
        let v = negative ? -value : value
        var integer = v.rounded(.down)
        var fraction = v - integer
        var delta = 0.5 * (v.nextUp - v)
        delta = max(Double.leastNonzeroMagnitude, delta)
        var fracBuf: [UInt8] = []
        let r = Double(radix)
        if fraction >= delta {
            fracBuf.append(46)  // "."
            repeat {
                fraction *= r
                delta *= r
                let digit = Int(fraction)
                fracBuf.append(chars[digit])
                fraction -= Double(digit)
                if fraction > 0.5 || (fraction == 0.5 && (digit & 1) != 0) {
                    if fraction + delta > 1 {
                        // Round up, propagating the carry through written digits.
                        while true {
                            let c = fracBuf.removeLast()
                            if fracBuf.isEmpty {
                                // c was the "."
                                integer += 1
                                break
                            }
                            let dv = c > 57 ? Int(c) - 97 + 10 : Int(c) - 48
                            if dv + 1 < radix {
                                fracBuf.append(chars[dv + 1])
                                break
                            }
                        }
                        break
                    }
                }
            } while fraction >= delta
            if fracBuf.count == 1 { fracBuf.removeAll() }
        }
        var intBuf: [UInt8] = []
        // Digits below the double's precision are zeros.
        while integer / r >= 9007199254740992 {
            integer /= r
            intBuf.append(48)
        }
        repeat {
            let rem = integer.truncatingRemainder(dividingBy: r)
            intBuf.append(chars[Int(rem)])
            integer = (integer - rem) / r
        } while integer > 0
        var out: [UInt8] = []
        if negative { out.append(45) }
        out.append(contentsOf: intBuf.reversed())
        out.append(contentsOf: fracBuf)
        return String(decoding: out, as: UTF8.self)
    }

    /// Number.prototype.toLocaleString in the en-US style of Intl.NumberFormat's defaults: at most
    /// three fraction digits (rounded half away from zero) and "," grouping.
    public static func toLocaleString(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x < 0 ? "-∞" : "∞" }
        var out: [UInt8] = x.sign == .minus ? [45] : []
        if x == 0 { return String(decoding: out + [48], as: UTF8.self) }
        // ICU rounds the shortest round-trip decimal form (1.0005 → "1.001").
        let (s, n0) = shortestDigits(Swift.abs(x))
        var (digits, carried) = roundDigits(s.utf8.map { $0 - 48 }, count: n0 + 3)
        let n = carried ? n0 + 1 : n0
        while digits.count > max(n, 0), digits.last == 0 { digits.removeLast() }
        if digits.isEmpty || n + 3 <= 0 && digits.allSatisfy({ $0 == 0 }) {
            return String(decoding: out + [48], as: UTF8.self)
        }
        var intPart: [UInt8] = n > 0 ? Array(digits.prefix(n)) : [0]
        while intPart.count < n { intPart.append(0) }
        let frac: [UInt8] = n >= 0 ? Array(digits.dropFirst(n)) : Array(repeating: 0, count: -n) + digits
        for (i, d) in intPart.enumerated() {
            if i > 0 && (intPart.count - i) % 3 == 0 { out.append(44) }
            out.append(d + 48)
        }
        if !frac.isEmpty {
            out.append(46)
            out.append(contentsOf: frac.map { $0 + 48 })
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Appending to UTF-16 buffers

    /// Appends Number::toString(d) to a UTF-16 buffer (JSON, string building).
    public static func append(_ d: Double, to buf: inout ContiguousArray<UInt16>) {
        format(d) { buf.append(UInt16($0)) }
    }

    /// The most code units Number::toString writes ("-1.2345678901234567e-308" is 24).
    static let maxFormattedLength = 32

    /// Writes Number::toString(d) at `p` (room for `maxFormattedLength` units); returns the count.
    @inline(__always)
    static func write(_ d: Double, into p: UnsafeMutablePointer<UInt16>) -> Int {
        var n = 0
        format(d) { c in
            p[n] = UInt16(c)
            n &+= 1
        }
        return n
    }
}
