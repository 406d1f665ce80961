// The Math object (ECMAScript §21.3).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Math.random's generator: xorshift128+, one per runtime.
final class MathRandomState {
    var s0: UInt64
    var s1: UInt64

    init(seed: UInt64) {
        // splitmix64 to spread the seed over both words.
        var z = seed
        func next() -> UInt64 {
            z &+= 0x9E3779B97F4A7C15
            var x = z
            x = (x ^ (x >> 30)) &* 0xBF58476D1CE4E5B9
            x = (x ^ (x >> 27)) &* 0x94D049BB133111EB
            return x ^ (x >> 31)
        }
        s0 = next()
        s1 = next()
        if s0 == 0 && s1 == 0 { s1 = 1 }
    }

    /// A double in [0, 1).
    func nextDouble() -> Double {
        var x = s0
        let y = s1
        s0 = y
        x ^= x << 23
        x ^= x >> 17
        x ^= y ^ (y >> 26)
        s1 = x
        let r = (s0 &+ s1) >> 11
        return Double(r) * (1.0 / 9007199254740992.0)
    }
}

/// fdlibm's cbrt (as V8 uses): glibc's is not correctly rounded for exact cubes (cbrt(27) ≠ 3).
func fdlibmCbrt(_ x: Double) -> Double {
    let B1: UInt32 = 715094163, B2: UInt32 = 696219795
    let P0 = 1.87595182427177009643, P1 = -1.88497979543377169875, P2 = 1.621429720105354466140
    let P3 = -0.758397934778766047437, P4 = 0.145996192886612446982
    let bits = x.bitPattern
    var hx = UInt32(truncatingIfNeeded: bits >> 32)
    let low = UInt32(truncatingIfNeeded: bits)
    let sign = hx & 0x8000_0000
    hx ^= sign
    if hx >= 0x7FF0_0000 { return x + x }
    var t: Double
    if hx < 0x0010_0000 {
        if hx | low == 0 { return x }
        t = Double(bitPattern: UInt64(0x4350_0000) << 32) * x
        let high = UInt32(truncatingIfNeeded: t.bitPattern >> 32)
        t = Double(bitPattern: UInt64(sign | ((high & 0x7FFF_FFFF) / 3 + B2)) << 32)
    } else {
        t = Double(bitPattern: UInt64(sign | (hx / 3 + B1)) << 32)
    }
    var r = (t * t) * (t / x)
    t = t * ((P0 + r * (P1 + r * P2)) + ((r * r) * r) * (P3 + r * P4))
    t = Double(bitPattern: (t.bitPattern &+ 0x8000_0000) & 0xFFFF_FFFF_C000_0000)
    let s = t * t
    r = x / s
    let w = t + t
    r = (r - t) / (w + r)
    return t + t * r
}

