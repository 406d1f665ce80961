// RegExp: the constructor, RegExp.prototype (exec, test, toString, flag getters, source),
// RegExp[Symbol.species], and the internal operations the String methods share
// (RegExpCreate, RegExpExec, RegExpBuiltinExec, AdvanceStringIndex). The Symbol.match/
// matchAll/replace/search/split methods live in RegExp/RegExpSymbolMethods.swift and the
// engine in RegExp/Rx*.swift.

/// `[[RegExpMatcher]]`, `[[OriginalSource]]`, `[[OriginalFlags]]` of a RegExp object.
final class RegExpData: GCTraceable {
    let source: JSString
    let flagsString: JSString
    let flags: RxFlags
    let program: RxProgram

    init(source: JSString, flagsString: JSString, flags: RxFlags, program: RxProgram) {
        self.source = source
        self.flagsString = flagsString
        self.flags = flags
        self.program = program
    }

    func trace(_ marker: inout GCMarker) {
        marker.mark(source)
        marker.mark(flagsString)
    }
}

/// Per-runtime RegExp state: the compiled-pattern cache and what the fast paths compare against.
final class RegExpRealmState: GCTraceable {
    struct CacheKey: Hashable {
        let source: [UInt16]
        let flags: UInt8
    }
    var cache: [CacheKey: RxProgram] = [:]
    /// One matcher per program (matching never runs script code, so matchers are not re-entered).
    var matchers: [ObjectIdentifier: RxMatcher] = [:]

    private var lastMatcher: RxMatcher?
    /// Shape of an exec result array with index, input and groups (in that order).
    var execResultShape: Shape?

    func matcher(for program: RxProgram) -> RxMatcher {
        if let m = lastMatcher, m.program === program { return m }
        let m = lookupMatcher(program)
        lastMatcher = m
        return m
    }

    private func lookupMatcher(_ program: RxProgram) -> RxMatcher {
        let id = ObjectIdentifier(program)
        if let m = matchers[id], m.program === program { return m }
        if matchers.count >= 64 { matchers.removeAll(keepingCapacity: true) }
        let m = RxMatcher(program: program)
        matchers[id] = m
        return m
    }
    /// The shape of a fresh RegExp object (own `lastIndex` only).
    var initialShape: Shape?
    /// RegExp.prototype data properties whose values the fast paths rely on.
    var pristineValues: [(PropertyKey, Value)] = []
    /// RegExp.prototype accessors whose getters the fast paths rely on.
    var pristineGetters: [(PropertyKey, Value)] = []
    var speciesGetter: Value = .undefined
    var stringIteratorPrototype: JSObject?

    func trace(_ marker: inout GCMarker) {
        for (_, v) in pristineValues { marker.mark(v) }
        for (_, v) in pristineGetters { marker.mark(v) }
        marker.mark(speciesGetter)
        marker.mark(stringIteratorPrototype)
    }
}

/// State of a `%RegExpStringIterator%`.
final class RegExpStringIteratorState: GCTraceable {
    let matcher: Value
    let string: Value
    let global: Bool
    let fullUnicode: Bool
    var done = false

    init(matcher: Value, string: Value, global: Bool, fullUnicode: Bool) {
        self.matcher = matcher
        self.string = string
        self.global = global
        self.fullUnicode = fullUnicode
    }

    func trace(_ marker: inout GCMarker) {
        marker.mark(matcher)
        marker.mark(string)
    }
}

extension Runtime {
    static let regExpCacheLimit = 1024

    var regExpState: RegExpRealmState {
        unsafeDowncast(intrinsics.regExpPrototype.internalStorage!, to: RegExpRealmState.self)
    }

    /// The `[[RegExpMatcher]]` data of a RegExp object, or nil.
    @inline(__always) func regExpData(_ v: Value) -> RegExpData? {
        guard v.isObject else { return nil }
        let o = v.object
        guard o.kind == .regExp, let s = o.internalStorage else { return nil }
        return unsafeDowncast(s, to: RegExpData.self)
    }

    // MARK: Compilation

