/// What kind of object a `JSObject` is; decides exotic behaviour and `Object.prototype.toString`.
public enum ObjectKind: UInt8, Sendable {
    case ordinary
    case array
    case function
    case arguments
    case error
    case boolean
    case number
    case string
    case symbol
    case date
    case regExp
    case map
    case set
    /// Iterators made by builtins (array, string, map, set iterators).
    case iterator
    /// `AccessorPair`: the getter/setter stored in an accessor property's slot.
    case accessorPair
    /// An object made by the host (read-only views, bindings).
    case host
}

/// Per-object flags.
public struct ObjectFlags: OptionSet, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// New properties may be added.
    public static let extensible = ObjectFlags(rawValue: 1)
    /// Arrays: every element lives in the property table, not in `elements` (after an element got
    /// non-default attributes, or the array became very sparse).
    public static let sparseElements = ObjectFlags(rawValue: 2)
    /// Arrays: `length` is not writable.
    public static let lengthReadOnly = ObjectFlags(rawValue: 4)
    /// Class constructors throw when called without `new`.
    public static let classConstructor = ObjectFlags(rawValue: 8)
    /// Functions: may be used with `new`.
    public static let constructor = ObjectFlags(rawValue: 16)
    /// Derived class constructors: `this` is bound by `super()`.
    public static let derivedConstructor = ObjectFlags(rawValue: 32)
    /// Arguments objects whose elements alias parameters (sloppy functions with simple parameters).
    public static let mappedArguments = ObjectFlags(rawValue: 64)
}

/// A JavaScript object.
///
/// Named properties live in `slots`, laid out by `shape`. Arrays (and arguments objects) keep
/// their elements in `elements` (dense, `Value.hole` for holes); indices past `elements.count`
/// and non-default-attribute elements live in the shape as index keys.
open class JSObject: HeapCell {
    /// The hidden class. Read without reference counting: transition shapes are owned by the
    /// runtime's shape tree, dictionary shapes by `ownedShape`.
    public final var shape: Shape {
        @inline(__always) get { shapeRef }
        @inline(__always) set {
            shapeRef = newValue
            if newValue.isDictionary { ownedShape = newValue } else if ownedShape != nil { ownedShape = nil }
        }
    }
    @exclusivity(unchecked) @usableFromInline final unowned(unsafe) var shapeRef: Shape
    @exclusivity(unchecked) final var ownedShape: Shape?
    @exclusivity(unchecked) public final var slots: ContiguousArray<Value>
    @exclusivity(unchecked) public final unowned(unsafe) var prototype: JSObject?
    public final let kind: ObjectKind
    @exclusivity(unchecked) public final var flags: ObjectFlags
    @exclusivity(unchecked) public final var elements: ContiguousArray<Value> = []
    /// Arrays: the `length` property.
    @exclusivity(unchecked) public final var arrayLength: UInt32 = 0
    /// Wrapper objects and dates: the primitive value (`[[BooleanData]]`, `[[DateValue]]` …).
    /// Error objects: unused. Iterators: the iterated value.
    @exclusivity(unchecked) public final var primitiveValue: Value = .undefined
    /// Builtin-specific storage that holds values (Map/Set tables, RegExp programs, iterator state).
    @exclusivity(unchecked) public final var internalStorage: (any GCTraceable)?
    /// Iterators and similar: a small integer of builtin state (position, kind).
    @exclusivity(unchecked) public final var internalIndex: Int = 0

    init(shape: Shape, prototype: JSObject?, kind: ObjectKind, flags: ObjectFlags = [.extensible]) {
        self.shapeRef = shape
        if shape.isDictionary { ownedShape = shape }
        self.slots = []
        self.prototype = prototype
        self.kind = kind
        self.flags = flags
    }

    /// True for functions (callable objects are always `JSFunction`).
    public var isCallable: Bool { kind == .function }
    public final var isArray: Bool { kind == .array }
    public final var isExtensible: Bool { flags.contains(.extensible) }

    open override func visitChildren(_ marker: inout GCMarker) {
        marker.mark(prototype)
        for v in slots { marker.mark(v) }
        for v in elements { marker.mark(v) }
        marker.mark(primitiveValue)
        internalStorage?.trace(&marker)
    }
}

/// The value of an accessor property: a getter and a setter (either may be undefined).
public final class AccessorPair: JSObject {
    @exclusivity(unchecked) public var getter: Value = .undefined
    @exclusivity(unchecked) public var setter: Value = .undefined

    public override func visitChildren(_ marker: inout GCMarker) {
        marker.mark(getter)
        marker.mark(setter)
    }
}