extension Runtime {
    func installMathBuiltins() throws(VMError) {
        let math = try newObject()
        try defineGlobal("Math", Value(math))
        let constants: [(String, Double)] = [
            ("E", 2.718281828459045), ("LN10", 2.302585092994046), ("LN2", 0.6931471805599453),
            ("LOG10E", 0.4342944819032518), ("LOG2E", 1.4426950408889634), ("PI", Double.pi),
            ("SQRT1_2", 0.7071067811865476), ("SQRT2", 1.4142135623730951),
        ]
        for (name, v) in constants { try defineDataProperty(math, key(name), Value(v), []) }
        try defineDataProperty(math, PropertyKey(symbol: wellKnownSymbols.toStringTag), Value(intern("Math")),
                               [.configurable])

        func unary(_ name: String, _ f: @escaping (Double) -> Double) throws(VMError) {
            try defineMethod(math, name, 1) { rt, _, args throws(VMError) in
                let a = args[0]
                return Value(f(a.isNumber ? a.number : try rt.toNumber(a)))
            }
        }
        func binary(_ name: String, _ f: @escaping (Double, Double) -> Double) throws(VMError) {
            try defineMethod(math, name, 2) { rt, _, args throws(VMError) in
                let x = try rt.toNumber(args[0])
                let y = try rt.toNumber(args[1])
                return Value(f(x, y))
            }
        }

        try unary("abs") { Swift.abs($0) }
        try unary("acos") { acos($0) }
        try unary("acosh") { acosh($0) }
        try unary("asin") { asin($0) }
        try unary("asinh") { asinh($0) }
        try unary("atan") { atan($0) }
        try unary("atanh") { atanh($0) }
        try binary("atan2") { atan2($0, $1) }
        try unary("cbrt") { fdlibmCbrt($0) }
        try unary("ceil") { $0.rounded(.up) }
        try defineMethod(math, "clz32", 1) { rt, _, args throws(VMError) in
            Value(Double(try rt.toUint32(args[0]).leadingZeroBitCount))
        }
        try unary("cos") { cos($0) }
        try unary("cosh") { cosh($0) }
        try unary("exp") { exp($0) }
        try unary("expm1") { expm1($0) }
        try unary("floor") { $0.rounded(.down) }
        try unary("fround") { x in
            if x.isNaN { return .nan }
            return Double(Float(x))
        }
        try defineMethod(math, "hypot", 2) { rt, _, args throws(VMError) in
            var values: [Double] = []
            values.reserveCapacity(args.count)
            for i in 0..<args.count { values.append(try rt.toNumber(args[i])) }
            var sawNaN = false
            var largest = 0.0
            for v in values {
                if v.isInfinite { return Value(Double.infinity) }
                if v.isNaN { sawNaN = true }
                largest = Swift.max(largest, Swift.abs(v))
            }
            if sawNaN { return Value(Double.nan) }
            if largest == 0 { return Value(0.0) }
            if values.count == 2 { return Value(hypot(values[0], values[1])) }
            if values.count == 1 { return Value(Swift.abs(values[0])) }
            // Scale to avoid overflow/underflow; Kahan summation for accuracy.
            var sum = 0.0, comp = 0.0
            for v in values {
                let s = v / largest
                let y = s * s - comp
                let t = sum + y
                comp = (t - sum) - y
                sum = t
            }
            return Value(sqrt(sum) * largest)
        }
        try defineMethod(math, "imul", 2) { rt, _, args throws(VMError) in
            let a = try rt.toInt32(args[0])
            let b = try rt.toInt32(args[1])
            return Value(Double(a &* b))
        }
        try unary("log") { log($0) }
        try unary("log1p") { log1p($0) }
        try unary("log10") { log10($0) }
        try unary("log2") { log2($0) }
        try defineMethod(math, "max", 2) { rt, _, args throws(VMError) in
            var result = -Double.infinity
            var sawNaN = false
            for i in 0..<args.count {
                let a = args[i]
                let v = a.isNumber ? a.number : try rt.toNumber(a)
                if v.isNaN { sawNaN = true; continue }
                if v > result || (v == 0 && result == 0 && result.sign == .minus) { result = v }
            }
            return Value(sawNaN ? Double.nan : result)
        }
        try defineMethod(math, "min", 2) { rt, _, args throws(VMError) in
            var result = Double.infinity
            var sawNaN = false
            for i in 0..<args.count {
                let a = args[i]
                let v = a.isNumber ? a.number : try rt.toNumber(a)
                if v.isNaN { sawNaN = true; continue }
                if v < result || (v == 0 && result == 0 && v.sign == .minus) { result = v }
            }
            return Value(sawNaN ? Double.nan : result)
        }
        try binary("pow") { Runtime.jsPow($0, $1) }
        var seed = Runtime.monotonicNanos()
        seed ^= UInt64(UInt(bitPattern: ObjectIdentifier(self).hashValue)) &* 0x9E3779B97F4A7C15
        let random = MathRandomState(seed: seed)
        try defineMethod(math, "random", 0) { _, _, _ throws(VMError) in
            Value(random.nextDouble())
        }
        try unary("round") { x in
            if !x.isFinite || x == x.rounded(.towardZero) { return x }
            if x < 0 && x >= -0.5 { return -0.0 }
            let r = x.rounded(.down)
            return x - r >= 0.5 ? r + 1 : r
        }
        try unary("sign") { x in
            if x.isNaN || x == 0 { return x }
            return x > 0 ? 1 : -1
        }
        try unary("sin") { sin($0) }
        try unary("sinh") { sinh($0) }
        try unary("sqrt") { $0.squareRoot() }
        try unary("tan") { tan($0) }
        try unary("tanh") { tanh($0) }
        try unary("trunc") { $0.rounded(.towardZero) }
    }
}
