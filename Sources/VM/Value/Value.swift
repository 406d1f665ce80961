// A JavaScript value in 64 bits (NaN-boxing).
//
// Registers, object slots and array elements hold `Value`s; they are plain bit patterns, so
// copying one never touches ARC. Heap values carry an unretained pointer to a `HeapCell` that the
// `Heap` keeps alive; the collector finds them by their tag.
//
// Layout (top 16 bits):
//   <= 0xFFF8           a Double (arithmetic NaN is 0x7FF8… or 0xFFF8…, both below the tags)
//   0xFFF9              specials: undefined 0, null 1, false 2, true 3, hole 4, uninitialized 5
//   0xFFFA              JSString pointer
//   0xFFFB              JSObject pointer (functions and arrays included)
//   0xFFFC              JSSymbol pointer
// Numbers are always doubles: measured, the int32 fast path costs more tag tests than it saves
// on this workload mix, and doubles keep every arithmetic opcode to two compares.

public struct Value: Equatable, Hashable, @unchecked Sendable {
    public var bits: UInt64

    @inline(__always) public init(bits: UInt64) { self.bits = bits }

    @usableFromInline static let tagShift: UInt64 = 48
    @usableFromInline static let firstTag: UInt64 = 0xFFF9 << 48
    @usableFromInline static let specialTag: UInt64 = 0xFFF9 << 48
    @usableFromInline static let stringTag: UInt64 = 0xFFFA << 48
    @usableFromInline static let objectTag: UInt64 = 0xFFFB << 48
    @usableFromInline static let symbolTag: UInt64 = 0xFFFC << 48
    @usableFromInline static let payloadMask: UInt64 = (1 << 48) - 1
    @usableFromInline static let tagMask: UInt64 = 0xFFFF << 48

    public static let undefined = Value(bits: specialTag | 0)
    public static let null = Value(bits: specialTag | 1)
    public static let `false` = Value(bits: specialTag | 2)
    public static let `true` = Value(bits: specialTag | 3)
    /// An array hole or a deleted slot; never visible to scripts.
    public static let hole = Value(bits: specialTag | 4)
    /// A `let`/`const`/`class` binding before its declaration runs (temporal dead zone).
    public static let uninitialized = Value(bits: specialTag | 5)

    @inline(__always) public init(_ d: Double) { bits = d.bitPattern }
    @inline(__always) public init(_ i: Int) { bits = Double(i).bitPattern }
    @inline(__always) public init(_ b: Bool) { bits = b ? Value.true.bits : Value.false.bits }
    @inline(__always) public init(_ s: JSString) {
        bits = Value.stringTag | UInt64(UInt(bitPattern: Unmanaged.passUnretained(s).toOpaque()))
    }
    @inline(__always) public init(_ o: JSObject) {
        bits = Value.objectTag | UInt64(UInt(bitPattern: Unmanaged.passUnretained(o).toOpaque()))
    }
    @inline(__always) public init(_ s: JSSymbol) {
        bits = Value.symbolTag | UInt64(UInt(bitPattern: Unmanaged.passUnretained(s).toOpaque()))
    }
    @inline(__always) public init(_ o: JSObject?) {
        if let o { self.init(o) } else { self = .null }
    }

    // MARK: Type tests

    @inline(__always) public var isNumber: Bool { bits < Value.firstTag }
    @inline(__always) public var isUndefined: Bool { bits == Value.undefined.bits }
    @inline(__always) public var isNull: Bool { bits == Value.null.bits }
    @inline(__always) public var isNullish: Bool { bits == Value.undefined.bits || bits == Value.null.bits }
    @inline(__always) public var isBoolean: Bool { bits == Value.true.bits || bits == Value.false.bits }
    @inline(__always) public var isString: Bool { bits & Value.tagMask == Value.stringTag }
    @inline(__always) public var isObject: Bool { bits & Value.tagMask == Value.objectTag }
    @inline(__always) public var isSymbol: Bool { bits & Value.tagMask == Value.symbolTag }
    @inline(__always) public var isHole: Bool { bits == Value.hole.bits }
    @inline(__always) public var isUninitialized: Bool { bits == Value.uninitialized.bits }
    /// True for heap values (string, object, symbol).
    @inline(__always) public var isCell: Bool { bits >= Value.stringTag }

    // MARK: Payloads (callers check the type first)

    @inline(__always) public var number: Double { Double(bitPattern: bits) }
    @inline(__always) public var boolean: Bool { bits == Value.true.bits }

    @inline(__always) var rawPointer: UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: UInt(bits & Value.payloadMask)).unsafelyUnwrapped
    }
    @inline(__always) public var string: JSString {
        Unmanaged<JSString>.fromOpaque(rawPointer).takeUnretainedValue()
    }
    @inline(__always) public var object: JSObject {
        Unmanaged<JSObject>.fromOpaque(rawPointer).takeUnretainedValue()
    }
    @inline(__always) public var symbol: JSSymbol {
        Unmanaged<JSSymbol>.fromOpaque(rawPointer).takeUnretainedValue()
    }
    /// The heap cell of a string, object or symbol value.
    @inline(__always) public var cell: HeapCell {
        Unmanaged<HeapCell>.fromOpaque(rawPointer).takeUnretainedValue()
    }

    @inline(__always) public var asObject: JSObject? { isObject ? object : nil }
    @inline(__always) public var asString: JSString? { isString ? string : nil }
    /// The object if this value is a callable object.
    @inline(__always) public var asFunction: JSFunction? {
        guard isObject else { return nil }
        let o = object
        return o.isCallable ? unsafeDowncast(o, to: JSFunction.self) : nil
    }
}

extension Value: CustomDebugStringConvertible {
    public var debugDescription: String {
        if isNumber { return "\(number)" }
        if isUndefined { return "undefined" }
        if isNull { return "null" }
        if isBoolean { return boolean ? "true" : "false" }
        if isHole { return "<hole>" }
        if isUninitialized { return "<uninitialized>" }
        if isString { return "\"\(string.swiftString)\"" }
        if isSymbol { return "Symbol(\(symbol.descriptionString ?? ""))" }
        return "<object \(object.kind)>"
    }
}
