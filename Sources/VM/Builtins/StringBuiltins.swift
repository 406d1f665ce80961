// String constructor and String.prototype (ECMAScript §22.1), except the RegExp-related methods
// (match, matchAll, replace, replaceAll, search, split) and the iterator.

extension Runtime {
    /// Checks that a string of `length` code units may be built: the heap budget first (a memory
    /// termination), then the engine's string length limit (a RangeError).
    func checkStringAllocation(_ length: Int) throws(VMError) {
        if length < 0 || !heap.canAllocate(Heap.cellHeaderBytes &+ length &* 2) { throw VMError.terminated(.memory) }
        if length > Runtime.maxStringLength { throw rangeError("Invalid string length") }
    }

    /// RequireObjectCoercible(this) then ToString: the receiver of a String.prototype method.
    @inline(__always)
    func thisStringCoerced(_ this: Value, _ method: String) throws(VMError) -> JSString {
        if this.isString { return this.string }
        return try thisStringCoercedSlow(this, method)
    }

    @inline(never)
    func thisStringCoercedSlow(_ this: Value, _ method: String) throws(VMError) -> JSString {
        if this.isNullish { throw typeError("String.prototype.\(method) called on null or undefined") }
        let s = try toJSString(this)
        // Keep the converted receiver alive while later arguments are converted (they may run script code).
        temporaryRoots.append(Value(s))
        return s
    }

    /// ToString of an argument, rooting a freshly made string until the method returns.
    @inline(__always)
    func argumentString(_ v: Value) throws(VMError) -> JSString {
        if v.isString { return v.string }
        let s = try toJSString(v)
        if !v.isNumber && !v.isBoolean && !v.isNullish { temporaryRoots.append(Value(s)) }
        return s
    }

    /// thisStringValue: a string primitive or a String wrapper's value.
    func thisStringValue(_ this: Value, _ method: String) throws(VMError) -> Value {
        if this.isString { return this }
        if this.isObject, this.object.kind == .string, this.object.primitiveValue.isString {
            return this.object.primitiveValue
        }
        throw typeError("String.prototype.\(method) requires that 'this' be a String")
    }

    /// IsRegExp.
    func isRegExp(_ v: Value) throws(VMError) -> Bool {
        guard v.isObject else { return false }
        let matcher = try get(v.object, PropertyKey(symbol: wellKnownSymbols.match))
        if !matcher.isUndefined { return toBoolean(matcher) }
        return v.object.kind == .regExp
    }

    /// A string value for `units[range]`; reuses `s` for the whole range and atoms for one ASCII unit.
    @inline(__always)
    func substringValue(_ s: JSString, _ start: Int, _ end: Int) throws(VMError) -> Value {
        // Clamp defensively: a bad range from a caller must never read out of bounds.
        let from = max(0, min(start, s.count))
        let to = max(from, min(end, s.count))
        if from == 0 && to == s.count { return Value(s) }
        let n = to - from
        if n <= 0 { return Value(emptyString) }
        let u = s.unitBuffer
        if n == 1 { return try singleCharacterString(u[from]) }
        return try newStringValue(copying: UnsafeBufferPointer(rebasing: u[from..<to]))
    }

    /// toUpperCase/toLowerCase of an all-ASCII string, read in place (a short string's `units`
    /// would be made just for this); nil when `s` has non-ASCII units (full Unicode mapping).
    func asciiCaseMapped(_ s: JSString, upper: Bool) throws(VMError) -> Value? {
        let u = s.unitBuffer
        let from: UInt16 = upper ? 97 : 65
        var changes = false
        for c in u {
            if c >= 128 { return nil }
            if c &- from < 26 { changes = true }
        }
        if !changes { return Value(s) }
        @inline(__always) func map(_ p: UnsafeMutablePointer<UInt16>) {
            for i in 0..<u.count {
                let c = u[i]
                p[i] = c &- from < 26 ? c ^ 0x20 : c
            }
        }
        if u.count <= JSString.inlineCapacity {
            var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 12 units: `JSString.inlineCapacity`
            return try withUnsafeMutableBytes(of: &buffer) { (raw) throws(VMError) -> Value in
                let p = raw.baseAddress!.assumingMemoryBound(to: UInt16.self)
                map(p)
                return try newStringValue(copying: UnsafeBufferPointer(start: p, count: u.count))
            }
        }
        try checkStringAllocation(u.count)
        return Value(try newString(JSString.makeUnits(count: u.count, map)))
    }

