import SluiceVM

/// Builds the frozen `request` object a page script reads from the request's `ScriptValue`
/// (`ContextBindings.requestValue`), with exactly what `Runtime.readOnlyValue(from:)` makes of it:
/// the same keys in the same order, values, attributes, non-extensible objects, deep-frozen
/// arrays and heap charges. It goes through the same property operations and saves on what
/// repeats from request to request:
/// - the top-level names are interned once; when a request has them in their usual order, that
///   alone shows they are distinct, so the repeated-key pass is skipped;
/// - the names inside `query`, `headers`, `cookies`, `body` and `route_params` are remembered
///   from the previous request by position (a page gets the same ones, in the same order, on
///   every request), so most need no atom lookup;
/// - short ASCII strings are made in one allocation straight from their UTF-8.
///
/// Anything else (another top level, arrays) is left to `readOnlyValue`. One builder per runtime
/// (made with its bindings), used only while that runtime runs.
final class RequestObjectBuilder {
    /// The top-level properties in the order `ContextBindings.requestValue` makes them.
    static let topLevelNames = ["method", "path", "query", "body", "headers", "ip", "cookies",
                                "is_mobile", "is_tablet", "route_params"]
    /// How many names per nested object, and how long a name, are remembered.
    static let recentKeyLimit = 32
    static let recentNameBytesLimit = 64
    /// Strings up to this many UTF-8 bytes are widened on the stack.
    static let stackStringBytesLimit = 512

    private let topLevelKeys: [PropertyKey]
    /// The key of `request.query` (the `query` global reads it).
    let queryKey: PropertyKey
    /// Per top-level property: the (ASCII) names its object had last time, by position, with their keys.
    private var recentKeys: [[(name: String, key: PropertyKey)]]

    init(runtime rt: Runtime) {
        topLevelKeys = RequestObjectBuilder.topLevelNames.map { rt.key($0) }
        queryKey = rt.key("query")
        recentKeys = Array(repeating: [], count: RequestObjectBuilder.topLevelNames.count)
    }

    /// The frozen object for `request`.
    func build(_ request: ScriptValue, in rt: Runtime) throws(VMError) -> Value {
        guard case .object(let props) = request, hasTopLevelNames(props) else { return try rt.readOnlyValue(from: request) }
        // Nothing here runs script code, so the collector cannot run and nothing needs rooting.
        let o = try rt.newObject()
        o.slots.reserveCapacity(props.count)
        for (i, p) in props.enumerated() {
            try rt.defineDataProperty(o, topLevelKeys[i], try value(p.value, in: rt, recentSlot: i), [.enumerable])
        }
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

    private func value(_ s: ScriptValue, in rt: Runtime, recentSlot: Int?) throws(VMError) -> Value {
        switch s {
        case .string(let text): return try RequestObjectBuilder.string(text, in: rt)
        case .object(let props): return try object(props, in: rt, recentSlot: recentSlot)
        default: return try rt.readOnlyValue(from: s)  // arrays (deep-frozen) and the other scalars
        }
    }

    /// `readOnlyValue` of `.object(props)`: each key once, where it first appears, holding its last value.
    private func object(_ props: [ScriptProperty], in rt: Runtime, recentSlot: Int?) throws(VMError) -> Value {
        let o = try rt.newObject()
        o.slots.reserveCapacity(props.count)
        for (j, p) in ScriptProperty.lastValuePerKey(props).enumerated() {
            let k = recentSlot.map { key(p.key, in: rt, slot: $0, position: j) } ?? rt.key(p.key)
            try rt.defineDataProperty(o, k, try value(p.value, in: rt, recentSlot: nil), [.enumerable])
        }
        rt.preventExtensions(o)
        return Value(o)
    }

    /// `rt.key(name)`, from the names remembered for this position when it is the same name.
    /// (Atoms live as long as the runtime, so a remembered key stays valid.)
    private func key(_ name: String, in rt: Runtime, slot: Int, position: Int) -> PropertyKey {
        let count = recentKeys[slot].count
        if position < count, RequestObjectBuilder.isSame(name, ascii: recentKeys[slot][position].name) {
            return recentKeys[slot][position].key
        }
        let key = rt.key(name)
        if name.utf8.count <= RequestObjectBuilder.recentNameBytesLimit, ASCIIText.isASCII(name) {
            if position < count {
                recentKeys[slot][position] = (name, key)
            } else if position == count, count < RequestObjectBuilder.recentKeyLimit {
                recentKeys[slot].append((name, key))
            }
        }
        return key
    }

    /// A string value with `text`'s UTF-16 units (as `Runtime.value(from: .string(text))`).
    static func string(_ text: String, in rt: Runtime) throws(VMError) -> Value {
        var text = text
        let ascii = text.withUTF8 { bytes -> Result<Value, VMError>? in
            guard bytes.count <= stackStringBytesLimit else { return nil }
            return withUnsafeTemporaryAllocation(of: UInt16.self, capacity: bytes.count) { units -> Result<Value, VMError>? in
                var high: UInt8 = 0
                for i in 0..<bytes.count {
                    high |= bytes[i]
                    units[i] = UInt16(bytes[i])
                }
                guard high < 0x80 else { return nil }
                return Result { () throws(VMError) in Value(try rt.newString(copying: UnsafeBufferPointer(units))) }
            }
        }
        if let ascii { return try ascii.get() }
        return try rt.string(text)
    }
}
