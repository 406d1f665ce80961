// RegExp.prototype[Symbol.match / matchAll / replace / search / split], the RegExp String
// Iterator, and GetSubstitution. Each method follows the spec algorithm; when the receiver is a
// pristine RegExp (nothing the algorithm reads has been changed by script) it runs the matcher
// directly instead, which is unobservable and avoids building exec result objects.

/// One piece of a replacement template (`$&`, `$1`, literal text …), parsed once per call.
enum RxSubstPart {
    case literal(Int, Int)
    case dollar
    case matched
    case prefix
    case suffix
    case capture(Int)
    case named([UInt16])
}

extension Runtime {
    // MARK: GetSubstitution

    /// Splits a replacement template into parts for `m` captures (named references only when
    /// `hasNamed`).
    static func parseReplacementTemplate(_ t: ContiguousArray<UInt16>, captureCount m: Int,
                                         hasNamed: Bool) -> [RxSubstPart] {
        var parts: [RxSubstPart] = []
        var litStart = 0
        var i = 0
        let n = t.count
        @inline(__always) func isDigit(_ u: UInt16) -> Bool { u >= 0x30 && u <= 0x39 }
        while i < n {
            if t[i] != 0x24 || i + 1 >= n { i += 1; continue }
            let c = t[i + 1]
            var part: RxSubstPart? = nil
            var len = 2
            switch c {
            case 0x24: part = .dollar
            case 0x26: part = .matched
            case 0x60: part = .prefix
            case 0x27: part = .suffix
            case 0x30...0x39:
                let d1 = Int(c - 0x30)
                var digitCount = i + 2 < n && isDigit(t[i + 2]) ? 2 : 1
                var index = digitCount == 2 ? d1 * 10 + Int(t[i + 2] - 0x30) : d1
                if index > m && digitCount == 2 {
                    digitCount = 1
                    index = d1
                }
                if index >= 1 && index <= m {
                    part = .capture(index)
                    len = 1 + digitCount
                }
            case 0x3C:
                if hasNamed {
                    var gt = i + 2
                    while gt < n && t[gt] != 0x3E { gt += 1 }
                    if gt < n {
                        part = .named(Array(t[(i + 2)..<gt]))
                        len = gt - i + 1
                    }
                }
            default: break
            }
            if let part {
                if litStart < i { parts.append(.literal(litStart, i)) }
                parts.append(part)
                i += len
                litStart = i
            } else {
                i += 1
            }
        }
        if litStart < n { parts.append(.literal(litStart, n)) }
        return parts
    }

    /// Appends one substitution to `out` (fast path: captures are positions in `str`).
    func appendSubstitution(_ parts: [RxSubstPart], template: ContiguousArray<UInt16>, str: JSString,
                            position: Int, matchEnd: Int, caps: UnsafePointer<Int>, program: RxProgram,
                            into out: inout ContiguousArray<UInt16>) {
        let u = str.units
        for p in parts {
            switch p {
            case .literal(let a, let b): out.append(contentsOf: template[a..<b])
            case .dollar: out.append(0x24)
            case .matched: out.append(contentsOf: u[position..<matchEnd])
            case .prefix: out.append(contentsOf: u[0..<position])
            case .suffix: if matchEnd < u.count { out.append(contentsOf: u[matchEnd...]) }
            case .capture(let i):
                let s = caps[2 * i], e = caps[2 * i + 1]
                if s >= 0 && e >= s { out.append(contentsOf: u[s..<e]) }
            case .named(let name):
                if let g = program.groupNames.first(where: { $0.name == name }) {
                    let s = caps[2 * g.index], e = caps[2 * g.index + 1]
                    if s >= 0 && e >= s { out.append(contentsOf: u[s..<e]) }
                }
            }
        }
    }

    /// GetSubstitution with captures as values (the general algorithm).
    func getSubstitution(matched: JSString, str: JSString, position: Int, captures: [Value], namedCaptures: Value,
                         template: JSString, into out: inout ContiguousArray<UInt16>) throws(VMError) {
        let parts = Runtime.parseReplacementTemplate(template.units, captureCount: captures.count,
                                                     hasNamed: !namedCaptures.isUndefined)
        let u = str.units
        for p in parts {
            switch p {
            case .literal(let a, let b): out.append(contentsOf: template.units[a..<b])
            case .dollar: out.append(0x24)
            case .matched: out.append(contentsOf: matched.units)
            case .prefix: out.append(contentsOf: u[0..<min(position, u.count)])
            case .suffix:
                let tail = position + matched.count
                if tail < u.count { out.append(contentsOf: u[tail...]) }
            case .capture(let i):
                let v = captures[i - 1]
                if v.isString { out.append(contentsOf: v.string.units) }
            case .named(let name):
                let v = try get(namedCaptures, key(try newString(ContiguousArray(name))))
                if !v.isUndefined { out.append(contentsOf: try toJSString(v).units) }
            }
        }
        try checkStringBuild(out.count)
    }

