// Array: the constructor, Array.isArray/of/from, and the shared helpers of the Array.prototype
// methods (ArrayBuiltins+Prototype.swift, ArrayBuiltins+Sort.swift).

extension Runtime {
    func installArrayBuiltins() throws(VMError) {
        let ap = intrinsics.arrayPrototype!
        let ctor = try defineConstructor("Array", length: 1, prototype: ap) { rt, _, args throws(VMError) in
            let nt = args.isConstructCall ? args.newTarget : Value(rt.intrinsics.arrayConstructor)
            let proto = try rt.prototypeFromConstructor(nt, fallback: rt.intrinsics.arrayPrototype)
            if args.count == 0 { return Value(try rt.arrayCreate(0, prototype: proto)) }
            if args.count == 1 {
                let len = args[0]
                if !len.isNumber {
                    let a = try rt.newArray([len])
                    a.prototype = proto
                    return Value(a)
                }
                let intLen = try rt.toUint32(len)
                if Double(intLen) != len.number { throw rt.rangeError("Invalid array length") }
                return Value(try rt.arrayCreate(Int(intLen), prototype: proto))
            }
            try rt.charge(args.count)
            let a = try rt.newArray(args.array())
            a.prototype = proto
            return Value(a)
        }
        intrinsics.arrayConstructor = ctor
        let speciesGetter = try defineGetter(ctor, PropertyKey(symbol: wellKnownSymbols.species), name: "[Symbol.species]") {
            _, this, _ throws(VMError) in this
        }
        intrinsics.extra["Array[Symbol.species]"] = speciesGetter
        speciesGetter.internalIndex = Runtime.arraySpeciesGetterMarker
        try defineMethod(ctor, "from", 1) { rt, this, args throws(VMError) in
            try rt.arrayFrom(this, args[0], args[1], args[2])
        }
        try defineMethod(ctor, "isArray", 1) { _, _, args throws(VMError) in
            Value(args[0].isObject && args[0].object.kind == .array)
        }
        try defineMethod(ctor, "of", 0) { rt, this, args throws(VMError) in
            let len = args.count
            let a: JSObject
            if rt.isConstructorValue(this) {
                let r = try rt.construct(this, arguments: [Value(Double(len))])
                guard r.isObject else { throw rt.typeError("Array.of: constructor did not return an object") }
                a = r.object
            } else {
                a = try rt.arrayCreate(len)
            }
            let m = rt.pushTemporaryRoot(Value(a))
            defer { rt.popTemporaryRoots(to: m) }
            for k in 0..<len {
                try rt.charge(1)
                try rt.createDataPropertyOrThrow(a, rt.indexKey(k), args[k])
            }
            try rt.setOrThrow(a, rt.names.length, Value(Double(len)))
            return Value(a)
        }
        try installArrayPrototype(ap)
    }

