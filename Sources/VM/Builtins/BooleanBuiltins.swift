// Boolean and Boolean.prototype.

extension Runtime {
    func installBooleanBuiltins() throws(VMError) {
        let bp = intrinsics.booleanPrototype!
        let ctor = try defineConstructor("Boolean", length: 1, prototype: bp) { rt, _, args throws(VMError) in
            let b = rt.toBoolean(args[0])
            if !args.isConstructCall { return Value(b) }
            let proto = try rt.prototypeFromConstructor(args.newTarget, fallback: rt.intrinsics.booleanPrototype)
            let o = try rt.newObject(kind: .boolean, prototype: proto)
            o.primitiveValue = Value(b)
            return Value(o)
        }
        intrinsics.booleanConstructor = ctor
        try defineMethod(bp, "toString", 0) { rt, this, _ throws(VMError) in
            let b = try rt.thisBooleanValue(this, "Boolean.prototype.toString")
            return Value(rt.intern(b ? "true" : "false"))
        }
        try defineMethod(bp, "valueOf", 0) { rt, this, _ throws(VMError) in
            Value(try rt.thisBooleanValue(this, "Boolean.prototype.valueOf"))
        }
    }

    /// thisBooleanValue.
    func thisBooleanValue(_ v: Value, _ method: String) throws(VMError) -> Bool {
        if v.isBoolean { return v.boolean }
        if v.isObject, v.object.kind == .boolean, v.object.primitiveValue.isBoolean { return v.object.primitiveValue.boolean }
        throw typeError("\(method) requires that 'this' be a Boolean")
    }
}
