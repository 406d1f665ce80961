#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

// The JSON object (ECMAScript §25.5): parse with reviver, stringify with replacer and indentation.

extension Runtime {
    func installJSONBuiltins() throws(VMError) {
        let json = try newObject()
        try defineGlobal("JSON", Value(json))
        try defineDataProperty(json, PropertyKey(symbol: wellKnownSymbols.toStringTag), Value(intern("JSON")),
                               [.configurable])
        // Made once and captured by both functions (looking it up by name per call would hash).
        let cache = jsonCache
        try defineMethod(json, "parse", 2) { rt, _, args throws(VMError) in
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            let text = try rt.argumentString(args[0])
            var parser = JSONParser(rt: rt, cache: cache)
            let result = try text.withUnits { (buf) throws(VMError) -> Value in
                try parser.parse(buf)
            }
            let reviver = args[1]
            guard reviver.asFunction != nil else { return result }
            let root = try rt.newObject()
            try rt.createDataProperty(root, PropertyKey(atom: rt.emptyString), result)
            rt.temporaryRoots.append(Value(root))
            return try rt.internalizeJSON(root: root, reviver: reviver)
        }
        try defineMethod(json, "stringify", 3) { rt, _, args throws(VMError) in
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            var s = JSONSerializer(rt: rt, cache: cache)
            defer { s.finish() }
            guard try s.run(args[0], replacer: args[1], space: args[2]) else { return .undefined }
            return Value(try rt.newString(s.out.contents()))
        }
    }

    /// InternalizeJSONProperty, iteratively (deep documents must not exhaust the native stack).
    func internalizeJSON(root: JSObject, reviver: Value) throws(VMError) -> Value {
        struct Frame {
            let holder: JSObject
            let key: PropertyKey
            var value: Value = .undefined
            var started = false
            var keys: [PropertyKey] = []
            var arrayLength = -1
            var next = 0
        }
        var stack: [Frame] = [Frame(holder: root, key: PropertyKey(atom: emptyString))]
        while true {
            try charge(1)
            let top = stack.count - 1
            if !stack[top].started {
                stack[top].started = true
                let v = try get(stack[top].holder, stack[top].key)
                stack[top].value = v
                temporaryRoots.append(v)
                if v.isObject {
                    let o = v.object
                    if o.kind == .array {
                        stack[top].arrayLength = try toLength(try get(o, names.length))
                    } else {
                        stack[top].keys = ownEnumerableStringKeys(o)
                    }
                }
            }
            let frame = stack[top]
            if frame.value.isObject {
                if frame.arrayLength >= 0 ? frame.next < frame.arrayLength : frame.next < frame.keys.count {
                    let k = frame.arrayLength >= 0 ? PropertyKey.fromIndex(frame.next, self) : frame.keys[frame.next]
                    stack[top].next += 1
                    stack.append(Frame(holder: frame.value.object, key: k))
                    continue
                }
            }
            let name = try keyToValue(frame.key)
            let newValue = try withTemporaryRoots([name]) { () throws(VMError) -> Value in
                try call(reviver, this: Value(frame.holder), arguments: [name, frame.value])
            }
            stack.removeLast()
            temporaryRoots.removeLast()
            if stack.isEmpty { return newValue }
            if newValue.isUndefined {
                _ = deleteProperty(frame.holder, frame.key)
            } else {
                try createDataProperty(frame.holder, frame.key, newValue)
            }
        }
    }
}

/// "\\uXXXX" description of a code unit for messages.
func unicodeEscapeDescription(_ c: UInt16) -> String {
    let hex = String(c, radix: 16, uppercase: true)
    return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
}
