// String.prototype.match, matchAll, replace, replaceAll, search, split: the delegation to
// Symbol.match/matchAll/replace/search/split of the argument, and the string-pattern
// algorithms (with fast paths for plain string separators and replacements).

extension Runtime {
    /// StringIndexOf(string, searchValue, fromIndex).
    static func stringIndexOf(_ s: ContiguousArray<UInt16>, _ search: ContiguousArray<UInt16>, from: Int) -> Int {
        s.withUnsafeBufferPointer { sp in
            search.withUnsafeBufferPointer { tp in stringIndexOf(sp, tp, from: from) }
        }
    }

    /// The first index at or after `from` where `search` occurs in `s`, or -1.
    static func stringIndexOf(_ sp: UnsafeBufferPointer<UInt16>, _ tp: UnsafeBufferPointer<UInt16>, from: Int) -> Int {
        let n = sp.count, m = tp.count
        if m == 0 { return from <= n ? from : -1 }
        if from + m > n { return -1 }
        let first = tp[0]
        var i = from
        let last = n - m
        while i <= last {
            if sp[i] == first {
                var k = 1
                while k < m && sp[i + k] == tp[k] { k += 1 }
                if k == m { return i }
            }
            i += 1
        }
        return -1
    }

    /// Calls `argument[symbol](O, extra…)` when the argument is not nullish and has the method.
    private func delegateToSymbol(_ argument: Value, _ symbol: JSSymbol, _ o: Value,
                                  _ extra: [Value]) throws(VMError) -> Value? {
        if argument.isNullish { return nil }
        // A plain string argument only finds String.prototype's (normally absent) method.
        guard let method = try getMethod(argument, PropertyKey(symbol: symbol)) else { return nil }
        return try call(Value(method), this: argument, arguments: [o] + extra)
    }

    func installStringRegExpMethods() throws(VMError) {
        let proto = intrinsics.stringPrototype!
        let sym = wellKnownSymbols!

        try defineMethod(proto, "match", 1) { rt, this, args throws(VMError) in
            try rt.requireObjectCoercible(this, "String.prototype.match")
            let regexp = args[0]
            if let r = try rt.delegateToSymbol(regexp, sym.match, this, []) { return r }
            let s = try rt.toJSString(this)
            let m = rt.pushTemporaryRoot(Value(s))
            defer { rt.popTemporaryRoots(to: m) }
            let rx = try rt.regExpCreate(regexp, .undefined)
            _ = rt.pushTemporaryRoot(Value(rx))
            return try rt.invoke(Value(rx), PropertyKey(symbol: sym.match), [Value(s)])
        }

        try defineMethod(proto, "matchAll", 1) { rt, this, args throws(VMError) in
            try rt.requireObjectCoercible(this, "String.prototype.matchAll")
            let regexp = args[0]
            if !regexp.isNullish {
                if try rt.isRegExp(regexp) {
                    let flags = try rt.get(regexp, rt.names.flags)
                    try rt.requireObjectCoercible(flags, "String.prototype.matchAll")
                    if !(try rt.toJSString(flags)).units.contains(0x67) {
                        throw rt.typeError("String.prototype.matchAll called with a non-global RegExp argument")
                    }
                }
                if let r = try rt.delegateToSymbol(regexp, sym.matchAll, this, []) { return r }
            }
            let s = try rt.toJSString(this)
            let m = rt.pushTemporaryRoot(Value(s))
            defer { rt.popTemporaryRoots(to: m) }
            let rx = try rt.regExpCreate(regexp, Value(rt.intern("g")))
            _ = rt.pushTemporaryRoot(Value(rx))
            return try rt.invoke(Value(rx), PropertyKey(symbol: sym.matchAll), [Value(s)])
        }

        try defineMethod(proto, "search", 1) { rt, this, args throws(VMError) in
            try rt.requireObjectCoercible(this, "String.prototype.search")
            let regexp = args[0]
            if let r = try rt.delegateToSymbol(regexp, sym.search, this, []) { return r }
            let s = try rt.toJSString(this)
            let m = rt.pushTemporaryRoot(Value(s))
            defer { rt.popTemporaryRoots(to: m) }
            let rx = try rt.regExpCreate(regexp, .undefined)
            _ = rt.pushTemporaryRoot(Value(rx))
            return try rt.invoke(Value(rx), PropertyKey(symbol: sym.search), [Value(s)])
        }

        try defineMethod(proto, "replace", 2) { rt, this, args throws(VMError) in
            try rt.requireObjectCoercible(this, "String.prototype.replace")
            let searchValue = args[0], replaceValue = args[1]
            if let r = try rt.delegateToSymbol(searchValue, sym.replace, this, [replaceValue]) { return r }
            return try rt.stringReplace(this, searchValue, replaceValue, all: false)
        }

        try defineMethod(proto, "replaceAll", 2) { rt, this, args throws(VMError) in
            try rt.requireObjectCoercible(this, "String.prototype.replaceAll")
            let searchValue = args[0], replaceValue = args[1]
            if !searchValue.isNullish {
                if try rt.isRegExp(searchValue) {
                    let flags = try rt.get(searchValue, rt.names.flags)
                    try rt.requireObjectCoercible(flags, "String.prototype.replaceAll")
                    if !(try rt.toJSString(flags)).units.contains(0x67) {
                        throw rt.typeError("replaceAll must be called with a global RegExp")
                    }
                }
                if let r = try rt.delegateToSymbol(searchValue, sym.replace, this, [replaceValue]) { return r }
            }
            return try rt.stringReplace(this, searchValue, replaceValue, all: true)
        }

        try defineMethod(proto, "split", 2) { rt, this, args throws(VMError) in
            try rt.requireObjectCoercible(this, "String.prototype.split")
            let separator = args[0], limit = args[1]
            if let r = try rt.delegateToSymbol(separator, sym.split, this, [limit]) { return r }
            let s = try rt.toJSString(this)
            let m = rt.pushTemporaryRoot(Value(s))
            defer { rt.popTemporaryRoots(to: m) }
            let lim: UInt32 = limit.isUndefined ? UInt32.max : try rt.toUint32(limit)
            let r = try rt.toJSString(separator)
            if lim == 0 { return Value(try rt.newArray()) }
            if separator.isUndefined { return Value(try rt.newArray([Value(s)])) }
            return try rt.stringSplit(s, r, lim)
        }
    }

