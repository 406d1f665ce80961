// Type conversions (ECMAScript §7.1) and the comparisons built on them.

extension Runtime {
    // MARK: ToBoolean / typeof

    @inline(__always) public func toBoolean(_ v: Value) -> Bool {
        if v.isNumber { let d = v.number; return !(d == 0 || d.isNaN) }
        if v.bits == Value.true.bits { return true }
        if v.isString { return v.string.count != 0 }
        if v.isObject || v.isSymbol { return true }
        return false
    }

    public func typeofString(_ v: Value) -> String {
        if v.isNumber { return "number" }
        if v.isString { return "string" }
        if v.isBoolean { return "boolean" }
        if v.isUndefined { return "undefined" }
        if v.isNull { return "object" }
        if v.isSymbol { return "symbol" }
        return v.object.isCallable ? "function" : "object"
    }

    // MARK: ToPrimitive

    public enum PrimitiveHint { case `default`, number, string }

    public func toPrimitive(_ v: Value, hint: PrimitiveHint = .default) throws(VMError) -> Value {
        guard v.isObject else { return v }
        let o = v.object
        if let exotic = try getMethod(v, PropertyKey(symbol: wellKnownSymbols.toPrimitive)) {
            let h: String = hint == .string ? "string" : hint == .number ? "number" : "default"
            let r = try call(Value(exotic), this: v, arguments: [Value(try newString(h))])
            if r.isObject { throw typeError("Cannot convert object to primitive value") }
            return r
        }
        let order: [PropertyKey] = hint == .string ? [names.toString, names.valueOf] : [names.valueOf, names.toString]
        for k in order {
            let f = try get(o, k, receiver: v)
            if f.asFunction != nil {
                let r = try call(f, this: v, arguments: [])
                if !r.isObject { return r }
            }
        }
        throw typeError("Cannot convert object to primitive value")
    }

    // MARK: ToNumber

    @inline(__always) public func toNumber(_ v: Value) throws(VMError) -> Double {
        if v.isNumber { return v.number }
        return try toNumberSlow(v)
    }

    @inline(never) func toNumberSlow(_ v: Value) throws(VMError) -> Double {
        if v.isUndefined { return .nan }
        if v.isNull { return 0 }
        if v.isBoolean { return v.boolean ? 1 : 0 }
        if v.isString { return NumberConversion.stringToNumber(v.string.unitBuffer) }
        if v.isSymbol { throw typeError("Cannot convert a Symbol value to a number") }
        return try toNumber(toPrimitive(v, hint: .number))
    }

    /// ToNumeric then ToInt32.
    @inline(__always) public func toInt32(_ v: Value) throws(VMError) -> Int32 {
        if v.isNumber { return NumberConversion.toInt32(v.number) }
        return NumberConversion.toInt32(try toNumberSlow(v))
    }

    @inline(__always) public func toUint32(_ v: Value) throws(VMError) -> UInt32 {
        UInt32(bitPattern: try toInt32(v))
    }

    /// ToIntegerOrInfinity.
    public func toIntegerOrInfinity(_ v: Value) throws(VMError) -> Double {
        let d = try toNumber(v)
        if d.isNaN { return 0 }
        if d.isInfinite { return d }
        return d.rounded(.towardZero) + 0 // +0 turns -0 into +0
    }

    /// ToLength (0 … 2^53-1).
    public func toLength(_ v: Value) throws(VMError) -> Int {
        let d = try toIntegerOrInfinity(v)
        if d <= 0 { return 0 }
        return d >= 9007199254740991 ? 9007199254740991 : Int(d)
    }

    /// A relative index argument (`slice(start)`): clamps to 0…length.
    public func relativeIndex(_ v: Value, length: Int, defaultValue: Int) throws(VMError) -> Int {
        if v.isUndefined { return defaultValue }
        let d = try toIntegerOrInfinity(v)
        if d < 0 { return d == -.infinity ? 0 : max(0, length + Int(max(d, -9.0e15))) }
        return d >= Double(length) ? length : Int(d)
    }

    // MARK: ToString

    public func toJSString(_ v: Value) throws(VMError) -> JSString {
        if v.isString { return v.string }
        if v.isNumber { return try numberToJSString(v.number) }
        if v.isUndefined { return names.undefined.atom }
        if v.isNull { return names.null.atom }
        if v.isBoolean { return v.boolean ? names.true.atom : names.false.atom }
        if v.isSymbol { throw typeError("Cannot convert a Symbol value to a string") }
        return try toJSString(toPrimitive(v, hint: .string))
    }

    /// ToString as a Swift string (for messages and the host).
    public func toSwiftString(_ v: Value) throws(VMError) -> String {
        try toJSString(v).swiftString
    }

    public func numberToJSString(_ d: Double) throws(VMError) -> JSString {
        if d >= 0 && d < 10 && d == d.rounded(.towardZero) {
            return asciiCharacterStrings[48 &+ Int(d)]
        }
        return try Runtime.withNumberUnits(d) { (u) throws(VMError) -> JSString in try newString(copying: u) }
    }

    /// Number::toString(10) as UTF-16 code units.
    static func numberUnits(_ d: Double) throws(VMError) -> ContiguousArray<UInt16> {
        try withNumberUnits(d) { ContiguousArray($0) }
    }

