// Stub: replaced by the builtins work.
extension Runtime {
    func installFunctionBuiltins() throws(VMError) {}
}
