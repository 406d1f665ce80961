// Stub: replaced by the builtins work.
extension Runtime {
    func installStringBuiltins() throws(VMError) {}
}
