// Creating error objects from Swift and throwing them into script code.

extension Runtime {
    /// A new error object of `kind` with `message` (and a `stack` captured from the current call stack).
    public func makeError(_ kind: ErrorKind, _ message: String) -> Value {
        do {
            let proto = intrinsics.errorPrototypes[kind] ?? intrinsics.errorPrototype
            let e = try newObject(kind: .error, prototype: proto)
            try defineDataProperty(e, names.message, Value(try newString(message)), .hidden)
            try installStack(on: e)
            return Value(e)
        } catch {
            // Out of memory while building the error: throw the termination instead.
            return .undefined
        }
    }

    /// Defines `stack` ("Name: message\n    at …") on a new error object.
    public func installStack(on e: JSObject) throws(VMError) {
        var header = "Error"
        if let proto = e.prototype, let ctor = try? get(proto, names.name), ctor.isString {
            header = ctor.string.swiftString
        }
        if let m = e.shape.lookup(names.message), e.slots[m].isString {
            let msg = e.slots[m].string.swiftString
            if !msg.isEmpty { header += ": " + msg }
        }
        let trace = stackTraceProvider?(self) ?? ""
        let text = trace.isEmpty ? header : header + "\n" + trace
        try defineDataProperty(e, names.stack, Value(try newString(text)), .hidden)
    }

    private func thrown(_ kind: ErrorKind, _ message: String) -> VMError {
        let v = makeError(kind, message)
        if v.isUndefined { return .terminated(.memory) }
        return .exception(v)
    }

    public func typeError(_ message: String) -> VMError { thrown(.typeError, message) }
    public func rangeError(_ message: String) -> VMError { thrown(.rangeError, message) }
    public func referenceError(_ message: String) -> VMError { thrown(.referenceError, message) }
    public func syntaxError(_ message: String) -> VMError { thrown(.syntaxError, message) }
    public func uriError(_ message: String) -> VMError { thrown(.uriError, message) }
    public func error(_ kind: ErrorKind, _ message: String) -> VMError { thrown(kind, message) }
}