    /// The empty string atom (String.prototype's primitive value).
    var emptyString: JSString { intrinsics.stringPrototype.primitiveValue.string }

    /// Clamps an integer (possibly infinite) into 0…len.
    @inline(__always) static func clampIndex(_ d: Double, _ len: Int) -> Int {
        if d <= 0 { return 0 }
        if d >= Double(len) { return len }
        return Int(d)
    }

    /// ToIntegerOrInfinity with a fast path for numbers.
    @inline(__always) func integerArgument(_ v: Value) throws(VMError) -> Double {
        if v.isNumber {
            let d = v.number
            if d.isNaN { return 0 }
            return d.rounded(.towardZero) + 0
        }
        return try toIntegerOrInfinity(v)
    }

    func installStringBuiltins() throws(VMError) {
        let proto = intrinsics.stringPrototype!
        let ctor = try defineConstructor("String", length: 1, prototype: proto) { rt, _, args throws(VMError) in
            var s: JSString
            if args.count == 0 {
                s = rt.emptyString
            } else {
                let v = args[0]
                if !args.isConstructCall && v.isSymbol {
                    let d = v.symbol.descriptionValue
                    var units = ContiguousArray("Symbol(".utf16)
                    if let d { units.append(contentsOf: d.units) }
                    units.append(41)
                    return Value(try rt.newString(units))
                }
                s = try rt.toJSString(v)
            }
            if !args.isConstructCall { return Value(s) }
            let m = rt.pushTemporaryRoot(Value(s))
            defer { rt.popTemporaryRoots(to: m) }
            let p = try rt.prototypeFromConstructor(args.newTarget, fallback: rt.intrinsics.stringPrototype)
            let o = try rt.newObject(kind: .string, prototype: p)
            o.primitiveValue = Value(s)
            return Value(o)
        }
        intrinsics.stringConstructor = ctor

        // MARK: Static methods

        try defineMethod(ctor, "fromCharCode", 1) { rt, _, args throws(VMError) in
            if args.count == 1 {
                let a = args[0]
                let u = UInt16(truncatingIfNeeded: a.isNumber ? NumberConversion.toInt32(a.number) : try rt.toInt32(a))
                return try rt.singleCharacterString(u)
            }
            var units = ContiguousArray<UInt16>()
            units.reserveCapacity(args.count)
            for i in 0..<args.count {
                try rt.charge(1)
                units.append(UInt16(truncatingIfNeeded: try rt.toInt32(args[i])))
            }
            return Value(try rt.newString(units))
        }
        try defineMethod(ctor, "fromCodePoint", 1) { rt, _, args throws(VMError) in
            var units = ContiguousArray<UInt16>()
            units.reserveCapacity(args.count)
            for i in 0..<args.count {
                try rt.charge(1)
                let n = try rt.toNumber(args[i])
                guard n == n.rounded(.towardZero), n >= 0, n <= 0x10FFFF else {
                    throw rt.rangeError("Invalid code point \(NumberConversion.toString(n))")
                }
                appendCodePoint(UInt32(n), to: &units)
            }
            return Value(try rt.newString(units))
        }
        try defineMethod(ctor, "raw", 1) { rt, _, args throws(VMError) in
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            let cooked = try rt.toObject(args[0])
            rt.temporaryRoots.append(Value(cooked))
            let raw = try rt.toObject(try rt.get(cooked, rt.names.raw))
            rt.temporaryRoots.append(Value(raw))
            let literalCount = try rt.toLength(try rt.get(raw, rt.names.length))
            if literalCount <= 0 { return Value(rt.emptyString) }
            var out = ContiguousArray<UInt16>()
            var i = 0
            while true {
                try rt.charge(1)
                let seg = try rt.toJSString(try rt.get(raw, PropertyKey.fromIndex(i, rt)))
                try rt.checkStringAllocation(out.count + seg.count)
                out.append(contentsOf: seg.units)
                if i + 1 == literalCount { break }
                if i + 1 < args.count {
                    let sub = try rt.toJSString(args[i + 1])
                    try rt.checkStringAllocation(out.count + sub.count)
                    out.append(contentsOf: sub.units)
                }
                i += 1
            }
            return Value(try rt.newString(out))
        }

        // MARK: Prototype methods

        try defineMethod(proto, "at", 1) { rt, this, args throws(VMError) in
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            let s = try rt.thisStringCoerced(this, "at")
            let len = s.count
            let rel = try rt.integerArgument(args[0])
            let k = rel >= 0 ? rel : Double(len) + rel
            if k < 0 || k >= Double(len) { return .undefined }
            return try rt.singleCharacterString(s.units[Int(k)])
        }
        try defineMethod(proto, "charAt", 1) { rt, this, args throws(VMError) in
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            let s = try rt.thisStringCoerced(this, "charAt")
            let pos = try rt.integerArgument(args[0])
            if pos < 0 || pos >= Double(s.count) { return Value(rt.emptyString) }
            return try rt.singleCharacterString(s.unitBuffer[Int(pos)])
        }
        try defineMethod(proto, "charCodeAt", 1) { rt, this, args throws(VMError) in
            if this.isString {
                let s = this.string
                let a = args[0]
                if a.isNumber {
                    let d = a.number
                    if d >= 0 && d < Double(s.count) { return Value(Double(s.unitBuffer[Int(d)])) }
                }
            }
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            let s = try rt.thisStringCoerced(this, "charCodeAt")
            let pos = try rt.integerArgument(args[0])
            if pos < 0 || pos >= Double(s.count) { return Value(Double.nan) }
            return Value(Double(s.unitBuffer[Int(pos)]))
        }
        try defineMethod(proto, "codePointAt", 1) { rt, this, args throws(VMError) in
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            let s = try rt.thisStringCoerced(this, "codePointAt")
            let pos = try rt.integerArgument(args[0])
            if pos < 0 || pos >= Double(s.count) { return .undefined }
            let (cp, _) = codePoint(at: Int(pos), in: s.units)
            return Value(Double(cp))
        }
        try defineMethod(proto, "concat", 1) { rt, this, args throws(VMError) in
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            let s = try rt.thisStringCoerced(this, "concat")
            if args.count == 0 { return Value(s) }
            var parts: [JSString] = []
            var total = s.count
            for i in 0..<args.count {
                let p = try rt.argumentString(args[i])
                parts.append(p)
                total += p.count
            }
            try rt.checkStringAllocation(total)
            try rt.charge(total / 16)
            var out = ContiguousArray<UInt16>()
            out.reserveCapacity(total)
            out.append(contentsOf: s.units)
            for p in parts { out.append(contentsOf: p.units) }
            return Value(try rt.newString(out))
        }
        try defineMethod(proto, "endsWith", 1) { rt, this, args throws(VMError) in
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            let s = try rt.thisStringCoerced(this, "endsWith")
            if try rt.isRegExp(args[0]) {
                throw rt.typeError("First argument to String.prototype.endsWith must not be a regular expression")
            }
            let search = try rt.argumentString(args[0])
            let len = s.count
            let end = args[1].isUndefined ? len : Runtime.clampIndex(try rt.integerArgument(args[1]), len)
            let sl = search.count
            if sl == 0 { return .true }
            let start = end - sl
            if start < 0 { return .false }
            try rt.charge(sl / 16)
            return Value(UnsafeBufferPointer(rebasing: s.unitBuffer[start..<end]).elementsEqual(search.unitBuffer))
        }
        try defineMethod(proto, "includes", 1) { rt, this, args throws(VMError) in
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            let s = try rt.thisStringCoerced(this, "includes")
            if try rt.isRegExp(args[0]) {
                throw rt.typeError("First argument to String.prototype.includes must not be a regular expression")
            }
            let search = try rt.argumentString(args[0])
            let start = Runtime.clampIndex(try rt.integerArgument(args[1]), s.count)
            return Value(try rt.stringIndexOf(s, search, from: start) >= 0)
        }
        try defineMethod(proto, "indexOf", 1) { rt, this, args throws(VMError) in
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            let s = try rt.thisStringCoerced(this, "indexOf")
            let search = try rt.argumentString(args[0])
            let start = Runtime.clampIndex(try rt.integerArgument(args[1]), s.count)
            return Value(Double(try rt.stringIndexOf(s, search, from: start)))
        }
        try defineMethod(proto, "lastIndexOf", 1) { rt, this, args throws(VMError) in
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            let s = try rt.thisStringCoerced(this, "lastIndexOf")
            let search = try rt.argumentString(args[0])
            let numPos = try rt.toNumber(args[1])
            let pos = numPos.isNaN ? Double.infinity : numPos.rounded(.towardZero)
            let len = s.count, sl = search.count
            let start = Runtime.clampIndex(pos, len)
            if sl > len { return Value(-1.0) }
            var i = min(start, len - sl)
            let su = s.unitBuffer, pu = search.unitBuffer
            while i >= 0 {
                try rt.charge(1)
                var k = 0
                while k < sl && su[i &+ k] == pu[k] { k &+= 1 }
                if k == sl { return Value(Double(i)) }
                i -= 1
            }
            return Value(-1.0)
        }
        try defineMethod(proto, "localeCompare", 1) { rt, this, args throws(VMError) in
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            let s = try rt.thisStringCoerced(this, "localeCompare")
            let that = try rt.argumentString(args[0])
            try rt.charge((s.count + that.count) / 8)
            return Value(Double(localeCompareUnits(s.units, that.units)))
        }
        try defineMethod(proto, "normalize", 0) { rt, this, args throws(VMError) in
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            let s = try rt.thisStringCoerced(this, "normalize")
            var form = NormalizationForm.nfc
            if !args[0].isUndefined {
                let f = try rt.toSwiftString(args[0])
                switch f {
                case "NFC": form = .nfc
                case "NFD": form = .nfd
                case "NFKC": form = .nfkc
                case "NFKD": form = .nfkd
                default: throw rt.rangeError("The normalization form should be one of NFC, NFD, NFKC, NFKD.")
                }
            }
            try rt.charge(s.count / 4)
            guard let out = normalizeUnits(s.units, form) else { return Value(s) }
            try rt.checkStringAllocation(out.count)
            return Value(try rt.newString(out))
        }
        func pad(_ name: String, atStart: Bool) throws(VMError) {
            try defineMethod(proto, name, 1) { rt, this, args throws(VMError) in
                let mark = rt.temporaryRoots.count
                defer { rt.popTemporaryRoots(to: mark) }
                let s = try rt.thisStringCoerced(this, name)
                let maxLength = try rt.toLength(args[0])
                let len = s.count
                if maxLength <= len { return Value(s) }
                var fill: ContiguousArray<UInt16> = [32]
                if !args[1].isUndefined {
                    let f = try rt.argumentString(args[1])
                    fill = f.units
                }
                if fill.isEmpty { return Value(s) }
                try rt.checkStringAllocation(maxLength)
                try rt.charge(maxLength / 8)
                let fillLen = maxLength - len
                var out = ContiguousArray<UInt16>()
                out.reserveCapacity(maxLength)
                if !atStart { out.append(contentsOf: s.units) }
                var remaining = fillLen
                while remaining >= fill.count {
                    out.append(contentsOf: fill)
                    remaining -= fill.count
                }
                if remaining > 0 { out.append(contentsOf: fill[0..<remaining]) }
                if atStart { out.append(contentsOf: s.units) }
                return Value(try rt.newString(out))
            }
        }
        try pad("padEnd", atStart: false)
        try pad("padStart", atStart: true)
        try defineMethod(proto, "repeat", 1) { rt, this, args throws(VMError) in
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            let s = try rt.thisStringCoerced(this, "repeat")
            let n = try rt.integerArgument(args[0])
            if n < 0 || n == .infinity { throw rt.rangeError("Invalid count value: \(NumberConversion.toString(n))") }
            if n == 0 || s.count == 0 { return Value(rt.emptyString) }
            if n == 1 { return Value(s) }
            let total = Double(s.count) * n
            if total > Double(Int32.max) {
                if !rt.heap.canAllocate(Int(min(total * 2, 9.0e18))) { throw VMError.terminated(.memory) }
                throw rt.rangeError("Invalid string length")
            }
            let count = Int(n)
            try rt.checkStringAllocation(s.count * count)
            try rt.charge(s.count * count / 16)
            var out = ContiguousArray<UInt16>()
            out.reserveCapacity(s.count * count)
            if s.count == 1 {
                out.append(contentsOf: repeatElement(s.units[0], count: count))
            } else {
                for _ in 0..<count { out.append(contentsOf: s.units) }
            }
            return Value(try rt.newString(out))
        }
        try defineMethod(proto, "slice", 2) { rt, this, args throws(VMError) in
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            let s = try rt.thisStringCoerced(this, "slice")
            let len = s.count
            let from = try rt.relativeStringIndex(args[0], len, 0)
            let to = try rt.relativeStringIndex(args[1], len, len)
            if from >= to { return Value(rt.emptyString) }
            return try rt.substringValue(s, from, to)
        }
        try defineMethod(proto, "startsWith", 1) { rt, this, args throws(VMError) in
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            let s = try rt.thisStringCoerced(this, "startsWith")
            if try rt.isRegExp(args[0]) {
                throw rt.typeError("First argument to String.prototype.startsWith must not be a regular expression")
            }
            let search = try rt.argumentString(args[0])
            let len = s.count
            let start = Runtime.clampIndex(try rt.integerArgument(args[1]), len)
            let sl = search.count
            if sl == 0 { return .true }
            if start + sl > len { return .false }
            try rt.charge(sl / 16)
            return Value(UnsafeBufferPointer(rebasing: s.unitBuffer[start..<(start + sl)]).elementsEqual(search.unitBuffer))
        }
        try defineMethod(proto, "substring", 2) { rt, this, args throws(VMError) in
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            let s = try rt.thisStringCoerced(this, "substring")
            let len = s.count
            let a = Runtime.clampIndex(try rt.integerArgument(args[0]), len)
            let b = args[1].isUndefined ? len : Runtime.clampIndex(try rt.integerArgument(args[1]), len)
            return try rt.substringValue(s, min(a, b), max(a, b))
        }
        try defineMethod(proto, "substr", 2) { rt, this, args throws(VMError) in
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            let s = try rt.thisStringCoerced(this, "substr")
            let size = s.count
            let start = try rt.relativeStringIndex(args[0], size, 0)
            let length = args[1].isUndefined ? Double(size) : try rt.integerArgument(args[1])
            let l = Runtime.clampIndex(length, size)
            let end = min(start + l, size)
            if start >= end { return Value(rt.emptyString) }
            return try rt.substringValue(s, start, end)
        }
        func caseMethod(_ name: String, upper: Bool) throws(VMError) {
            try defineMethod(proto, name, 0) { rt, this, _ throws(VMError) in
                let mark = rt.temporaryRoots.count
                defer { rt.popTemporaryRoots(to: mark) }
                let s = try rt.thisStringCoerced(this, name)
                try rt.charge(s.count / 8)
                if let mapped = try rt.asciiCaseMapped(s, upper: upper) { return mapped }
                guard let out = upper ? uppercaseUnits(s.units) : lowercaseUnits(s.units) else { return Value(s) }
                try rt.checkStringAllocation(out.count)
                return Value(try rt.newString(out))
            }
        }
        try caseMethod("toLocaleLowerCase", upper: false)
        try caseMethod("toLocaleUpperCase", upper: true)
        try caseMethod("toLowerCase", upper: false)
        try caseMethod("toUpperCase", upper: true)
        try defineMethod(proto, "toString", 0) { rt, this, _ throws(VMError) in
            try rt.thisStringValue(this, "toString")
        }
        func trimMethod(_ name: String, start: Bool, end: Bool) throws(VMError) -> JSFunction {
            try defineMethod(proto, name, 0) { rt, this, _ throws(VMError) in
                let mark = rt.temporaryRoots.count
                defer { rt.popTemporaryRoots(to: mark) }
                let s = try rt.thisStringCoerced(this, name)
                let u = s.unitBuffer
                var a = 0, b = u.count
                if start { while a < b && NumberConversion.isWhitespace(u[a]) { a += 1 } }
                if end { while b > a && NumberConversion.isWhitespace(u[b - 1]) { b -= 1 } }
                try rt.charge((a + u.count - b) / 8)
                return try rt.substringValue(s, a, b)
            }
        }
        _ = try trimMethod("trim", start: true, end: true)
        let trimStart = try trimMethod("trimStart", start: true, end: false)
        let trimEnd = try trimMethod("trimEnd", start: false, end: true)
        // Annex B aliases: the same function objects.
        try defineDataProperty(proto, key("trimLeft"), Value(trimStart), .hidden)
        try defineDataProperty(proto, key("trimRight"), Value(trimEnd), .hidden)
        try defineMethod(proto, "valueOf", 0) { rt, this, _ throws(VMError) in
            try rt.thisStringValue(this, "valueOf")
        }
        try defineMethod(proto, "isWellFormed", 0) { rt, this, _ throws(VMError) in
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            let s = try rt.thisStringCoerced(this, "isWellFormed")
            try rt.charge(s.count / 16)
            return Value(firstLoneSurrogate(s.units) == nil)
        }
        try defineMethod(proto, "toWellFormed", 0) { rt, this, _ throws(VMError) in
            let mark = rt.temporaryRoots.count
            defer { rt.popTemporaryRoots(to: mark) }
            let s = try rt.thisStringCoerced(this, "toWellFormed")
            try rt.charge(s.count / 16)
            guard firstLoneSurrogate(s.units) != nil else { return Value(s) }
            var out = s.units
            var i = 0
            let n = out.count
            while i < n {
                let c = out[i]
                if c & 0xFC00 == 0xD800 {
                    if i + 1 < n && out[i + 1] & 0xFC00 == 0xDC00 { i += 2; continue }
                    out[i] = 0xFFFD
                } else if c & 0xFC00 == 0xDC00 {
                    out[i] = 0xFFFD
                }
                i += 1
            }
            return Value(try rt.newString(out))
        }
        try installStringHTMLMethods(proto)
    }

