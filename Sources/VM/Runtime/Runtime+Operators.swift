// Slow paths of the operators the interpreter inlines for numbers.

extension Runtime {
    /// `a + b` for any values.
    public func add(_ a: Value, _ b: Value) throws(VMError) -> Value {
        if a.isNumber && b.isNumber { return Value(a.number + b.number) }
        if a.isString && b.isString { return try concatStrings(a, b) }
        if a.isString && b.isNumber { return try concatStringNumber(a, b.number, numberFirst: false) }
        if a.isNumber && b.isString { return try concatStringNumber(b, a.number, numberFirst: true) }
        let pa = try toPrimitive(a)
        let pb = try toPrimitive(b)
        if pa.isString || pb.isString {
            return Value(try concat(toJSString(pa), toJSString(pb)))
        }
        return Value(try toNumber(pa) + toNumber(pb))
    }

    /// `a + b` for two string values. The cells are read through guaranteed references: taking
    /// them as strong `JSString`s cost a retain and a release each, on the hottest string path.
    @inline(__always)
    func concatStrings(_ a: Value, _ b: Value) throws(VMError) -> Value {
        let result = Unmanaged<JSString>.fromOpaque(a.rawPointer)._withUnsafeGuaranteedRef { x in
            Unmanaged<JSString>.fromOpaque(b.rawPointer)._withUnsafeGuaranteedRef { y in
                Result { () throws(VMError) -> Value in try concatValue(x, y) }
            }
        }
        return try result.get()
    }

    /// `s + number` or `number + s` for a string value `s`, reading its cell as `concatStrings` does.
    @inline(__always)
    func concatStringNumber(_ s: Value, _ d: Double, numberFirst: Bool) throws(VMError) -> Value {
        let result = Unmanaged<JSString>.fromOpaque(s.rawPointer)._withUnsafeGuaranteedRef { x in
            Result { () throws(VMError) -> Value in try concat(x, number: d, numberFirst: numberFirst) }
        }
        return try result.get()
    }

    /// String concatenation, charged to the heap budget before allocating. Long results are
    /// ropes (flattened on first read), so `s += piece` loops stay linear.
    public func concat(_ a: JSString, _ b: JSString) throws(VMError) -> JSString {
        try concatValue(a, b).string
    }

    /// `concat` as a value: the new cell is referenced only by the heap, so making it costs no
    /// retain/release pair (this is the `s += piece` and `a + b` path).
    @inline(__always)
    func concatValue(_ a: JSString, _ b: JSString) throws(VMError) -> Value {
        if a.count == 0 { return Value(b) }
        if b.count == 0 { return Value(a) }
        let n = a.count + b.count
        if n > Runtime.maxStringLength { throw rangeError("Invalid string length") }
        if n >= Runtime.ropeThreshold {
            // A rope costs its header now and its flat copy when first read; refuse it now if that
            // copy could not fit, so flattening never allocates past the budget.
            if !heap.canAllocate(n &* 2) { throw VMError.terminated(.memory) }
            let bytes = Heap.cellHeaderBytes &+ 16
            try heap.charge(bytes)
            return heap.adopt(JSString(left: a, right: b, heap: heap), charged: bytes)
        }
        let bytes = Heap.cellHeaderBytes &+ n &* 2
        try heap.charge(bytes)
        if n <= JSString.inlineCapacity {
            return heap.adopt(JSString(inline: a.unitBuffer, b.unitBuffer), charged: bytes)
        }
        return heap.adopt(JSString(units: JSString.concatenatedUnits(a, b)), charged: bytes)
    }

    /// `s + String(d)` (or `String(d) + s`) without a cell for the number's text.
    func concat(_ s: JSString, number d: Double, numberFirst: Bool) throws(VMError) -> Value {
        try Runtime.withNumberUnits(d) { (digits) throws(VMError) -> Value in
            let n = s.count &+ digits.count
            // Short results first, even past the rope threshold: `'key' + n` is usually a
            // property key, and shortConcat finds its atom without allocating.
            if n <= Runtime.shortConcatUnits && !s.isRope {
                return try shortConcat(s, digits, numberFirst: numberFirst)
            }
            // Longer (past the rope threshold, which is not above `shortConcatUnits`): a rope.
            let t = try newString(copying: digits)
            return numberFirst ? try concatValue(t, s) : try concatValue(s, t)
        }
    }

