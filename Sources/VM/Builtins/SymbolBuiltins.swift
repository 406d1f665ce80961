// Symbol and Symbol.prototype.

extension Runtime {
    func installSymbolBuiltins() throws(VMError) {
        let sp = intrinsics.symbolPrototype!
        let ctor = try defineConstructor("Symbol", length: 0, prototype: sp) { rt, _, args throws(VMError) in
            if args.isConstructCall { throw rt.typeError("Symbol is not a constructor") }
            let d = args[0]
            let desc: JSString? = d.isUndefined ? nil : try rt.toJSString(d)
            return Value(try rt.newSymbol(description: desc))
        }
        intrinsics.symbolConstructor = ctor
        let wk = wellKnownSymbols!
        let statics: [(String, JSSymbol)] = [
            ("asyncIterator", wk.asyncIterator), ("hasInstance", wk.hasInstance),
            ("isConcatSpreadable", wk.isConcatSpreadable), ("iterator", wk.iterator), ("match", wk.match),
            ("matchAll", wk.matchAll), ("replace", wk.replace), ("search", wk.search), ("species", wk.species),
            ("split", wk.split), ("toPrimitive", wk.toPrimitive), ("toStringTag", wk.toStringTag),
            ("unscopables", wk.unscopables),
        ]
        for (name, sym) in statics {
            try defineDataProperty(ctor, key(name), Value(sym), [])
        }
        try defineMethod(ctor, "for", 1) { rt, _, args throws(VMError) in
            let k = try rt.toJSString(args[0])
            return Value(try rt.registeredSymbol(for: k))
        }
        try defineMethod(ctor, "keyFor", 1) { rt, _, args throws(VMError) in
            guard args[0].isSymbol else { throw rt.typeError("\(rt.describeForError(args[0])) is not a symbol") }
            if let k = args[0].symbol.registryKey { return Value(k) }
            return .undefined
        }
        try defineMethod(sp, "toString", 0) { rt, this, _ throws(VMError) in
            let s = try rt.thisSymbolValue(this, "Symbol.prototype.toString")
            return Value(try rt.symbolDescriptiveString(s))
        }
        try defineMethod(sp, "valueOf", 0) { rt, this, _ throws(VMError) in
            Value(try rt.thisSymbolValue(this, "Symbol.prototype.valueOf"))
        }
        try defineGetter(sp, key("description"), name: "description") { rt, this, _ throws(VMError) in
            let s = try rt.thisSymbolValue(this, "Symbol.prototype.description")
            if let d = s.descriptionValue { return Value(d) }
            return .undefined
        }
        try defineMethod(sp, symbol: wk.toPrimitive, name: "[Symbol.toPrimitive]", 1,
                         attributes: [.configurable]) { rt, this, _ throws(VMError) in
            Value(try rt.thisSymbolValue(this, "Symbol.prototype [ @@toPrimitive ]"))
        }
        try defineDataProperty(sp, PropertyKey(symbol: wk.toStringTag), Value(intern("Symbol")), [.configurable])
    }

    /// thisSymbolValue.
    func thisSymbolValue(_ v: Value, _ method: String) throws(VMError) -> JSSymbol {
        if v.isSymbol { return v.symbol }
        if v.isObject, v.object.kind == .symbol, v.object.primitiveValue.isSymbol { return v.object.primitiveValue.symbol }
        throw typeError("\(method) requires that 'this' be a Symbol")
    }

    /// SymbolDescriptiveString: "Symbol(description)".
    func symbolDescriptiveString(_ s: JSSymbol) throws(VMError) -> JSString {
        var u = ContiguousArray("Symbol(".utf16)
        if let d = s.descriptionValue { u.append(contentsOf: d.units) }
        u.append(41)
        return try newString(u)
    }
}
