import SluiceVM

// The methods every schema has, whatever its type: required optional default label valid strip
// custom, and validate. Each builder method returns a new schema; the receiver never changes.

extension Runtime {
    func installSchemaModifierMethods(on p: JSObject, realm: SchemaRealm) throws(VMError) {
        try defineMethod(p, "required", 0) { rt, this, _ throws(VMError) in
            let node = try rt.schemaNode(this, method: "required")
            var rules = node.rules
            rules.flags.insert(.required)
            return try rt.newSchema(rules, lists: node.lists, in: realm)
        }
        try defineMethod(p, "optional", 0) { rt, this, _ throws(VMError) in
            let node = try rt.schemaNode(this, method: "optional")
            var rules = node.rules
            rules.flags.remove(.required)
            return try rt.newSchema(rules, lists: node.lists, in: realm)
        }
        try defineMethod(p, "default", 1) { rt, this, args throws(VMError) in
            let node = try rt.schemaNode(this, method: "default")
            var rules = node.rules
            guard args.count > 0 else {
                throw rt.typeError(".default(value) needs the value to use when the input is missing")
            }
            // default(undefined) removes the default.
            rules.defaultValue = args[0].isUndefined ? nil : args[0]
            return try rt.newSchema(rules, lists: node.lists, in: realm)
        }
        try defineMethod(p, "label", 1) { rt, this, args throws(VMError) in
            let node = try rt.schemaNode(this, method: "label")
            var rules = node.rules
            let name = args[0]
            guard name.isString, name.string.count > 0 else {
                throw rt.typeError(".label(name) expects a non-empty string, got \(rt.describeForError(name))")
            }
            rules.label = name
            return try rt.newSchema(rules, lists: node.lists, in: realm)
        }
        try defineMethod(p, "valid", 0) { rt, this, args throws(VMError) in
            let node = try rt.schemaNode(this, method: "valid")
            var allowed = args.array()
            // valid(['a', 'b']) means the same as valid('a', 'b').
            if allowed.count == 1, allowed[0].isObject, allowed[0].object.kind == .array {
                allowed = try rt.arrayElements(allowed[0].object)
            }
            guard !allowed.isEmpty else {
                throw rt.typeError(".valid(...values) needs at least one allowed value")
            }
            return try rt.newSchema(node.rules, lists: .replacing(node.lists, allowedValues: allowed), in: realm)
        }
        try defineMethod(p, "strip", 0) { rt, this, _ throws(VMError) in
            let node = try rt.schemaNode(this, method: "strip")
            var rules = node.rules
            rules.flags.insert(.stripped)
            return try rt.newSchema(rules, lists: node.lists, in: realm)
        }
        try defineMethod(p, "custom", 1) { rt, this, args throws(VMError) in
            let node = try rt.schemaNode(this, method: "custom")
            guard args[0].asFunction != nil else {
                throw rt.typeError(".custom(fn) expects a function (value, label) that returns an error "
                    + "message or nothing, got \(rt.describeForError(args[0]))")
            }
            return try rt.newSchema(node.rules, lists: .adding(node.lists, customCheck: args[0]), in: realm)
        }
        try defineMethod(p, "validate", 1) { rt, this, args throws(VMError) in
            guard let node = rt.schemaNode(this) else {
                throw rt.typeError("validate() must be called on a schema, e.g. schema.validate(data); "
                    + "got \(rt.describeForError(this))")
            }
            let mark = rt.pushTemporaryRoot(this)
            defer { rt.popTemporaryRoots(to: mark) }
            var validator = SchemaValidator(runtime: rt, realm: realm, errorList: try rt.newArray())
            return try validator.result(of: node, for: args[0])
        }
    }

    /// The rules of `this`, or a TypeError naming the method when it is not a schema.
    func schemaNode(_ this: Value, method: StaticString) throws(VMError) -> SchemaNode {
        guard let node = schemaNode(this) else {
            throw typeError(".\(method)() must be called on a schema such as Schema.string(); "
                + "got \(describeForError(this))")
        }
        return node
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
