/// JSON.stringify's state (SerializeJSONProperty and friends), writing UTF-16 into one buffer.
struct JSONSerializer {
    let rt: Runtime
    let cache: JSONCache
    let out: JSONOutputBuffer
    var replacerFunction: Value = .undefined
    var propertyList: [(key: PropertyKey, name: JSString)]?
    var gap = ContiguousArray<UInt16>()
    /// Nesting depth of the value being written (the indentation is `depth` gaps).
    var depth = 0
    var stack: [ObjectIdentifier] = []
    var stackSet = Set<ObjectIdentifier>()
    /// The serializer recurses natively: nesting that would exhaust the thread's stack throws a
    /// RangeError instead.
    let stackLimit = JSONStackGuard.limit()

    init(rt: Runtime, cache: JSONCache) {
        self.rt = rt
        self.cache = cache
        if let spare = cache.spareOutput {
            out = spare
            cache.spareOutput = nil  // a toJSON or replacer may stringify meanwhile
        } else {
            out = JSONOutputBuffer()
        }
    }

    /// Hands the output buffer back to the cache.
    func finish() {
        if out.reset() { cache.spareOutput = out }
    }

    /// JSON.stringify: false for undefined; the text is in `out`.
    mutating func run(_ value: Value, replacer: Value, space: Value) throws(VMError) -> Bool {
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
        if replacerFunction.isUndefined {
            // No holder is observable without a replacer function.
            return try serializeValue(value, keyName: { rt in Value(rt.emptyString) }, holder: nil)
        }
        let wrapper = try rt.newObject()
        try rt.createDataProperty(wrapper, PropertyKey(atom: rt.emptyString), value)
        rt.temporaryRoots.append(Value(wrapper))
        return try serializeValue(value, keyName: { rt in Value(rt.emptyString) }, holder: wrapper)
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

    /// Writes a string, number, boolean or null; false (writing nothing) for anything else.
    @inline(__always) func writePrimitive(_ value: Value) -> Bool {
        if value.isString {
            appendQuoted(value.rawPointer)
        } else if value.isNumber {
            let d = value.number
            if d.isFinite { out.append(number: d) } else { out.append(ascii: "null") }
        } else if value.isNull {
            out.append(ascii: "null")
        } else if value.isBoolean {
            if value.boolean { out.append(ascii: "true") } else { out.append(ascii: "false") }
        } else {
            return false
        }
        return true
    }

    /// SerializeJSONProperty after the Get: applies toJSON and the replacer, then writes the value.
    /// Returns false (writing nothing) when the result is undefined.
    mutating func serializeValue(_ v: Value, keyName: (Runtime) throws(VMError) -> Value,
                                 holder: JSObject?) throws(VMError) -> Bool {
        try rt.charge(1)
        if !v.isObject && replacerFunction.isUndefined {
            // The common case: a primitive nobody can replace.
            if !writePrimitive(v) { return false }
            try checkOutputBudget()
            return true
        }
        var value = v
        if value.isObject {
            if let toJSON = try lookupToJSON(value.object) {
                let k = try keyName(rt)
                let m = rt.pushTemporaryRoot(value)
                defer { rt.popTemporaryRoots(to: m) }
                value = try rt.call(toJSON, this: value, arguments: [k])
            }
        }
        if !replacerFunction.isUndefined {
            let k = try keyName(rt)
            value = try rt.call(replacerFunction, this: holder.map { Value($0) } ?? .undefined, arguments: [k, value])
        }
        if value.isObject {
            let o = value.object
            switch o.kind {
            case .number:
                value = Value(try rt.toNumber(value))
            case .string:
                value = Value(try rt.toJSString(value))
            case .boolean: value = o.primitiveValue
            default: break
            }
        }
        if writePrimitive(value) {
            // written
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
    /// Absence is remembered per shape id for every object on the chain (ids change whenever a
    /// shape could have gained a property).
    /// The walk is over objects alive in the graph being written, so it uses unretained references.
    @inline(__always)
    func lookupToJSON(_ o: JSObject) throws(VMError) -> Value? {
        var cur = Unmanaged.passUnretained(o)
        while true {
            let known = cur._withUnsafeGuaranteedRef { cache.lacksToJSON(id: $0.shapeRef.id) }
            if !known {
                if let found = try ownToJSON(cur.takeUnretainedValue(), of: o) { return found.isUndefined ? nil : found }
            }
            guard let next = cur._withUnsafeGuaranteedRef({ c in c.prototype.map { Unmanaged.passUnretained($0) } }) else {
                return nil
            }
            cur = next
        }
    }

    /// `holder`'s own `toJSON` for `o` (the function, or undefined when it is not callable), or
    /// nil (remembering the shape) when `holder` has none.
    @inline(never)
    func ownToJSON(_ holder: JSObject, of o: JSObject) throws(VMError) -> Value? {
        let shape = holder.shape
        if let slot = shape.lookup(rt.names.toJSON) {
            if shape.attributes[slot].contains(.accessor) { return try slowToJSON(o) ?? .undefined }
            let f = holder.slots[slot]
            return f.asFunction != nil ? f : .undefined
        }
        cache.rememberLacksToJSON(shape)
        return nil
    }

    func slowToJSON(_ o: JSObject) throws(VMError) -> Value? {
        let f = try rt.get(Value(o), rt.names.toJSON)
        return f.asFunction != nil ? f : nil
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

    @inline(__always) func newlineIndent() {
        out.append(0x0A)
        gap.withUnsafeBufferPointer { g in
            for _ in 0..<depth { out.append(g) }
        }
    }

    mutating func serializeObject(_ o: JSObject) throws(VMError) {
        try enter(o)
        depth += 1
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
                if try serializeValue(v, keyName: { _ in Value(name) }, holder: o) {
                    any = true
                } else {
                    out.count = mark
                }
            }
        } else if o.kind == .ordinary && cache.isDataOnly(o.shape) {
            // Fast path: named data properties in insertion order. The shape is not a dictionary
            // shape, so the transition tree keeps it alive: it is read unretained.
            let shape = Unmanaged.passUnretained(o.shape)
            let shapeID = shape._withUnsafeGuaranteedRef { $0.id }
            let count = shape._withUnsafeGuaranteedRef { $0.keys.count }
            for i in 0..<count {
                let (k, attrs) = shape._withUnsafeGuaranteedRef { ($0.keys[i], $0.attributes[i]) }
                if !k.isString || !attrs.contains(.enumerable) { continue }
                let v: Value
                if o.shapeRef.id == shapeID {
                    v = o.slots[i]
                } else {
                    // A toJSON or replacer changed the object: fall back to [[GetOwnProperty]] + [[Get]].
                    guard let d = rt.getOwnProperty(o, k) else { continue }
                    v = d.isAccessor ? try rt.get(o, k) : (d.value ?? .undefined)
                }
                let mark = out.count
                if any { out.append(0x2C) }
                if hasGap { newlineIndent() }
                appendKeyAndColon(k)
                if hasGap { out.append(0x20) }
                let written: Bool
                if !v.isObject && replacerFunction.isUndefined {
                    // A primitive nobody can replace (serializeValue's first case, inline).
                    try rt.charge(1)
                    written = writePrimitive(v)
                    if written { try checkOutputBudget() }
                } else {
                    written = try serializeValue(v, keyName: { _ in Value(k.atom) }, holder: o)
                }
                if written {
                    any = true
                } else {
                    out.count = mark
                }
            }
        } else {
            let keys = rt.ownEnumerableStringKeys(o)
            for k in keys {
                let v = try rt.get(o, k)
                let mark = out.count
                if any { out.append(0x2C) }
                if hasGap { newlineIndent() }
                appendKey(k)
                out.append(0x3A)
                if hasGap { out.append(0x20) }
                if try serializeValue(v, keyName: { rt throws(VMError) in try rt.keyToValue(k) }, holder: o) {
                    any = true
                } else {
                    out.count = mark
                }
            }
        }
        depth -= 1
        if any && hasGap { newlineIndent() }
        out.append(0x7D)
        leave()
    }

    mutating func serializeArray(_ a: JSObject) throws(VMError) {
        try enter(a)
        depth += 1
        out.append(0x5B)
        let hasGap = !gap.isEmpty
        // An array's length is always its own data property, kept in `arrayLength`.
        let len = a.kind == .array ? Int(a.arrayLength) : try rt.toLength(try rt.get(a, rt.names.length))
        var i = 0
        while i < len {
            if i > 0 { out.append(0x2C) }
            if hasGap { newlineIndent() }
            let v: Value
            if i < a.elements.count && rt.usesElements(a) && !a.elements[i].isHole {
                v = a.elements[i]
            } else {
                v = try rt.get(a, PropertyKey.fromIndex(i, rt))
            }
            let index = i
            if !v.isObject && replacerFunction.isUndefined {
                // A primitive nobody can replace (serializeValue's first case, inline).
                try rt.charge(1)
                if writePrimitive(v) { try checkOutputBudget() } else { out.append(ascii: "null") }
            } else if !(try serializeValue(v, keyName: { rt throws(VMError) in Value(try rt.numberToJSString(Double(index))) },
                                           holder: a)) {
                out.append(ascii: "null")
            }
            i += 1
        }
        depth -= 1
        if len > 0 && hasGap { newlineIndent() }
        out.append(0x5D)
        leave()
    }

    func appendKey(_ k: PropertyKey) {
        if k.isIndex {
            out.append(0x22)
            out.append(number: Double(k.index))
            out.append(0x22)
        } else {
            appendQuoted(k.atom.units)
        }
    }

    /// `"key":` for a string key, from the cache when it was written before.
    @inline(__always) func appendKeyAndColon(_ k: PropertyKey) {
        if let text = cache.quotedKey(k) {
            out.append(text)
            return
        }
        let start = out.count
        appendQuoted(UnsafeMutableRawPointer(bitPattern: UInt(k.raw)).unsafelyUnwrapped)
        out.append(0x3A)
        cache.rememberQuotedKey(k, UnsafeBufferPointer(start: out.base + start, count: out.count - start))
    }

    /// QuoteJSONString of the string cell at `string` (a string value's or atom key's pointer;
    /// the cell is alive, so it is read without reference counting).
    @inline(__always) func appendQuoted(_ string: UnsafeMutableRawPointer) {
        Unmanaged<JSString>.fromOpaque(string)._withUnsafeGuaranteedRef { s in
            s.withUnits { appendQuoted($0) }
        }
    }

    func appendQuoted(_ u: ContiguousArray<UInt16>) {
        u.withUnsafeBufferPointer { appendQuoted($0) }
    }

    /// QuoteJSONString (well-formed: lone surrogates are escaped).
    func appendQuoted(_ b: UnsafeBufferPointer<UInt16>) {
        out.reserve(b.count &+ 2)
        out.append(0x22)
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
            if runStart < i { out.append(UnsafeBufferPointer(rebasing: b[runStart..<i])) }
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
                out.append(hexDigit(c >> 12))
                out.append(hexDigit((c >> 8) & 15))
                out.append(hexDigit((c >> 4) & 15))
                out.append(hexDigit(c & 15))
            }
            i += 1
            runStart = i
        }
        if runStart < n { out.append(UnsafeBufferPointer(rebasing: b[runStart..<n])) }
        out.append(0x22)
    }

    /// Lowercase hex digit of 0...15.
    @inline(__always) func hexDigit(_ d: UInt16) -> UInt16 { d < 10 ? 48 + d : 87 + d }
}