    /// `s + digits` (or `digits + s`) for a short flat `s`: built on the stack and, when an atom
    /// with these contents exists, that atom is the result. Strings like `'key' + n` are usually
    /// made to be property keys, and a hash map keeps building the same ones: returning the atom
    /// costs no allocation (no cell, no buffer, no garbage to collect) and makes the key lookup
    /// that follows an identity check. The atom is returned as a value, without retaining it:
    /// its cell is usually cold, and the retain would be the one cache miss of this path.
    private func shortConcat(_ s: JSString, _ digits: UnsafeBufferPointer<UInt16>,
                             numberFirst: Bool) throws(VMError) -> Value {
        var buffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        return try withUnsafeMutableBytes(of: &buffer) { (raw) throws(VMError) -> Value in
            let p = raw.baseAddress!.assumingMemoryBound(to: UInt16.self)
            let n = s.count &+ digits.count
            let sp = s.unitBuffer
            let sAt = numberFirst ? p + digits.count : p
            let dAt = numberFirst ? p : p + sp.count
            if sp.count > 0 { sAt.update(from: sp.baseAddress!, count: sp.count) }
            dAt.update(from: digits.baseAddress!, count: digits.count)
            let units = UnsafeBufferPointer(start: UnsafePointer(p), count: n)
            let hash = JSString.hash(of: units)
            if let atom = atoms.findCell(units, hash: hash) {
                if JSString.parseArrayIndex(units) == nil { recentKeyAtom = atom }
                return Value(bits: Value.stringTag | UInt64(UInt(bitPattern: atom)))
            }
            let result = try newStringValue(copying: units)
            Unmanaged<JSString>.fromOpaque(result.rawPointer)._withUnsafeGuaranteedRef { $0.cachedHash = hash }
            return result
        }
    }

    /// Longest `string + number` result that `shortConcat` builds on the stack (its buffer holds 32).
    /// Must not be below `ropeThreshold`: `concat(_:number:numberFirst:)` builds ropes past it.
    static let shortConcatUnits = 32

    /// Concatenations at least this long build ropes instead of copying. A rope is one
    /// allocation and no copy, where a flat result is two allocations and a copy; strings built
    /// in steps (`s += piece`, `'<td>' + x + '</td>'`) are mostly read once complete, so only the
    /// last is flattened. Not lower: a rope kept unread holds its pieces, and strings of a few
    /// words kept in bulk (array elements, object fields) would then weigh about twice as much
    /// against the heap budget. Measured on string.js and template.js: 32 is ~10% faster than
    /// 128 and within noise of 13.
    static let ropeThreshold = 32

    /// Longest string a script may build (2^30 - 25 code units, like V8).
    public static let maxStringLength = (1 << 30) - 25

    /// Numeric binary operators other than `+` on any values.
    public func arithmetic(_ op: ArithmeticOperator, _ a: Value, _ b: Value) throws(VMError) -> Value {
        let x = try toNumber(a)
        let y = try toNumber(b)
        return Value(Runtime.apply(op, x, y))
    }

    public enum ArithmeticOperator {
        case subtract, multiply, divide, remainder, exponent
        case shiftLeft, shiftRight, unsignedShiftRight, bitAnd, bitOr, bitXor
    }

