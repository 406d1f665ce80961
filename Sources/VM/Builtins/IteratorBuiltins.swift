// %IteratorPrototype%, %ArrayIteratorPrototype%, %StringIteratorPrototype% and
// String.prototype[Symbol.iterator]. (Map and Set iterators are in MapSetBuiltins.swift.)
//
// Builtin iterators are JSObjects of kind `.iterator`: `primitiveValue` is the iterated object
// (undefined once the iterator is exhausted), `internalIndex` the position, and `internalStorage`
// a `BuiltinIteratorState` saying which kind of iterator it is.

/// What a builtin iterator yields.
enum IterationKind: UInt8 {
    case keys, values, entries
}

/// Which builtin iterator an object is.
enum IteratorFamily: UInt8 {
    case array, string, map, set
}

/// The `internalStorage` of builtin iterators. Array and string iterators share one immutable
/// instance per kind; Map and Set iterators get their own (they keep a position hint).
final class BuiltinIteratorState: GCTraceable {
    let family: IteratorFamily
    let kind: IterationKind
    /// Map/Set iterators: index in the entry table where the next entry probably is.
    var hint: Int = 0

    init(family: IteratorFamily, kind: IterationKind) {
        self.family = family
        self.kind = kind
    }

    func trace(_ marker: inout GCMarker) {}

    nonisolated(unsafe) static let arrayKeys = BuiltinIteratorState(family: .array, kind: .keys)
    nonisolated(unsafe) static let arrayValues = BuiltinIteratorState(family: .array, kind: .values)
    nonisolated(unsafe) static let arrayEntries = BuiltinIteratorState(family: .array, kind: .entries)
    nonisolated(unsafe) static let string = BuiltinIteratorState(family: .string, kind: .values)

    static func array(_ kind: IterationKind) -> BuiltinIteratorState {
        switch kind {
        case .keys: return arrayKeys
        case .values: return arrayValues
        case .entries: return arrayEntries
        }
    }
}

extension JSObject {
    /// The builtin iterator state if this is a builtin iterator of `family`.
    @inline(__always) func iteratorState(_ family: IteratorFamily) -> BuiltinIteratorState? {
        guard kind == .iterator, let s = internalStorage as? BuiltinIteratorState, s.family == family else { return nil }
        return s
    }
}

extension Runtime {
    func installIteratorBuiltins() throws(VMError) {
        let ip = intrinsics.iteratorPrototype!
        try defineMethod(ip, symbol: wellKnownSymbols.iterator, name: "[Symbol.iterator]", 0) { _, this, _ throws(VMError) in
            this
        }
        let tagKey = PropertyKey(symbol: wellKnownSymbols.toStringTag)

        // %ArrayIteratorPrototype%
        let aip = intrinsics.arrayIteratorPrototype!
        let next = try defineMethod(aip, "next", 0) { rt, this, _ throws(VMError) in
            guard this.isObject, let state = this.object.iteratorState(.array) else {
                throw rt.typeError("next method called on incompatible receiver \(rt.describeForError(this))")
            }
            return try rt.arrayIteratorNext(this.object, state.kind)
        }
        intrinsics[.arrayIteratorNext] = next
        try defineDataProperty(aip, tagKey, Value(intern("Array Iterator")), [.configurable])

        // %StringIteratorPrototype%
        let sip = intrinsics.stringIteratorPrototype!
        try defineMethod(sip, "next", 0) { rt, this, _ throws(VMError) in
            guard this.isObject, this.object.iteratorState(.string) != nil else {
                throw rt.typeError("next method called on incompatible receiver \(rt.describeForError(this))")
            }
            let it = this.object
            guard it.primitiveValue.isString else { return try rt.iterResult(.undefined, done: true) }
            let s = it.primitiveValue.string
            let pos = it.internalIndex
            if pos >= s.count {
                it.primitiveValue = .undefined
                return try rt.iterResult(.undefined, done: true)
            }
            let c = s.units[pos]
            if c >= 0xD800 && c <= 0xDBFF && pos + 1 < s.count, s.units[pos + 1] >= 0xDC00 && s.units[pos + 1] <= 0xDFFF {
                it.internalIndex = pos + 2
                return try rt.iterResult(Value(try rt.newString(ContiguousArray([c, s.units[pos + 1]]))), done: false)
            }
            it.internalIndex = pos + 1
            return try rt.iterResult(try rt.singleCharacterString(c), done: false)
        }
        try defineDataProperty(sip, tagKey, Value(intern("String Iterator")), [.configurable])

        // String.prototype[Symbol.iterator]
        try defineMethod(intrinsics.stringPrototype, symbol: wellKnownSymbols.iterator, name: "[Symbol.iterator]", 0) {
            rt, this, _ throws(VMError) in
            try rt.requireObjectCoercible(this, "String.prototype[Symbol.iterator]")
            let s = try rt.toJSString(this)
            let it = try rt.newObject(kind: .iterator, prototype: rt.intrinsics.stringIteratorPrototype)
            it.primitiveValue = Value(s)
            it.internalStorage = BuiltinIteratorState.string
            return Value(it)
        }
    }

    /// CreateArrayIterator(array, kind).
    func createArrayIterator(_ o: JSObject, _ kind: IterationKind) throws(VMError) -> Value {
        let it = try newObject(kind: .iterator, prototype: intrinsics.arrayIteratorPrototype)
        it.primitiveValue = Value(o)
        it.internalStorage = BuiltinIteratorState.array(kind)
        return Value(it)
    }

    /// %ArrayIteratorPrototype%.next.
    func arrayIteratorNext(_ it: JSObject, _ kind: IterationKind) throws(VMError) -> Value {
        guard it.primitiveValue.isObject else { return try iterResult(.undefined, done: true) }
        let a = it.primitiveValue.object
        let index = it.internalIndex
        let len = try lengthOfArrayLike(a)
        if index >= len {
            it.primitiveValue = .undefined
            return try iterResult(.undefined, done: true)
        }
        it.internalIndex = index + 1
        switch kind {
        case .keys:
            return try iterResult(Value(Double(index)), done: false)
        case .values:
            return try iterResult(try getIndex(a, index), done: false)
        case .entries:
            let v = try getIndex(a, index)
            let pair = try newArray([Value(Double(index)), v])
            return try iterResult(Value(pair), done: false)
        }
    }
}
