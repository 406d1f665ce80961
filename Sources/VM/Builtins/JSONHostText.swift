extension Runtime {
    /// `JSON.stringify(value)` (no replacer, no indentation) as Swift text, or nil when the result
    /// is `undefined`: the engine's own serializer, whatever a script did to the `JSON` global.
    ///
    /// For hosts that need JSON text (`response.json`, stored values): the same text, errors and call depth as
    /// calling the original builtin and converting the string it returns, without making that
    /// string (a heap cell and a copy of the text) or going through a function call.
    public func jsonStringifiedText(_ value: Value) throws(VMError) -> String? {
        // The builtin would run one native frame deeper.
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > budget.maxCallDepth { throw rangeError("Maximum call stack size exceeded") }
        let mark = temporaryRoots.count
        defer { popTemporaryRoots(to: mark) }
        temporaryRoots.append(value)
        var s = JSONSerializer(rt: self, cache: jsonCache)
        defer { s.finish() }
        guard try s.run(value, replacer: .undefined, space: .undefined) else { return nil }
        let text = UnsafeBufferPointer(start: s.out.base, count: s.out.count)
        // JSON.stringify's text is well-formed (lone surrogates are escaped); ASCII, the common
        // case, is narrowed byte for byte.
        var ascii = true
        for u in text where u >= 0x80 { ascii = false; break }
        guard ascii else { return String(decoding: text, as: UTF16.self) }
        return String(unsafeUninitializedCapacity: text.count) { bytes in
            for i in 0..<text.count { bytes[i] = UInt8(truncatingIfNeeded: text[i]) }
            return text.count
        }
    }
}
