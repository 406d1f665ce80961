// Error, the native error constructors, and AggregateError.

extension Runtime {
    func installErrorBuiltins() throws(VMError) {
        let base = intrinsics.errorPrototype!
        intrinsics.errorPrototypes[.error] = base
        let errorCtor = try makeErrorConstructor(.error, prototype: base, parent: nil)
        try defineMethod(base, "toString", 0) { rt, this, _ throws(VMError) in
            guard this.isObject else { throw rt.typeError("Error.prototype.toString called on non-object") }
            let o = this.object
            let n = try rt.get(o, rt.names.name)
            let m = try rt.get(o, rt.names.message)
            let name = n.isUndefined ? "Error" : try rt.toSwiftString(n)
            let msg = m.isUndefined ? "" : try rt.toSwiftString(m)
            if name.isEmpty { return try rt.string(msg) }
            if msg.isEmpty { return try rt.string(name) }
            return try rt.string(name + ": " + msg)
        }
        // `stack` is an accessor here (as in SpiderMonkey) so an error's trace is formatted only
        // when read; reading or assigning it leaves an own data property on the error.
        let stackGetter = try newNativeFunction(name: "get stack", length: 0) { rt, this, _ throws(VMError) in
            try rt.capturedStackText(of: this)
        }
        let stackSetter = try newNativeFunction(name: "set stack", length: 1) { rt, this, args throws(VMError) in
            if this.isObject { try rt.defineDataProperty(this.object, rt.names.stack, args[0], .hidden) }
            return .undefined
        }
        try defineAccessorProperty(base, names.stack, getter: Value(stackGetter), setter: Value(stackSetter), [.configurable])
        for kind in ErrorKind.allCases where kind != .error {
            let proto = try newObject(prototype: base)
            intrinsics.errorPrototypes[kind] = proto
            _ = try makeErrorConstructor(kind, prototype: proto, parent: errorCtor)
        }
    }

    private func makeErrorConstructor(_ kind: ErrorKind, prototype: JSObject,
                                      parent: JSFunction?) throws(VMError) -> JSFunction {
        let isAggregate = kind == .aggregateError
        let ctor = try defineConstructor(kind.rawValue, length: isAggregate ? 2 : 1, prototype: prototype) {
            rt, _, args throws(VMError) in
            let newTarget = args.isConstructCall ? args.newTarget : Value(rt.intrinsics.errorConstructors[kind]!)
            let proto = try rt.prototypeFromConstructor(newTarget, fallback: rt.intrinsics.errorPrototypes[kind]!)
            let e = try rt.newObject(kind: .error, prototype: proto)
            let messageArg = isAggregate ? args[1] : args[0]
            let optionsArg = isAggregate ? args[2] : args[1]
            if !messageArg.isUndefined {
                try rt.defineDataProperty(e, rt.names.message, Value(try rt.toJSString(messageArg)), .hidden)
            }
            if optionsArg.isObject, rt.hasProperty(optionsArg.object, rt.names.cause) {
                try rt.defineDataProperty(e, rt.names.cause, try rt.get(optionsArg.object, rt.names.cause), .hidden)
            }
            if isAggregate {
                let list = try rt.iterableToList(args[0])
                try rt.defineDataProperty(e, rt.names.errors, Value(try rt.newArray(list)), .hidden)
            }
            try rt.installStack(on: e)
            return Value(e)
        }
        if let parent { ctor.prototype = parent }
        intrinsics.errorConstructors[kind] = ctor
        try defineDataProperty(prototype, names.name, Value(intern(kind.rawValue)), .hidden)
        try defineDataProperty(prototype, names.message, Value(intern("")), .hidden)
        return ctor
    }
}
