// Stub: replaced by the builtins work.
extension Runtime {
    func installSymbolBuiltins() throws(VMError) {}
}
