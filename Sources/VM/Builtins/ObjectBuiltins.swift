// Stub: replaced by the builtins work.
extension Runtime {
    func installObjectBuiltins() throws(VMError) {}
}
