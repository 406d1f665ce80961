#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// A JSON text parser building values directly. Nesting uses an explicit stack. No script code
/// runs while parsing, so the values under construction need no rooting.
struct JSONParser {
    let rt: Runtime
    var pos = 0
    var end = 0
    let cache: JSONCache

    init(rt: Runtime, cache: JSONCache) {
        self.rt = rt
        self.cache = cache
    }

    /// An open container: where its members start in the shared scratch buffers.
    enum Container {
        case object(membersStart: Int)
        case array(valuesStart: Int)
    }

    mutating func parse(_ s: UnsafeBufferPointer<UInt16>) throws(VMError) -> Value {
        end = s.count
        pos = 0
        var stack = cache.scratchStack
        cache.scratchStack = []
        stack.removeAll(keepingCapacity: true)
        // Members of open objects (key, value) and elements of open arrays, innermost last.
        // The buffers are borrowed from the cache (no script code runs during a parse, so no
        // other parse can want them) and given back on success.
        var memberKeys = cache.scratchKeys
        var memberValues = cache.scratchMemberValues
        var values = cache.scratchValues
        cache.scratchKeys = []
        cache.scratchMemberValues = []
        cache.scratchValues = []
        memberKeys.removeAll(keepingCapacity: true)
        memberValues.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
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
                    // Keep modest buffers only (a huge document should not pin its scratch space).
                    if memberKeys.capacity <= 4096 && values.capacity <= 4096 && stack.capacity <= 4096 {
                        cache.scratchKeys = memberKeys
                        cache.scratchMemberValues = memberValues
                        cache.scratchValues = values
                        cache.scratchStack = stack
                    }
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
                        let o = try makeObject(memberKeys, memberValues, from: start)
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

    /// A new object with members `from...` of `keys`/`values`, in order (a repeated key keeps its
    /// first position and its last value). The shape is found through the cache's transitions
    /// instead of defining each property: a fresh ordinary object has no setters, so only
    /// duplicates and index keys need the general CreateDataProperty.
    @inline(__always)
    func makeObject(_ keys: [PropertyKey], _ values: ContiguousArray<Value>, from start: Int) throws(VMError) -> JSObject {
        let o = try rt.newObject()
        let count = keys.count
        var slots = ContiguousArray<Value>()
        slots.reserveCapacity(count - start)
        // Shapes in the transition tree live as long as the runtime: no reference counting here.
        var shape = Unmanaged.passUnretained(o.shape)
        var shapeID = shape._withUnsafeGuaranteedRef { $0.id }
        var i = start
        while i < count {
            let k = keys[i]
            if k.isIndex { break }
            if let next = cache.transition(from: shapeID, adding: k) {
                shape = next
            } else if let slot = shape._withUnsafeGuaranteedRef({ $0.lookup(k) }) {
                slots[slot] = values[i]  // a repeated key: last value wins
                i += 1
                continue
            } else if let next = rt.shapes.transition(from: shape.takeUnretainedValue(), adding: k, .normal) {
                let nextRef = Unmanaged.passUnretained(next)
                cache.remember(from: shapeID, adding: k, to: nextRef)
                shape = nextRef
            } else {
                break  // too many properties for the transition tree
            }
            shapeID = shape._withUnsafeGuaranteedRef { $0.id }
            slots.append(values[i])
            i += 1
        }
        let added = slots.count
        o.slots = slots
        o.shape = shape.takeUnretainedValue()
        try rt.heap.charge(added &* 8, to: o)  // what defining each property would have charged
        while i < count {
            try rt.createDataProperty(o, keys[i], values[i])
            i += 1
        }
        return o
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
        // The cache's hash is computed during the scan.
        var i = pos + 1
        var h = JSONCache.hashSeed
        while i < end {
            let c = s[i]
            if c == 0x22 || c == 0x5C || c < 0x20 { break }
            h = JSONCache.hash(h, c)
            i += 1
        }
        if i < end && s[i] == 0x22 {
            key = try cache.key(UnsafeBufferPointer(rebasing: s[(pos + 1)..<i]), hash: h, rt)
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
        // Fast scan: no escapes (hashing for the cache on the way).
        var i = pos
        var h = JSONCache.hashSeed
        while i < end {
            let c = s[i]
            if c == 0x22 || c == 0x5C || c < 0x20 { break }
            h = JSONCache.hash(h, c)
            i += 1
        }
        if i < end && s[i] == 0x22 {
            let n = i - pos
            let from = pos
            pos = i + 1
            if n == 0 { return rt.emptyString }
            if n == 1 && s[from] < 128 { return rt.singleCharacterString(ascii: s[from]) }
            if n <= JSONCache.maxCachedStringLength {
                return try cache.string(UnsafeBufferPointer(rebasing: s[from..<i]), hash: h, rt)
            }
            return try rt.newString(copying: UnsafeBufferPointer(rebasing: s[from..<i]))
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
