// Stub: replaced by the interpreter work.
extension Runtime {
    /// Runs a script function with `this` and `arguments`.
    func callScriptFunction(_ f: JSFunction, this: Value, arguments: Arguments) throws(VMError) -> Value {
        throw typeError("script functions are not implemented yet")
    }

    /// [[Construct]] of a script function.
    func constructScriptFunction(_ f: JSFunction, arguments: Arguments) throws(VMError) -> Value {
        throw typeError("script functions are not implemented yet")
    }
}
