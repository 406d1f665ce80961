// Object, Object.prototype.

extension Runtime {
    func installObjectBuiltins() throws(VMError) {
        try installBuiltinsAState()
        let op = intrinsics.objectPrototype!
        let ctor = try defineConstructor("Object", length: 1, prototype: op) { rt, _, args throws(VMError) in
            let nt = args.newTarget
            if !nt.isUndefined && nt.bits != Value(rt.intrinsics.objectConstructor).bits {
                let proto = try rt.prototypeFromConstructor(nt, fallback: rt.intrinsics.objectPrototype)
                return Value(try rt.newObject(prototype: proto))
            }
            let v = args[0]
            if v.isNullish { return Value(try rt.newObject()) }
            return Value(try rt.toObject(v))
        }
        intrinsics.objectConstructor = ctor
        try installObjectStatics(ctor)
        try installObjectPrototype(op)
    }

    private func installObjectStatics(_ ctor: JSFunction) throws(VMError) {
        try defineMethod(ctor, "assign", 2) { rt, _, args throws(VMError) in
            let to = try rt.toObject(args[0])
            if args.count < 2 { return Value(to) }
            try rt.withTemporaryRoots([Value(to)]) { () throws(VMError) in
                for i in 1..<args.count {
                    let src = args[i]
                    if src.isNullish { continue }
                    let from = try rt.toObject(src)
                    let m = rt.pushTemporaryRoot(Value(from))
                    defer { rt.popTemporaryRoots(to: m) }
                    for k in rt.ownPropertyKeys(from) {
                        try rt.charge(1)
                        guard let d = rt.getOwnProperty(from, k), d.enumerable == true else { continue }
                        let v = try rt.get(from, k, receiver: Value(from))
                        try rt.setOrThrow(to, k, v)
                    }
                }
            }
            return Value(to)
        }
        try defineMethod(ctor, "create", 2) { rt, _, args throws(VMError) in
            let p = args[0]
            guard p.isObject || p.isNull else {
                throw rt.typeError("Object prototype may only be an Object or null: \(rt.describeForError(p))")
            }
            let o = try rt.newObject(prototype: p.asObject)
            if !args[1].isUndefined {
                try rt.withTemporaryRoots([Value(o)]) { () throws(VMError) in
                    try rt.objectDefineProperties(o, args[1])
                }
            }
            return Value(o)
        }
        try defineMethod(ctor, "defineProperties", 2) { rt, _, args throws(VMError) in
            guard args[0].isObject else { throw rt.typeError("Object.defineProperties called on non-object") }
            try rt.objectDefineProperties(args[0].object, args[1])
            return args[0]
        }
        try defineMethod(ctor, "defineProperty", 3) { rt, _, args throws(VMError) in
            guard args[0].isObject else { throw rt.typeError("Object.defineProperty called on non-object") }
            let k = try rt.toPropertyKey(args[1])
            let d = try rt.toPropertyDescriptor(args[2])
            try rt.definePropertyOrThrow(args[0].object, k, d)
            return args[0]
        }
        try defineMethod(ctor, "entries", 1) { rt, _, args throws(VMError) in
            try rt.enumerableOwnProperties(args[0], kind: 2)
        }
        try defineMethod(ctor, "freeze", 1) { rt, _, args throws(VMError) in
            guard args[0].isObject else { return args[0] }
            try rt.setIntegrityLevel(args[0].object, frozen: true)
            return args[0]
        }
        try defineMethod(ctor, "fromEntries", 1) { rt, _, args throws(VMError) in
            try rt.requireObjectCoercible(args[0], "Object.fromEntries")
            let obj = try rt.newObject()
            let m = rt.pushTemporaryRoot(Value(obj))
            defer { rt.popTemporaryRoots(to: m) }
            try rt.forEachIterated(args[0]) { (entry) throws(VMError) in
                guard entry.isObject else {
                    throw rt.typeError("Iterator value \(rt.describeForError(entry)) is not an entry object")
                }
                let k = try rt.get(entry.object, PropertyKey(index: 0))
                let m2 = rt.pushTemporaryRoot(k)
                defer { rt.popTemporaryRoots(to: m2) }
                let v = try rt.get(entry.object, PropertyKey(index: 1))
                _ = rt.pushTemporaryRoot(v)
                let pk = try rt.toPropertyKey(k)
                try rt.createDataPropertyOrThrow(obj, pk, v)
            }
            return Value(obj)
        }
        try defineMethod(ctor, "getOwnPropertyDescriptor", 2) { rt, _, args throws(VMError) in
            let o = try rt.toObject(args[0])
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let k = try rt.toPropertyKey(args[1])
            return try rt.fromPropertyDescriptor(rt.getOwnProperty(o, k))
        }
        try defineMethod(ctor, "getOwnPropertyDescriptors", 1) { rt, _, args throws(VMError) in
            let o = try rt.toObject(args[0])
            let result = try rt.newObject()
            for k in rt.ownPropertyKeys(o) {
                try rt.charge(1)
                let d = try rt.fromPropertyDescriptor(rt.getOwnProperty(o, k))
                if !d.isUndefined { try rt.createDataPropertyOrThrow(result, k, d) }
            }
            return Value(result)
        }
        try defineMethod(ctor, "getOwnPropertyNames", 1) { rt, _, args throws(VMError) in
            let o = try rt.toObject(args[0])
            var out = ContiguousArray<Value>()
            for k in rt.ownPropertyKeys(o) where !k.isSymbol {
                try rt.charge(1)
                out.append(try rt.keyToValue(k))
            }
            return Value(try rt.newArray(out))
        }
        try defineMethod(ctor, "getOwnPropertySymbols", 1) { rt, _, args throws(VMError) in
            let o = try rt.toObject(args[0])
            var out = ContiguousArray<Value>()
            for k in rt.ownPropertyKeys(o) where k.isSymbol { out.append(Value(k.symbol)) }
            return Value(try rt.newArray(out))
        }
        try defineMethod(ctor, "getPrototypeOf", 1) { rt, _, args throws(VMError) in
            Value(try rt.toObject(args[0]).prototype)
        }
        try defineMethod(ctor, "groupBy", 2) { rt, _, args throws(VMError) in
            var groups: [(PropertyKey, [Value])] = []
            var index: [PropertyKey: Int] = [:]
            let bag = try rt.newArray()
            let m = rt.pushTemporaryRoot(Value(bag))
            defer { rt.popTemporaryRoots(to: m) }
            try rt.groupBy(args[0], args[1]) { (kv, v) throws(VMError) in
                let k = try rt.toPropertyKey(kv)
                bag.elements.append(v)
                if k.isSymbol { bag.elements.append(Value(k.symbol)) }
                if let i = index[k] { groups[i].1.append(v) } else {
                    index[k] = groups.count
                    groups.append((k, [v]))
                }
            }
            let obj = try rt.newObject(prototype: nil)
            let m2 = rt.pushTemporaryRoot(Value(obj))
            defer { rt.popTemporaryRoots(to: m2) }
            for (k, list) in groups {
                try rt.createDataPropertyOrThrow(obj, k, try rt.arrayFromList(list))
            }
            return Value(obj)
        }
        try defineMethod(ctor, "hasOwn", 2) { rt, _, args throws(VMError) in
            let o = try rt.toObject(args[0])
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let k = try rt.toPropertyKey(args[1])
            return Value(rt.hasOwnProperty(o, k))
        }
        try defineMethod(ctor, "is", 2) { rt, _, args throws(VMError) in
            Value(rt.sameValue(args[0], args[1]))
        }
        try defineMethod(ctor, "isExtensible", 1) { rt, _, args throws(VMError) in
            Value(args[0].isObject && args[0].object.isExtensible)
        }
        try defineMethod(ctor, "isFrozen", 1) { rt, _, args throws(VMError) in
            guard args[0].isObject else { return .true }
            return Value(rt.testIntegrityLevel(args[0].object, frozen: true))
        }
        try defineMethod(ctor, "isSealed", 1) { rt, _, args throws(VMError) in
            guard args[0].isObject else { return .true }
            return Value(rt.testIntegrityLevel(args[0].object, frozen: false))
        }
        try defineMethod(ctor, "keys", 1) { rt, _, args throws(VMError) in
            try rt.enumerableOwnProperties(args[0], kind: 0)
        }
        try defineMethod(ctor, "preventExtensions", 1) { rt, _, args throws(VMError) in
            if args[0].isObject { rt.preventExtensions(args[0].object) }
            return args[0]
        }
        try defineMethod(ctor, "seal", 1) { rt, _, args throws(VMError) in
            guard args[0].isObject else { return args[0] }
            try rt.setIntegrityLevel(args[0].object, frozen: false)
            return args[0]
        }
        try defineMethod(ctor, "setPrototypeOf", 2) { rt, _, args throws(VMError) in
            let o = args[0], p = args[1]
            try rt.requireObjectCoercible(o, "Object.setPrototypeOf")
            guard p.isObject || p.isNull else {
                throw rt.typeError("Object prototype may only be an Object or null: \(rt.describeForError(p))")
            }
            guard o.isObject else { return o }
            if !rt.setPrototypeOf(o.object, p.asObject) {
                throw rt.typeError("Cannot set prototype: object is not extensible or the prototype chain would be cyclic")
            }
            return o
        }
        try defineMethod(ctor, "values", 1) { rt, _, args throws(VMError) in
            try rt.enumerableOwnProperties(args[0], kind: 1)
        }
    }

