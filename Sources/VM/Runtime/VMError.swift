/// Which budget a script exhausted.
public enum BudgetKind: String, Sendable, CustomStringConvertible {
    case instructions
    case memory
    case time
    case cancelled
    public var description: String { rawValue }
}

/// How execution leaves normal control flow inside the VM.
///
/// `.exception` is a JavaScript `throw` (catchable). `.terminated` is a budget overrun or
/// cancellation: it unwinds every frame without running `catch` or `finally`.
public enum VMError: Error {
    case exception(Value)
    case terminated(BudgetKind)
}