    /// Compiles (or fetches from the cache) `pattern` with `flags`; SyntaxError on a bad pattern.
    func compileRegExp(pattern: JSString, flags: JSString) throws(VMError) -> (RxProgram, RxFlags) {
        let f: RxFlags
        switch RxFlags.parse(flags.units) {
        case .success(let x): f = x
        case .failure:
            throw syntaxError("Invalid flags supplied to RegExp constructor '\(flags.swiftString)'")
        }
        let compileFlags = f.intersection([.ignoreCase, .multiline, .dotAll, .unicode, .unicodeSets])
        let state = regExpState
        let key = RegExpRealmState.CacheKey(source: Array(pattern.units), flags: compileFlags.rawValue)
        if let p = state.cache[key] { return (p, f) }
        try charge(pattern.count)
        switch RxProgram.compile(pattern: key.source, flags: compileFlags) {
        case .success(let p):
            if state.cache.count >= Runtime.regExpCacheLimit { state.cache.removeAll(keepingCapacity: true) }
            state.cache[key] = p
            return (p, f)
        case .failure(let e):
            throw syntaxError("Invalid regular expression: /\(pattern.swiftString)/\(flags.swiftString): \(e.message)")
        }
    }

    /// RegExpAlloc: a RegExp object without a matcher yet, with its `lastIndex` property.
    func regExpAlloc(newTarget: Value) throws(VMError) -> JSObject {
        let proto = try prototypeFromConstructor(newTarget, fallback: intrinsics.regExpPrototype)
        let o = try newObject(kind: .regExp, prototype: proto)
        try defineDataProperty(o, names.lastIndex, Value(0.0), [.writable])
        return o
    }

    /// RegExpInitialize.
    func regExpInitialize(_ o: JSObject, pattern: Value, flags: Value) throws(VMError) {
        let p: JSString = pattern.isUndefined ? intern("") : try toJSString(pattern)
        let m = pushTemporaryRoot(Value(p))
        defer { popTemporaryRoots(to: m) }
        let f: JSString = flags.isUndefined ? intern("") : try toJSString(flags)
        let (program, parsedFlags) = try compileRegExp(pattern: p, flags: f)
        o.internalStorage = RegExpData(source: p, flagsString: f, flags: parsedFlags, program: program)
        try heap.charge(program.approximateBytes, to: o)
        try rxSetOrThrow(o, names.lastIndex, Value(0.0))
    }

    /// A regular-expression literal's object (the interpreter calls this for `/pattern/flags`).
    public func newRegExp(pattern: JSString, flags: JSString) throws(VMError) -> JSObject {
        let (program, parsedFlags) = try compileRegExp(pattern: pattern, flags: flags)
        let o = try newObject(kind: .regExp, prototype: intrinsics.regExpPrototype)
        try defineDataProperty(o, names.lastIndex, Value(0.0), [.writable])
        o.internalStorage = RegExpData(source: pattern, flagsString: flags, flags: parsedFlags, program: program)
        try heap.charge(program.approximateBytes, to: o)
        return o
    }

    /// RegExpCreate(P, F).
    func regExpCreate(_ pattern: Value, _ flags: Value) throws(VMError) -> JSObject {
        let o = try regExpAlloc(newTarget: Value(intrinsics.regExpConstructor))
        let m = pushTemporaryRoot(Value(o))
        defer { popTemporaryRoots(to: m) }
        try regExpInitialize(o, pattern: pattern, flags: flags)
        return o
    }

    /// `Set(O, P, V, true)`.
    func rxSetOrThrow(_ o: JSObject, _ k: PropertyKey, _ v: Value) throws(VMError) {
        if !(try set(o, k, v)) {
            throw typeError("Cannot assign to read only property '\(describeKey(k))' of object")
        }
    }

    // MARK: Exec

    /// AdvanceStringIndex.
    @inline(__always) static func advanceStringIndex(_ s: JSString, _ index: Int, unicode: Bool) -> Int {
        if !unicode || index + 1 >= s.count { return index + 1 }
        let u = s.units[index]
        if u & 0xFC00 == 0xD800 && s.units[index + 1] & 0xFC00 == 0xDC00 { return index + 2 }
        return index + 1
    }

