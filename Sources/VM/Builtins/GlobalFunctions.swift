// The global value properties and functions: NaN, Infinity, undefined, parseInt, parseFloat,
// isNaN, isFinite and the URI functions.

extension Runtime {
    func installGlobalFunctions() throws(VMError) {
        try defineDataProperty(globalObject, key("NaN"), Value(Double.nan), [])
        try defineDataProperty(globalObject, key("Infinity"), Value(Double.infinity), [])
        try defineDataProperty(globalObject, key("undefined"), .undefined, [])

        let parseIntFn = try newNativeFunction(name: "parseInt", length: 2) { rt, _, args throws(VMError) in
            let s = try rt.toJSString(args[0])
            let radix = try rt.toInt32(args[1])
            try rt.charge(s.count / 16 + 1)
            return Value(Runtime.parseInt(s.units, radix: radix))
        }
        try defineGlobal("parseInt", Value(parseIntFn))
        intrinsics.extra["parseInt"] = parseIntFn
        let parseFloatFn = try newNativeFunction(name: "parseFloat", length: 1) { rt, _, args throws(VMError) in
            let s = try rt.toJSString(args[0])
            try rt.charge(s.count / 16 + 1)
            return Value(Runtime.parseFloat(s.units))
        }
        try defineGlobal("parseFloat", Value(parseFloatFn))
        intrinsics.extra["parseFloat"] = parseFloatFn
        let isNaNFn = try newNativeFunction(name: "isNaN", length: 1) { rt, _, args throws(VMError) in
            Value(try rt.toNumber(args[0]).isNaN)
        }
        try defineGlobal("isNaN", Value(isNaNFn))
        let isFiniteFn = try newNativeFunction(name: "isFinite", length: 1) { rt, _, args throws(VMError) in
            Value(try rt.toNumber(args[0]).isFinite)
        }
        try defineGlobal("isFinite", Value(isFiniteFn))

        let reservedAndHash = Array(";/?:@&=+$,#".utf16)
        let encodeURIFn = try newNativeFunction(name: "encodeURI", length: 1) { rt, _, args throws(VMError) in
            try rt.uriEncode(try rt.toJSString(args[0]), extraUnescaped: reservedAndHash)
        }
        try defineGlobal("encodeURI", Value(encodeURIFn))
        let encodeURIComponentFn = try newNativeFunction(name: "encodeURIComponent", length: 1) {
            rt, _, args throws(VMError) in
            try rt.uriEncode(try rt.toJSString(args[0]), extraUnescaped: [])
        }
        try defineGlobal("encodeURIComponent", Value(encodeURIComponentFn))
        let decodeURIFn = try newNativeFunction(name: "decodeURI", length: 1) { rt, _, args throws(VMError) in
            try rt.uriDecode(try rt.toJSString(args[0]), preserveEscapeSet: reservedAndHash)
        }
        try defineGlobal("decodeURI", Value(decodeURIFn))
        let decodeURIComponentFn = try newNativeFunction(name: "decodeURIComponent", length: 1) {
            rt, _, args throws(VMError) in
            try rt.uriDecode(try rt.toJSString(args[0]), preserveEscapeSet: [])
        }
        try defineGlobal("decodeURIComponent", Value(decodeURIComponentFn))
    }

    // MARK: parseInt / parseFloat

    /// The digit value of a code unit in radix 36, or nil.
    @inline(__always) static func radixDigit(_ c: UInt16) -> Int? {
        switch c {
        case 48...57: return Int(c) - 48
        case 97...122: return Int(c) - 97 + 10
        case 65...90: return Int(c) - 65 + 10
        default: return nil
        }
    }

