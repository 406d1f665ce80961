// Stub: replaced by the builtins work.
extension Runtime {
    func installBooleanBuiltins() throws(VMError) {}
}
