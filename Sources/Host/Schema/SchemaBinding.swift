import SluiceVM

/// The `Schema` global of backend scripts: a Joi-like validator (reference-notes §1.5, §2.5, §3 Q4).
///
/// ```js
/// var CheckIn = Schema.object({
///   weight: Schema.number().required().min(50).max(500),
///   unit:   Schema.string().valid('lbs', 'kg').default('lbs'),
/// });
/// var result = CheckIn.validate(request.body);   // { valid, value, errors }
/// ```
///
/// Schemas are native: each schema is a JavaScript object whose rules live in Swift
/// (`SchemaNode`), and every builder method returns a new schema.
///
/// Installation runs once per request (every request gets a fresh runtime) and most requests
/// never validate, so it is lazy: `install` defines `Schema` as an accessor on the global object,
/// and the first read builds the `Schema` object (six builders) and turns the global into a
/// plain data property holding it. The methods all schemas share are made when the first schema
/// is built. Measured (release build): installing costs about 2–3 µs (building the object up
/// front cost about 11.5 µs; a JavaScript prelude doing the same, 120–190 µs), and the first use
/// in a runtime adds the cost of making the 28 native functions.
public enum SchemaBinding {
    /// Defines the global `Schema` in `rt`. Call once per runtime, before running scripts.
    public static func install(into rt: Runtime) throws(VMError) {
        // One function serves as getter (no argument) and setter (`Schema = x`, one argument).
        let materialize = try rt.newNativeFunction(name: "Schema", length: 0) { rt, _, args throws(VMError) in
            let value = args.count > 0 ? args[0] : try rt.schemaGlobalObject()
            try rt.defineGlobal("Schema", value)
            return args.count > 0 ? .undefined : value
        }
        try rt.defineAccessorProperty(rt.globalObject, rt.key("Schema"), getter: Value(materialize),
                                      setter: Value(materialize), [.configurable])
    }

    /// Defines `Schema` with the shared schema prototype built at once. Pooled runtimes use this:
    /// everything a script can reach must exist before `recordPristineState`, so a change to it
    /// is noticed and the runtime is not reused.
    public static func installEagerly(into rt: Runtime) throws(VMError) {
        try rt.defineGlobal("Schema", try rt.schemaGlobalObject())
        _ = try rt.schemaPrototype()
    }
}

extension Runtime {
    /// Slots of the `Schema` object and of the shared schema prototype in `intrinsics`
    /// (which the collector marks).
    static let schemaObjectKey = IntrinsicSlot()
    static let schemaPrototypeKey = IntrinsicSlot()

    /// The `Schema` object with its six builders, made on first use.
    fileprivate func schemaGlobalObject() throws(VMError) -> Value {
        if let existing = intrinsics[Runtime.schemaObjectKey] { return Value(existing) }
        let schema = try newObject()
        try defineMethod(schema, "string", 0) { rt, _, _ throws(VMError) in
            try rt.newSchema(SchemaRules(kind: .string))
        }
        try defineMethod(schema, "number", 0) { rt, _, _ throws(VMError) in
            try rt.newSchema(SchemaRules(kind: .number))
        }
        try defineMethod(schema, "boolean", 0) { rt, _, _ throws(VMError) in
            try rt.newSchema(SchemaRules(kind: .boolean))
        }
        try defineMethod(schema, "array", 0) { rt, _, _ throws(VMError) in
            try rt.newSchema(SchemaRules(kind: .array))
        }
        try defineMethod(schema, "object", 1) { rt, _, args throws(VMError) in
            var rules = SchemaRules(kind: .object)
            rules.declaredKeys = try rt.declaredSchemaKeys(args[0])
            return try rt.newSchema(rules)
        }
        try defineMethod(schema, "any", 0) { rt, _, _ throws(VMError) in
            try rt.newSchema(SchemaRules(kind: .any))
        }
        intrinsics[Runtime.schemaObjectKey] = schema
        return Value(schema)
    }

    /// Wraps `rules` in a new schema object.
    func newSchema(_ rules: SchemaRules) throws(VMError) -> Value {
        let o = try newObject(kind: .host, prototype: try schemaPrototype())
        o.internalStorage = SchemaNode(rules)
        return Value(o)
    }

    /// The rules of a schema object, or nil when `v` is not one.
    func schemaNode(_ v: Value) -> SchemaNode? {
        guard v.isObject else { return nil }
        let o = v.object
        // An exact type test instead of `as?`: this runs for every value validated.
        guard o.kind == .host, let storage = o.internalStorage,
              ObjectIdentifier(type(of: storage)) == ObjectIdentifier(SchemaNode.self) else { return nil }
        return unsafeDowncast(storage, to: SchemaNode.self)
    }

    /// The prototype every schema shares, made on first use (with the binding's per-runtime state
    /// in its `internalStorage`).
    fileprivate func schemaPrototype() throws(VMError) -> JSObject {
        if let p = intrinsics[Runtime.schemaPrototypeKey] { return p }
        let p = try newObject()
        p.internalStorage = SchemaRealm(self)
        try installSchemaModifierMethods(on: p)
        try installSchemaRuleMethods(on: p)
        intrinsics[Runtime.schemaPrototypeKey] = p
        return p
    }

    /// The binding's per-runtime state, found through a schema object (whose prototype holds it
    /// unless a script replaced the prototype).
    func schemaRealm(of schema: JSObject) -> SchemaRealm {
        if let storage = schema.prototype?.internalStorage,
           ObjectIdentifier(type(of: storage)) == ObjectIdentifier(SchemaRealm.self) {
            return unsafeDowncast(storage, to: SchemaRealm.self)
        }
        // A schema exists, so the prototype does.
        return unsafeDowncast(intrinsics[Runtime.schemaPrototypeKey]!.internalStorage!, to: SchemaRealm.self)
    }

    /// `Schema.object(keys)`: the keys object's own enumerable keys and their schemas, or nil when
    /// no argument was given (any keys accepted).
    fileprivate func declaredSchemaKeys(_ arg: Value) throws(VMError) -> [(key: PropertyKey, schema: Value)]? {
        if arg.isUndefined { return nil }
        guard arg.isObject, !arg.object.isCallable, arg.object.kind != .array, schemaNode(arg) == nil else {
            throw typeError("Schema.object(keys) expects an object whose values are schemas, "
                + "e.g. Schema.object({ name: Schema.string() }); got \(describeForError(arg))")
        }
        let keysObject = arg.object
        var declared: [(key: PropertyKey, schema: Value)] = []
        // A getter may run script code (and so a collection): keep the schemas read so far alive.
        let mark = pushTemporaryRoot(arg)
        defer { popTemporaryRoots(to: mark) }
        for k in ownEnumerableStringKeys(keysObject) {
            try charge(1)
            let v = try get(keysObject, k)
            _ = pushTemporaryRoot(v)
            guard schemaNode(v) != nil else {
                throw typeError("Schema.object(): key \"\(describeKey(k))\" must be a schema such as "
                    + "Schema.string(), got \(describeForError(v))")
            }
            declared.append((k, v))
        }
        return declared
    }
}
