// Stub: replaced by the builtins work.
extension Runtime {
    func installArrayBuiltins() throws(VMError) {}
}