    /// A relative index argument for slice/substr: negative counts from the end, clamped to 0…len.
    @inline(__always)
    func relativeStringIndex(_ v: Value, _ len: Int, _ defaultValue: Int) throws(VMError) -> Int {
        if v.isUndefined { return defaultValue }
        let d = try integerArgument(v)
        if d < 0 {
            let r = Double(len) + d
            return r <= 0 ? 0 : Int(r)
        }
        return d >= Double(len) ? len : Int(d)
    }

    /// Annex B String.prototype HTML methods (anchor, big, …).
    func installStringHTMLMethods(_ proto: JSObject) throws(VMError) {
        let methods: [(String, String, String?)] = [
            ("anchor", "a", "name"), ("big", "big", nil), ("blink", "blink", nil), ("bold", "b", nil),
            ("fixed", "tt", nil), ("fontcolor", "font", "color"), ("fontsize", "font", "size"),
            ("italics", "i", nil), ("link", "a", "href"), ("small", "small", nil), ("strike", "strike", nil),
            ("sub", "sub", nil), ("sup", "sup", nil),
        ]
        for (name, tag, attribute) in methods {
            try defineMethod(proto, name, attribute == nil ? 0 : 1) { rt, this, args throws(VMError) in
                let mark = rt.temporaryRoots.count
                defer { rt.popTemporaryRoots(to: mark) }
                let s = try rt.thisStringCoerced(this, name)
                var out = ContiguousArray<UInt16>()
                out.append(60)
                out.append(contentsOf: tag.utf16)
                if let attribute {
                    let v = try rt.argumentString(args[0])
                    out.append(32)
                    out.append(contentsOf: attribute.utf16)
                    out.append(contentsOf: "=\"".utf16)
                    for u in v.units {
                        if u == 34 { out.append(contentsOf: "&quot;".utf16) } else { out.append(u) }
                    }
                    out.append(34)
                }
                out.append(62)
                out.append(contentsOf: s.units)
                out.append(contentsOf: "</".utf16)
                out.append(contentsOf: tag.utf16)
                out.append(62)
                try rt.checkStringAllocation(out.count)
                return Value(try rt.newString(out))
            }
        }
    }

    /// StringIndexOf: first index ≥ `from` where `pattern` occurs in `s`, or -1. Charges the scan.
    func stringIndexOf(_ s: JSString, _ pattern: JSString, from: Int) throws(VMError) -> Int {
        let result = Runtime.stringIndexOf(s.unitBuffer, pattern.unitBuffer, from: from)
        if pattern.count > 0 && from + pattern.count <= s.count {
            try charge(((result < 0 ? s.count : result) - from) / 8)
        }
        return result
    }
}

extension PropertyKey {
    /// The key for a non-negative integer index (string key past the array-index range).
    static func fromIndex(_ i: Int, _ rt: Runtime) -> PropertyKey {
        if i >= 0 && i < 4294967295 { return PropertyKey(index: UInt32(i)) }
        return rt.key(String(i))
    }
}
