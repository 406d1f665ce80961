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

    /// Gives a new error object its `stack` ("Name: message\n    at …"). The call stack is captured
    /// now and formatted when first read (`Error.prototype.stack`); with a `stackTraceProvider`,
    /// the text is made now and defined on the object.
    public func installStack(on e: JSObject) throws(VMError) {
        guard let provider = stackTraceProvider else {
            e.internalStorage = CapturedStack(frames: currentStackFrames())
            return
        }
        try defineDataProperty(e, names.stack, Value(try newString(try stackText(of: e, trace: provider(self)))), .hidden)
    }

    /// "Name: message" (the error's current `name` and `message`) and the trace lines below it.
    func stackText(of e: JSObject, trace: String) throws(VMError) -> String {
        var header = "Error"
        let name = try get(e, names.name)
        if name.isString { header = name.string.swiftString }
        let message = try get(e, names.message)
        if message.isString {
            let text = message.string.swiftString
            if !text.isEmpty { header += ": " + text }
        }
        return trace.isEmpty ? header : header + "\n" + trace
    }

    /// `Error.prototype.stack`'s getter: the error's captured stack, formatted once and then kept
    /// as the error's own `stack` property (a non-extensible error keeps its captured stack and
    /// formats it on each read). Objects without a captured stack have none.
    func capturedStackText(of this: Value) throws(VMError) -> Value {
        guard this.isObject, let captured = this.object.internalStorage as? CapturedStack else { return .undefined }
        let e = this.object
        let text = Value(try newString(try stackText(of: e, trace: captured.traceText)))
        if e.isExtensible {
            try defineDataProperty(e, names.stack, text, .hidden)
            e.internalStorage = nil
        }
        return text
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
