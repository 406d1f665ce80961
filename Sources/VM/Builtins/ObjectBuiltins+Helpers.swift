// Spec abstract operations shared by the Object, Array, Function, Map/Set and iterator builtins.

extension Runtime {
    /// 2^53 - 1, the largest length an array-like may have.
    static let maxSafeLength = 9007199254740991

    // MARK: Type tests

    @inline(__always) func isCallable(_ v: Value) -> Bool { v.isObject && v.object.isCallable }

    func isConstructorValue(_ v: Value) -> Bool {
        guard let f = v.asFunction else { return false }
        return f.isConstructor
    }

    /// `RequireObjectCoercible`.
    func requireObjectCoercible(_ v: Value, _ method: String) throws(VMError) {
        if v.isNullish { throw typeError("\(method) called on null or undefined") }
    }

    // MARK: Keys

    /// The property key for an integer index (array index keys below 2^32 - 1, string keys above).
    @inline(__always) func indexKey(_ i: Int) -> PropertyKey {
        if i >= 0 && i < 4294967295 { return PropertyKey(index: UInt32(i)) }
        return key(String(i))
    }

    // MARK: Property operations that throw on failure

    /// `Set(O, P, V, true)`.
    @inline(__always) func setOrThrow(_ o: JSObject, _ k: PropertyKey, _ v: Value) throws(VMError) {
        if try !set(o, k, v, receiver: Value(o)) {
            throw typeError("Cannot assign to read only property '\(describeKey(k))' of object")
        }
    }

    /// `DeletePropertyOrThrow(O, P)`.
    @inline(__always) func deleteOrThrow(_ o: JSObject, _ k: PropertyKey) throws(VMError) {
        if !deleteProperty(o, k) {
            throw typeError("Cannot delete property '\(describeKey(k))' of object")
        }
    }

    /// `CreateDataPropertyOrThrow(O, P, V)`.
    @inline(__always) func createDataPropertyOrThrow(_ o: JSObject, _ k: PropertyKey, _ v: Value) throws(VMError) {
        if try !createDataProperty(o, k, v) {
            throw typeError("Cannot define property '\(describeKey(k))' on object")
        }
    }

    /// `DefinePropertyOrThrow(O, P, desc)`.
    func definePropertyOrThrow(_ o: JSObject, _ k: PropertyKey, _ desc: PropertyDescriptor) throws(VMError) {
        var d = desc
        if o.kind == .array && k == names.length, let v = d.value {
            // ArraySetLength converts the value twice (ToUint32, then ToNumber) before validating.
            let newLen = try toUint32(v)
            let numberLen = v.isNumber ? v.number : try toNumber(v)
            if Double(newLen) != numberLen { throw rangeError("Invalid array length") }
            d.value = Value(Double(newLen))
        }
        if try !defineOwnProperty(o, k, d) {
            throw typeError("Cannot redefine property: \(describeKey(k))")
        }
    }

    /// `LengthOfArrayLike(O)`.
    @inline(__always) func lengthOfArrayLike(_ o: JSObject) throws(VMError) -> Int {
        if o.kind == .array { return Int(o.arrayLength) }
        return try toLength(get(o, names.length))
    }

    /// `Get(O, ToString(i))` with a fast path for dense elements.
    @inline(__always) func getIndex(_ o: JSObject, _ i: Int) throws(VMError) -> Value {
        if i < o.elements.count && usesElements(o) {
            let v = o.elements[i]
            if !v.isHole { return v }
        }
        return try get(o, indexKey(i), receiver: Value(o))
    }

    /// `HasProperty(O, i)` then `Get(O, i)`: nil when absent. (Without proxies HasProperty is
    /// not observable, so the two steps may be fused.)
    @inline(__always) func getIndexIfPresent(_ o: JSObject, _ i: Int) throws(VMError) -> Value? {
        if i < o.elements.count && usesElements(o) {
            let v = o.elements[i]
            if !v.isHole { return v }
        }
        let k = indexKey(i)
        if !hasProperty(o, k) { return nil }
        return try get(o, k, receiver: Value(o))
    }

    /// `Call(O[name], O, args)` (Invoke).
    func invoke(_ v: Value, _ k: PropertyKey, _ args: [Value]) throws(VMError) -> Value {
        let f = try get(v, k)
        return try call(f, this: v, arguments: args)
    }

    /// `CreateIterResultObject(value, done)`.
    func iterResult(_ value: Value, done: Bool) throws(VMError) -> Value {
        let o = try newObject()
        try addProperty(o, names.value, value, .normal)
        try addProperty(o, names.done, Value(done), .normal)
        return Value(o)
    }

    /// `CreateArrayFromList`.
    func arrayFromList(_ list: [Value]) throws(VMError) -> Value {
        Value(try newArray(ContiguousArray(list)))
    }

    /// `ArrayCreate(length, proto)`.
    func arrayCreate(_ length: Int, prototype: JSObject? = nil) throws(VMError) -> JSObject {
        if length > 4294967295 || length < 0 { throw rangeError("Invalid array length") }
        let a = try newArray()
        a.arrayLength = UInt32(length)
        if let prototype { a.prototype = prototype }
        return a
    }

    /// GetIteratorFromMethod.
    func getIterator(_ v: Value, method: Value) throws(VMError) -> IteratorRecord {
        let it = try call(method, this: v, arguments: [])
        guard it.isObject else { throw typeError("Result of the Symbol.iterator method is not an object") }
        let next = try get(it, names.next)
        return IteratorRecord(iterator: it, nextMethod: next)
    }