    /// Runs the matcher as RegExpBuiltinExec does (without touching `lastIndex`): the reported
    /// match index and end, or nil. Captures are left in `data.matcher`.
    func regExpMatch(_ data: RegExpData, _ s: JSString, from lastIndex: Int) throws(VMError) -> (index: Int, end: Int)? {
        if lastIndex > s.count { return nil }
        let m = regExpState.matcher(for: data.program)
        guard try m.search(s.units, from: lastIndex, sticky: data.flags.contains(.sticky), rt: self) else { return nil }
        return (max(m.caps[0], lastIndex), m.caps[1])
    }

    /// RegExpBuiltinExec(R, S).
    func regExpBuiltinExec(_ r: JSObject, _ data: RegExpData, _ s: JSString) throws(VMError) -> Value {
        let global = data.flags.contains(.global), sticky = data.flags.contains(.sticky)
        var lastIndex = 0
        let li = try get(r, names.lastIndex)
        if li.isNumber {
            let d = li.number
            lastIndex = d.isNaN || d <= 0 ? 0 : (d >= 9007199254740991 ? 9007199254740991 : Int(d))
        } else {
            let m = pushTemporaryRoot(Value(s))
            defer { popTemporaryRoots(to: m) }
            lastIndex = try toLength(li)
        }
        if !global && !sticky { lastIndex = 0 }
        guard let (index, end) = try regExpMatch(data, s, from: lastIndex) else {
            if global || sticky { try rxSetOrThrow(r, names.lastIndex, Value(0.0)) }
            return .null
        }
        if global || sticky { try rxSetOrThrow(r, names.lastIndex, Value(Double(end))) }
        return Value(try makeMatchResult(data, s, index: index, end: end))
    }

    /// The exec result array for the match now held by `data.matcher`.
    func makeMatchResult(_ data: RegExpData, _ s: JSString, index: Int, end: Int) throws(VMError) -> JSObject {
        let prog = data.program
        let m = regExpState.matcher(for: data.program)
        let n = prog.captureCount
        var elems = ContiguousArray<Value>()
        elems.reserveCapacity(n + 1)
        elems.append(try substringValue(s, index, max(index, end)))
        if n > 0 {
            for i in 1...n {
                if let r = m.capture(i) { elems.append(try substringValue(s, r.lowerBound, r.upperBound)) }
                else { elems.append(.undefined) }
            }
        }
        var ranges: [Range<Int>?] = []
        if data.flags.contains(.hasIndices) {
            ranges.append(index..<max(index, end))
            if n > 0 { for i in 1...n { ranges.append(m.capture(i)) } }
        }
        let a = try newArray(elems)
        var groups = Value.undefined
        if !prog.groupNames.isEmpty {
            let g = try newObject(prototype: nil)
            for (name, i) in prog.groupNames {
                try createDataProperty(g, key(try newString(ContiguousArray(name))), elems[i])
            }
            groups = Value(g)
        }
        let state = regExpState
        if let shape = state.execResultShape, a.shape === shapes.root {
            // The same shape createDataProperty would reach, without three transition lookups.
            try heap.charge(24, to: a)
            a.shape = shape
            a.slots = [Value(Double(index)), Value(s), groups]
        } else {
            try createDataProperty(a, names.index, Value(Double(index)))
            try createDataProperty(a, names.input, Value(s))
            try createDataProperty(a, names.groups, groups)
            if state.execResultShape == nil { state.execResultShape = a.shape }
        }
        if data.flags.contains(.hasIndices) {
            var pairs = ContiguousArray<Value>()
            for r in ranges {
                if let r {
                    pairs.append(Value(try newArray([Value(Double(r.lowerBound)), Value(Double(r.upperBound))])))
                } else {
                    pairs.append(.undefined)
                }
            }
            let indices = try newArray(pairs)
            var groupIndices = Value.undefined
            if !prog.groupNames.isEmpty {
                let g = try newObject(prototype: nil)
                for (name, i) in prog.groupNames {
                    try createDataProperty(g, key(try newString(ContiguousArray(name))), pairs[i])
                }
                groupIndices = Value(g)
            }
            try createDataProperty(indices, names.groups, groupIndices)
            try createDataProperty(a, key("indices"), Value(indices))
        }
        return a
    }

