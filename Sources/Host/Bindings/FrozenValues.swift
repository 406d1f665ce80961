import SluiceVM

/// Deeply read-only runtime values for per-request host data (`request`, `query`), built frozen
/// from the start: each property is defined read-only and the object then made non-extensible.
/// That is what `Runtime.readOnlyValue` gives too, at a fraction of the cost (it builds ordinary
/// objects and freezes them afterwards, copying every shape into a dictionary).
enum FrozenValues {
    /// Properties of a frozen object: enumerable, neither writable nor configurable.
    static let attributes: PropertyAttributes = [.enumerable]

    static func make(_ rt: Runtime, _ s: ScriptValue) throws(VMError) -> Value {
        switch s {
        case .object(let props):
            // No script code runs while this is built, so nothing can collect the new objects.
            let o = try rt.newObject()
            for p in uniqueKeys(props) {
                try rt.defineDataProperty(o, rt.key(p.key), try make(rt, p.value), attributes)
            }
            rt.preventExtensions(o)
            return Value(o)
        case .array:
            return try rt.readOnlyValue(from: s)
        default:
            return try rt.value(from: s)
        }
    }

    /// `props` with each key once, where it first appears, holding its last value (as creating the
    /// properties one after another would leave them; a frozen property cannot be overwritten).
    static func uniqueKeys(_ props: [ScriptProperty]) -> [ScriptProperty] {
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
