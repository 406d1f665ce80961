// Number constructor and Number.prototype (ECMAScript §21.1).

extension Runtime {
    /// thisNumberValue: a number primitive or a Number wrapper's value.
    func thisNumberValue(_ this: Value, _ method: String) throws(VMError) -> Double {
        if this.isNumber { return this.number }
        if this.isObject, this.object.kind == .number, this.object.primitiveValue.isNumber {
            return this.object.primitiveValue.number
        }
        throw typeError("Number.prototype.\(method) requires that 'this' be a Number")
    }

    func installNumberBuiltins() throws(VMError) {
        let proto = intrinsics.numberPrototype!
        let ctor = try defineConstructor("Number", length: 1, prototype: proto) { rt, _, args throws(VMError) in
            let n: Double = args.count == 0 ? 0 : try rt.toNumber(args[0])
            if !args.isConstructCall { return Value(n) }
            let p = try rt.prototypeFromConstructor(args.newTarget, fallback: rt.intrinsics.numberPrototype)
            let o = try rt.newObject(kind: .number, prototype: p)
            o.primitiveValue = Value(n)
            return Value(o)
        }
        intrinsics.numberConstructor = ctor

        let constants: [(String, Double)] = [
            ("EPSILON", Double.ulpOfOne), ("MAX_SAFE_INTEGER", 9007199254740991), ("MIN_SAFE_INTEGER", -9007199254740991),
            ("MAX_VALUE", Double.greatestFiniteMagnitude), ("MIN_VALUE", Double.leastNonzeroMagnitude),
            ("NaN", Double.nan), ("NEGATIVE_INFINITY", -Double.infinity), ("POSITIVE_INFINITY", Double.infinity),
        ]
        for (name, v) in constants { try defineDataProperty(ctor, key(name), Value(v), []) }

        try defineMethod(ctor, "isFinite", 1) { _, _, args throws(VMError) in
            let v = args[0]
            return Value(v.isNumber && v.number.isFinite)
        }
        try defineMethod(ctor, "isInteger", 1) { _, _, args throws(VMError) in
            let v = args[0]
            return Value(v.isNumber && v.number.isFinite && v.number.rounded(.towardZero) == v.number)
        }
        try defineMethod(ctor, "isNaN", 1) { _, _, args throws(VMError) in
            let v = args[0]
            return Value(v.isNumber && v.number.isNaN)
        }
        try defineMethod(ctor, "isSafeInteger", 1) { _, _, args throws(VMError) in
            let v = args[0]
            guard v.isNumber else { return .false }
            let d = v.number
            return Value(d.isFinite && d.rounded(.towardZero) == d && Swift.abs(d) <= 9007199254740991)
        }
        // parseFloat / parseInt are the global functions themselves.
        for name in ["parseFloat", "parseInt"] {
            let k = key(name)
            var f = getOwnProperty(globalObject, k)?.value ?? .undefined
            if f.asFunction == nil {
                f = Value(try newNativeFunction(name: name, length: name == "parseInt" ? 2 : 1) {
                    rt, _, _ throws(VMError) in
                    throw rt.typeError("\(name) is not available")
                })
            }
            try defineDataProperty(ctor, k, f, .hidden)
        }

        try defineMethod(proto, "toExponential", 1) { rt, this, args throws(VMError) in
            let x = try rt.thisNumberValue(this, "toExponential")
            let f = try rt.toIntegerOrInfinity(args[0])
            if !x.isFinite { return Value(try rt.numberToJSString(x)) }
            if f < 0 || f > 100 { throw rt.rangeError("toExponential() argument must be between 0 and 100") }
            let s = NumberConversion.toExponential(x, fractionDigits: args[0].isUndefined ? nil : Int(f))
            return try rt.string(s)
        }
        try defineMethod(proto, "toFixed", 1) { rt, this, args throws(VMError) in
            let x = try rt.thisNumberValue(this, "toFixed")
            let f = try rt.toIntegerOrInfinity(args[0])
            if !f.isFinite || f < 0 || f > 100 { throw rt.rangeError("toFixed() digits argument must be between 0 and 100") }
            if !x.isFinite || Swift.abs(x) >= 1e21 { return Value(try rt.numberToJSString(x)) }
            return try rt.string(NumberConversion.toFixed(x, fractionDigits: Int(f)))
        }
        try defineMethod(proto, "toLocaleString", 0) { rt, this, _ throws(VMError) in
            let x = try rt.thisNumberValue(this, "toLocaleString")
            return try rt.string(NumberConversion.toLocaleString(x))
        }
        try defineMethod(proto, "toPrecision", 1) { rt, this, args throws(VMError) in
            let x = try rt.thisNumberValue(this, "toPrecision")
            if args[0].isUndefined { return Value(try rt.numberToJSString(x)) }
            let p = try rt.toIntegerOrInfinity(args[0])
            if !x.isFinite { return Value(try rt.numberToJSString(x)) }
            if p < 1 || p > 100 { throw rt.rangeError("toPrecision() argument must be between 1 and 100") }
            return try rt.string(NumberConversion.toPrecision(x, precision: Int(p)))
        }
        try defineMethod(proto, "toString", 1) { rt, this, args throws(VMError) in
            let x = try rt.thisNumberValue(this, "toString")
            var radix = 10.0
            if !args[0].isUndefined { radix = try rt.toIntegerOrInfinity(args[0]) }
            if radix < 2 || radix > 36 { throw rt.rangeError("toString() radix must be between 2 and 36") }
            if radix == 10 { return Value(try rt.numberToJSString(x)) }
            return try rt.string(NumberConversion.toString(x, radix: Int(radix)))
        }
        try defineMethod(proto, "valueOf", 0) { rt, this, _ throws(VMError) in
            Value(try rt.thisNumberValue(this, "valueOf"))
        }
    }
}