    /// Throws when a string being built is too long or would not fit in the heap budget.
    @inline(__always) func checkStringBuild(_ count: Int) throws(VMError) {
        if count > Runtime.maxStringLength { throw rangeError("Invalid string length") }
        if count > (1 << 16) && !heap.canAllocate(count * 2) { throw VMError.terminated(.memory) }
    }

    /// Reads `flags` from a RegExp-like object (observable `Get(rx, "flags")`).
    func regExpFlagsString(_ rx: JSObject) throws(VMError) -> JSString {
        try toJSString(try get(rx, names.flags))
    }

    // MARK: Installation

    func installRegExpSymbolMethods(_ proto: JSObject, state: RegExpRealmState) throws(VMError) {
        let sym = wellKnownSymbols!

        let matchFn = try defineMethod(proto, symbol: sym.match, name: "[Symbol.match]", 1) { rt, this, args throws(VMError) in
            guard this.isObject else { throw rt.typeError("RegExp.prototype[Symbol.match] called on non-object") }
            let s = try rt.toJSString(args[0])
            let m = rt.pushTemporaryRoot(Value(s))
            defer { rt.popTemporaryRoots(to: m) }
            return try rt.regExpSymbolMatch(this.object, s)
        }
        state.pristineValues.append((PropertyKey(symbol: sym.match), Value(matchFn)))

        try defineMethod(proto, symbol: sym.matchAll, name: "[Symbol.matchAll]", 1) { rt, this, args throws(VMError) in
            guard this.isObject else { throw rt.typeError("RegExp.prototype[Symbol.matchAll] called on non-object") }
            let s = try rt.toJSString(args[0])
            let m = rt.pushTemporaryRoot(Value(s))
            defer { rt.popTemporaryRoots(to: m) }
            return try rt.regExpSymbolMatchAll(this.object, s)
        }

        try defineMethod(proto, symbol: sym.replace, name: "[Symbol.replace]", 2) { rt, this, args throws(VMError) in
            guard this.isObject else { throw rt.typeError("RegExp.prototype[Symbol.replace] called on non-object") }
            let s = try rt.toJSString(args[0])
            let m = rt.pushTemporaryRoot(Value(s))
            defer { rt.popTemporaryRoots(to: m) }
            return try rt.regExpSymbolReplace(this.object, s, args[1])
        }

        try defineMethod(proto, symbol: sym.search, name: "[Symbol.search]", 1) { rt, this, args throws(VMError) in
            guard this.isObject else { throw rt.typeError("RegExp.prototype[Symbol.search] called on non-object") }
            let s = try rt.toJSString(args[0])
            let m = rt.pushTemporaryRoot(Value(s))
            defer { rt.popTemporaryRoots(to: m) }
            return try rt.regExpSymbolSearch(this.object, s)
        }

        try defineMethod(proto, symbol: sym.split, name: "[Symbol.split]", 2) { rt, this, args throws(VMError) in
            guard this.isObject else { throw rt.typeError("RegExp.prototype[Symbol.split] called on non-object") }
            let s = try rt.toJSString(args[0])
            let m = rt.pushTemporaryRoot(Value(s))
            defer { rt.popTemporaryRoots(to: m) }
            return try rt.regExpSymbolSplit(this.object, s, args[1])
        }
        state.pristineValues.append((names.constructor, Value(intrinsics.regExpConstructor)))

        // %RegExpStringIteratorPrototype%
        let iterProto = try newObject(prototype: intrinsics.iteratorPrototype)
        state.stringIteratorPrototype = iterProto
        try defineMethod(iterProto, "next", 0) { rt, this, _ throws(VMError) in
            guard this.isObject, this.object.kind == .iterator,
                  let st = this.object.internalStorage as? RegExpStringIteratorState else {
                throw rt.typeError("%RegExpStringIterator%.next called on incompatible receiver")
            }
            return try rt.regExpStringIteratorNext(st)
        }
        try defineDataProperty(iterProto, PropertyKey(symbol: sym.toStringTag), Value(intern("RegExp String Iterator")),
                               [.configurable])
    }

