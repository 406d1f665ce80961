// Stub: replaced by the builtins work.
extension Runtime {
    func installRegExpBuiltins() throws(VMError) {}
}