    private func installObjectPrototype(_ op: JSObject) throws(VMError) {
        try defineMethod(op, "hasOwnProperty", 1) { rt, this, args throws(VMError) in
            let k = try rt.toPropertyKey(args[0])
            let o = try rt.toObject(this)
            return Value(rt.hasOwnProperty(o, k))
        }
        try defineMethod(op, "isPrototypeOf", 1) { rt, this, args throws(VMError) in
            guard args[0].isObject else { return .false }
            let o = try rt.toObject(this)
            var p = args[0].object.prototype
            while let cur = p {
                if cur === o { return .true }
                p = cur.prototype
            }
            return .false
        }
        try defineMethod(op, "propertyIsEnumerable", 1) { rt, this, args throws(VMError) in
            let k = try rt.toPropertyKey(args[0])
            let o = try rt.toObject(this)
            return Value(rt.getOwnProperty(o, k)?.enumerable == true)
        }
        try defineMethod(op, "toLocaleString", 0) { rt, this, _ throws(VMError) in
            try rt.invoke(this, rt.names.toString, [])
        }
        let toStringFn = try defineMethod(op, "toString", 0) { rt, this, _ throws(VMError) in
            try rt.objectToString(this)
        }
        intrinsics.extra["Object.prototype.toString"] = toStringFn
        try defineMethod(op, "valueOf", 0) { rt, this, _ throws(VMError) in
            Value(try rt.toObject(this))
        }
        // __proto__
        let protoGetter = try newNativeFunction(name: "get __proto__", length: 0) { rt, this, _ throws(VMError) in
            Value(try rt.toObject(this).prototype)
        }
        let protoSetter = try newNativeFunction(name: "set __proto__", length: 1) { rt, this, args throws(VMError) in
            try rt.requireObjectCoercible(this, "Object.prototype.__proto__")
            let p = args[0]
            guard p.isObject || p.isNull, this.isObject else { return .undefined }
            if !rt.setPrototypeOf(this.object, p.asObject) {
                throw rt.typeError("Cannot set prototype: object is not extensible or the prototype chain would be cyclic")
            }
            return .undefined
        }
        try defineAccessorProperty(op, key("__proto__"), getter: Value(protoGetter), setter: Value(protoSetter),
                                   [.configurable])
        // Annex B accessor helpers.
        try defineMethod(op, "__defineGetter__", 2) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            guard rt.isCallable(args[1]) else { throw rt.typeError("Object.prototype.__defineGetter__: Expecting function") }
            let k = try rt.toPropertyKey(args[0])
            try rt.definePropertyOrThrow(o, k, PropertyDescriptor(get: args[1], enumerable: true, configurable: true))
            return .undefined
        }
        try defineMethod(op, "__defineSetter__", 2) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            guard rt.isCallable(args[1]) else { throw rt.typeError("Object.prototype.__defineSetter__: Expecting function") }
            let k = try rt.toPropertyKey(args[0])
            try rt.definePropertyOrThrow(o, k, PropertyDescriptor(set: args[1], enumerable: true, configurable: true))
            return .undefined
        }
        try defineMethod(op, "__lookupGetter__", 1) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let k = try rt.toPropertyKey(args[0])
            var cur: JSObject? = o
            while let c = cur {
                if let d = rt.getOwnProperty(c, k) { return d.isAccessor ? (d.get ?? .undefined) : .undefined }
                cur = c.prototype
            }
            return .undefined
        }
        try defineMethod(op, "__lookupSetter__", 1) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let k = try rt.toPropertyKey(args[0])
            var cur: JSObject? = o
            while let c = cur {
                if let d = rt.getOwnProperty(c, k) { return d.isAccessor ? (d.set ?? .undefined) : .undefined }
                cur = c.prototype
            }
            return .undefined
        }
    }

    // MARK: Shared algorithms

    /// `Object.prototype.toString`.
    func objectToString(_ this: Value) throws(VMError) -> Value {
        if this.isUndefined { return Value(intern("[object Undefined]")) }
        if this.isNull { return Value(intern("[object Null]")) }
        let o = try toObject(this)
        let builtinTag: String
        switch o.kind {
        case .array: builtinTag = "Array"
        case .arguments: builtinTag = "Arguments"
        case .function: builtinTag = "Function"
        case .error: builtinTag = "Error"
        case .boolean: builtinTag = "Boolean"
        case .number: builtinTag = "Number"
        case .string: builtinTag = "String"
        case .date: builtinTag = "Date"
        case .regExp: builtinTag = "RegExp"
        default: builtinTag = "Object"
        }
        let m = pushTemporaryRoot(Value(o))
        defer { popTemporaryRoots(to: m) }
        let tag = try get(o, PropertyKey(symbol: wellKnownSymbols.toStringTag), receiver: Value(o))
        if tag.isString {
            var u = ContiguousArray("[object ".utf16)
            u.append(contentsOf: tag.string.units)
            u.append(93)
            return Value(try newString(u))
        }
        return Value(intern("[object " + builtinTag + "]"))
    }

    /// ObjectDefineProperties.
    func objectDefineProperties(_ o: JSObject, _ properties: Value) throws(VMError) {
        let props = try toObject(properties)
        let m = pushTemporaryRoot(Value(props))
        defer { popTemporaryRoots(to: m) }
        var descriptors: [(PropertyKey, PropertyDescriptor)] = []
        for k in ownPropertyKeys(props) {
            try charge(1)
            guard let pd = getOwnProperty(props, k), pd.enumerable == true else { continue }
            let descObj = try get(props, k, receiver: Value(props))
            let d = try toPropertyDescriptor(descObj)
            for v in [d.value, d.get, d.set] { if let v { _ = pushTemporaryRoot(v) } }
            descriptors.append((k, d))
        }
        for (k, d) in descriptors { try definePropertyOrThrow(o, k, d) }
    }

    /// EnumerableOwnProperties: kind 0 keys, 1 values, 2 entries.
    func enumerableOwnProperties(_ v: Value, kind: Int) throws(VMError) -> Value {
        let o = try toObject(v)
        let m = pushTemporaryRoot(Value(o))
        defer { popTemporaryRoots(to: m) }
        var out = ContiguousArray<Value>()
        if kind == 0 {
            for k in ownEnumerableStringKeys(o) {
                try charge(1)
                out.append(try keyToValue(k))
            }
            return Value(try newArray(out))
        }
        for k in ownPropertyKeys(o) where !k.isSymbol {
            try charge(1)
            guard let d = getOwnProperty(o, k), d.enumerable == true else { continue }
            let value = try get(o, k, receiver: Value(o))
            if kind == 1 {
                out.append(value)
            } else {
                let kv = try keyToValue(k)
                out.append(Value(try newArray([kv, value])))
            }
            _ = pushTemporaryRoot(out[out.count - 1])
        }
        return Value(try newArray(out))
    }

    /// GroupBy(items, callback): calls `body(callbackResult, value)` for every element in order
    /// (the callback result stays rooted during `body`; `body` must root what it keeps).
    func groupBy(_ items: Value, _ callback: Value,
                 _ body: (Value, Value) throws(VMError) -> Void) throws(VMError) {
        try requireObjectCoercible(items, "groupBy")
        guard isCallable(callback) else { throw typeError("\(describeForError(callback)) is not a function") }
        var k = 0
        try forEachIterated(items) { (value) throws(VMError) in
            let kv = try call(callback, this: .undefined, arguments: [value, Value(k)])
            let m = pushTemporaryRoot(kv)
            defer { popTemporaryRoots(to: m) }
            try body(kv, value)
            k += 1
        }
    }
}