    /// `parseInt(string, radix)` after the argument conversions.
    static func parseInt<C: RandomAccessCollection>(_ units: C, radix r: Int32) -> Double
    where C.Element == UInt16, C.Index == Int {
        var i = units.startIndex
        let end = units.endIndex
        while i < end && NumberConversion.isWhitespace(units[i]) { i += 1 }
        var sign = 1.0
        if i < end && (units[i] == 45 || units[i] == 43) {
            if units[i] == 45 { sign = -1 }
            i += 1
        }
        var radix = Int(r)
        var stripPrefix = true
        if radix != 0 {
            if radix < 2 || radix > 36 { return .nan }
            if radix != 16 { stripPrefix = false }
        } else {
            radix = 10
        }
        if stripPrefix && end - i >= 2 && units[i] == 48 && (units[i + 1] == 120 || units[i + 1] == 88) {
            i += 2
            radix = 16
        }
        let start = i
        while i < end, let d = radixDigit(units[i]), d < radix { i += 1 }
        if i == start { return .nan }
        let digits = units[start..<i]
        var value: Double
        if radix == 10 {
            // Decimal text converts with correct rounding.
            let text = String(decoding: digits.map { UInt8($0) }, as: UTF8.self)
            value = Double(text) ?? .nan
        } else if radix & (radix - 1) == 0 {
            value = parsePowerOfTwoRadix(digits, radix: radix)
        } else {
            value = 0
            for c in digits { value = value * Double(radix) + Double(radixDigit(c)!) }
        }
        return sign * value
    }

    /// Exact (round-half-even) conversion of digits in radix 2, 4, 8, 16 or 32.
    static func parsePowerOfTwoRadix<C: Collection>(_ digits: C, radix: Int) -> Double where C.Element == UInt16 {
        let bitsPerDigit = radix.trailingZeroBitCount
        // Collect the significant bits.
        var bits: [UInt8] = []
        for c in digits {
            let d = radixDigit(c)!
            var b = bitsPerDigit - 1
            while b >= 0 {
                let bit = UInt8((d >> b) & 1)
                if !(bits.isEmpty && bit == 0) { bits.append(bit) }
                b -= 1
            }
        }
        if bits.isEmpty { return 0 }
        if bits.count <= 53 {
            var v: UInt64 = 0
            for b in bits { v = v << 1 | UInt64(b) }
            return Double(v)
        }
        var mantissa: UInt64 = 0
        for b in bits[0..<53] { mantissa = mantissa << 1 | UInt64(b) }
        let roundBit = bits[53]
        let sticky = bits[54...].contains(1)
        if roundBit == 1 && (sticky || mantissa & 1 == 1) { mantissa += 1 }
        let exponent = bits.count - 53
        return Double(sign: .plus, exponent: exponent, significand: Double(mantissa))
    }

    /// `parseFloat(string)` after ToString.
    static func parseFloat<C: RandomAccessCollection>(_ units: C) -> Double where C.Element == UInt16, C.Index == Int {
        var i = units.startIndex
        let end = units.endIndex
        while i < end && NumberConversion.isWhitespace(units[i]) { i += 1 }
        let start = i
        var sign = 1.0
        if i < end && (units[i] == 45 || units[i] == 43) {
            if units[i] == 45 { sign = -1 }
            i += 1
        }
        let inf = Array("Infinity".utf16)
        if end - i >= inf.count && units[i..<(i + inf.count)].elementsEqual(inf) { return sign * .infinity }
        let mantStart = i
        var digits = 0
        while i < end && units[i] >= 48 && units[i] <= 57 { i += 1; digits += 1 }
        if i < end && units[i] == 46 {
            let save = i
            i += 1
            var frac = 0
            while i < end && units[i] >= 48 && units[i] <= 57 { i += 1; frac += 1 }
            digits += frac
            if digits == 0 { i = save }
        }
        if digits == 0 { return .nan }
        if i < end && (units[i] == 101 || units[i] == 69) {
            var j = i + 1
            if j < end && (units[j] == 43 || units[j] == 45) { j += 1 }
            let expStart = j
            while j < end && units[j] >= 48 && units[j] <= 57 { j += 1 }
            if j > expStart { i = j }
        }
        _ = start
        let text = String(decoding: units[mantStart..<i].map { UInt8($0) }, as: UTF8.self)
        let v = Double(text) ?? .nan
        return sign * v
    }

    // MARK: URI encoding

    private static let hexDigits: [UInt16] = Array("0123456789ABCDEF".utf16)

    @inline(__always) static func isAlwaysUnescaped(_ c: UInt16) -> Bool {
        switch c {
        case 48...57, 65...90, 97...122, 95: return true // ASCII word characters
        case 45, 46, 33, 126, 42, 39, 40, 41: return true // - . ! ~ * ' ( )
        default: return false
        }
    }

