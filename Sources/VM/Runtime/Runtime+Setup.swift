// Builds the realm: the core prototypes first (so installers can refer to any of them), then every
// builtin installer in turn.

extension Runtime {
    func setUpIntrinsics() {
        do {
            try setUpCorePrototypes()
            try installErrorBuiltins()
            try installObjectBuiltins()
            try installFunctionBuiltins()
            try installArrayBuiltins()
            try installIteratorBuiltins()
            try installSymbolBuiltins()
            try installMapSetBuiltins()
            try installGlobalFunctions()
            try installBooleanBuiltins()
            try installNumberBuiltins()
            try installMathBuiltins()
            try installStringBuiltins()
            try installJSONBuiltins()
            try installDateBuiltins()
            try installRegExpBuiltins()
        } catch {
            fatalError("builtin setup failed: \(error)")
        }
    }

    private func setUpCorePrototypes() throws(VMError) {
        let i = Intrinsics()
        intrinsics = i
        let root = shapes.root!
        func cell<C: JSObject>(_ c: C) throws(VMError) -> C { try heap.register(c, bytes: Heap.cellHeaderBytes) }
        i.objectPrototype = try cell(JSObject(shape: root, prototype: nil, kind: .ordinary))
        let fp = try cell(JSFunction(shape: root, prototype: i.objectPrototype, native: { _, _, _ in .undefined },
                                     block: nil, flags: [.extensible]))
        i.functionPrototype = fp
        try defineFunctionNameAndLength(fp, name: Value(intern("")), length: 0)
        let op = i.objectPrototype!
        i.arrayPrototype = try cell(JSObject(shape: root, prototype: op, kind: .array))
        let sp = try cell(JSObject(shape: root, prototype: op, kind: .string))
        sp.primitiveValue = Value(intern(""))
        i.stringPrototype = sp
        let np = try cell(JSObject(shape: root, prototype: op, kind: .number))
        np.primitiveValue = Value(0.0)
        i.numberPrototype = np
        let bp = try cell(JSObject(shape: root, prototype: op, kind: .boolean))
        bp.primitiveValue = .false
        i.booleanPrototype = bp
        i.symbolPrototype = try newObject(prototype: op)
        i.errorPrototype = try newObject(prototype: op)
        i.datePrototype = try newObject(prototype: op)
        i.regExpPrototype = try newObject(prototype: op)
        i.mapPrototype = try newObject(prototype: op)
        i.setPrototype = try newObject(prototype: op)
        i.iteratorPrototype = try newObject(prototype: op)
        i.arrayIteratorPrototype = try newObject(prototype: i.iteratorPrototype)
        i.stringIteratorPrototype = try newObject(prototype: i.iteratorPrototype)
        i.mapIteratorPrototype = try newObject(prototype: i.iteratorPrototype)
        i.setIteratorPrototype = try newObject(prototype: i.iteratorPrototype)
        globalObject = try newObject(prototype: op)
        try defineDataProperty(globalObject, key("globalThis"), Value(globalObject), .hidden)

        let thrower = try newNativeFunction(name: "", length: 0) { rt, _, _ throws(VMError) in
            throw rt.typeError("'caller', 'callee', and 'arguments' properties may not be accessed on strict mode functions or the arguments objects for calls to them")
        }
        preventExtensions(thrower)
        i.throwTypeError = thrower
    }

    // MARK: Installer helpers

    /// Defines a builtin method (writable, configurable, not enumerable).
    @discardableResult
    public func defineMethod(_ o: JSObject, _ name: String, _ length: Int,
                             _ body: @escaping NativeFunction) throws(VMError) -> JSFunction {
        // Builtin names are atoms: the property key and the `name` value share one string.
        let atom = intern(name)
        let f = try newNativeFunction(name: Value(atom), length: length, flags: [.extensible],
                                      prototype: intrinsics.functionPrototype, body)
        try defineDataProperty(o, key(atom), Value(f), .hidden)
        return f
    }

    /// Defines a builtin method under a symbol key; its name is "[description]".
    @discardableResult
    public func defineMethod(_ o: JSObject, symbol: JSSymbol, name: String, _ length: Int,
                             attributes: PropertyAttributes = .hidden,
                             _ body: @escaping NativeFunction) throws(VMError) -> JSFunction {
        let f = try newNativeFunction(name: name, length: length, body)
        try defineDataProperty(o, PropertyKey(symbol: symbol), Value(f), attributes)
        return f
    }

    /// Defines a builtin getter (configurable, not enumerable); its name is "get <name>".
    @discardableResult
    public func defineGetter(_ o: JSObject, _ key: PropertyKey, name: String,
                             _ body: @escaping NativeFunction) throws(VMError) -> JSFunction {
        let f = try newNativeFunction(name: "get " + name, length: 0, body)
        try defineAccessorProperty(o, key, getter: Value(f), setter: .undefined, [.configurable])
        return f
    }

    /// Makes a constructor `name` with `prototype`, links `prototype.constructor`, and binds it on the global object.
    @discardableResult
    public func defineConstructor(_ name: String, length: Int, prototype: JSObject,
                                  _ body: @escaping NativeFunction) throws(VMError) -> JSFunction {
        let f = try newNativeFunction(name: name, length: length, isConstructor: true, body)
        try defineDataProperty(f, names.prototype, Value(prototype), [])
        try defineDataProperty(prototype, names.constructor, Value(f), .hidden)
        try defineDataProperty(globalObject, key(name), Value(f), .hidden)
        return f
    }

    /// Defines a global value binding (writable, configurable, not enumerable).
    public func defineGlobal(_ name: String, _ value: Value) throws(VMError) {
        try defineDataProperty(globalObject, key(name), value, .hidden)
    }

    /// Reads an argument as an object of `kind`, or throws "X called on incompatible receiver".
    public func thisObject(_ this: Value, kind: ObjectKind, method: String) throws(VMError) -> JSObject {
        if this.isObject && this.object.kind == kind { return this.object }
        throw typeError("\(method) called on incompatible receiver \(describeForError(this))")
    }
}
