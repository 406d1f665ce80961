// Stub: replaced by the builtins work.
extension Runtime {
    func installDateBuiltins() throws(VMError) {}
}