    @inline(__always)
    public static func apply(_ op: ArithmeticOperator, _ x: Double, _ y: Double) -> Double {
        switch op {
        case .subtract: return x - y
        case .multiply: return x * y
        case .divide: return x / y
        case .remainder: return jsRemainder(x, y)
        case .exponent: return jsPow(x, y)
        case .shiftLeft:
            return Double(NumberConversion.toInt32(x) << (UInt32(bitPattern: NumberConversion.toInt32(y)) & 31))
        case .shiftRight:
            return Double(NumberConversion.toInt32(x) >> (UInt32(bitPattern: NumberConversion.toInt32(y)) & 31))
        case .unsignedShiftRight:
            return Double(UInt32(bitPattern: NumberConversion.toInt32(x)) >> (UInt32(bitPattern: NumberConversion.toInt32(y)) & 31))
        case .bitAnd: return Double(NumberConversion.toInt32(x) & NumberConversion.toInt32(y))
        case .bitOr: return Double(NumberConversion.toInt32(x) | NumberConversion.toInt32(y))
        case .bitXor: return Double(NumberConversion.toInt32(x) ^ NumberConversion.toInt32(y))
        }
    }

    /// `%` with JavaScript semantics (sign of the dividend).
    @inline(__always) public static func jsRemainder(_ x: Double, _ y: Double) -> Double {
        if x >= 0 && y > 0 && x < 9007199254740992 && y < 9007199254740992 {
            let xi = Int64(x), yi = Int64(y)
            if Double(xi) == x && Double(yi) == y { return xi == 0 ? x : Double(xi % yi) }
        }
        return x.truncatingRemainder(dividingBy: y)
    }

    /// `**` with JavaScript semantics (`1 ** NaN` is NaN, `(-1) ** ±Infinity` is NaN).
    public static func jsPow(_ x: Double, _ y: Double) -> Double {
        if y.isNaN { return .nan }
        if y == 0 { return 1 }
        if (x == 1 || x == -1) && y.isInfinite { return .nan }
        return Foundation_pow(x, y)
    }

    /// Abstract relational comparison `a < b`: true, false, or nil for undefined (NaN).
    public func lessThan(_ a: Value, _ b: Value, leftFirst: Bool = true) throws(VMError) -> Bool? {
        let pa: Value, pb: Value
        if leftFirst {
            pa = try toPrimitive(a, hint: .number)
            pb = try toPrimitive(b, hint: .number)
        } else {
            pb = try toPrimitive(b, hint: .number)
            pa = try toPrimitive(a, hint: .number)
        }
        if pa.isString && pb.isString {
            return pa.string.unitBuffer.lexicographicallyPrecedes(pb.string.unitBuffer)
        }
        let x = try toNumber(pa)
        let y = try toNumber(pb)
        if x.isNaN || y.isNaN { return nil }
        return x < y
    }

    /// `a instanceof b`.
    public func instanceOf(_ a: Value, _ b: Value) throws(VMError) -> Bool {
        guard b.isObject else { throw typeError("Right-hand side of 'instanceof' is not an object") }
        if let h = try getMethod(b, PropertyKey(symbol: wellKnownSymbols.hasInstance)),
           h !== intrinsics[.functionHasInstance] {
            return toBoolean(try call(Value(h), this: b, arguments: [a]))
        }
        guard let f = b.asFunction else { throw typeError("Right-hand side of 'instanceof' is not callable") }
        return try ordinaryHasInstance(f, a)
    }

    /// OrdinaryHasInstance.
    public func ordinaryHasInstance(_ f: JSFunction, _ v: Value) throws(VMError) -> Bool {
        if let target = f.boundTarget { return try instanceOf(v, Value(target)) }
        guard v.isObject else { return false }
        let proto = try get(f, names.prototype)
        guard proto.isObject else { throw typeError("Function has non-object prototype in instanceof check") }
        var o = v.object.prototype
        while let cur = o {
            if cur === proto.object { return true }
            o = cur.prototype
        }
        return false
    }

    /// `key in obj`.
    public func hasPropertyOperator(_ key: Value, _ obj: Value) throws(VMError) -> Bool {
        guard obj.isObject else { throw typeError("Cannot use 'in' operator to search for a key in a non-object") }
        return hasProperty(obj.object, try toPropertyKey(key))
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func Foundation_pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) func Foundation_pow(_ x: Double, _ y: Double) -> Double { Darwin.pow(x, y) }
#elseif canImport(Musl)
import Musl
@inline(__always) func Foundation_pow(_ x: Double, _ y: Double) -> Double { Musl.pow(x, y) }
#endif