    // MARK: Symbol.match

    func regExpSymbolMatch(_ rx: JSObject, _ s: JSString) throws(VMError) -> Value {
        if let data = pristineRegExp(Value(rx)) {
            if !data.flags.contains(.global) {
                return try regExpBuiltinExec(rx, data, s)
            }
            let fullUnicode = data.flags.isUnicodeMode
            var results = ContiguousArray<Value>()
            var lastIndex = 0
            while true {
                try charge(1)
                guard let (index, end) = try regExpMatch(data, s, from: lastIndex) else { break }
                results.append(try substringValue(s, index, max(index, end)))
                lastIndex = end == index ? Runtime.advanceStringIndex(s, end, unicode: fullUnicode) : end
            }
            rx.slots[0] = Value(0.0)
            return results.isEmpty ? .null : Value(try newArray(results))
        }
        let flags = try regExpFlagsString(rx)
        if !flags.units.contains(0x67) { return try regExpExec(rx, s) }
        let fullUnicode = flags.units.contains(0x75) || flags.units.contains(0x76)
        try rxSetOrThrow(rx, names.lastIndex, Value(0.0))
        let a = try newArray()
        let m = pushTemporaryRoot(Value(a))
        defer { popTemporaryRoots(to: m) }
        var n: UInt32 = 0
        while true {
            let result = try regExpExec(rx, s)
            if result.isNull { return n == 0 ? .null : Value(a) }
            let rm = pushTemporaryRoot(result)
            let matchStr = try toJSString(try get(result, PropertyKey(index: 0)))
            popTemporaryRoots(to: rm)
            try createDataProperty(a, PropertyKey(index: n), Value(matchStr))
            if matchStr.count == 0 {
                let thisIndex = try toLength(try get(rx, names.lastIndex))
                try rxSetOrThrow(rx, names.lastIndex, Value(Double(Runtime.advanceStringIndex(s, thisIndex, unicode: fullUnicode))))
            }
            n += 1
        }
    }

    // MARK: Symbol.matchAll

    func regExpSymbolMatchAll(_ rx: JSObject, _ s: JSString) throws(VMError) -> Value {
        let c = try speciesConstructor(rx, default: intrinsics.regExpConstructor)
        let flags = try regExpFlagsString(rx)
        let matcher = try construct(c, arguments: [Value(rx), Value(flags)])
        let m = pushTemporaryRoot(matcher)
        defer { popTemporaryRoots(to: m) }
        let lastIndex = try toLength(try get(rx, names.lastIndex))
        guard matcher.isObject else { throw typeError("matchAll: species constructor did not return an object") }
        try rxSetOrThrow(matcher.object, names.lastIndex, Value(Double(lastIndex)))
        let it = try newObject(kind: .iterator, prototype: regExpState.stringIteratorPrototype)
        it.internalStorage = RegExpStringIteratorState(
            matcher: matcher, string: Value(s), global: flags.units.contains(0x67),
            fullUnicode: flags.units.contains(0x75) || flags.units.contains(0x76))
        return Value(it)
    }

    func regExpStringIteratorNext(_ st: RegExpStringIteratorState) throws(VMError) -> Value {
        if st.done { return try iterResult(.undefined, done: true) }
        let r = st.matcher.object
        let s = st.string.string
        let match = try regExpExec(r, s)
        if match.isNull {
            st.done = true
            return try iterResult(.undefined, done: true)
        }
        let m = pushTemporaryRoot(match)
        defer { popTemporaryRoots(to: m) }
        if st.global {
            let matchStr = try toJSString(try get(match, PropertyKey(index: 0)))
            if matchStr.count == 0 {
                let thisIndex = try toLength(try get(r, names.lastIndex))
                try rxSetOrThrow(r, names.lastIndex,
                               Value(Double(Runtime.advanceStringIndex(s, thisIndex, unicode: st.fullUnicode))))
            }
            return try iterResult(match, done: false)
        }
        st.done = true
        return try iterResult(match, done: false)
    }

    // MARK: Symbol.search

