/// A property key: an array index, an atom (interned `JSString`), or a symbol.
///
/// Atoms compare by identity, so a key is one machine word and hashes by its bits.
public struct PropertyKey: Hashable, @unchecked Sendable {
    /// index: (index << 2) | 1; atom: pointer; symbol: pointer | 2. Cell pointers are 16-aligned.
    public let raw: UInt64

    @inline(__always) init(raw: UInt64) { self.raw = raw }

    @inline(__always) public init(index: UInt32) { raw = (UInt64(index) << 2) | 1 }
    /// `atom` must be an interned string (`Runtime.intern`).
    @inline(__always) init(atom: JSString) {
        raw = UInt64(UInt(bitPattern: Unmanaged.passUnretained(atom).toOpaque()))
    }
    @inline(__always) public init(symbol: JSSymbol) {
        raw = UInt64(UInt(bitPattern: Unmanaged.passUnretained(symbol).toOpaque())) | 2
    }

    @inline(__always) public var isIndex: Bool { raw & 1 != 0 }
    @inline(__always) public var isSymbol: Bool { raw & 3 == 2 }
    @inline(__always) public var isString: Bool { raw & 3 == 0 }
    @inline(__always) public var index: UInt32 { UInt32(truncatingIfNeeded: raw >> 2) }
    /// The atom of a string key (check `isString` first).
    @inline(__always) public var atom: JSString {
        Unmanaged<JSString>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(raw)).unsafelyUnwrapped).takeUnretainedValue()
    }
    @inline(__always) public var symbol: JSSymbol {
        Unmanaged<JSSymbol>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(raw & ~3)).unsafelyUnwrapped).takeUnretainedValue()
    }

    /// A marker for deleted entries in dictionary-mode shapes; never a real key.
    static let tombstone = PropertyKey(raw: 3)

    public func hash(into hasher: inout Hasher) { hasher.combine(raw) }
}

/// Property attributes, as the low bits of a byte.
public struct PropertyAttributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let writable = PropertyAttributes(rawValue: 1)
    public static let enumerable = PropertyAttributes(rawValue: 2)
    public static let configurable = PropertyAttributes(rawValue: 4)
    /// The slot holds an `AccessorPair` object value (getter/setter) instead of a data value.
    public static let accessor = PropertyAttributes(rawValue: 8)

    /// writable, enumerable, configurable: what assignment creates.
    public static let normal: PropertyAttributes = [.writable, .enumerable, .configurable]
    /// writable, configurable, not enumerable: how builtin methods are installed.
    public static let hidden: PropertyAttributes = [.writable, .configurable]
}

/// A complete or partial property descriptor (`Object.defineProperty`'s argument and result).
public struct PropertyDescriptor {
    public var value: Value?
    public var `get`: Value?
    public var `set`: Value?
    public var writable: Bool?
    public var enumerable: Bool?
    public var configurable: Bool?

    public init(value: Value? = nil, get: Value? = nil, set: Value? = nil,
                writable: Bool? = nil, enumerable: Bool? = nil, configurable: Bool? = nil) {
        self.value = value
        self.get = get
        self.set = set
        self.writable = writable
        self.enumerable = enumerable
        self.configurable = configurable
    }

    public init(value: Value, attributes: PropertyAttributes) {
        self.value = value
        writable = attributes.contains(.writable)
        enumerable = attributes.contains(.enumerable)
        configurable = attributes.contains(.configurable)
    }

    public var isAccessor: Bool { self.get != nil || self.set != nil }
    public var isData: Bool { value != nil || writable != nil }
}
