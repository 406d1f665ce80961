// Stub: replaced by the builtins work.
extension Runtime {
    func installMathBuiltins() throws(VMError) {}
}