    func regExpSymbolSearch(_ rx: JSObject, _ s: JSString) throws(VMError) -> Value {
        if let data = pristineRegExp(Value(rx)) {
            let start = data.flags.contains(.sticky) ? 0 : 0
            if let (index, _) = try regExpMatch(data, s, from: start) { return Value(Double(index)) }
            return Value(-1.0)
        }
        let previous = try get(rx, names.lastIndex)
        let m = pushTemporaryRoot(previous)
        defer { popTemporaryRoots(to: m) }
        if !sameValue(previous, Value(0.0)) { try rxSetOrThrow(rx, names.lastIndex, Value(0.0)) }
        let result = try regExpExec(rx, s)
        _ = pushTemporaryRoot(result)
        let current = try get(rx, names.lastIndex)
        if !sameValue(current, previous) { try rxSetOrThrow(rx, names.lastIndex, previous) }
        if result.isNull { return Value(-1.0) }
        return try get(result, names.index)
    }

    // MARK: Symbol.replace

    func regExpSymbolReplace(_ rx: JSObject, _ s: JSString, _ replaceValue: Value) throws(VMError) -> Value {
        let lengthS = s.count
        let functional = replaceValue.asFunction != nil
        var template: JSString? = nil
        if !functional { template = try toJSString(replaceValue) }
        let rootMark = pushTemporaryRoot(template.map { Value($0) } ?? replaceValue)
        defer { popTemporaryRoots(to: rootMark) }

        if let data = pristineRegExp(Value(rx)) {
            return try regExpFastReplace(rx, data, s, functional ? replaceValue : nil, template)
        }

        let flags = try regExpFlagsString(rx)
        let global = flags.units.contains(0x67)
        var fullUnicode = false
        if global {
            fullUnicode = flags.units.contains(0x75) || flags.units.contains(0x76)
            try rxSetOrThrow(rx, names.lastIndex, Value(0.0))
        }
        var results: [Value] = []
        while true {
            let result = try regExpExec(rx, s)
            if result.isNull { break }
            _ = pushTemporaryRoot(result)
            results.append(result)
            if !global { break }
            let matchStr = try toJSString(try get(result, PropertyKey(index: 0)))
            if matchStr.count == 0 {
                let thisIndex = try toLength(try get(rx, names.lastIndex))
                try rxSetOrThrow(rx, names.lastIndex, Value(Double(Runtime.advanceStringIndex(s, thisIndex, unicode: fullUnicode))))
            }
        }
        var out = ContiguousArray<UInt16>()
        var nextSourcePosition = 0
        for result in results {
            let resultObj = try toObject(result)
            let resultLength = try lengthOfArrayLike(resultObj)
            let nCaptures = max(resultLength - 1, 0)
            let matched = try toJSString(try get(result, PropertyKey(index: 0)))
            _ = pushTemporaryRoot(Value(matched))
            let matchLength = matched.count
            let posD = try toIntegerOrInfinity(try get(result, names.index))
            let position = posD <= 0 ? 0 : (posD >= Double(lengthS) ? lengthS : Int(posD))
            var captures: [Value] = []
            var n = 1
            while n <= nCaptures {
                var capN = try get(result, PropertyKey(index: UInt32(n)))
                if !capN.isUndefined { capN = Value(try toJSString(capN)) }
                _ = pushTemporaryRoot(capN)
                captures.append(capN)
                n += 1
            }
            var namedCaptures = try get(result, names.groups)
            _ = pushTemporaryRoot(namedCaptures)
            var replacement = ContiguousArray<UInt16>()
            if functional {
                var argsList: [Value] = [Value(matched)]
                argsList.append(contentsOf: captures)
                argsList.append(Value(Double(position)))
                argsList.append(Value(s))
                if !namedCaptures.isUndefined { argsList.append(namedCaptures) }
                let replValue = try call(replaceValue, this: .undefined, arguments: argsList)
                replacement = try toJSString(replValue).units
            } else {
                if !namedCaptures.isUndefined {
                    namedCaptures = Value(try toObject(namedCaptures))
                    _ = pushTemporaryRoot(namedCaptures)
                }
                try getSubstitution(matched: matched, str: s, position: position, captures: captures,
                                    namedCaptures: namedCaptures, template: template!, into: &replacement)
            }
            if position >= nextSourcePosition {
                out.append(contentsOf: s.units[nextSourcePosition..<position])
                out.append(contentsOf: replacement)
                try checkStringBuild(out.count)
                nextSourcePosition = position + matchLength
            }
        }
        if nextSourcePosition >= lengthS { return Value(try newString(out)) }
        out.append(contentsOf: s.units[nextSourcePosition...])
        try checkStringBuild(out.count)
        return Value(try newString(out))
    }

