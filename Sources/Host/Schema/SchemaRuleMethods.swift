import SluiceVM

// The type-specific rule methods: min max (string, number, array), email url pattern lowercase
// (string), integer positive negative (number), items (array), pattern_values (object).
// Using a rule on a type it does not apply to is a TypeError, so a typo in a schema fails loudly
// when the schema is built instead of silently accepting bad data later.

extension Runtime {
    func installSchemaRuleMethods(on p: JSObject) throws(VMError) {
        try defineMethod(p, "min", 1) { rt, this, args throws(VMError) in
            var rules = try rt.schemaRules(this, method: "min", for: [.string, .number, .array])
            rules.minimum = try rt.schemaBound(args[0], method: "min", kind: rules.kind)
            return try rt.newSchema(rules)
        }
        try defineMethod(p, "max", 1) { rt, this, args throws(VMError) in
            var rules = try rt.schemaRules(this, method: "max", for: [.string, .number, .array])
            rules.maximum = try rt.schemaBound(args[0], method: "max", kind: rules.kind)
            return try rt.newSchema(rules)
        }
        try defineMethod(p, "email", 0) { rt, this, _ throws(VMError) in
            var rules = try rt.schemaRules(this, method: "email", for: [.string])
            rules.requiresEmail = true
            return try rt.newSchema(rules)
        }
        try defineMethod(p, "url", 0) { rt, this, _ throws(VMError) in
            var rules = try rt.schemaRules(this, method: "url", for: [.string])
            rules.requiresURL = true
            return try rt.newSchema(rules)
        }
        try defineMethod(p, "lowercase", 0) { rt, this, _ throws(VMError) in
            var rules = try rt.schemaRules(this, method: "lowercase", for: [.string])
            rules.requiresLowercase = true
            return try rt.newSchema(rules)
        }
        try defineMethod(p, "pattern", 1) { rt, this, args throws(VMError) in
            var rules = try rt.schemaRules(this, method: "pattern", for: [.string])
            rules.patterns.append(Value(try rt.statelessRegExp(args[0])))
            return try rt.newSchema(rules)
        }
        try defineMethod(p, "integer", 0) { rt, this, _ throws(VMError) in
            var rules = try rt.schemaRules(this, method: "integer", for: [.number])
            rules.requiresInteger = true
            return try rt.newSchema(rules)
        }
        try defineMethod(p, "positive", 0) { rt, this, _ throws(VMError) in
            var rules = try rt.schemaRules(this, method: "positive", for: [.number])
            rules.requiresPositive = true
            return try rt.newSchema(rules)
        }
        try defineMethod(p, "negative", 0) { rt, this, _ throws(VMError) in
            var rules = try rt.schemaRules(this, method: "negative", for: [.number])
            rules.requiresNegative = true
            return try rt.newSchema(rules)
        }
        try defineMethod(p, "items", 1) { rt, this, args throws(VMError) in
            var rules = try rt.schemaRules(this, method: "items", for: [.array])
            rules.itemSchema = try rt.schemaArgument(args[0], method: "items(rule)")
            return try rt.newSchema(rules)
        }
        try defineMethod(p, "pattern_values", 1) { rt, this, args throws(VMError) in
            var rules = try rt.schemaRules(this, method: "pattern_values", for: [.object])
            rules.patternValueSchema = try rt.schemaArgument(args[0], method: "pattern_values(rule)")
            return try rt.newSchema(rules)
        }
    }

    /// The rules of `this`, or a TypeError when it is not a schema of one of `kinds`.
    func schemaRules(_ this: Value, method: String, for kinds: [SchemaKind]) throws(VMError) -> SchemaRules {
        let rules = try schemaRules(this, method: method)
        guard kinds.contains(rules.kind) else {
            let usable = kinds.map(\.builderName).joined(separator: ", ")
            throw typeError(".\(method)() does not apply to \(rules.kind.builderName); it is a rule of \(usable)")
        }
        return rules
    }

    /// The argument of `min`/`max`: a length or count (non-negative integer) for strings and
    /// arrays, any finite number for numbers.
    func schemaBound(_ v: Value, method: String, kind: SchemaKind) throws(VMError) -> Double {
        switch kind {
        case .number:
            guard v.isNumber, v.number.isFinite else {
                throw typeError(".\(method)(n) on Schema.number() expects a finite number, got \(describeForError(v))")
            }
        default:
            guard v.isNumber, v.number >= 0, v.number.isFinite, v.number.rounded(.towardZero) == v.number else {
                let what = kind == .string ? "length" : "item count"
                throw typeError(".\(method)(n) on \(kind.builderName) expects a non-negative integer \(what), "
                    + "got \(describeForError(v))")
            }
        }
        return v.number
    }

    /// A schema passed as an argument (`items`, `pattern_values`), or a TypeError.
    func schemaArgument(_ v: Value, method: String) throws(VMError) -> Value {
        guard schemaNode(v) != nil else {
            throw typeError(".\(method) expects a schema such as Schema.string(), got \(describeForError(v))")
        }
        return v
    }

    /// `pattern(re)`: a private copy of the RegExp (or of a pattern string) without the `g` and
    /// `y` flags, so testing it never depends on or changes `lastIndex`.
    func statelessRegExp(_ v: Value) throws(VMError) -> JSObject {
        if v.isString { return try newRegExp(pattern: v.string, flags: try newString("")) }
        guard v.isObject, v.object.kind == .regExp else {
            throw typeError(".pattern(re) expects a RegExp such as /^[a-z]+$/, got \(describeForError(v))")
        }
        let source = try toJSString(try get(v.object, key("source")))
        let mark = pushTemporaryRoot(Value(source))  // reading `flags` may run a getter
        defer { popTemporaryRoots(to: mark) }
        let flags = try toSwiftString(try get(v.object, key("flags")))
        let kept = flags.filter { $0 != "g" && $0 != "y" }
        return try newRegExp(pattern: source, flags: try newString(kept))
    }
}