    /// Runs `body` on every value `record` yields; an exception from `body` closes the iterator.
    /// The iterator and the current value stay rooted.
    func forEachIteratorValue(_ record: inout IteratorRecord,
                              _ body: (Value) throws(VMError) -> Void) throws(VMError) {
        let mark = pushTemporaryRoot(record.iterator)
        defer { popTemporaryRoots(to: mark) }
        _ = pushTemporaryRoot(record.nextMethod)
        while true {
            try charge(1)
            guard let v = try iteratorStep(&record) else { return }
            let m2 = pushTemporaryRoot(v)
            do throws(VMError) {
                try body(v)
            } catch {
                if case .exception = error { try iteratorClose(record, suppressErrors: true) }
                throw error
            }
            popTemporaryRoots(to: m2)
        }
    }

    /// Iterates `iterable` (GetIterator + loop), closing the iterator when `body` throws.
    func forEachIterated(_ iterable: Value, _ body: (Value) throws(VMError) -> Void) throws(VMError) {
        var record = try getIterator(iterable)
        try forEachIteratorValue(&record, body)
    }

    // MARK: Prototypes

    /// True when some object on `o`'s prototype chain may have integer-indexed properties (then
    /// writing a missing element of `o` can hit a setter or a read-only property).
    @inline(__always) func protoChainMayHaveIndices(_ o: JSObject) -> Bool {
        var p = o.prototype
        while let cur = p {
            if !cur.elements.isEmpty || cur.shape.hasIndexKeys || cur.kind == .string { return true }
            p = cur.prototype
        }
        return false
    }

    /// OrdinarySetPrototypeOf (with Object.prototype's immutable-prototype rule). False when refused.
    func setPrototypeOf(_ o: JSObject, _ proto: JSObject?) -> Bool {
        if o.prototype === proto { return true }
        if o === intrinsics.objectPrototype { return false }
        if !o.isExtensible { return false }
        var p = proto
        while let cur = p {
            if cur === o { return false }
            p = cur.prototype
        }
        noteWrite(o)
        o.prototype = proto
        return true
    }

    // MARK: Property descriptors

    /// ToPropertyDescriptor.
    func toPropertyDescriptor(_ v: Value) throws(VMError) -> PropertyDescriptor {
        guard v.isObject else { throw typeError("Property description must be an object: \(describeForError(v))") }
        let o = v.object
        var d = PropertyDescriptor()
        // Values read by earlier getters stay rooted while later getters run.
        let mark = temporaryRoots.count
        defer { popTemporaryRoots(to: mark) }
        if hasProperty(o, names.enumerable) { d.enumerable = toBoolean(try get(o, names.enumerable)) }
        if hasProperty(o, names.configurable) { d.configurable = toBoolean(try get(o, names.configurable)) }
        if hasProperty(o, names.value) {
            let x = try get(o, names.value)
            temporaryRoots.append(x)
            d.value = x
        }
        if hasProperty(o, names.writable) { d.writable = toBoolean(try get(o, names.writable)) }
        if hasProperty(o, names.get) {
            let g = try get(o, names.get)
            if !g.isUndefined && !isCallable(g) { throw typeError("Getter must be a function: \(describeForError(g))") }
            temporaryRoots.append(g)
            d.get = g
        }
        if hasProperty(o, names.set) {
            let s = try get(o, names.set)
            if !s.isUndefined && !isCallable(s) { throw typeError("Setter must be a function: \(describeForError(s))") }
            d.set = s
        }
        if (d.get != nil || d.set != nil) && (d.value != nil || d.writable != nil) {
            throw typeError("Invalid property descriptor. Cannot both specify accessors and a value or writable attribute")
        }
        return d
    }

    /// FromPropertyDescriptor.
    func fromPropertyDescriptor(_ d: PropertyDescriptor?) throws(VMError) -> Value {
        guard let d else { return .undefined }
        let o = try newObject()
        if let v = d.value { try addProperty(o, names.value, v, .normal) }
        if let w = d.writable { try addProperty(o, names.writable, Value(w), .normal) }
        if let g = d.get { try addProperty(o, names.get, g, .normal) }
        if let s = d.set { try addProperty(o, names.set, s, .normal) }
        if let e = d.enumerable { try addProperty(o, names.enumerable, Value(e), .normal) }
        if let c = d.configurable { try addProperty(o, names.configurable, Value(c), .normal) }
        return Value(o)
    }

    // MARK: Species

    /// SpeciesConstructor(O, defaultConstructor).
    func speciesConstructor(_ o: JSObject, default d: JSFunction) throws(VMError) -> Value {
        let c = try get(o, names.constructor)
        if c.isUndefined { return Value(d) }
        guard c.isObject else { throw typeError("object.constructor is not an object") }
        let s = try get(c.object, PropertyKey(symbol: wellKnownSymbols.species))
        if s.isNullish { return Value(d) }
        if isConstructorValue(s) { return s }
        throw typeError("object.constructor[Symbol.species] is not a constructor")
    }

    // MARK: Per-runtime scratch state

    /// Builtin state that lives as long as the runtime (cycle detection for join …).
    var builtinsAState: BuiltinsAState {
        unsafeDowncast(intrinsics[.builtinsAState]!.internalStorage!, to: BuiltinsAState.self)
    }

    func installBuiltinsAState() throws(VMError) {
        let holder = try newObject(prototype: nil)
        holder.internalStorage = BuiltinsAState()
        intrinsics[.builtinsAState] = holder
    }
}

/// Mutable per-runtime state for the builtins in this group.
final class BuiltinsAState: GCTraceable {
    /// Arrays whose `join`/`toString`/`toLocaleString` is running (cycle detection).
    var joinStack: [ObjectIdentifier] = []

    func trace(_ marker: inout GCMarker) {}
}
