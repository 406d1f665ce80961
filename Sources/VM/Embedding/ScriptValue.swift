/// A JavaScript value copied out of (or into) a runtime: JSON-like data that is safe to keep,
/// send between threads, and compare. Functions and symbols have no `ScriptValue` form.
public enum ScriptValue: Sendable, Equatable, CustomStringConvertible {
    case undefined
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([ScriptValue])
    /// Properties in the object's own enumerable order.
    case object([ScriptProperty])

    /// Looks up a property of an `.object`.
    public subscript(key: String) -> ScriptValue? {
        if case .object(let props) = self { return props.first { $0.key == key }?.value }
        return nil
    }

    public var description: String { jsonText }

    /// JSON text (undefined renders as `null` inside arrays and is skipped in objects, as JSON.stringify does).
    public var jsonText: String {
        switch self {
        case .undefined: return "undefined"
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let d): return d.isFinite ? NumberConversion.toString(d) : "null"
        case .string(let s): return ScriptValue.quote(s)
        case .array(let a): return "[" + a.map { $0 == .undefined ? "null" : $0.jsonText }.joined(separator: ",") + "]"
        case .object(let p):
            return "{" + p.filter { $0.value != .undefined }
                .map { ScriptValue.quote($0.key) + ":" + $0.value.jsonText }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

/// One property of a `ScriptValue.object`.
public struct ScriptProperty: Sendable, Equatable {
    public let key: String
    public let value: ScriptValue
    public init(_ key: String, _ value: ScriptValue) {
        self.key = key
        self.value = value
    }

    /// `props` with each key once, where it first appears, holding its last value: what creating
    /// the properties one after another leaves (and what JSON.parse makes of repeated keys).
    public static func lastValuePerKey(_ props: [ScriptProperty]) -> [ScriptProperty] {
        var hasDuplicates = false
        if props.count <= 16 {
            outer: for i in props.indices.dropFirst() {
                for j in 0..<i where props[j].key == props[i].key {
                    hasDuplicates = true
                    break outer
                }
            }
        } else {
            hasDuplicates = Set(props.map(\.key)).count != props.count
        }
        guard hasDuplicates else { return props }
        var at: [String: Int] = [:]
        var out: [ScriptProperty] = []
        for p in props {
            if let i = at[p.key] { out[i] = p } else {
                at[p.key] = out.count
                out.append(p)
            }
        }
        return out
    }
}

extension Runtime {
    /// Copies a value out of the runtime. Objects become `.object` with their own enumerable string
    /// properties (getters are not run), arrays `.array`, functions and symbols `.undefined`.
    /// Cycles and nesting deeper than `maxDepth` become `.null`.
    public func scriptValue(from v: Value, maxDepth: Int = 64) -> ScriptValue {
        var visiting = Set<ObjectIdentifier>()
        return convertOut(v, depth: maxDepth, visiting: &visiting)
    }

    private func convertOut(_ v: Value, depth: Int, visiting: inout Set<ObjectIdentifier>) -> ScriptValue {
        if v.isNumber { return .number(v.number) }
        if v.isString { return .string(v.string.swiftString) }
        if v.isBoolean { return .bool(v.boolean) }
        if v.isNull { return .null }
        if v.isUndefined || v.isSymbol || v.isHole { return .undefined }
        let o = v.object
        if o.isCallable { return .undefined }
        if depth <= 0 || visiting.contains(ObjectIdentifier(o)) { return .null }
        switch o.kind {
        case .number, .string, .boolean: return convertOut(o.primitiveValue, depth: depth, visiting: &visiting)
        default: break
        }
        visiting.insert(ObjectIdentifier(o))
        defer { visiting.remove(ObjectIdentifier(o)) }
        if o.kind == .array {
            var out: [ScriptValue] = []
            for i in 0..<Int(o.arrayLength) {
                let e = getOwnProperty(o, PropertyKey(index: UInt32(i)))?.value ?? .undefined
                out.append(convertOut(e, depth: depth - 1, visiting: &visiting))
            }
            return .array(out)
        }
        var props: [ScriptProperty] = []
        for k in ownEnumerableStringKeys(o) {
            guard let d = getOwnProperty(o, k), let value = d.value else { continue }
            props.append(ScriptProperty(describeKey(k), convertOut(value, depth: depth - 1, visiting: &visiting)))
        }
        return .object(props)
    }

    /// Makes a runtime value from a `ScriptValue` (new objects and arrays).
    public func value(from s: ScriptValue) throws(VMError) -> Value {
        switch s {
        case .undefined: return .undefined
        case .null: return .null
        case .bool(let b): return Value(b)
        case .number(let d): return Value(d)
        case .string(let str): return Value(try newString(str))
        case .array(let items):
            var values = ContiguousArray<Value>()
            values.reserveCapacity(items.count)
            let a = try newArray()
            let mark = pushTemporaryRoot(Value(a))
            defer { popTemporaryRoots(to: mark) }
            for item in items {
                let v = try value(from: item)
                temporaryRoots.append(v)
                values.append(v)
            }
            a.elements = values
            a.arrayLength = UInt32(values.count)
            return Value(a)
        case .object(let props):
            let o = try newObject()
            o.slots.reserveCapacity(props.count)
            let mark = pushTemporaryRoot(Value(o))
            defer { popTemporaryRoots(to: mark) }
            for p in props {
                try createDataProperty(o, key(p.key), try value(from: p.value))
            }
            return Value(o)
        }
    }

    /// Makes `s` deeply read-only (frozen objects and arrays), e.g. for host data like `request`.
    ///
    /// Objects are built frozen from the start (each property defined read-only, then the object
    /// made non-extensible): freezing a finished object would move it to a dictionary shape, and
    /// hosts build such values on every request.
    public func readOnlyValue(from s: ScriptValue) throws(VMError) -> Value {
        switch s {
        case .object(let props):
            let o = try newObject()
            o.slots.reserveCapacity(props.count)
            let mark = pushTemporaryRoot(Value(o))
            defer { popTemporaryRoots(to: mark) }
            for p in ScriptProperty.lastValuePerKey(props) {
                try defineDataProperty(o, key(p.key), try readOnlyValue(from: p.value), [.enumerable])
            }
            preventExtensions(o)
            return Value(o)
        case .array:
            let v = try value(from: s)
            try deepFreeze(v)
            return v
        default:
            return try value(from: s)
        }
    }

    /// A new ordinary object with `shape` holding `values`: the object that defining the shape's
    /// properties one by one on a new object makes (same layout, attributes, heap charge), in one
    /// step. `shape` must be a shared shape taken from such an object of this runtime, and
    /// `values` hold one value per slot; hosts that build many objects of one layout use it.
    public func newObject(shape: Shape, values: ContiguousArray<Value>) throws(VMError) -> JSObject {
        precondition(!shape.isDictionary && shape.slotCount == values.count, "newObject(shape:values:) takes a shared shape and a value per slot")
        let o = try newObject()
        try heap.charge(8 &* values.count, to: o)  // what `addProperty` charges per property
        o.shape = shape
        o.slots = values
        if shape.attributes.contains(where: { $0.contains(.accessor) || !$0.contains(.writable) }) { accessorEpoch &+= 1 }
        return o
    }

    private func deepFreeze(_ v: Value) throws(VMError) {
        guard v.isObject else { return }
        let o = v.object
        if !o.isExtensible { return }
        try setIntegrityLevel(o, frozen: true)
        for k in ownPropertyKeys(o) {
            if let d = getOwnProperty(o, k), let inner = d.value { try deepFreeze(inner) }
        }
    }
}
