import SluiceVM

/// Per-runtime state of the Schema binding, made with the shared schema prototype (which keeps
/// it in its `internalStorage`; the prototype's methods capture it): the prototype, and property
/// keys and buffers that validation would otherwise make on every call.
final class SchemaRealm: GCTraceable {
    /// The prototype every schema shares. It lives as long as the runtime (an intrinsic slot
    /// holds it), and so does everything that can reach this realm.
    unowned(unsafe) let prototype: JSObject
    let validKey: PropertyKey
    let valueKey: PropertyKey
    let errorsKey: PropertyKey
    let testKey: PropertyKey
    /// A path buffer for the next validation (nil while one is in use: a custom check may
    /// validate again).
    var sparePath: [SchemaPathSegment]? = []
    /// The node of a schema with no rules, by kind (made on first use).
    private var plainNodes: [SchemaNode?] = Array(repeating: nil, count: SchemaKind.allCases.count)

    init(_ rt: Runtime, prototype: JSObject) {
        self.prototype = prototype
        validKey = rt.key("valid")
        valueKey = rt.key("value")
        errorsKey = rt.key("errors")
        testKey = rt.key("test")
    }

    /// The node of `Schema.string()`, `Schema.number()` … (it holds no values to mark).
    func plainNode(_ kind: SchemaKind) -> SchemaNode {
        let i = kind.index
        if let node = plainNodes[i] { return node }
        let node = SchemaNode(SchemaRules(kind: kind), lists: nil)
        plainNodes[i] = node
        return node
    }

    // The keys are atoms, which live as long as the runtime; the prototype is an intrinsic.
    func trace(_ marker: inout GCMarker) {}
}
