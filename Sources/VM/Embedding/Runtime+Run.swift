// The embedding entry points: run a compiled program under limits, define host functions.

extension Runtime {
    /// Runs `program`'s top-level code with fresh budgets.
    ///
    /// - Returns: the completion value (the top-level `return` value, or undefined), or why the run failed.
    ///   The runtime stays usable after any outcome, including an exhausted budget.
    public func run(_ program: Program, limits: Limits = .unlimited) -> Result<Value, ScriptError> {
        beginRun(limits)
        defer { endRun() }
        do {
            return .success(try evaluate(program))
        } catch {
            return .failure(scriptError(from: error))
        }
    }

    /// Resets budgets for a new run (called by `run`; hosts driving `evaluate` directly call it themselves).
    public func beginRun(_ limits: Limits) {
        budget = Budget()
        if let n = limits.instructions {
            budget.instructionsLeft = n
            budget.instructionLimit = n
        }
        if let ms = limits.wallClockMilliseconds {
            budget.deadlineNanos = Runtime.monotonicNanos() &+ UInt64(max(0, ms)) &* 1_000_000
        }
        budget.maxCallDepth = limits.callDepth
        clearCancel()
        heap.limitBytes = limits.heapBytes.map { heap.usedBytes + $0 } ?? .max
        heap.resetPeak()
        runStartBytes = heap.usedBytes
        callDepth = 0
        chargeTicks = 0
        errorLocations.removeAll(keepingCapacity: true)
        lastThrowLocation = nil
    }

    /// Lifts the run's limits (so host code can keep using the runtime) and resets the call state.
    public func endRun() {
        heap.limitBytes = .max
        callDepth = 0
        temporaryRoots.removeAll(keepingCapacity: true)
    }

    /// Peak heap bytes allocated by the current or last run (above what existed when it started).
    public var runPeakHeapBytes: Int { max(0, heap.peakBytes - runStartBytes) }

    /// Maps an internal error to the public `ScriptError`.
    public func scriptError(from error: VMError) -> ScriptError {
        switch error {
        case .terminated(let kind): return .budgetExceeded(kind)
        case .exception(let v): return .uncaught(exception(from: v))
        }
    }

    /// Describes a thrown value for the host.
    public func exception(from v: Value) -> ScriptException {
        var name = "Uncaught"
        var message = ""
        var stack = ""
        var location = (file: "", line: 0, column: 0)
        if v.isObject {
            let o = v.object
            if let n = try? get(o, names.name), n.isString { name = n.string.swiftString }
            if let m = try? get(o, names.message), m.isString { message = m.string.swiftString }
            if let s = try? get(o, names.stack), s.isString { stack = s.string.swiftString }
            if let loc = errorLocations[ObjectIdentifier(o)] { location = loc }
            if o.kind != .error && message.isEmpty {
                message = (try? toSwiftString(v)) ?? "object"
            }
        } else {
            message = (try? toSwiftString(v)) ?? describeForError(v)
        }
        if location.line == 0, let thrownAt = lastThrowLocation { location = thrownAt }
        return ScriptException(name: name, message: message, stack: stack, sourceName: location.file,
                               line: location.line, column: location.column, value: scriptValue(from: v))
    }

    /// Defines a global function implemented in Swift that receives and returns plain data.
    /// A Swift error thrown by `body` becomes a JavaScript `Error` with the error's description.
    public func defineHostFunction(_ name: String, length: Int = 0,
                                   _ body: @escaping ([ScriptValue]) throws -> ScriptValue) throws(VMError) {
        let f = try newNativeFunction(name: name, length: length) { rt, _, args throws(VMError) in
            var converted: [ScriptValue] = []
            for i in 0..<args.count { converted.append(rt.scriptValue(from: args[i])) }
            let result: ScriptValue
            do {
                result = try body(converted)
            } catch let e as VMError {
                throw e
            } catch {
                throw rt.error(.error, "\(error)")
            }
            return try rt.value(from: result)
        }
        try defineGlobal(name, Value(f))
    }

    /// Defines a deeply frozen global object from data (host objects are copies, never live Swift objects).
    public func defineReadOnlyGlobal(_ name: String, _ value: ScriptValue) throws(VMError) {
        try defineDataProperty(globalObject, key(name), try readOnlyValue(from: value), [])
    }

    /// Installs `console.log/info/warn/error` and `print`, writing each call's arguments (joined by
    /// spaces) to `printer` with the level ("log", "info", "warn", "error").
    public func installConsole(_ printer: @escaping (_ level: String, _ text: String) -> Void) throws(VMError) {
        let console = try newObject()
        for level in ["log", "info", "warn", "error", "debug"] {
            try defineMethod(console, level, 0) { rt, _, args throws(VMError) in
                printer(level, try rt.formatForConsole(args))
                return .undefined
            }
        }
        try defineGlobal("console", Value(console))
        let p = try newNativeFunction(name: "print", length: 0) { rt, _, args throws(VMError) in
            printer("log", try rt.formatForConsole(args))
            return .undefined
        }
        try defineGlobal("print", Value(p))
    }

    /// Arguments as console.log prints them: strings as-is, other values in a short readable form.
    public func formatForConsole(_ args: Arguments) throws(VMError) -> String {
        var parts: [String] = []
        for i in 0..<args.count {
            let v = args[i]
            if v.isString { parts.append(v.string.swiftString); continue }
            if v.isObject && !v.object.isCallable && v.object.kind != .error {
                parts.append(scriptValue(from: v).jsonText)
                continue
            }
            if v.isObject && v.object.kind == .error {
                parts.append((try? toSwiftString(v)) ?? "Error")
                continue
            }
            if v.isSymbol { parts.append(describeForError(v)); continue }
            parts.append(try toSwiftString(v))
        }
        return parts.joined(separator: " ")
    }
}