    /// String.prototype.split with a string separator.
    func stringSplit(_ s: JSString, _ r: JSString, _ lim: UInt32) throws(VMError) -> Value {
        let size = s.count
        let sepLen = r.count
        var out = ContiguousArray<Value>()
        if sepLen == 0 {
            let n = min(Int(lim), size)
            out.reserveCapacity(n)
            let u = s.unitBuffer
            for i in 0..<n { out.append(try singleCharacterString(u[i])) }
            try charge(n)
            return Value(try newArray(out))
        }
        if size == 0 { return Value(try newArray([Value(s)])) }
        var i = 0
        if sepLen == 1 {
            // `s` and `r` are held by the caller, so their units are read in place.
            let c = r.unitBuffer[0]
            let u = s.unitBuffer
            var j = 0
            while j < size {
                if u[j] == c {
                    out.append(try substringValue(s, i, j))
                    if out.count == Int(lim) { break }
                    i = j + 1
                }
                j += 1
            }
            try charge(size >> 2 + out.count)
            if out.count == Int(lim) { return Value(try newArray(out)) }
        } else {
            let u = s.unitBuffer, sep = r.unitBuffer
            var j = Runtime.stringIndexOf(u, sep, from: 0)
            while j != -1 {
                out.append(try substringValue(s, i, j))
                if out.count == Int(lim) { return Value(try newArray(out)) }
                i = j + sepLen
                j = Runtime.stringIndexOf(u, sep, from: i)
            }
            try charge(size >> 2 + out.count)
        }
        out.append(try substringValue(s, i, size))
        return Value(try newArray(out))
    }

    /// String.prototype.replace / replaceAll with a non-RegExp search value.
    func stringReplace(_ this: Value, _ searchValue: Value, _ replaceValue: Value, all: Bool) throws(VMError) -> Value {
        let string = try toJSString(this)
        let m = pushTemporaryRoot(Value(string))
        defer { popTemporaryRoots(to: m) }
        let searchString = try toJSString(searchValue)
        _ = pushTemporaryRoot(Value(searchString))
        let functional = replaceValue.asFunction != nil
        var template: JSString? = nil
        if !functional {
            template = try toJSString(replaceValue)
            _ = pushTemporaryRoot(Value(template!))
        }
        let searchLength = searchString.count
        var positions: [Int] = []
        var position = Runtime.stringIndexOf(string.units, searchString.units, from: 0)
        if all {
            let advanceBy = max(1, searchLength)
            while position != -1 {
                positions.append(position)
                position = Runtime.stringIndexOf(string.units, searchString.units, from: position + advanceBy)
            }
        } else if position != -1 {
            positions.append(position)
        }
        try charge(string.count >> 2 + positions.count)
        if positions.isEmpty { return Value(string) }
        var out = ContiguousArray<UInt16>()
        out.reserveCapacity(string.count)
        var endOfLastMatch = 0
        var parts: [RxSubstPart]? = nil
        if let t = template { parts = Runtime.parseReplacementTemplate(t.units, captureCount: 0, hasNamed: false) }
        for p in positions {
            out.append(contentsOf: string.units[endOfLastMatch..<p])
            if functional {
                let r = try call(replaceValue, this: .undefined,
                                 arguments: [Value(searchString), Value(Double(p)), Value(string)])
                out.append(contentsOf: try toJSString(r).units)
            } else {
                let u = string.units
                let t = template!.units
                for part in parts! {
                    switch part {
                    case .literal(let a, let b): out.append(contentsOf: t[a..<b])
                    case .dollar: out.append(0x24)
                    case .matched: out.append(contentsOf: searchString.units)
                    case .prefix: out.append(contentsOf: u[0..<p])
                    case .suffix: if p + searchLength < u.count { out.append(contentsOf: u[(p + searchLength)...]) }
                    case .capture, .named: break
                    }
                }
            }
            try checkStringBuild(out.count)
            endOfLastMatch = p + searchLength
        }
        if endOfLastMatch < string.count { out.append(contentsOf: string.units[endOfLastMatch...]) }
        try checkStringBuild(out.count)
        return Value(try newString(out))
    }
}
