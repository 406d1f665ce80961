/// Limits for one run of a script. Every run starts with fresh counters.
public struct Limits: Sendable {
    /// Instructions (back-edges and calls count the code between them; builtins charge their work).
    public var instructions: Int?
    /// Heap bytes the run may have allocated and still reachable at once (after collection).
    public var heapBytes: Int?
    /// Wall-clock time, host calls included.
    public var wallClockMilliseconds: Int?
    /// Nested calls before a catchable `RangeError`.
    public var callDepth: Int

    public init(instructions: Int? = nil, heapBytes: Int? = nil, wallClockMilliseconds: Int? = nil,
                callDepth: Int = 1000) {
        self.instructions = instructions
        self.heapBytes = heapBytes
        self.wallClockMilliseconds = wallClockMilliseconds
        self.callDepth = callDepth
    }

    /// No limits except the call depth (benchmarks, `sluice run` without flags).
    public static let unlimited = Limits()
    /// The page defaults: 200M instructions, 8 MiB heap, 30 s.
    public static let pageDefaults = Limits(instructions: 200_000_000, heapBytes: 8 << 20, wallClockMilliseconds: 30_000)
}

/// Why a run did not complete normally.
public enum ScriptError: Error, Sendable, CustomStringConvertible {
    /// The script threw and nothing caught it.
    case uncaught(ScriptException)
    /// A budget ran out (uncatchable by the script).
    case budgetExceeded(BudgetKind)

    public var description: String {
        switch self {
        case .uncaught(let e): return e.description
        case .budgetExceeded(let k): return "budget exceeded: \(k)"
        }
    }
}

/// An uncaught JavaScript exception, copied out of the runtime.
public struct ScriptException: Sendable, CustomStringConvertible {
    /// Error name (`TypeError`…) or "Uncaught" for non-error values.
    public let name: String
    public let message: String
    /// The `stack` text (name: message, then "    at …" lines), or empty.
    public let stack: String
    /// Where it was thrown: file, line, column (line 0 when unknown).
    public let sourceName: String
    public let line: Int
    public let column: Int
    /// The thrown value itself.
    public let value: ScriptValue

    public init(name: String, message: String, stack: String, sourceName: String, line: Int, column: Int,
                value: ScriptValue) {
        self.name = name
        self.message = message
        self.stack = stack
        self.sourceName = sourceName
        self.line = line
        self.column = column
        self.value = value
    }

    /// `file:line:column: Name: message`
    public var description: String {
        let loc = line > 0 ? "\(sourceName):\(line):\(column): " : ""
        return message.isEmpty ? "\(loc)\(name)" : "\(loc)\(name): \(message)"
    }
}
