import SluiceVM

/// Turns a script value into JSON-like data to store (CRM values, session values), with the
/// meaning `JSON.stringify` gives it: `toJSON` is honoured (a `Date` becomes its ISO string),
/// wrapper objects unwrap, functions and `undefined` inside objects are dropped.
///
/// Uses the runtime's original `JSON.stringify`, captured by `prepare` before any script runs, so
/// a script that replaces `JSON` does not change what is stored.
public enum StorableValueReader {
    static let stringifyKey = IntrinsicSlot()

    /// Captures `JSON.stringify` (idempotent). Call while installing bindings, before scripts run.
    public static func prepare(_ rt: Runtime) throws(VMError) {
        guard rt.intrinsics[stringifyKey] == nil else { return }
        let json = try rt.get(rt.globalObject, rt.key("JSON"))
        let stringify = try rt.get(json, rt.key("stringify"))
        guard stringify.isObject, stringify.object.isCallable else {
            throw rt.typeError("JSON.stringify is not available")
        }
        rt.intrinsics[stringifyKey] = stringify.object
    }

    /// The runtime's original `JSON.stringify` (captured by `prepare`).
    static func originalStringify(_ rt: Runtime) throws(VMError) -> Value {
        try prepare(rt)
        guard let stringify = rt.intrinsics[stringifyKey] else { throw rt.typeError("JSON.stringify is not available") }
        return Value(stringify)
    }

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
        let stringify = try originalStringify(rt)
        let mark = rt.pushTemporaryRoot(v)
        defer { rt.popTemporaryRoots(to: mark) }
        let out: Value
        do {
            out = try rt.call(stringify, this: .undefined, arguments: [v])
        } catch {
            if case .terminated = error { throw error }
            return nil  // a cycle, or a toJSON that throws: not storable
        }
        guard out.isString, out.string.count <= maxBytes else { return nil }
        let text = out.string.swiftString
        return text.utf8.count <= maxBytes ? text : nil
    }
}
