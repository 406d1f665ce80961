import SluiceVM

/// Builds the frozen `request` object a page script reads from the request's `ScriptValue`
/// (`ContextBindings.requestValue`), with exactly what `Runtime.readOnlyValue(from:)` makes of it:
/// the same keys in the same order, values, attributes, non-extensible objects, deep-frozen
/// arrays, shapes and heap charges. It saves on what repeats from request to request:
/// - the top-level names are interned once; when a request has them in their usual order, that
///   alone shows they are distinct, so the repeated-key pass is skipped;
/// - the names inside `query`, `headers`, `cookies`, `body` and `route_params` are remembered
///   from the previous request by position (a page gets the same ones, in the same order, on
///   every request), so most need no atom lookup;
/// - an object whose names are all as remembered gets the shape its predecessor ended with in
///   one step (`Runtime.newObject(shape:values:)`) instead of a shape transition per property.
///
/// Anything else (another top level, arrays, deeper objects) takes the property-by-property
/// path. One builder per runtime (made with its bindings), used only while that runtime runs.
final class RequestObjectBuilder {
    /// The top-level properties in the order `ContextBindings.requestValue` makes them.
    static let topLevelNames = ["method", "path", "query", "body", "headers", "ip", "cookies",
                                "is_mobile", "is_tablet", "route_params"]
    /// How many names per object, and how long a name, are remembered.
    static let recentKeyLimit = 32
    static let recentNameBytesLimit = 64

    /// What an object at one place had last time: its names (ASCII) with their keys, in order,
    /// and the shape it ended with when every one of its names is remembered.
    private struct Layout {
        var names: [(name: String, key: PropertyKey)] = []
        var shape: Shape?
    }

    private let topLevelKeys: [PropertyKey]
    /// The key of `request.query` (the `query` global reads it).
    let queryKey: PropertyKey
    @exclusivity(unchecked) private var topLevelShape: Shape?
    /// Per top-level property: the layout its object had last time.
    @exclusivity(unchecked) private var recent: [Layout]

    init(runtime rt: Runtime) {
        topLevelKeys = RequestObjectBuilder.topLevelNames.map { rt.key($0) }
        queryKey = rt.key("query")
        recent = Array(repeating: Layout(), count: RequestObjectBuilder.topLevelNames.count)
    }

    /// The frozen object for `request`.
    func build(_ request: ScriptValue, in rt: Runtime) throws(VMError) -> Value {
        guard case .object(let props) = request, hasTopLevelNames(props) else { return try rt.readOnlyValue(from: request) }
        // Nothing here runs script code, so the collector cannot run: values held only in Swift
        // locals need no rooting.
        if let shape = topLevelShape {
            var values = ContiguousArray<Value>()
            values.reserveCapacity(props.count)
            for (i, p) in props.enumerated() { values.append(try value(p.value, in: rt, place: i)) }
            let o = try rt.newObject(shape: shape, values: values)
            rt.preventExtensions(o)
            return Value(o)
        }
        let o = try rt.newObject()
        o.slots.reserveCapacity(props.count)
        for (i, p) in props.enumerated() {
            try rt.defineDataProperty(o, topLevelKeys[i], try value(p.value, in: rt, place: i), [.enumerable])
        }
        if !o.shape.isDictionary { topLevelShape = o.shape }
        rt.preventExtensions(o)
        return Value(o)
    }

    private func hasTopLevelNames(_ props: [ScriptProperty]) -> Bool {
        guard props.count == RequestObjectBuilder.topLevelNames.count else { return false }
        for (p, name) in zip(props, RequestObjectBuilder.topLevelNames) where !RequestObjectBuilder.isSame(p.key, ascii: name) {
            return false
        }
        return true
    }

    /// Whether `name` has exactly the code units of the ASCII string `ascii`. (`==` alone is
    /// canonical equivalence, under which e.g. KELVIN SIGN equals "K"; such a non-ASCII twin of
    /// an ASCII string always has more UTF-8 bytes, so equal byte counts make `==` exact.)
    @inline(__always)
    static func isSame(_ name: String, ascii: String) -> Bool {
        name.utf8.count == ascii.utf8.count && name == ascii
    }

    /// `readOnlyValue(from: s)`; `place` is the top-level property `s` is the value of.
    private func value(_ s: ScriptValue, in rt: Runtime, place: Int?) throws(VMError) -> Value {
        switch s {
        case .string(let text): return try rt.string(text)
        case .object(let props): return try object(ScriptProperty.lastValuePerKey(props), in: rt, place: place)
        case .null: return .null
        case .bool(let b): return Value(b)
        case .number(let d): return Value(d)
        case .undefined: return .undefined
        case .array: return try rt.readOnlyValue(from: s)  // a deep-frozen copy
        }
    }

    /// `readOnlyValue` of an object with these (distinct) properties.
    private func object(_ props: [ScriptProperty], in rt: Runtime, place: Int?) throws(VMError) -> Value {
        if let place, let shape = recent[place].shape, hasRecentNames(props, place) {
            var values = ContiguousArray<Value>()
            values.reserveCapacity(props.count)
            for p in props { values.append(try value(p.value, in: rt, place: nil)) }
            let o = try rt.newObject(shape: shape, values: values)
            rt.preventExtensions(o)
            return Value(o)
        }
        // Until this object is built, `place` has no shape: its names change below.
        if let place { recent[place].shape = nil }
        let o = try rt.newObject()
        o.slots.reserveCapacity(props.count)
        var allRemembered = place != nil
        for (j, p) in props.enumerated() {
            let k: PropertyKey
            if let place {
                let (key, remembered) = self.key(p.key, in: rt, place: place, position: j)
                k = key
                allRemembered = allRemembered && remembered
            } else {
                k = rt.key(p.key)
            }
            try rt.defineDataProperty(o, k, try value(p.value, in: rt, place: nil), [.enumerable])
        }
        if let place {
            if recent[place].names.count > props.count { recent[place].names.removeLast(recent[place].names.count - props.count) }
            recent[place].shape = allRemembered && recent[place].names.count == props.count && !o.shape.isDictionary ? o.shape : nil
        }
        rt.preventExtensions(o)
        return Value(o)
    }

    /// Whether `props` has exactly the names remembered for `place`, in order.
    private func hasRecentNames(_ props: [ScriptProperty], _ place: Int) -> Bool {
        let names = recent[place].names
        guard names.count == props.count else { return false }
        for (p, remembered) in zip(props, names) where !RequestObjectBuilder.isSame(p.key, ascii: remembered.name) { return false }
        return true
    }

    /// `rt.key(name)`, from the names remembered for this position when it is the same name, and
    /// whether `name` is remembered there now. (Atoms live as long as the runtime, so a
    /// remembered key stays valid.)
    private func key(_ name: String, in rt: Runtime, place: Int, position: Int) -> (PropertyKey, Bool) {
        let count = recent[place].names.count
        if position < count, RequestObjectBuilder.isSame(name, ascii: recent[place].names[position].name) {
            return (recent[place].names[position].key, true)
        }
        let key = rt.key(name)
        guard name.utf8.count <= RequestObjectBuilder.recentNameBytesLimit, ASCIIText.isASCII(name) else { return (key, false) }
        if position < count {
            recent[place].names[position] = (name, key)
        } else if position == count, count < RequestObjectBuilder.recentKeyLimit {
            recent[place].names.append((name, key))
        } else {
            return (key, false)
        }
        return (key, true)
    }
}