    /// Symbol.replace on a pristine RegExp: matches first (as the spec does), then substitutes.
    func regExpFastReplace(_ rx: JSObject, _ data: RegExpData, _ s: JSString, _ fn: Value?,
                           _ template: JSString?) throws(VMError) -> Value {
        let global = data.flags.contains(.global), sticky = data.flags.contains(.sticky)
        let fullUnicode = data.flags.isUnicodeMode
        let prog = data.program
        let ncaps = 2 * (prog.captureCount + 1)
        // Matches: flattened capture positions, with the reported index in slot 0.
        var found: [Int] = []
        var lastIndex = global ? 0 : (sticky ? pristineLastIndex(rx) : 0)
        while true {
            try charge(1)
            guard let (index, end) = try regExpMatch(data, s, from: lastIndex) else {
                if global || sticky { rx.slots[0] = Value(0.0) }
                break
            }
            let m = regExpState.matcher(for: data.program)
            found.append(index)
            found.append(end)
            for i in 2..<ncaps { found.append(m.caps[i]) }
            if !global {
                if sticky { rx.slots[0] = Value(Double(end)) }
                break
            }
            lastIndex = end == index ? Runtime.advanceStringIndex(s, end, unicode: fullUnicode) : end
        }
        if found.isEmpty { return Value(s) }
        var out = ContiguousArray<UInt16>()
        out.reserveCapacity(s.count)
        var next = 0
        let count = found.count / ncaps
        if let fn {
            // The callback may run script: keep the input rooted (the caller roots `s`).
            for k in 0..<count {
                let base = k * ncaps
                let position = found[base], end = max(found[base], found[base + 1])
                var argsList: [Value] = []
                argsList.reserveCapacity(prog.captureCount + 4)
                argsList.append(try substringValue(s, position, end))
                for i in 1..<(prog.captureCount + 1) {
                    let a = found[base + 2 * i], b = found[base + 2 * i + 1]
                    argsList.append(a >= 0 && b >= a ? try substringValue(s, a, b) : .undefined)
                }
                argsList.append(Value(Double(position)))
                argsList.append(Value(s))
                if !prog.groupNames.isEmpty {
                    let g = try newObject(prototype: nil)
                    for (name, i) in prog.groupNames {
                        try createDataProperty(g, key(try newString(ContiguousArray(name))), argsList[i])
                    }
                    argsList.append(Value(g))
                }
                let r = try call(fn, this: .undefined, arguments: argsList)
                let rs = try toJSString(r)
                if position >= next {
                    out.append(contentsOf: s.units[next..<position])
                    out.append(contentsOf: rs.units)
                    try checkStringBuild(out.count)
                    next = end
                }
            }
        } else {
            let t = template!
            let parts = Runtime.parseReplacementTemplate(t.units, captureCount: prog.captureCount,
                                                         hasNamed: !prog.groupNames.isEmpty)
            var capsBuf = [Int](repeating: -1, count: ncaps)
            for k in 0..<count {
                let base = k * ncaps
                let position = found[base], end = max(found[base], found[base + 1])
                try charge(1)
                out.append(contentsOf: s.units[next..<position])
                if parts.count == 1, case .literal(let a, let b) = parts[0] {
                    out.append(contentsOf: t.units[a..<b])
                } else if !parts.isEmpty {
                    for i in 0..<ncaps { capsBuf[i] = found[base + i] }
                    capsBuf.withUnsafeBufferPointer { cb in
                        appendSubstitution(parts, template: t.units, str: s, position: position, matchEnd: end,
                                           caps: cb.baseAddress!, program: prog, into: &out)
                    }
                }
                try checkStringBuild(out.count)
                next = end
            }
        }
        if next < s.count { out.append(contentsOf: s.units[next...]) }
        try checkStringBuild(out.count)
        try charge(out.count >> 4)
        return Value(try newString(out))
    }

    // MARK: Symbol.split

    func regExpSymbolSplit(_ rx: JSObject, _ s: JSString, _ limit: Value) throws(VMError) -> Value {
        if let data = pristineRegExp(Value(rx)), regExpSpeciesIsPristine() {
            let lim: UInt32 = limit.isUndefined ? UInt32.max : try toUint32(limit)
            // ToUint32 may have run script that changed the regexp; re-check.
            if pristineRegExp(Value(rx)) != nil && regExpSpeciesIsPristine() {
                return try regExpFastSplit(data, s, lim)
            }
            return try regExpSlowSplit(rx, s, limitValue: Value(Double(lim)))
        }
        return try regExpSlowSplit(rx, s, limitValue: limit)
    }