    /// RegExpExec(R, S): calls a user `exec` if there is one.
    func regExpExec(_ r: JSObject, _ s: JSString) throws(VMError) -> Value {
        let exec = try get(r, key("exec"))
        if let f = exec.asFunction, !(regExpState.pristineValues.first.map { $0.1.bits == exec.bits } ?? false) {
            let result = try call(Value(f), this: Value(r), arguments: [Value(s)])
            if !result.isObject && !result.isNull {
                throw typeError("The result of a RegExp exec method must be an object or null")
            }
            return result
        }
        guard let data = regExpData(Value(r)) else {
            throw typeError("RegExp exec method called on an incompatible receiver")
        }
        return try regExpBuiltinExec(r, data, s)
    }

    /// The RegExp data of `v` when every property the builtin algorithms would read is the
    /// original one, so they can run without observable lookups.
    func pristineRegExp(_ v: Value) -> RegExpData? {
        guard let data = regExpData(v) else { return nil }
        let o = v.object
        let state = regExpState
        let proto = intrinsics.regExpPrototype!
        guard o.prototype === proto, o.shape === state.initialShape, o.slots[0].isNumber else { return nil }
        for (k, expected) in state.pristineValues {
            guard let slot = proto.shape.lookup(k), proto.slots[slot].bits == expected.bits else { return nil }
        }
        for (k, getter) in state.pristineGetters {
            guard let slot = proto.shape.lookup(k), proto.shape.attributes[slot].contains(.accessor) else { return nil }
            let pair = unsafeDowncast(proto.slots[slot].object, to: AccessorPair.self)
            if pair.getter.bits != getter.bits { return nil }
        }
        return data
    }

    /// True when SpeciesConstructor(rx, %RegExp%) is %RegExp% without observable effects
    /// (given `pristineRegExp(rx)`).
    func regExpSpeciesIsPristine() -> Bool {
        let ctor = intrinsics.regExpConstructor!
        let k = PropertyKey(symbol: wellKnownSymbols.species)
        guard let slot = ctor.shape.lookup(k), ctor.shape.attributes[slot].contains(.accessor) else { return false }
        return unsafeDowncast(ctor.slots[slot].object, to: AccessorPair.self).getter.bits == regExpState.speciesGetter.bits
    }

    /// The lastIndex of a pristine RegExp object (own slot 0).
    @inline(__always) func pristineLastIndex(_ o: JSObject) -> Int {
        let d = o.slots[0].number
        return d.isNaN || d <= 0 ? 0 : (d >= 9007199254740991 ? 9007199254740991 : Int(d))
    }

    // MARK: Installation

