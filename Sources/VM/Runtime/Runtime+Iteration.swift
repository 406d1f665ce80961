// The iteration protocol from Swift: GetIterator, IteratorStep, IteratorClose.

/// An iterator being driven from Swift (or by the interpreter's for-of).
public struct IteratorRecord {
    public let iterator: Value
    public let nextMethod: Value
    public var done = false
}

extension Runtime {
    /// GetIterator(v, sync).
    public func getIterator(_ v: Value) throws(VMError) -> IteratorRecord {
        let method = try get(v, PropertyKey(symbol: wellKnownSymbols.iterator))
        guard method.asFunction != nil else { throw typeError("\(describeForError(v)) is not iterable") }
        let it = try call(method, this: v, arguments: [])
        guard it.isObject else { throw typeError("Result of the Symbol.iterator method is not an object") }
        let next = try get(it, names.next)
        return IteratorRecord(iterator: it, nextMethod: next)
    }

    /// IteratorStep + IteratorValue: the next value, or nil when done.
    public func iteratorStep(_ record: inout IteratorRecord) throws(VMError) -> Value? {
        if record.done { return nil }
        let r = try call(record.nextMethod, this: record.iterator, arguments: [])
        guard r.isObject else {
            record.done = true
            throw typeError("Iterator result \(describeForError(r)) is not an object")
        }
        if toBoolean(try get(r, names.done)) {
            record.done = true
            return nil
        }
        return try get(r, names.value)
    }

    /// IteratorClose after an abrupt completion or early exit: calls `return` if present.
    /// Errors from `return` are swallowed when `suppressErrors` (the original error wins).
    public func iteratorClose(_ record: IteratorRecord, suppressErrors: Bool) throws(VMError) {
        do throws(VMError) {
            let ret = try get(record.iterator, key("return"))
            if ret.isNullish { return }
            let r = try call(ret, this: record.iterator, arguments: [])
            if !suppressErrors && !r.isObject { throw typeError("Iterator result is not an object") }
        } catch {
            if case .terminated = error { throw error }
            if !suppressErrors { throw error }
        }
    }

    /// True when iterating `v` would just walk its elements: a dense array whose iteration
    /// behaviour is the builtin one.
    public func hasDefaultArrayIteration(_ v: Value) -> Bool {
        guard v.isObject, v.object.kind == .array, let values = intrinsics.arrayValuesFunction else { return false }
        let o = v.object
        let iterKey = PropertyKey(symbol: wellKnownSymbols.iterator)
        if o.shape.lookup(iterKey) != nil { return false }
        guard o.prototype === intrinsics.arrayPrototype,
              let slot = o.prototype!.shape.lookup(iterKey),
              o.prototype!.slots[slot].bits == Value(values).bits,
              let proto = intrinsics.arrayIteratorPrototype,
              let nslot = proto.shape.lookup(names.next),
              proto.slots[nslot].bits == intrinsics[.arrayIteratorNext].map({ Value($0).bits }) ?? 0
        else { return false }
        return true
    }

    /// Collects every value an iterable yields (spread, Array.from, Map/Set constructors).
    public func iterableToList(_ v: Value) throws(VMError) -> [Value] {
        if hasDefaultArrayIteration(v) {
            let o = v.object
            var out: [Value] = []
            out.reserveCapacity(Int(o.arrayLength))
            var i: UInt32 = 0
            while i < o.arrayLength {
                try charge(1)
                out.append(try get(o, PropertyKey(index: i)))
                i += 1
            }
            return out
        }
        var record = try getIterator(v)
        var out: [Value] = []
        let mark = temporaryRoots.count
        defer { popTemporaryRoots(to: mark) }
        temporaryRoots.append(record.iterator)
        while let x = try iteratorStep(&record) {
            temporaryRoots.append(x)
            out.append(x)
        }
        return out
    }
}
