import SluiceVM

/// Turns a script value into JSON-like data to store (CRM values, session values), with the
/// meaning `JSON.stringify` gives it: `toJSON` is honoured (a `Date` becomes its ISO string),
/// wrapper objects unwrap, functions and `undefined` inside objects are dropped.
///
/// Uses the engine's own `JSON.stringify` (`Runtime.jsonStringifiedText`), so a script that
/// replaces `JSON` does not change what is stored.
public enum StorableValueReader {
    /// The value as data, or nil when it is not storable: `null`, `undefined`, a function, a symbol,
    /// a non-finite number, a string longer than `maxStringLength` UTF-16 units, or an object whose
    /// JSON is longer than `maxJSONBytes` UTF-8 bytes or cannot be made (a cycle, a throwing `toJSON`).
    /// Budget exhaustion still propagates.
    public static func read(_ v: Value, in rt: Runtime, maxStringLength: Int,
                            maxJSONBytes: Int) throws(VMError) -> ScriptValue? {
        if v.isBoolean { return .bool(v.boolean) }
        if v.isNumber { return v.number.isFinite ? .number(v.number) : nil }
        if v.isString {
            guard v.string.count <= maxStringLength else { return nil }
            try rt.charge(v.string.count)
            return .string(v.string.swiftString)
        }
        guard v.isObject, !v.object.isCallable else { return nil }
        guard let text = try jsonText(v, in: rt, maxBytes: maxJSONBytes) else { return nil }
        try rt.charge(text.utf8.count)
        guard let parsed = try? JSONText.parse(text) else { return nil }
        switch parsed {
        case .string(let s): return s.utf16.count <= maxStringLength ? parsed : nil
        case .null, .undefined: return nil
        default: return parsed
        }
    }

    /// `JSON.stringify(v)` as Swift text, or nil (undefined result, thrown error, too long).
    public static func jsonText(_ v: Value, in rt: Runtime, maxBytes: Int) throws(VMError) -> String? {
        let text: String?
        do {
            text = try rt.jsonStringifiedText(v)
        } catch {
            if case .terminated = error { throw error }
            return nil  // a cycle, or a toJSON that throws: not storable
        }
        guard let text, text.utf8.count <= maxBytes else { return nil }
        return text
    }
}
