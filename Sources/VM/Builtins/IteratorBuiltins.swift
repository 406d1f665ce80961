// Stub: replaced by the builtins work.
extension Runtime {
    func installIteratorBuiltins() throws(VMError) {}
}
