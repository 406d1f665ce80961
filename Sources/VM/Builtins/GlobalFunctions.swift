// Stub: replaced by the builtins work.
extension Runtime {
    func installGlobalFunctions() throws(VMError) {}
}