    func installRegExpBuiltins() throws(VMError) {
        let proto = intrinsics.regExpPrototype!
        let state = RegExpRealmState()
        proto.internalStorage = state

        let ctor = try defineConstructor("RegExp", length: 2, prototype: proto) { rt, _, args throws(VMError) in
            try rt.regExpConstructorBody(args)
        }
        intrinsics.regExpConstructor = ctor
        let species = try newNativeFunction(name: "get [Symbol.species]", length: 0) { _, this, _ in this }
        try defineAccessorProperty(ctor, PropertyKey(symbol: wellKnownSymbols.species), getter: Value(species),
                                   setter: .undefined, [.configurable])
        state.speciesGetter = Value(species)

        // The shape of fresh RegExp objects.
        let probe = try newObject(kind: .regExp, prototype: proto)
        try defineDataProperty(probe, names.lastIndex, Value(0.0), [.writable])
        state.initialShape = probe.shape

        let exec = try defineMethod(proto, "exec", 1) { rt, this, args throws(VMError) in
            guard let data = rt.regExpData(this) else {
                throw rt.typeError("RegExp.prototype.exec called on incompatible receiver \(rt.describeForError(this))")
            }
            let s = try rt.toJSString(args[0])
            return try rt.regExpBuiltinExec(this.object, data, s)
        }
        state.pristineValues.append((key("exec"), Value(exec)))

        // Flag getters.
        let flagGetters: [(String, RxFlags)] = [
            ("hasIndices", .hasIndices), ("global", .global), ("ignoreCase", .ignoreCase), ("multiline", .multiline),
            ("dotAll", .dotAll), ("unicode", .unicode), ("unicodeSets", .unicodeSets), ("sticky", .sticky),
        ]
        for (name, flag) in flagGetters {
            let g = try defineGetter(proto, key(name), name: name) { rt, this, _ throws(VMError) in
                guard this.isObject else {
                    throw rt.typeError("RegExp.prototype.\(name) getter called on non-object \(rt.describeForError(this))")
                }
                guard let data = rt.regExpData(this) else {
                    if this.object === rt.intrinsics.regExpPrototype { return .undefined }
                    throw rt.typeError("RegExp.prototype.\(name) getter called on non-RegExp object")
                }
                return Value(data.flags.contains(flag))
            }
            state.pristineGetters.append((key(name), Value(g)))
        }
        let flagsGetter = try defineGetter(proto, names.flags, name: "flags") { rt, this, _ throws(VMError) in
            guard this.isObject else {
                throw rt.typeError("RegExp.prototype.flags getter called on non-object \(rt.describeForError(this))")
            }
            let o = this.object
            var out = ""
            for (name, ch) in [("hasIndices", "d"), ("global", "g"), ("ignoreCase", "i"), ("multiline", "m"),
                               ("dotAll", "s"), ("unicode", "u"), ("unicodeSets", "v"), ("sticky", "y")] {
                if rt.toBoolean(try rt.get(o, rt.key(name))) { out += ch }
            }
            return try rt.string(out)
        }
        state.pristineGetters.append((names.flags, Value(flagsGetter)))

        try defineGetter(proto, names.source, name: "source") { rt, this, _ throws(VMError) in
            guard this.isObject else {
                throw rt.typeError("RegExp.prototype.source getter called on non-object \(rt.describeForError(this))")
            }
            guard let data = rt.regExpData(this) else {
                if this.object === rt.intrinsics.regExpPrototype { return try rt.string("(?:)") }
                throw rt.typeError("RegExp.prototype.source getter called on non-RegExp object")
            }
            return Value(try rt.escapeRegExpPattern(data.source))
        }

        try defineMethod(proto, "test", 1) { rt, this, args throws(VMError) in
            guard this.isObject else {
                throw rt.typeError("RegExp.prototype.test called on incompatible receiver \(rt.describeForError(this))")
            }
            let s = try rt.toJSString(args[0])
            if let data = rt.pristineRegExp(this) {
                // Same observable behaviour as RegExpBuiltinExec, without building the result.
                let o = this.object
                let global = data.flags.contains(.global), sticky = data.flags.contains(.sticky)
                let start = global || sticky ? rt.pristineLastIndex(o) : 0
                if let (_, end) = try rt.regExpMatch(data, s, from: start) {
                    if global || sticky { o.slots[0] = Value(Double(end)) }
                    return .true
                }
                if global || sticky { o.slots[0] = Value(0.0) }
                return .false
            }
            let m = rt.pushTemporaryRoot(Value(s))
            defer { rt.popTemporaryRoots(to: m) }
            return Value(!(try rt.regExpExec(this.object, s)).isNull)
        }

        try defineMethod(proto, "toString", 0) { rt, this, _ throws(VMError) in
            guard this.isObject else {
                throw rt.typeError("RegExp.prototype.toString called on incompatible receiver \(rt.describeForError(this))")
            }
            let src = try rt.toJSString(try rt.get(this.object, rt.names.source))
            let m = rt.pushTemporaryRoot(Value(src))
            defer { rt.popTemporaryRoots(to: m) }
            let fl = try rt.toJSString(try rt.get(this.object, rt.names.flags))
            var u = ContiguousArray<UInt16>()
            u.reserveCapacity(src.count + fl.count + 2)
            u.append(0x2F)
            u.append(contentsOf: src.units)
            u.append(0x2F)
            u.append(contentsOf: fl.units)
            return Value(try rt.newString(u))
        }

        // Annex B: RegExp.prototype.compile.
        try defineMethod(proto, "compile", 2) { rt, this, args throws(VMError) in
            guard rt.regExpData(this) != nil else {
                throw rt.typeError("RegExp.prototype.compile called on incompatible receiver")
            }
            var p = args[0], f = args[1]
            if let d = rt.regExpData(p) {
                if !f.isUndefined { throw rt.typeError("Cannot supply flags when constructing one RegExp from another") }
                p = Value(d.source)
                f = Value(d.flagsString)
            }
            try rt.regExpInitialize(this.object, pattern: p, flags: f)
            return this
        }

        try installRegExpSymbolMethods(proto, state: state)
        try installStringRegExpMethods()
    }