    /// `Array.from(items, mapfn, thisArg)` with `this` = C.
    func arrayFrom(_ c: Value, _ items: Value, _ mapfn: Value, _ thisArg: Value) throws(VMError) -> Value {
        let mapping = !mapfn.isUndefined
        if mapping && !isCallable(mapfn) { throw typeError("Array.from: \(describeForError(mapfn)) is not a function") }
        let usingIterator = try getMethod(items, PropertyKey(symbol: wellKnownSymbols.iterator))
        if let usingIterator {
            let a: JSObject
            if isConstructorValue(c) {
                let r = try construct(c, arguments: [])
                guard r.isObject else { throw typeError("Array.from: constructor did not return an object") }
                a = r.object
            } else {
                a = try arrayCreate(0)
            }
            let m = pushTemporaryRoot(Value(a))
            defer { popTemporaryRoots(to: m) }
            var k = 0
            if !mapping && hasDefaultArrayIteration(items) && usingIterator === intrinsics.arrayValuesFunction {
                // The default iterator over an array reads `length` and each element in turn.
                let src = items.object
                while k < Int(src.arrayLength) {
                    try charge(1)
                    let v = try getIndex(src, k)
                    try createDataPropertyOrThrow(a, indexKey(k), v)
                    k += 1
                }
            } else {
                var record = try getIterator(items, method: Value(usingIterator))
                try forEachIteratorValue(&record) { (v) throws(VMError) in
                    if k >= Runtime.maxSafeLength { throw typeError("Array.from: too many elements") }
                    var mapped = v
                    if mapping {
                        mapped = try call(mapfn, this: thisArg, arguments: [v, Value(Double(k))])
                    }
                    try createDataPropertyOrThrow(a, indexKey(k), mapped)
                    k += 1
                }
            }
            try setOrThrow(a, names.length, Value(Double(k)))
            return Value(a)
        }
        let arrayLike = try toObject(items)
        let m = pushTemporaryRoot(Value(arrayLike))
        defer { popTemporaryRoots(to: m) }
        let len = try lengthOfArrayLike(arrayLike)
        let a: JSObject
        if isConstructorValue(c) {
            let r = try construct(c, arguments: [Value(Double(len))])
            guard r.isObject else { throw typeError("Array.from: constructor did not return an object") }
            a = r.object
        } else {
            a = try arrayCreate(len)
        }
        _ = pushTemporaryRoot(Value(a))
        var k = 0
        while k < len {
            try charge(1)
            let v = try getIndex(arrayLike, k)
            let mapped = mapping ? try call(mapfn, this: thisArg, arguments: [v, Value(Double(k))]) : v
            try createDataPropertyOrThrow(a, indexKey(k), mapped)
            k += 1
        }
        try setOrThrow(a, names.length, Value(Double(len)))
        return Value(a)
    }

    // MARK: Helpers

    /// A dense array with the standard prototype: its elements can be read and written directly.
    @inline(__always) func isFastArray(_ o: JSObject) -> Bool {
        o.kind == .array && !o.flags.contains(.sparseElements) && o.prototype === intrinsics.arrayPrototype
    }

    /// A fast array whose every element in 0..<length is present in `elements` (no holes).
    func isPackedFastArray(_ o: JSObject) -> Bool {
        guard isFastArray(o), o.elements.count == Int(o.arrayLength) else { return false }
        for v in o.elements where v.isHole { return false }
        return true
    }

    /// ArraySpeciesCreate(originalArray, length). `isIntrinsic` tells whether the result is a plain
    /// new array made by ArrayCreate.
    func arraySpeciesCreate(_ original: JSObject, _ length: Int) throws(VMError) -> (JSObject, isIntrinsic: Bool) {
        guard original.kind == .array else { return (try arrayCreate(length), true) }
        if hasDefaultArraySpecies(original) { return (try arrayCreate(length), true) }
        var c = try get(original, names.constructor, receiver: Value(original))
        if c.isObject {
            c = try get(c.object, PropertyKey(symbol: wellKnownSymbols.species), receiver: c)
            if c.isNull { c = .undefined }
        }
        if c.isUndefined { return (try arrayCreate(length), true) }
        guard isConstructorValue(c) else { throw typeError("object.constructor[Symbol.species] is not a constructor") }
        if c.bits == Value(intrinsics.arrayConstructor).bits { return (try arrayCreate(length), true) }
        let r = try construct(c, arguments: [Value(Double(length))])
        guard r.isObject else { throw typeError("species constructor did not return an object") }
        return (r.object, false)
    }

    /// True when ArraySpeciesCreate on `o` would use %Array% without running script code:
    /// `o` inherits `constructor` from the intact Array.prototype, whose `constructor` is %Array%
    /// with its original `Symbol.species` getter.
    @inline(__always) func hasDefaultArraySpecies(_ o: JSObject) -> Bool {
        let ap = intrinsics.arrayPrototype!
        guard o.prototype === ap, o.shape.lookup(names.constructor) == nil,
              let cslot = ap.shape.lookup(names.constructor), !ap.shape.attributes[cslot].contains(.accessor),
              let ctor = intrinsics.arrayConstructor, ap.slots[cslot].bits == Value(ctor).bits,
              let sslot = ctor.shape.lookup(PropertyKey(symbol: wellKnownSymbols.species)),
              ctor.shape.attributes[sslot].contains(.accessor)
        else { return false }
        let getter = unsafeDowncast(ctor.slots[sslot].object, to: AccessorPair.self).getter
        return getter.isObject && getter.object.kind == .function
            && getter.object.internalIndex == Runtime.arraySpeciesGetterMarker
    }

