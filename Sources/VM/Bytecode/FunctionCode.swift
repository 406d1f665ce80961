/// Compiled code of one script function: immutable and shared between threads.
/// (Placeholder: the bytecode format is defined by the compiler/interpreter work.)
public final class FunctionCode: @unchecked Sendable {
    public init() {}
}
