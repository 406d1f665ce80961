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
        // The builders may run before the schema prototype (and realm) exist: they find the realm
        // on first use and keep it.
        let realm = SchemaRealmReference()
        try defineMethod(schema, "string", 0) { rt, _, _ throws(VMError) in
            try rt.newSchema(kind: .string, in: try realm.realm(rt))
        }
        try defineMethod(schema, "number", 0) { rt, _, _ throws(VMError) in
            try rt.newSchema(kind: .number, in: try realm.realm(rt))
        }
        try defineMethod(schema, "boolean", 0) { rt, _, _ throws(VMError) in
            try rt.newSchema(kind: .boolean, in: try realm.realm(rt))
        }
        try defineMethod(schema, "array", 0) { rt, _, _ throws(VMError) in
            try rt.newSchema(kind: .array, in: try realm.realm(rt))
        }
        try defineMethod(schema, "object", 1) { rt, _, args throws(VMError) in
            guard let declared = try rt.declaredSchemaKeys(args[0]) else {
                return try rt.newSchema(kind: .object, in: try realm.realm(rt))
            }
            return try rt.newSchema(SchemaRules(kind: .object), lists: SchemaRuleLists(declaredKeys: declared),
                                    in: try realm.realm(rt))
        }
        try defineMethod(schema, "any", 0) { rt, _, _ throws(VMError) in
            try rt.newSchema(kind: .any, in: try realm.realm(rt))
        }
        intrinsics[Runtime.schemaObjectKey] = schema
        return Value(schema)
    }

    /// Wraps `rules` and `lists` in a new schema object.
    func newSchema(_ rules: SchemaRules, lists: SchemaRuleLists?, in realm: SchemaRealm) throws(VMError) -> Value {
        let o = try newObject(kind: .host, prototype: realm.prototype)
        o.internalStorage = SchemaNode(rules, lists: lists)
        return Value(o)
    }

    /// A new schema object with no rules but its kind (`Schema.string()` …). Schemas share
    /// nodes freely, since a node never changes: these all share the realm's node for the kind.
    func newSchema(kind: SchemaKind, in realm: SchemaRealm) throws(VMError) -> Value {
        let o = try newObject(kind: .host, prototype: realm.prototype)
        o.internalStorage = realm.plainNode(kind)
        return Value(o)
    }

    /// The rules of a schema object, or nil when `v` is not one.
    func schemaNode(_ v: Value) -> SchemaNode? {
        guard v.isObject else { return nil }
        let o = v.object
        // An exact type test instead of `as?`.
        guard o.kind == .host, let storage = o.internalStorage,
              ObjectIdentifier(type(of: storage)) == ObjectIdentifier(SchemaNode.self) else { return nil }
        return unsafeDowncast(storage, to: SchemaNode.self)
    }

    /// The prototype every schema shares, made on first use (with the binding's per-runtime state
    /// in its `internalStorage`).
    fileprivate func schemaPrototype() throws(VMError) -> JSObject {
        if let p = intrinsics[Runtime.schemaPrototypeKey] { return p }
        let p = try newObject()
        let realm = SchemaRealm(self, prototype: p)
        p.internalStorage = realm
        try installSchemaModifierMethods(on: p, realm: realm)
        try installSchemaRuleMethods(on: p, realm: realm)
        intrinsics[Runtime.schemaPrototypeKey] = p
        return p
    }

    /// The binding's per-runtime state (made with the schema prototype on first use).
    fileprivate func schemaRealm() throws(VMError) -> SchemaRealm {
        unsafeDowncast(try schemaPrototype().internalStorage!, to: SchemaRealm.self)
    }

    /// `Schema.object(keys)`: the keys object's own enumerable keys and their schemas, or nil when
    /// no argument was given (any keys accepted).
    fileprivate func declaredSchemaKeys(_ arg: Value) throws(VMError) -> [(key: PropertyKey, child: SchemaChild)]? {
        if arg.isUndefined { return nil }
        guard arg.isObject, !arg.object.isCallable, arg.object.kind != .array, schemaNode(arg) == nil else {
            throw typeError("Schema.object(keys) expects an object whose values are schemas, "
                + "e.g. Schema.object({ name: Schema.string() }); got \(describeForError(arg))")
        }
        let keysObject = arg.object
        if let declared = try declaredSchemaKeys(ofDataObject: keysObject) { return declared }
        var declared: [(key: PropertyKey, child: SchemaChild)] = []
        // A getter may run script code (and so a collection): keep the schemas read so far alive.
        let mark = pushTemporaryRoot(arg)
        defer { popTemporaryRoots(to: mark) }
        for k in ownEnumerableStringKeys(keysObject) {
            try charge(1)
            let v = try get(keysObject, k)
            _ = pushTemporaryRoot(v)
            guard let node = schemaNode(v) else { throw notASchema(key: k, v) }
            declared.append((k, SchemaChild(schema: v, node: node)))
        }
        return declared
    }

    /// `declaredSchemaKeys` for the usual argument, an object literal: an ordinary object whose
    /// enumerable properties are all named data properties. Its values are read straight from
    /// its slots, in the order `ownEnumerableStringKeys` gives (no script code can run meanwhile).
    /// Nil for any other object.
    private func declaredSchemaKeys(ofDataObject o: JSObject) throws(VMError) -> [(key: PropertyKey, child: SchemaChild)]? {
        guard o.kind == .ordinary else { return nil }
        let shape = o.shape
        guard !shape.isDictionary else { return nil }
        let keys = shape.keys
        let attributes = shape.attributes
        let enumerable = PropertyAttributes.enumerable, accessor = PropertyAttributes.accessor
        var enumerableCount = 0
        for i in 0..<keys.count {
            // Index keys come first in key order (sorted); getters run script code.
            if keys[i].isIndex { return nil }
            if keys[i].isString && attributes[i].contains(enumerable) {
                if attributes[i].contains(accessor) { return nil }
                enumerableCount += 1
            }
        }
        let slots = o.slots
        var declared: [(key: PropertyKey, child: SchemaChild)] = []
        declared.reserveCapacity(enumerableCount)
        for i in 0..<keys.count where keys[i].isString && attributes[i].contains(enumerable) {
            try charge(1)
            let v = slots[i]
            guard let node = schemaNode(v) else { throw notASchema(key: keys[i], v) }
            declared.append((keys[i], SchemaChild(schema: v, node: node)))
        }
        return declared
    }

    private func notASchema(key: PropertyKey, _ v: Value) -> VMError {
        typeError("Schema.object(): key \"\(describeKey(key))\" must be a schema such as "
            + "Schema.string(), got \(describeForError(v))")
    }
}

/// The schema realm as the `Schema` builders find it: looked up once, then kept.
private final class SchemaRealmReference {
    private var found: SchemaRealm?

    func realm(_ rt: Runtime) throws(VMError) -> SchemaRealm {
        if let found { return found }
        let realm = try rt.schemaRealm()
        found = realm
        return realm
    }
}
