// Stub: replaced by the builtins work.
extension Runtime {
    func installJSONBuiltins() throws(VMError) {}
}
