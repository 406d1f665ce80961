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
        try defineMethod(json, "parse", 2) { rt, _, args throws(VMError) in
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            let text = try rt.argumentString(args[0])
            var parser = JSONParser(rt: rt)
            let result = try text.units.withUnsafeBufferPointer { (buf) throws(VMError) -> Value in
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
            var s = JSONSerializer(rt: rt)
            guard let out = try s.run(args[0], replacer: args[1], space: args[2]) else { return .undefined }
            return Value(try rt.newString(out))
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

// MARK: - Parser

/// A JSON text parser building values directly. Nesting uses an explicit stack. No script code
/// runs while parsing, so the values under construction need no rooting.
struct JSONParser {
    let rt: Runtime
    var pos = 0
    var end = 0
    let keyCache: JSONKeyCache

    init(rt: Runtime) {
        self.rt = rt
        keyCache = JSONKeyCache.shared(rt)
    }

    /// An open container: where its members start in the shared scratch buffers.
    enum Container {
        case object(membersStart: Int)
        case array(valuesStart: Int)
    }

    mutating func parse(_ s: UnsafeBufferPointer<UInt16>) throws(VMError) -> Value {
        end = s.count
        pos = 0
        var stack: [Container] = []
        // Members of open objects (key, value) and elements of open arrays, innermost last.
        var memberKeys: [PropertyKey] = []
        var memberValues = ContiguousArray<Value>()
        var values = ContiguousArray<Value>()
        var value: Value
        skipWhitespace(s)
        outer: while true {
            // Parse a value start.
            try rt.charge(1)
            guard pos < end else { throw unexpectedEnd() }
            let c = s[pos]
            switch c {
            case 0x7B:  // {
                pos += 1
                skipWhitespace(s)
                if pos < end && s[pos] == 0x7D {
                    pos += 1
                    value = Value(try rt.newObject())
                } else {
                    if stack.count >= 100_000 { throw rt.rangeError("JSON.parse: nesting too deep") }
                    stack.append(.object(membersStart: memberKeys.count))
                    memberKeys.append(try parseKey(s))
                    memberValues.append(.undefined)
                    continue outer
                }
            case 0x5B:  // [
                pos += 1
                skipWhitespace(s)
                if pos < end && s[pos] == 0x5D {
                    pos += 1
                    value = Value(try rt.newArray())
                } else {
                    if stack.count >= 100_000 { throw rt.rangeError("JSON.parse: nesting too deep") }
                    stack.append(.array(valuesStart: values.count))
                    continue outer
                }
            case 0x22:
                value = Value(try parseString(s))
            case 0x74:  // true
                try expectWord(s, [0x74, 0x72, 0x75, 0x65])
                value = .true
            case 0x66:
                try expectWord(s, [0x66, 0x61, 0x6C, 0x73, 0x65])
                value = .false
            case 0x6E:
                try expectWord(s, [0x6E, 0x75, 0x6C, 0x6C])
                value = .null
            default:
                if c == 0x2D || (c >= 0x30 && c <= 0x39) {
                    value = Value(try parseNumber(s))
                } else {
                    throw unexpected(s)
                }
            }
            // Attach the finished value to enclosing containers.
            while true {
                skipWhitespace(s)
                guard let top = stack.last else {
                    if pos < end { throw unexpected(s) }
                    return value
                }
                switch top {
                case .object(let start):
                    memberValues[memberValues.count - 1] = value
                    guard pos < end else { throw unexpectedEnd() }
                    if s[pos] == 0x2C {
                        pos += 1
                        skipWhitespace(s)
                        memberKeys.append(try parseKey(s))
                        memberValues.append(.undefined)
                        continue outer
                    }
                    if s[pos] == 0x7D {
                        pos += 1
                        stack.removeLast()
                        let o = try rt.newObject()
                        let n = memberKeys.count - start
                        o.slots.reserveCapacity(n)
                        for i in start..<memberKeys.count {
                            try rt.createDataProperty(o, memberKeys[i], memberValues[i])
                        }
                        memberKeys.removeSubrange(start...)
                        memberValues.removeSubrange(start...)
                        value = Value(o)
                        continue
                    }
                    throw unexpected(s)
                case .array(let start):
                    values.append(value)
                    guard pos < end else { throw unexpectedEnd() }
                    if s[pos] == 0x2C {
                        pos += 1
                        skipWhitespace(s)
                        continue outer
                    }
                    if s[pos] == 0x5D {
                        pos += 1
                        stack.removeLast()
                        let elems = ContiguousArray(values[start...])
                        values.removeSubrange(start...)
                        value = Value(try rt.newArray(elems))
                        continue
                    }
                    throw unexpected(s)
                }
            }
        }
    }

    @inline(__always) mutating func skipWhitespace(_ s: UnsafeBufferPointer<UInt16>) {
        while pos < end {
            let c = s[pos]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { pos += 1 } else { break }
        }
    }

    func unexpectedEnd() -> VMError {
        rt.syntaxError("Unexpected end of JSON input")
    }

    func unexpected(_ s: UnsafeBufferPointer<UInt16>) -> VMError {
        if pos >= end { return unexpectedEnd() }
        let c = s[pos]
        let text = c >= 0x20 && c < 0x7F ? String(UnicodeScalar(UInt8(c))) : unicodeEscapeDescription(c)
        return rt.syntaxError("Unexpected token '\(text)' in JSON at position \(pos)")
    }

    mutating func expectWord(_ s: UnsafeBufferPointer<UInt16>, _ word: [UInt16]) throws(VMError) {
        for w in word {
            guard pos < end else { throw unexpectedEnd() }
            guard s[pos] == w else { throw unexpected(s) }
            pos += 1
        }
    }

    mutating func parseKey(_ s: UnsafeBufferPointer<UInt16>) throws(VMError) -> PropertyKey {
        guard pos < end else { throw unexpectedEnd() }
        guard s[pos] == 0x22 else { throw unexpected(s) }
        let key: PropertyKey
        // Fast path: a key without escapes is looked up as an atom without allocating a string.
        var i = pos + 1
        while i < end {
            let c = s[i]
            if c == 0x22 || c == 0x5C || c < 0x20 { break }
            i += 1
        }
        if i < end && s[i] == 0x22 {
            key = try keyCache.key(UnsafeBufferPointer(rebasing: s[(pos + 1)..<i]), rt)
            pos = i + 1
        } else {
            key = rt.key(try parseString(s))
        }
        skipWhitespace(s)
        guard pos < end else { throw unexpectedEnd() }
        guard s[pos] == 0x3A else { throw unexpected(s) }
        pos += 1
        skipWhitespace(s)
        return key
    }

    /// Parses a string literal starting at the opening quote.
    mutating func parseString(_ s: UnsafeBufferPointer<UInt16>) throws(VMError) -> JSString {
        let start = pos
        pos += 1
        // Fast scan: no escapes.
        var i = pos
        while i < end {
            let c = s[i]
            if c == 0x22 || c == 0x5C || c < 0x20 { break }
            i += 1
        }
        if i < end && s[i] == 0x22 {
            let n = i - pos
            let from = pos
            pos = i + 1
            if n == 0 { return rt.emptyString }
            if n == 1 && s[from] < 128 { return rt.singleCharacterString(ascii: s[from]) }
            return try rt.newString(ContiguousArray(UnsafeBufferPointer(rebasing: s[from..<i])))
        }
        var out = ContiguousArray<UInt16>(UnsafeBufferPointer(rebasing: s[pos..<i]))
        pos = i
        while true {
            guard pos < end else { throw rt.syntaxError("Unterminated string in JSON at position \(start)") }
            let c = s[pos]
            if c == 0x22 { pos += 1; break }
            if c < 0x20 { throw rt.syntaxError("Bad control character in string literal in JSON at position \(pos)") }
            if c != 0x5C {
                out.append(c)
                pos += 1
                continue
            }
            pos += 1
            guard pos < end else { throw rt.syntaxError("Unterminated string in JSON at position \(start)") }
            let e = s[pos]
            pos += 1
            switch e {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x2F: out.append(0x2F)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var v: UInt16 = 0
                for _ in 0..<4 {
                    guard pos < end else { throw rt.syntaxError("Unterminated string in JSON at position \(start)") }
                    let h = s[pos]
                    let d: UInt16
                    switch h {
                    case 0x30...0x39: d = h - 0x30
                    case 0x41...0x46: d = h - 0x41 + 10
                    case 0x61...0x66: d = h - 0x61 + 10
                    default: throw rt.syntaxError("Bad Unicode escape in JSON at position \(pos)")
                    }
                    v = v << 4 | d
                    pos += 1
                }
                out.append(v)
            default:
                pos -= 1
                throw rt.syntaxError("Bad escaped character in JSON at position \(pos)")
            }
        }
        return try rt.newString(out)
    }

    mutating func parseNumber(_ s: UnsafeBufferPointer<UInt16>) throws(VMError) -> Double {
        let start = pos
        var negative = false
        if s[pos] == 0x2D {
            negative = true
            pos += 1
            guard pos < end else { throw unexpectedEnd() }
        }
        var mantissa: UInt64 = 0
        var digits = 0        // significant digits accumulated in mantissa
        var dropped = 0       // integer digits not fitting in mantissa
        var exponent = 0
        guard pos < end, s[pos] >= 0x30 && s[pos] <= 0x39 else { throw unexpected(s) }
        if s[pos] == 0x30 {
            pos += 1
        } else {
            while pos < end, s[pos] >= 0x30 && s[pos] <= 0x39 {
                if digits < 19 {
                    mantissa = mantissa * 10 + UInt64(s[pos] - 0x30)
                    digits += 1
                } else {
                    dropped += 1
                }
                pos += 1
            }
        }
        var exact = dropped == 0
        if pos < end && s[pos] == 0x2E {
            pos += 1
            guard pos < end else { throw unexpectedEnd() }
            guard s[pos] >= 0x30 && s[pos] <= 0x39 else { throw unexpected(s) }
            while pos < end, s[pos] >= 0x30 && s[pos] <= 0x39 {
                if digits < 19 {
                    mantissa = mantissa * 10 + UInt64(s[pos] - 0x30)
                    if mantissa != 0 { digits += 1 }
                    exponent -= 1
                } else {
                    exact = false
                }
                pos += 1
            }
        }
        if pos < end && (s[pos] == 0x65 || s[pos] == 0x45) {
            pos += 1
            guard pos < end else { throw unexpectedEnd() }
            var expNegative = false
            if s[pos] == 0x2B || s[pos] == 0x2D {
                expNegative = s[pos] == 0x2D
                pos += 1
                guard pos < end else { throw unexpectedEnd() }
            }
            guard s[pos] >= 0x30 && s[pos] <= 0x39 else { throw unexpected(s) }
            var e = 0
            while pos < end, s[pos] >= 0x30 && s[pos] <= 0x39 {
                if e < 100_000 { e = e * 10 + Int(s[pos] - 0x30) }
                pos += 1
            }
            exponent += expNegative ? -e : e
        }
        if exact && mantissa < (1 << 53) {
            let m = Double(mantissa)
            var v: Double?
            if exponent == 0 {
                v = m
            } else if exponent < 0 && exponent >= -22 {
                v = m / JSONParser.powersOfTen[-exponent]
            } else if exponent > 0 && exponent <= 22 {
                v = m * JSONParser.powersOfTen[exponent]  // one rounding of an exact product
            }
            if mantissa == 0 { v = 0 }
            if let v { return negative ? -v : v }
        }
        // Slow path: correctly rounded conversion of the literal text.
        var text = ""
        text.reserveCapacity(pos - start)
        for k in start..<pos { text.unicodeScalars.append(UnicodeScalar(UInt8(s[k]))) }
        return Double(text) ?? .nan
    }

    static let powersOfTen: [Double] = (0...22).map { e in
        var v = 1.0
        for _ in 0..<e { v *= 10 }
        return v
    }
}

/// "\\uXXXX" description of a code unit for messages.
func unicodeEscapeDescription(_ c: UInt16) -> String {
    let hex = String(c, radix: 16, uppercase: true)
    return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
}

/// Recently parsed object keys (atoms) by content hash, kept per runtime: JSON documents repeat
/// their keys, and looking an atom up through the atom table costs an allocation and a hash.
final class JSONKeyCache: GCTraceable {
    var entries = [JSString?](repeating: nil, count: 512)

    static func shared(_ rt: Runtime) -> JSONKeyCache {
        if let holder = rt.intrinsics.extra["JSON.keyCache"], let c = holder.internalStorage as? JSONKeyCache {
            return c
        }
        let c = JSONKeyCache()
        if let holder = try? rt.newObject(prototype: nil) {
            holder.internalStorage = c
            rt.intrinsics.extra["JSON.keyCache"] = holder
        }
        return c
    }

    func trace(_ marker: inout GCMarker) {
        for e in entries { marker.mark(e) }
    }

    @inline(__always)
    func key(_ units: UnsafeBufferPointer<UInt16>, _ rt: Runtime) throws(VMError) -> PropertyKey {
        var h: UInt32 = 2166136261
        for u in units { h = (h ^ UInt32(u)) &* 16777619 }
        let slot = Int(h & 511)
        if let a = entries[slot], a.count == units.count {
            let same = a.units.withUnsafeBufferPointer { b in
                units.count == 0 || memcmp(b.baseAddress!, units.baseAddress!, units.count * 2) == 0
            }
            if same { return PropertyKey(atom: a) }
        }
        let k = try rt.propertyKey(units: units)
        if k.isString { entries[slot] = k.atom }
        return k
    }
}

extension Runtime {
    /// The property key for a run of code units, reusing an existing atom without allocating.
    func propertyKey(units: UnsafeBufferPointer<UInt16>) throws(VMError) -> PropertyKey {
        if let i = JSString.parseArrayIndex(units) { return PropertyKey(index: i) }
        if let a = existingAtom(units) { return PropertyKey(atom: a) }
        let s = try newString(ContiguousArray(units))
        return PropertyKey(atom: intern(s))
    }

    /// The atom for an ASCII code unit.
    @inline(__always) func singleCharacterString(ascii unit: UInt16) -> JSString {
        asciiCharacterStrings[Int(unit)]
    }
}

// MARK: - Serializer

/// JSON.stringify's state (SerializeJSONProperty and friends), writing UTF-16 into one buffer.
struct JSONSerializer {
    let rt: Runtime
    var out = ContiguousArray<UInt16>()
    var replacerFunction: Value = .undefined
    var propertyList: [(key: PropertyKey, name: JSString)]?
    var gap = ContiguousArray<UInt16>()
    var indent = ContiguousArray<UInt16>()
    var stack: [ObjectIdentifier] = []
    var stackSet = Set<ObjectIdentifier>()
    var noToJSONShape: Shape?
    var noToJSONProtos: [ObjectIdentifier] = []
    var fastShape: Shape?
    /// The serializer recurses natively: nesting that would exhaust the thread's stack throws a
    /// RangeError instead.
    let stackLimit = JSONStackGuard.limit()

    init(rt: Runtime) { self.rt = rt }

    /// JSON.stringify: nil for undefined.
    mutating func run(_ value: Value, replacer: Value, space: Value) throws(VMError) -> ContiguousArray<UInt16>? {
        if replacer.isObject {
            if replacer.asFunction != nil {
                replacerFunction = replacer
            } else if replacer.object.kind == .array {
                try buildPropertyList(replacer.object)
            }
        }
        var sp = space
        if sp.isObject {
            if sp.object.kind == .number {
                sp = Value(try rt.toNumber(sp))
            } else if sp.object.kind == .string {
                sp = Value(try rt.toJSString(sp))
            }
        }
        if sp.isNumber {
            let n = min(10, try rt.toIntegerOrInfinity(sp))
            if n >= 1 { gap = ContiguousArray(repeating: 0x20, count: Int(n)) }
        } else if sp.isString {
            let u = sp.string.units
            gap = ContiguousArray(u.prefix(10))
        }
        out.reserveCapacity(256)
        if replacerFunction.isUndefined {
            // No holder is observable without a replacer function.
            let ok = try serializeValue(value, keyName: { rt in Value(rt.emptyString) }, holder: nil)
            return ok ? out : nil
        }
        let wrapper = try rt.newObject()
        try rt.createDataProperty(wrapper, PropertyKey(atom: rt.emptyString), value)
        rt.temporaryRoots.append(Value(wrapper))
        let ok = try serializeValue(value, keyName: { rt in Value(rt.emptyString) }, holder: wrapper)
        return ok ? out : nil
    }

    mutating func buildPropertyList(_ r: JSObject) throws(VMError) {
        var list: [(key: PropertyKey, name: JSString)] = []
        var seen = Set<PropertyKey>()
        let len = try rt.toLength(try rt.get(r, rt.names.length))
        var k = 0
        while k < len {
            try rt.charge(1)
            let v = try rt.get(r, PropertyKey.fromIndex(k, rt))
            k += 1
            var item: JSString?
            if v.isString {
                item = v.string
            } else if v.isNumber {
                item = try rt.toJSString(v)
            } else if v.isObject && (v.object.kind == .string || v.object.kind == .number) {
                item = try rt.toJSString(v)
            }
            if let item {
                let key = rt.key(item)
                if seen.insert(key).inserted {
                    list.append((key, item))
                    rt.temporaryRoots.append(Value(item))
                }
            }
        }
        propertyList = list
    }

    @inline(__always) mutating func checkOutputBudget() throws(VMError) {
        if out.count > Runtime.maxStringLength { throw rt.rangeError("Invalid string length") }
        if !rt.heap.canAllocate(Heap.cellHeaderBytes &+ out.count &* 2) { throw VMError.terminated(.memory) }
    }

    /// SerializeJSONProperty after the Get: applies toJSON and the replacer, then writes the value.
    /// Returns false (writing nothing) when the result is undefined.
    mutating func serializeValue(_ v: Value, keyName: (Runtime) throws(VMError) -> Value,
                                 holder: JSObject?) throws(VMError) -> Bool {
        try rt.charge(1)
        var value = v
        if value.isObject {
            if let toJSON = try lookupToJSON(value.object) {
                let k = try keyName(rt)
                let m = rt.pushTemporaryRoot(value)
                defer { rt.popTemporaryRoots(to: m) }
                value = try rt.call(toJSON, this: value, arguments: [k])
                scriptMayHaveRun()
            }
        }
        if !replacerFunction.isUndefined {
            let k = try keyName(rt)
            value = try rt.call(replacerFunction, this: holder.map { Value($0) } ?? .undefined, arguments: [k, value])
            scriptMayHaveRun()
        }
        if value.isObject {
            let o = value.object
            switch o.kind {
            case .number:
                value = Value(try rt.toNumber(value))
                scriptMayHaveRun()
            case .string:
                value = Value(try rt.toJSString(value))
                scriptMayHaveRun()
            case .boolean: value = o.primitiveValue
            default: break
            }
        }
        if value.isString {
            appendQuoted(value.string.units)
        } else if value.isNumber {
            let d = value.number
            if d.isFinite { NumberConversion.append(d, to: &out) } else { appendASCII("null") }
        } else if value.isNull {
            appendASCII("null")
        } else if value.isBoolean {
            appendASCII(value.boolean ? "true" : "false")
        } else if value.isObject && !value.object.isCallable {
            let m = rt.pushTemporaryRoot(value)
            defer { rt.popTemporaryRoots(to: m) }
            if value.object.kind == .array {
                try serializeArray(value.object)
            } else {
                try serializeObject(value.object)
            }
        } else {
            return false
        }
        try checkOutputBudget()
        return true
    }

    /// GetV(value, "toJSON") if callable; data properties are read without a full [[Get]].
    /// Absence is cached per own shape (non-dictionary shapes never gain properties) and per
    /// prototype chain (until script code runs).
    @inline(__always)
    mutating func lookupToJSON(_ o: JSObject) throws(VMError) -> Value? {
        let key = rt.names.toJSON
        if !(o.shape === noToJSONShape) {
            if let slot = o.shape.lookup(key) {
                if o.shape.attributes[slot].contains(.accessor) { return try slowToJSON(o) }
                let f = o.slots[slot]
                return f.asFunction != nil ? f : nil
            }
            if !o.shape.isDictionary { noToJSONShape = o.shape }
        }
        guard let proto = o.prototype else { return nil }
        let pid = ObjectIdentifier(proto)
        for p in noToJSONProtos where p == pid { return nil }
        var cur: JSObject? = proto
        while let c = cur {
            if let slot = c.shape.lookup(key) {
                if c.shape.attributes[slot].contains(.accessor) { return try slowToJSON(o) }
                let f = c.slots[slot]
                return f.asFunction != nil ? f : nil
            }
            cur = c.prototype
        }
        if noToJSONProtos.count < 8 { noToJSONProtos.append(pid) }
        return nil
    }

    mutating func slowToJSON(_ o: JSObject) throws(VMError) -> Value? {
        scriptMayHaveRun()
        let f = try rt.get(Value(o), rt.names.toJSON)
        return f.asFunction != nil ? f : nil
    }

    /// Forgets cached facts about prototypes (script code may have changed them).
    @inline(__always) mutating func scriptMayHaveRun() {
        if !noToJSONProtos.isEmpty { noToJSONProtos.removeAll(keepingCapacity: true) }
    }

    mutating func enter(_ o: JSObject) throws(VMError) {
        let id = ObjectIdentifier(o)
        if stack.count < 32 {
            if stack.contains(id) { throw rt.typeError("Converting circular structure to JSON") }
        } else if stackSet.contains(id) || stack.contains(id) {
            throw rt.typeError("Converting circular structure to JSON")
        }
        if JSONStackGuard.currentAddress() < stackLimit { throw rt.rangeError("Maximum call stack size exceeded") }
        stack.append(id)
        if stack.count > 32 { stackSet.insert(id) }
    }

    mutating func leave() {
        let id = stack.removeLast()
        if stack.count >= 32 { stackSet.remove(id) }
    }

    @inline(__always) mutating func newlineIndent() {
        out.append(0x0A)
        out.append(contentsOf: indent)
    }

    mutating func serializeObject(_ o: JSObject) throws(VMError) {
        try enter(o)
        let stepback = indent
        indent.append(contentsOf: gap)
        out.append(0x7B)
        var any = false
        let hasGap = !gap.isEmpty
        if let list = propertyList {
            for (k, name) in list {
                let mark = out.count
                if any { out.append(0x2C) }
                if hasGap { newlineIndent() }
                appendQuoted(name.units)
                out.append(0x3A)
                if hasGap { out.append(0x20) }
                let v = try rt.get(o, k)
                scriptMayHaveRun()
                if try serializeValue(v, keyName: { _ in Value(name) }, holder: o) {
                    any = true
                } else {
                    out.removeLast(out.count - mark)
                }
            }
        } else if o.kind == .ordinary && !o.shape.isDictionary
                    && (o.shape === fastShape || !o.shape.attributes.contains(where: { $0.contains(.accessor) })) {
            fastShape = o.shape
            // Fast path: named data properties in insertion order.
            let shape = o.shape
            let keys = shape.keys
            let attrs = shape.attributes
            for i in 0..<keys.count {
                let k = keys[i]
                if !k.isString || !attrs[i].contains(.enumerable) { continue }
                let v: Value
                if o.shape === shape {
                    v = o.slots[i]
                } else {
                    // A toJSON or replacer changed the object: fall back to [[GetOwnProperty]] + [[Get]].
                    guard let d = rt.getOwnProperty(o, k) else { continue }
                    v = d.isAccessor ? try rt.get(o, k) : (d.value ?? .undefined)
                    scriptMayHaveRun()
                }
                let mark = out.count
                if any { out.append(0x2C) }
                if hasGap { newlineIndent() }
                appendQuoted(k.atom.units)
                out.append(0x3A)
                if hasGap { out.append(0x20) }
                if try serializeValue(v, keyName: { _ in Value(k.atom) }, holder: o) {
                    any = true
                } else {
                    out.removeLast(out.count - mark)
                }
            }
        } else {
            let keys = rt.ownEnumerableStringKeys(o)
            for k in keys {
                let v = try rt.get(o, k)
                scriptMayHaveRun()
                let mark = out.count
                if any { out.append(0x2C) }
                if hasGap { newlineIndent() }
                appendKey(k)
                out.append(0x3A)
                if hasGap { out.append(0x20) }
                if try serializeValue(v, keyName: { rt throws(VMError) in try rt.keyToValue(k) }, holder: o) {
                    any = true
                } else {
                    out.removeLast(out.count - mark)
                }
            }
        }
        indent = stepback
        if any && hasGap { newlineIndent() }
        out.append(0x7D)
        leave()
    }

    mutating func serializeArray(_ a: JSObject) throws(VMError) {
        try enter(a)
        let stepback = indent
        indent.append(contentsOf: gap)
        out.append(0x5B)
        let hasGap = !gap.isEmpty
        let len = try rt.toLength(try rt.get(a, rt.names.length))
        var i = 0
        while i < len {
            if i > 0 { out.append(0x2C) }
            if hasGap { newlineIndent() }
            let v: Value
            if i < a.elements.count && rt.usesElements(a) && !a.elements[i].isHole {
                v = a.elements[i]
            } else {
                v = try rt.get(a, PropertyKey.fromIndex(i, rt))
                scriptMayHaveRun()
            }
            let index = i
            if !(try serializeValue(v, keyName: { rt throws(VMError) in Value(try rt.numberToJSString(Double(index))) },
                                    holder: a)) {
                appendASCII("null")
            }
            i += 1
        }
        indent = stepback
        if len > 0 && hasGap { newlineIndent() }
        out.append(0x5D)
        leave()
    }

    mutating func appendASCII(_ s: StaticString) {
        s.withUTF8Buffer { b in
            for c in b { out.append(UInt16(c)) }
        }
    }

    mutating func appendKey(_ k: PropertyKey) {
        if k.isIndex {
            out.append(0x22)
            NumberConversion.append(Double(k.index), to: &out)
            out.append(0x22)
        } else {
            appendQuoted(k.atom.units)
        }
    }

    /// QuoteJSONString (well-formed: lone surrogates are escaped).
    mutating func appendQuoted(_ u: ContiguousArray<UInt16>) {
        out.append(0x22)
        u.withUnsafeBufferPointer { b in
            var runStart = 0
            let n = b.count
            var i = 0
            while i < n {
                let c = b[i]
                if c >= 0x20 && c != 0x22 && c != 0x5C && (c < 0xD800 || c > 0xDFFF) {
                    i += 1
                    continue
                }
                if c >= 0xD800 && c <= 0xDBFF && i + 1 < n && b[i + 1] >= 0xDC00 && b[i + 1] <= 0xDFFF {
                    i += 2
                    continue
                }
                if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<i])) }
                out.append(0x5C)
                switch c {
                case 0x08: out.append(0x62)
                case 0x09: out.append(0x74)
                case 0x0A: out.append(0x6E)
                case 0x0C: out.append(0x66)
                case 0x0D: out.append(0x72)
                case 0x22: out.append(0x22)
                case 0x5C: out.append(0x5C)
                default:
                    out.append(0x75)
                    let hex: [UInt16] = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]
                    out.append(hex[Int(c >> 12)])
                    out.append(hex[Int((c >> 8) & 15)])
                    out.append(hex[Int((c >> 4) & 15)])
                    out.append(hex[Int(c & 15)])
                }
                i += 1
                runStart = i
            }
            if runStart < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<n])) }
        }
        out.append(0x22)
    }
}