    /// The RegExp constructor's [[Call]] / [[Construct]].
    func regExpConstructorBody(_ args: Arguments) throws(VMError) -> Value {
        let pattern = args[0], flags = args[1]
        let patternIsRegExp = try isRegExp(pattern)
        var newTarget = args.newTarget
        if newTarget.isUndefined {
            newTarget = Value(intrinsics.regExpConstructor)
            if patternIsRegExp && flags.isUndefined {
                let pc = try get(pattern.object, names.constructor)
                if sameValue(newTarget, pc) { return pattern }
            }
        }
        var p: Value, f: Value
        if let d = regExpData(pattern) {
            p = Value(d.source)
            f = flags.isUndefined ? Value(d.flagsString) : flags
        } else if patternIsRegExp {
            p = try get(pattern.object, names.source)
            let m = pushTemporaryRoot(p)
            defer { popTemporaryRoots(to: m) }
            f = flags.isUndefined ? try get(pattern.object, names.flags) : flags
        } else {
            p = pattern
            f = flags
        }
        return try withTemporaryRoots([p, f]) { () throws(VMError) -> Value in
            let o = try regExpAlloc(newTarget: newTarget)
            let m = pushTemporaryRoot(Value(o))
            defer { popTemporaryRoots(to: m) }
            try regExpInitialize(o, pattern: p, flags: f)
            return Value(o)
        }
    }

    /// EscapeRegExpPattern: a source text that reads back as the same pattern inside `/…/`.
    func escapeRegExpPattern(_ s: JSString) throws(VMError) -> JSString {
        if s.count == 0 { return intern("(?:)") }
        var needs = false
        for u in s.units where u == 0x2F || u == 0x0A || u == 0x0D || u == 0x2028 || u == 0x2029 { needs = true; break }
        if !needs { return s }
        var out = ContiguousArray<UInt16>()
        out.reserveCapacity(s.count + 8)
        var inClass = false
        var i = 0
        let u = s.units
        while i < u.count {
            let c = u[i]
            switch c {
            case 0x5C: // backslash: copy the escape as is (but spell out an escaped line terminator)
                out.append(c)
                i += 1
                if i < u.count {
                    let e = u[i]
                    switch e {
                    case 0x0A: out.append(0x6E)
                    case 0x0D: out.append(0x72)
                    case 0x2028: out.append(contentsOf: "u2028".utf16)
                    case 0x2029: out.append(contentsOf: "u2029".utf16)
                    default: out.append(e)
                    }
                    i += 1
                }
                continue
            case 0x2F:
                if inClass { out.append(c) } else { out.append(0x5C); out.append(c) }
            case 0x0A: out.append(contentsOf: "\\n".utf16)
            case 0x0D: out.append(contentsOf: "\\r".utf16)
            case 0x2028: out.append(contentsOf: "\\u2028".utf16)
            case 0x2029: out.append(contentsOf: "\\u2029".utf16)
            case 0x5B: inClass = true; out.append(c)
            case 0x5D: inClass = false; out.append(c)
            default: out.append(c)
            }
            i += 1
        }
        return try newString(out)
    }
}

/// Early-error checking of regular-expression literals with the engine's own parser.
public enum RegExpSyntax {
    /// nil when `/pattern/flags` is a valid literal, else the SyntaxError message.
    public static func error(pattern: [UInt16], flags: [UInt16]) -> String? {
        let f: RxFlags
        switch RxFlags.parse(ContiguousArray(flags)) {
        case .success(let x): f = x
        case .failure: return "Invalid regular expression flags"
        }
        switch RxParser.parse(pattern, flags: f) {
        case .success: return nil
        case .failure(let e):
            return "Invalid regular expression: /\(String(decoding: pattern, as: UTF16.self))/"
                + "\(String(decoding: flags, as: UTF16.self)): \(e.message)"
        }
    }
}
