// Stub: replaced by the builtins work.
extension Runtime {
    func installMapSetBuiltins() throws(VMError) {}
}
