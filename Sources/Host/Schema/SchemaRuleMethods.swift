import SluiceVM

// The type-specific rule methods: min max (string, number, array), email url pattern lowercase
// (string), integer positive negative (number), items (array), pattern_values (object).
// Using a rule on a type it does not apply to is a TypeError, so a typo in a schema fails loudly
// when the schema is built instead of silently accepting bad data later.

extension Runtime {
    func installSchemaRuleMethods(on p: JSObject, realm: SchemaRealm) throws(VMError) {
        try defineMethod(p, "min", 1) { rt, this, args throws(VMError) in
            let node = try rt.schemaNode(this, method: "min", for: .measured)
            var rules = node.rules
            rules.minimum = try rt.schemaBound(args[0], method: "min", kind: rules.kind)
            return try rt.newSchema(rules, lists: node.lists, in: realm)
        }
        try defineMethod(p, "max", 1) { rt, this, args throws(VMError) in
            let node = try rt.schemaNode(this, method: "max", for: .measured)
            var rules = node.rules
            rules.maximum = try rt.schemaBound(args[0], method: "max", kind: rules.kind)
            return try rt.newSchema(rules, lists: node.lists, in: realm)
        }
        try defineMethod(p, "email", 0) { rt, this, _ throws(VMError) in
            let node = try rt.schemaNode(this, method: "email", for: .string)
            var rules = node.rules
            rules.flags.insert(.email)
            return try rt.newSchema(rules, lists: node.lists, in: realm)
        }
        try defineMethod(p, "url", 0) { rt, this, _ throws(VMError) in
            let node = try rt.schemaNode(this, method: "url", for: .string)
            var rules = node.rules
            rules.flags.insert(.url)
            return try rt.newSchema(rules, lists: node.lists, in: realm)
        }
        try defineMethod(p, "lowercase", 0) { rt, this, _ throws(VMError) in
            let node = try rt.schemaNode(this, method: "lowercase", for: .string)
            var rules = node.rules
            rules.flags.insert(.lowercase)
            return try rt.newSchema(rules, lists: node.lists, in: realm)
        }
        try defineMethod(p, "pattern", 1) { rt, this, args throws(VMError) in
            let node = try rt.schemaNode(this, method: "pattern", for: .string)
            let pattern = Value(try rt.statelessRegExp(args[0]))
            return try rt.newSchema(node.rules, lists: .adding(node.lists, pattern: pattern), in: realm)
        }
        try defineMethod(p, "integer", 0) { rt, this, _ throws(VMError) in
            let node = try rt.schemaNode(this, method: "integer", for: .number)
            var rules = node.rules
            rules.flags.insert(.integer)
            return try rt.newSchema(rules, lists: node.lists, in: realm)
        }
        try defineMethod(p, "positive", 0) { rt, this, _ throws(VMError) in
            let node = try rt.schemaNode(this, method: "positive", for: .number)
            var rules = node.rules
            rules.flags.insert(.positive)
            return try rt.newSchema(rules, lists: node.lists, in: realm)
        }
        try defineMethod(p, "negative", 0) { rt, this, _ throws(VMError) in
            let node = try rt.schemaNode(this, method: "negative", for: .number)
            var rules = node.rules
            rules.flags.insert(.negative)
            return try rt.newSchema(rules, lists: node.lists, in: realm)
        }
        try defineMethod(p, "items", 1) { rt, this, args throws(VMError) in
            let node = try rt.schemaNode(this, method: "items", for: .array)
            var rules = node.rules
            rules.itemSchema = try rt.schemaArgument(args[0], method: "items(rule)")
            return try rt.newSchema(rules, lists: node.lists, in: realm)
        }
        try defineMethod(p, "pattern_values", 1) { rt, this, args throws(VMError) in
            let node = try rt.schemaNode(this, method: "pattern_values", for: .object)
            var rules = node.rules
            rules.patternValueSchema = try rt.schemaArgument(args[0], method: "pattern_values(rule)")
            return try rt.newSchema(rules, lists: node.lists, in: realm)
        }
    }

    /// The rules of `this`, or a TypeError when it is not a schema of one of `kinds`.
    func schemaNode(_ this: Value, method: StaticString, for kinds: SchemaKinds) throws(VMError) -> SchemaNode {
        let node = try schemaNode(this, method: method)
        let rules = node.rules
        guard kinds.contains(SchemaKinds(rules.kind)) else {
            let usable = kinds.members.map(\.builderName).joined(separator: ", ")
            throw typeError(".\(method)() does not apply to \(rules.kind.builderName); it is a rule of \(usable)")
        }
        return node
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
    func schemaArgument(_ v: Value, method: String) throws(VMError) -> SchemaChild {
        guard let node = schemaNode(v) else {
            throw typeError(".\(method) expects a schema such as Schema.string(), got \(describeForError(v))")
        }
        return SchemaChild(schema: v, node: node)
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