    /// Encode(string, extraUnescaped).
    func uriEncode(_ s: JSString, extraUnescaped: [UInt16]) throws(VMError) -> Value {
        let u = s.units
        let n = u.count
        try charge(n / 4 + 1)
        if !heap.canAllocate(n * 2 + Heap.cellHeaderBytes) { throw VMError.terminated(.memory) }
        var out = ContiguousArray<UInt16>()
        out.reserveCapacity(n)
        var k = 0
        func pct(_ b: UInt32) {
            out.append(37)
            out.append(Runtime.hexDigits[Int(b >> 4)])
            out.append(Runtime.hexDigits[Int(b & 15)])
        }
        while k < n {
            let c = u[k]
            if Runtime.isAlwaysUnescaped(c) || extraUnescaped.contains(c) {
                out.append(c)
                k += 1
                continue
            }
            var cp: UInt32
            if c >= 0xD800 && c <= 0xDBFF {
                guard k + 1 < n, u[k + 1] >= 0xDC00 && u[k + 1] <= 0xDFFF else { throw uriError("URI malformed") }
                cp = 0x10000 + ((UInt32(c) - 0xD800) << 10) + (UInt32(u[k + 1]) - 0xDC00)
                k += 2
            } else if c >= 0xDC00 && c <= 0xDFFF {
                throw uriError("URI malformed")
            } else {
                cp = UInt32(c)
                k += 1
            }
            if cp < 0x80 {
                pct(cp)
            } else if cp < 0x800 {
                pct(0xC0 | (cp >> 6)); pct(0x80 | (cp & 0x3F))
            } else if cp < 0x10000 {
                pct(0xE0 | (cp >> 12)); pct(0x80 | ((cp >> 6) & 0x3F)); pct(0x80 | (cp & 0x3F))
            } else {
                pct(0xF0 | (cp >> 18)); pct(0x80 | ((cp >> 12) & 0x3F))
                pct(0x80 | ((cp >> 6) & 0x3F)); pct(0x80 | (cp & 0x3F))
            }
            if out.count > Runtime.maxStringLength { throw rangeError("Invalid string length") }
        }
        if !heap.canAllocate(out.count * 2 + Heap.cellHeaderBytes) { throw VMError.terminated(.memory) }
        return Value(try newString(out))
    }

    /// Decode(string, preserveEscapeSet).
    func uriDecode(_ s: JSString, preserveEscapeSet: [UInt16]) throws(VMError) -> Value {
        let u = s.units
        let n = u.count
        try charge(n / 4 + 1)
        var out = ContiguousArray<UInt16>()
        out.reserveCapacity(n)
        func hexOctet(_ at: Int) -> UInt32? {
            guard at + 1 < n, let h = Runtime.radixDigit(u[at]), h < 16,
                  let l = Runtime.radixDigit(u[at + 1]), l < 16 else { return nil }
            return UInt32(h * 16 + l)
        }
        var k = 0
        while k < n {
            let c = u[k]
            if c != 37 {
                out.append(c)
                k += 1
                continue
            }
            let start = k
            if k + 3 > n { throw uriError("URI malformed") }
            guard let b = hexOctet(k + 1) else { throw uriError("URI malformed") }
            k += 2
            let leading = (~(UInt8(b)) ).leadingZeroBitCount
            if leading == 0 {
                let ch = UInt16(b)
                if preserveEscapeSet.contains(ch) {
                    out.append(contentsOf: u[start..<(start + 3)])
                } else {
                    out.append(ch)
                }
            } else {
                if leading == 1 || leading > 4 { throw uriError("URI malformed") }
                var cp: UInt32 = b & (0xFF >> UInt32(leading + 1))
                var valid = true
                var j = 1
                while j < leading {
                    k += 1
                    if k + 3 > n { throw uriError("URI malformed") }
                    if u[k] != 37 { throw uriError("URI malformed") }
                    guard let cb = hexOctet(k + 1) else { throw uriError("URI malformed") }
                    if cb & 0xC0 != 0x80 { valid = false }
                    cp = cp << 6 | (cb & 0x3F)
                    k += 2
                    j += 1
                }
                if !valid { throw uriError("URI malformed") }
                let minimum: UInt32 = leading == 2 ? 0x80 : leading == 3 ? 0x800 : 0x10000
                if cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) { throw uriError("URI malformed") }
                if cp >= 0x10000 {
                    let v = cp - 0x10000
                    out.append(UInt16(0xD800 + (v >> 10)))
                    out.append(UInt16(0xDC00 + (v & 0x3FF)))
                } else {
                    out.append(UInt16(cp))
                }
            }
            k += 1
        }
        return Value(try newString(out))
    }
}