    func regExpFastSplit(_ data: RegExpData, _ s: JSString, _ lim: UInt32) throws(VMError) -> Value {
        var out = ContiguousArray<Value>()
        if lim == 0 { return Value(try newArray(out)) }
        let size = s.count
        let unicode = data.flags.isUnicodeMode
        let m = regExpState.matcher(for: data.program)
        if size == 0 {
            let matched = try m.search(s.units, from: 0, sticky: true, rt: self)
            if !matched { out.append(Value(s)) }
            return Value(try newArray(out))
        }
        var p = 0, q = 0
        let ncap = data.program.captureCount
        while q < size {
            try charge(1)
            guard try m.search(s.units, from: q, sticky: false, rt: self) else { break }
            let qq = max(m.caps[0], q)
            if qq >= size { break }
            let e = min(m.caps[1], size)
            if e == p {
                q = Runtime.advanceStringIndex(s, qq, unicode: unicode)
                continue
            }
            out.append(try substringValue(s, p, qq))
            if out.count == Int(lim) { return Value(try newArray(out)) }
            p = e
            if ncap > 0 {
                for i in 1...ncap {
                    if let r = m.capture(i) { out.append(try substringValue(s, r.lowerBound, r.upperBound)) }
                    else { out.append(.undefined) }
                    if out.count == Int(lim) { return Value(try newArray(out)) }
                }
            }
            q = p
        }
        out.append(try substringValue(s, p, size))
        return Value(try newArray(out))
    }

    func regExpSlowSplit(_ rx: JSObject, _ s: JSString, limitValue: Value) throws(VMError) -> Value {
        let c = try speciesConstructor(rx, default: intrinsics.regExpConstructor)
        let rootMark = pushTemporaryRoot(c)
        defer { popTemporaryRoots(to: rootMark) }
        let flags = try regExpFlagsString(rx)
        let unicodeMatching = flags.units.contains(0x75) || flags.units.contains(0x76)
        var newFlags = flags
        if !flags.units.contains(0x79) {
            var u = flags.units
            u.append(0x79)
            newFlags = try newString(u)
        }
        let splitterValue = try construct(c, arguments: [Value(rx), Value(newFlags)])
        _ = pushTemporaryRoot(splitterValue)
        guard splitterValue.isObject else { throw typeError("split: species constructor did not return an object") }
        let splitter = splitterValue.object
        let a = try newArray()
        _ = pushTemporaryRoot(Value(a))
        var lengthA: UInt32 = 0
        let lim: UInt32 = limitValue.isUndefined ? UInt32.max : try toUint32(limitValue)
        if lim == 0 { return Value(a) }
        let size = s.count
        if size == 0 {
            let z = try regExpExec(splitter, s)
            if !z.isNull { return Value(a) }
            try createDataProperty(a, PropertyKey(index: 0), Value(s))
            return Value(a)
        }
        var p = 0, q = 0
        while q < size {
            try rxSetOrThrow(splitter, names.lastIndex, Value(Double(q)))
            let z = try regExpExec(splitter, s)
            if z.isNull {
                q = Runtime.advanceStringIndex(s, q, unicode: unicodeMatching)
                continue
            }
            let zm = pushTemporaryRoot(z)
            let e = min(try toLength(try get(splitter, names.lastIndex)), size)
            if e == p {
                popTemporaryRoots(to: zm)
                q = Runtime.advanceStringIndex(s, q, unicode: unicodeMatching)
                continue
            }
            try createDataProperty(a, PropertyKey(index: lengthA), try substringValue(s, p, q))
            lengthA += 1
            if lengthA == lim { return Value(a) }
            p = e
            let zObj = try toObject(z)
            let numberOfCaptures = max(try lengthOfArrayLike(zObj) - 1, 0)
            var i = 1
            while i <= numberOfCaptures {
                let nextCapture = try get(z, PropertyKey(index: UInt32(i)))
                try createDataProperty(a, PropertyKey(index: lengthA), nextCapture)
                i += 1
                lengthA += 1
                if lengthA == lim { return Value(a) }
            }
            popTemporaryRoots(to: zm)
            q = p
        }
        try createDataProperty(a, PropertyKey(index: lengthA), try substringValue(s, p, size))
        return Value(a)
    }
}
