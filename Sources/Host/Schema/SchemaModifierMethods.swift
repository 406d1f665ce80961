import SluiceVM

// The methods every schema has, whatever its type: required optional default label valid strip
// custom, and validate. Each builder method returns a new schema; the receiver never changes.

extension Runtime {
    func installSchemaModifierMethods(on p: JSObject) throws(VMError) {
        try defineMethod(p, "required", 0) { rt, this, _ throws(VMError) in
            var rules = try rt.schemaRules(this, method: "required")
            rules.isRequired = true
            return try rt.newSchema(rules)
        }
        try defineMethod(p, "optional", 0) { rt, this, _ throws(VMError) in
            var rules = try rt.schemaRules(this, method: "optional")
            rules.isRequired = false
            return try rt.newSchema(rules)
        }
        try defineMethod(p, "default", 1) { rt, this, args throws(VMError) in
            var rules = try rt.schemaRules(this, method: "default")
            guard args.count > 0 else {
                throw rt.typeError(".default(value) needs the value to use when the input is missing")
            }
            // default(undefined) removes the default.
            rules.defaultValue = args[0].isUndefined ? nil : args[0]
            return try rt.newSchema(rules)
        }
        try defineMethod(p, "label", 1) { rt, this, args throws(VMError) in
            var rules = try rt.schemaRules(this, method: "label")
            let name = args[0]
            guard name.isString, name.string.count > 0 else {
                throw rt.typeError(".label(name) expects a non-empty string, got \(rt.describeForError(name))")
            }
            rules.label = name.string
            return try rt.newSchema(rules)
        }
        try defineMethod(p, "valid", 0) { rt, this, args throws(VMError) in
            var rules = try rt.schemaRules(this, method: "valid")
            var allowed = args.array()
            // valid(['a', 'b']) means the same as valid('a', 'b').
            if allowed.count == 1, allowed[0].isObject, allowed[0].object.kind == .array {
                allowed = try rt.arrayElements(allowed[0].object)
            }
            guard !allowed.isEmpty else {
                throw rt.typeError(".valid(...values) needs at least one allowed value")
            }
            rules.allowedValues = allowed
            return try rt.newSchema(rules)
        }
        try defineMethod(p, "strip", 0) { rt, this, _ throws(VMError) in
            var rules = try rt.schemaRules(this, method: "strip")
            rules.isStripped = true
            return try rt.newSchema(rules)
        }
        try defineMethod(p, "custom", 1) { rt, this, args throws(VMError) in
            var rules = try rt.schemaRules(this, method: "custom")
            guard args[0].asFunction != nil else {
                throw rt.typeError(".custom(fn) expects a function (value, label) that returns an error "
                    + "message or nothing, got \(rt.describeForError(args[0]))")
            }
            rules.customChecks.append(args[0])
            return try rt.newSchema(rules)
        }
        try defineMethod(p, "validate", 1) { rt, this, args throws(VMError) in
            guard let node = rt.schemaNode(this) else {
                throw rt.typeError("validate() must be called on a schema, e.g. schema.validate(data); "
                    + "got \(rt.describeForError(this))")
            }
            let mark = rt.pushTemporaryRoot(this)
            defer { rt.popTemporaryRoots(to: mark) }
            var validator = try SchemaValidator(runtime: rt, schema: this.object)
            return try validator.result(of: node, for: args[0])
        }
    }

    /// The rules of `this`, or a TypeError naming the method when it is not a schema.
    func schemaRules(_ this: Value, method: String) throws(VMError) -> SchemaRules {
        guard let node = schemaNode(this) else {
            throw typeError(".\(method)() must be called on a schema such as Schema.string(); "
                + "got \(describeForError(this))")
        }
        return node.rules
    }

    /// The elements of an array (holes read as undefined).
    func arrayElements(_ a: JSObject) throws(VMError) -> [Value] {
        var out: [Value] = []
        let count = Int(a.arrayLength)
        // An element getter may run script code: keep what was read so far alive.
        let mark = pushTemporaryRoot(Value(a))
        defer { popTemporaryRoots(to: mark) }
        for i in 0..<count {
            try charge(1)
            let v = try get(a, PropertyKey(index: UInt32(i)))
            _ = pushTemporaryRoot(v)
            out.append(v)
        }
        return out
    }
}