    /// Calls `body` with Number::toString(10) as UTF-16 code units in a stack buffer (integers
    /// are written directly; other numbers go through the shortest round-trip formatter).
    @inline(__always)
    static func withNumberUnits<R>(_ d: Double, _ body: (UnsafeBufferPointer<UInt16>) throws(VMError) -> R) throws(VMError) -> R {
        var buf: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        return try withUnsafeMutableBytes(of: &buf) { (raw) throws(VMError) -> R in
            let p = raw.baseAddress!.assumingMemoryBound(to: UInt16.self)
            let capacity = 32
            var start = capacity
            if d > -2147483648 && d < 2147483648, let i = Int32(exactly: d) {
                var magnitude = UInt32(i.magnitude)
                repeat {
                    start &-= 1
                    p[start] = UInt16(48 &+ magnitude % 10)
                    magnitude /= 10
                } while magnitude > 0
                if i < 0 { start &-= 1; p[start] = 45 }
            } else {
                var n = 0
                NumberConversion.format(d) { c in p[n] = UInt16(c); n &+= 1 }
                start = 0
                return try body(UnsafeBufferPointer(start: p, count: n))
            }
            return try body(UnsafeBufferPointer(start: p + start, count: capacity &- start))
        }
    }

    /// ToPropertyKey.
    public func toPropertyKey(_ v: Value) throws(VMError) -> PropertyKey {
        if v.isNumber {
            let d = v.number
            if d >= 0 && d < 4294967295, let i = UInt32(exactly: d) { return PropertyKey(index: i) }
        }
        if v.isString { return key(stringValue: v) }
        if v.isSymbol { return PropertyKey(symbol: v.symbol) }
        let p = try toPrimitive(v, hint: .string)
        if p.isSymbol { return PropertyKey(symbol: p.symbol) }
        return key(try toJSString(p))
    }

    /// A one-code-unit string (cached as an atom for ASCII).
    public func singleCharacterString(_ unit: UInt16) throws(VMError) -> Value {
        if unit < 128 { return Value(asciiCharacterStrings[Int(unit)]) }
        var u = unit
        return Value(try newString(copying: UnsafeBufferPointer(start: &u, count: 1)))
    }

    var asciiCharacterStrings: [JSString] {
        if let cached = intrinsics?.asciiStrings { return cached }
        let list = (0..<128).map { intern(String(UnicodeScalar(UInt8($0)))) }
        intrinsics.asciiStrings = list
        return list
    }

    // MARK: ToObject

    public func toObject(_ v: Value) throws(VMError) -> JSObject {
        if v.isObject { return v.object }
        if v.isNullish { throw typeError("Cannot convert undefined or null to object") }
        let (kind, proto): (ObjectKind, JSObject) =
            v.isString ? (.string, intrinsics.stringPrototype)
            : v.isNumber ? (.number, intrinsics.numberPrototype)
            : v.isBoolean ? (.boolean, intrinsics.booleanPrototype)
            : (.symbol, intrinsics.symbolPrototype)
        let o = try newObject(kind: kind, prototype: proto)
        o.primitiveValue = v
        return o
    }

    // MARK: Equality

    /// SameValue (Object.is).
    public func sameValue(_ a: Value, _ b: Value) -> Bool {
        if a.isNumber && b.isNumber {
            let x = a.number, y = b.number
            if x.isNaN && y.isNaN { return true }
            return x == y && x.sign == y.sign
        }
        return strictEquals(a, b)
    }

    /// SameValueZero (includes, Map keys).
    public func sameValueZero(_ a: Value, _ b: Value) -> Bool {
        if a.isNumber && b.isNumber {
            let x = a.number, y = b.number
            return x == y || (x.isNaN && y.isNaN)
        }
        return strictEquals(a, b)
    }

    /// `===`
    @inline(__always) public func strictEquals(_ a: Value, _ b: Value) -> Bool {
        if a.isNumber && b.isNumber { return a.number == b.number }
        if a.bits == b.bits { return true }
        if a.isString && b.isString { return a.string.equals(b.string) }
        return false
    }

    /// `==`
    public func looseEquals(_ a: Value, _ b: Value) throws(VMError) -> Bool {
        if a.isNumber && b.isNumber { return a.number == b.number }
        if a.isString && b.isString { return a.string.equals(b.string) }
        if a.bits == b.bits { return true }
        if a.isNullish && b.isNullish { return true }
        if a.isNullish || b.isNullish { return false }
        if a.isNumber && b.isString { return a.number == (try toNumber(b)) }
        if a.isString && b.isNumber { return (try toNumber(a)) == b.number }
        if a.isBoolean { return try looseEquals(Value(a.boolean ? 1.0 : 0.0), b) }
        if b.isBoolean { return try looseEquals(a, Value(b.boolean ? 1.0 : 0.0)) }
        if (a.isNumber || a.isString || a.isSymbol) && b.isObject { return try looseEquals(a, toPrimitive(b)) }
        if a.isObject && (b.isNumber || b.isString || b.isSymbol) { return try looseEquals(toPrimitive(a), b) }
        return false
    }
}
