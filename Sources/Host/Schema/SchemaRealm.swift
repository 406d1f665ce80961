import SluiceVM

/// Per-runtime state of the Schema binding, made with the shared schema prototype (which keeps
/// it in its `internalStorage`): property keys that validation would otherwise intern on every
/// call.
final class SchemaRealm: GCTraceable {
    let validKey: PropertyKey
    let valueKey: PropertyKey
    let errorsKey: PropertyKey
    let testKey: PropertyKey

    init(_ rt: Runtime) {
        validKey = rt.key("valid")
        valueKey = rt.key("value")
        errorsKey = rt.key("errors")
        testKey = rt.key("test")
    }

    // The keys are atoms, which live as long as the runtime.
    func trace(_ marker: inout GCMarker) {}
}