    /// `internalIndex` of the original `get Array[Symbol.species]` (scripts cannot set it).
    static let arraySpeciesGetterMarker = 0x5BEC_1E5

    /// Calls `f` with two arguments without building a Swift array.
    @inline(__always)
    func call2(_ f: JSFunction, _ this: Value, _ a: Value, _ b: Value) throws(VMError) -> Value {
        var buf = (a, b)
        return try withUnsafePointer(to: &buf) { (p) throws(VMError) -> Value in
            try callFunction(f, this: this, arguments: Arguments(
                base: UnsafeRawPointer(p).assumingMemoryBound(to: Value.self), count: 2))
        }
    }

    /// Calls `f` with three arguments without building a Swift array.
    @inline(__always)
    func call3(_ f: JSFunction, _ this: Value, _ a: Value, _ b: Value, _ c: Value) throws(VMError) -> Value {
        var buf = (a, b, c)
        return try withUnsafePointer(to: &buf) { (p) throws(VMError) -> Value in
            try callFunction(f, this: this, arguments: Arguments(
                base: UnsafeRawPointer(p).assumingMemoryBound(to: Value.self), count: 3))
        }
    }

    /// Calls `f` with four arguments without building a Swift array.
    @inline(__always)
    func call4(_ f: JSFunction, _ this: Value, _ a: Value, _ b: Value, _ c: Value, _ d: Value) throws(VMError) -> Value {
        var buf = (a, b, c, d)
        return try withUnsafePointer(to: &buf) { (p) throws(VMError) -> Value in
            try callFunction(f, this: this, arguments: Arguments(
                base: UnsafeRawPointer(p).assumingMemoryBound(to: Value.self), count: 4))
        }
    }

    /// CreateDataPropertyOrThrow(a, k, v) for the result array of map/filter/…: when `a` is the
    /// plain array the builtin made itself (`ownResult`, never seen by script code) and `k` is the
    /// next element, the value is appended without a property definition.
    @inline(__always)
    func defineResultElement(_ a: JSObject, ownResult: Bool, _ k: Int, _ v: Value) throws(VMError) {
        if ownResult && k == a.elements.count && !a.flags.contains(.sparseElements) && a.isExtensible {
            try heap.charge(8, to: a)
            a.elements.append(v)
            if UInt32(k) >= a.arrayLength { a.arrayLength = UInt32(k + 1) }
            return
        }
        try createDataPropertyOrThrow(a, indexKey(k), v)
    }

    /// The callback argument of an iteration method, or a TypeError.
    @inline(__always) func callbackArgument(_ v: Value, _ method: String) throws(VMError) -> JSFunction {
        guard let f = v.asFunction else { throw typeError("\(method): \(describeForError(v)) is not a function") }
        return f
    }

    /// Indices in `range` that may hold a property of `o` or its prototypes, ascending, when that
    /// list is much shorter than the range (sparse objects with huge lengths); nil otherwise.
    func sparseCandidateIndices(_ o: JSObject, _ range: Range<Int>) -> [Int]? {
        if range.count <= 65536 { return nil }
        var found = Set<Int>()
        var cur: JSObject? = o
        while let c = cur {
            if usesElements(c) {
                for (i, v) in c.elements.enumerated() where !v.isHole && range.contains(i) { found.insert(i) }
            } else if c.kind == .string, let s = c.primitiveValue.asString {
                for i in 0..<s.count where range.contains(i) { found.insert(i) }
            }
            for k in c.shape.keys where k != .tombstone {
                if k.isIndex {
                    if range.contains(Int(k.index)) { found.insert(Int(k.index)) }
                } else if k.isString, range.upperBound > 4294967295 {
                    let u = k.atom.units
                    if let d = Int(String(decoding: u, as: UTF16.self)), String(d) == k.atom.swiftString,
                       range.contains(d) {
                        found.insert(d)
                    }
                }
            }
            cur = c.prototype
        }
        if found.count * 4 > range.count { return nil }
        return found.sorted()
    }
}
