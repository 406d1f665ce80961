// Calling and constructing functions from Swift (builtins and the host).

extension Runtime {
    /// Calls `callee` with `this` and the arguments in `args`.
    public func call(_ callee: Value, this: Value, arguments args: [Value]) throws(VMError) -> Value {
        guard let f = callee.asFunction else { throw typeError("\(describeForError(callee)) is not a function") }
        // Arguments must stay rooted while the callee runs; script callees copy them into registers.
        return try withTemporaryRoots(args) { () throws(VMError) -> Value in
            try args.withUnsafeBufferPointer { (buf) throws(VMError) -> Value in
                try callFunction(f, this: this, arguments: Arguments(base: buf.baseAddress, count: buf.count))
            }
        }
    }

    /// Calls a function object with an argument view.
    @inline(__always)
    public func callFunction(_ f: JSFunction, this: Value, arguments: Arguments) throws(VMError) -> Value {
        if let blockRaw = f.blockPointer, f.flags.rawValue & ObjectFlags.classConstructor.rawValue == 0 {
            return try callScript(Unmanaged.passUnretained(f).toOpaque(), block: blockRaw, this: this,
                                  arguments: arguments, newTarget: .undefined, isConstruct: false)
        }
        return try callFunctionSlow(f, this: this, arguments: arguments)
    }

    @inline(never)
    func callFunctionSlow(_ f: JSFunction, this: Value, arguments: Arguments) throws(VMError) -> Value {
        if let native = f.native {
            callDepth += 1
            defer { callDepth -= 1 }
            if callDepth > budget.maxCallDepth { throw rangeError("Maximum call stack size exceeded") }
            return try native(self, this, Arguments(base: arguments.base, count: arguments.count))
        }
        if let target = f.boundTarget {
            if f.boundArguments.isEmpty { return try callFunction(target, this: f.capturedThis, arguments: arguments) }
            return try call(Value(target), this: f.capturedThis, arguments: f.boundArguments + arguments.array())
        }
        // What is left is a class constructor: `callFunction` ran every other script function.
        throw typeError("Class constructor \(functionName(f)) cannot be invoked without 'new'")
    }

    /// `new callee(...args)`; `newTarget` defaults to `callee`.
    public func construct(_ callee: Value, arguments args: [Value], newTarget: Value? = nil) throws(VMError) -> Value {
        guard let f = callee.asFunction, f.isConstructor else {
            throw typeError("\(describeForError(callee)) is not a constructor")
        }
        return try withTemporaryRoots(args) { () throws(VMError) -> Value in
            try args.withUnsafeBufferPointer { (buf) throws(VMError) -> Value in
                try constructFunction(f, arguments: Arguments(base: buf.baseAddress, count: buf.count,
                                                              newTarget: newTarget ?? callee))
            }
        }
    }

    /// [[Construct]] with an argument view whose `newTarget` is set.
    public func constructFunction(_ f: JSFunction, arguments: Arguments) throws(VMError) -> Value {
        if let native = f.native {
            callDepth += 1
            defer { callDepth -= 1 }
            if callDepth > budget.maxCallDepth { throw rangeError("Maximum call stack size exceeded") }
            return try native(self, .undefined, arguments)
        }
        if let target = f.boundTarget {
            var nt = arguments.newTarget
            if nt.isObject && nt.object === f { nt = Value(target) }
            return try construct(Value(target), arguments: f.boundArguments + arguments.array(), newTarget: nt)
        }
        return try constructScriptFunction(f, arguments: arguments)
    }

    /// GetPrototypeFromConstructor: `newTarget.prototype` if it is an object, else `fallback`.
    public func prototypeFromConstructor(_ newTarget: Value, fallback: JSObject) throws(VMError) -> JSObject {
        guard newTarget.isObject else { return fallback }
        let p = try get(newTarget.object, names.prototype)
        return p.isObject ? p.object : fallback
    }

    /// The `name` property of a function, for messages.
    public func functionName(_ f: JSObject) -> String {
        if let slot = f.shape.lookup(names.name), !f.shape.attributes[slot].contains(.accessor),
           f.slots[slot].isString {
            let n = f.slots[slot].string.swiftString
            return n.isEmpty ? "anonymous" : n
        }
        return "anonymous"
    }

    /// A short description of a value for error messages (never calls script code).
    public func describeForError(_ v: Value) -> String {
        if v.isString {
            let s = v.string.swiftString
            return "\"" + (s.count > 40 ? String(s.prefix(40)) + "…" : s) + "\""
        }
        if v.isNumber { return NumberConversion.toString(v.number) }
        if v.isObject {
            let o = v.object
            if o.isCallable { return "function \(functionName(o))" }
            if o.kind == .array { return "array" }
            return "object"
        }
        if v.isSymbol { return "Symbol(\(v.symbol.descriptionString ?? ""))" }
        return v.debugDescription
    }

    /// Checks the instruction budget, deadline and cancellation (builtins call this via `charge`).
    @inline(never) public func checkBudget() throws(VMError) {
        if budget.instructionsLeft < 0 { throw VMError.terminated(.instructions) }
        if isCancelled { throw VMError.terminated(.cancelled) }
        if budget.deadlineNanos != .max && Runtime.monotonicNanos() > budget.deadlineNanos {
            throw VMError.terminated(.time)
        }
    }

    /// Charges `units` of work to the instruction budget (builtins: proportional to the work done).
    @inline(__always) public func charge(_ units: Int) throws(VMError) {
        budget.instructionsLeft &-= units
        if budget.instructionsLeft < 0 { throw VMError.terminated(.instructions) }
        chargeTicks &+= units
        if chargeTicks > 100_000 {
            chargeTicks = 0
            try checkBudget()
        }
    }

    /// Monotonic clock in nanoseconds.
    public static func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif
