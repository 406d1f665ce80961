// Date constructor and Date.prototype (ECMAScript §21.4). The local time zone is UTC.

extension Runtime {
    /// thisTimeValue: the [[DateValue]] of a Date object.
    @inline(__always)
    func thisTimeValue(_ this: Value, _ method: String) throws(VMError) -> Double {
        if this.isObject, this.object.kind == .date, this.object.primitiveValue.isNumber {
            return this.object.primitiveValue.number
        }
        throw typeError("this is not a Date object.")
    }

    func installDateBuiltins() throws(VMError) {
        let proto = intrinsics.datePrototype!
        let ctor = try defineConstructor("Date", length: 7, prototype: proto) { rt, _, args throws(VMError) in
            if !args.isConstructCall {
                return try rt.string(DateMath.toDateString(DateMath.now()))
            }
            var tv: Double
            switch args.count {
            case 0:
                tv = DateMath.now()
            case 1:
                let v = args[0]
                if v.isObject && v.object.kind == .date && v.object.primitiveValue.isNumber {
                    tv = v.object.primitiveValue.number
                } else {
                    let p = try rt.toPrimitive(v)
                    if p.isString {
                        tv = DateMath.parse(p.string.units)
                    } else {
                        tv = try rt.toNumber(p)
                    }
                }
                tv = DateMath.timeClip(tv)
            default:
                tv = try rt.dateFromComponents(args)
            }
            let p = try rt.prototypeFromConstructor(args.newTarget, fallback: rt.intrinsics.datePrototype)
            let o = try rt.newObject(kind: .date, prototype: p)
            o.primitiveValue = Value(tv)
            return Value(o)
        }
        intrinsics.dateConstructor = ctor

        try defineMethod(ctor, "now", 0) { _, _, _ throws(VMError) in Value(DateMath.now()) }
        try defineMethod(ctor, "parse", 1) { rt, _, args throws(VMError) in
            let s = try rt.toJSString(args[0])
            return Value(DateMath.parse(s.units))
        }
        try defineMethod(ctor, "UTC", 7) { rt, _, args throws(VMError) in
            Value(try rt.dateFromComponents(args))
        }

        // MARK: Getters

        func getter(_ name: String, _ f: @escaping (Double) -> Double) throws(VMError) {
            try defineMethod(proto, name, 0) { rt, this, _ throws(VMError) in
                let t = try rt.thisTimeValue(this, name)
                if t.isNaN { return Value(Double.nan) }
                return Value(f(t))
            }
        }
        for utc in [false, true] {
            let p = utc ? "getUTC" : "get"
            try getter(p + "Date") { DateMath.dateFromTime($0) }
            try getter(p + "Day") { DateMath.modulo(DateMath.day($0) + 4, 7) }
            try getter(p + "FullYear") { DateMath.yearFromTime($0) }
            try getter(p + "Hours") { Double(Int(DateMath.timeWithinDay($0)) / 3_600_000) }
            try getter(p + "Milliseconds") { Double(Int(DateMath.timeWithinDay($0)) % 1000) }
            try getter(p + "Minutes") { Double((Int(DateMath.timeWithinDay($0)) / 60_000) % 60) }
            try getter(p + "Month") { DateMath.monthFromTime($0) }
            try getter(p + "Seconds") { Double((Int(DateMath.timeWithinDay($0)) / 1000) % 60) }
        }
        try getter("getTime") { $0 }
        try getter("getTimezoneOffset") { _ in 0 }
        try getter("getYear") { DateMath.yearFromTime($0) - 1900 }

        // MARK: Setters

        func setTimeValue(_ this: Value, _ t: Double) -> Value {
            this.object.primitiveValue = Value(t)
            return Value(t)
        }
        for utc in [false, true] {
            let p = utc ? "setUTC" : "set"
            try defineMethod(proto, p + "Date", 1) { rt, this, args throws(VMError) in
                let t = try rt.thisTimeValue(this, p + "Date")
                let dt = try rt.toNumber(args[0])
                if t.isNaN { return Value(Double.nan) }
                let f = DateMath.fields(t)
                let newDate = DateMath.makeDate(DateMath.makeDay(f.year, Double(f.month), dt), DateMath.timeWithinDay(t))
                return setTimeValue(this, DateMath.timeClip(newDate))
            }
            try defineMethod(proto, p + "FullYear", 3) { rt, this, args throws(VMError) in
                var t = try rt.thisTimeValue(this, p + "FullYear")
                let y = try rt.toNumber(args[0])
                if t.isNaN { t = 0 }
                let f = DateMath.fields(t)
                let m = args.count > 1 ? try rt.toNumber(args[1]) : Double(f.month)
                let dt = args.count > 2 ? try rt.toNumber(args[2]) : Double(f.date)
                let newDate = DateMath.makeDate(DateMath.makeDay(y, m, dt), DateMath.timeWithinDay(t))
                return setTimeValue(this, DateMath.timeClip(newDate))
            }
            try defineMethod(proto, p + "Hours", 4) { rt, this, args throws(VMError) in
                let t = try rt.thisTimeValue(this, p + "Hours")
                let h = try rt.toNumber(args[0])
                let m: Double? = args.count > 1 ? try rt.toNumber(args[1]) : nil
                let s: Double? = args.count > 2 ? try rt.toNumber(args[2]) : nil
                let ms: Double? = args.count > 3 ? try rt.toNumber(args[3]) : nil
                if t.isNaN { return Value(Double.nan) }
                let f = DateMath.fields(t)
                let time = DateMath.makeTime(h, m ?? Double(f.minutes), s ?? Double(f.seconds), ms ?? Double(f.ms))
                return setTimeValue(this, DateMath.timeClip(DateMath.makeDate(DateMath.day(t), time)))
            }
            try defineMethod(proto, p + "Milliseconds", 1) { rt, this, args throws(VMError) in
                let t = try rt.thisTimeValue(this, p + "Milliseconds")
                let ms = try rt.toNumber(args[0])
                if t.isNaN { return Value(Double.nan) }
                let f = DateMath.fields(t)
                let time = DateMath.makeTime(Double(f.hours), Double(f.minutes), Double(f.seconds), ms)
                return setTimeValue(this, DateMath.timeClip(DateMath.makeDate(DateMath.day(t), time)))
            }
            try defineMethod(proto, p + "Minutes", 3) { rt, this, args throws(VMError) in
                let t = try rt.thisTimeValue(this, p + "Minutes")
                let m = try rt.toNumber(args[0])
                let s: Double? = args.count > 1 ? try rt.toNumber(args[1]) : nil
                let ms: Double? = args.count > 2 ? try rt.toNumber(args[2]) : nil
                if t.isNaN { return Value(Double.nan) }
                let f = DateMath.fields(t)
                let time = DateMath.makeTime(Double(f.hours), m, s ?? Double(f.seconds), ms ?? Double(f.ms))
                return setTimeValue(this, DateMath.timeClip(DateMath.makeDate(DateMath.day(t), time)))
            }
            try defineMethod(proto, p + "Month", 2) { rt, this, args throws(VMError) in
                let t = try rt.thisTimeValue(this, p + "Month")
                let m = try rt.toNumber(args[0])
                let dt: Double? = args.count > 1 ? try rt.toNumber(args[1]) : nil
                if t.isNaN { return Value(Double.nan) }
                let f = DateMath.fields(t)
                let newDate = DateMath.makeDate(DateMath.makeDay(f.year, m, dt ?? Double(f.date)),
                                                DateMath.timeWithinDay(t))
                return setTimeValue(this, DateMath.timeClip(newDate))
            }
            try defineMethod(proto, p + "Seconds", 2) { rt, this, args throws(VMError) in
                let t = try rt.thisTimeValue(this, p + "Seconds")
                let s = try rt.toNumber(args[0])
                let ms: Double? = args.count > 1 ? try rt.toNumber(args[1]) : nil
                if t.isNaN { return Value(Double.nan) }
                let f = DateMath.fields(t)
                let time = DateMath.makeTime(Double(f.hours), Double(f.minutes), s, ms ?? Double(f.ms))
                return setTimeValue(this, DateMath.timeClip(DateMath.makeDate(DateMath.day(t), time)))
            }
        }
        try defineMethod(proto, "setTime", 1) { rt, this, args throws(VMError) in
            _ = try rt.thisTimeValue(this, "setTime")
            let t = try rt.toNumber(args[0])
            return setTimeValue(this, DateMath.timeClip(t))
        }
        try defineMethod(proto, "setYear", 1) { rt, this, args throws(VMError) in
            var t = try rt.thisTimeValue(this, "setYear")
            let y = try rt.toNumber(args[0])
            if t.isNaN { t = 0 }
            let yyyy = DateMath.fullYear(y)
            if yyyy.isNaN { return setTimeValue(this, .nan) }
            let f = DateMath.fields(t)
            let d = DateMath.makeDay(yyyy, Double(f.month), Double(f.date))
            return setTimeValue(this, DateMath.timeClip(DateMath.makeDate(d, DateMath.timeWithinDay(t))))
        }

        // MARK: Conversions

        func formatter(_ name: String, _ f: @escaping (Double) -> String) throws(VMError) -> JSFunction {
            try defineMethod(proto, name, 0) { rt, this, _ throws(VMError) in
                let t = try rt.thisTimeValue(this, name)
                if t.isNaN { return Value(rt.intern("Invalid Date")) }
                return try rt.string(f(t))
            }
        }
        _ = try formatter("toDateString") { DateMath.dateString($0) }
        try defineMethod(proto, "toISOString", 0) { rt, this, _ throws(VMError) in
            let t = try rt.thisTimeValue(this, "toISOString")
            if t.isNaN { throw rt.rangeError("Invalid time value") }
            return try rt.string(DateMath.isoString(t))
        }
        try defineMethod(proto, "toJSON", 1) { rt, this, _ throws(VMError) in
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let tv = try rt.toPrimitive(Value(o), hint: .number)
            if tv.isNumber && !tv.number.isFinite { return .null }
            let f = try rt.get(o, rt.key("toISOString"))
            guard f.asFunction != nil else { throw rt.typeError("toISOString is not a function") }
            return try rt.call(f, this: Value(o), arguments: [])
        }
        _ = try formatter("toLocaleDateString") { DateMath.localeDateString($0) }
        _ = try formatter("toLocaleString") { DateMath.localeDateString($0) + ", " + DateMath.localeTimeString($0) }
        _ = try formatter("toLocaleTimeString") { DateMath.localeTimeString($0) }
        _ = try formatter("toString") { DateMath.dateString($0) + " " + DateMath.timeString($0) }
        _ = try formatter("toTimeString") { DateMath.timeString($0) }
        let toUTC = try formatter("toUTCString") { DateMath.utcString($0) }
        try defineDataProperty(proto, key("toGMTString"), Value(toUTC), .hidden)
        try defineMethod(proto, "valueOf", 0) { rt, this, _ throws(VMError) in
            Value(try rt.thisTimeValue(this, "valueOf"))
        }
        try defineMethod(proto, symbol: wellKnownSymbols.toPrimitive, name: "[Symbol.toPrimitive]", 1,
                         attributes: [.configurable]) { rt, this, args throws(VMError) in
            guard this.isObject else { throw rt.typeError("Date.prototype[Symbol.toPrimitive] called on non-object") }
            let hint = args[0]
            guard hint.isString else { throw rt.typeError("Invalid hint: \(rt.describeForError(hint))") }
            let h = hint.string.swiftString
            let stringFirst: Bool
            switch h {
            case "string", "default": stringFirst = true
            case "number": stringFirst = false
            default: throw rt.typeError("Invalid hint: \(h)")
            }
            return try rt.ordinaryToPrimitive(this.object, stringFirst: stringFirst)
        }
    }

    /// OrdinaryToPrimitive.
    func ordinaryToPrimitive(_ o: JSObject, stringFirst: Bool) throws(VMError) -> Value {
        let order: [PropertyKey] = stringFirst ? [names.toString, names.valueOf] : [names.valueOf, names.toString]
        for k in order {
            let f = try get(o, k)
            if f.asFunction != nil {
                let r = try call(f, this: Value(o), arguments: [])
                if !r.isObject { return r }
            }
        }
        throw typeError("Cannot convert object to primitive value")
    }

    /// The time value for (year, month[, date, hours, minutes, seconds, ms]) as in `new Date(y, m, …)`
    /// and `Date.UTC`, coercing every argument in order.
    func dateFromComponents(_ args: Arguments) throws(VMError) -> Double {
        let y = try toNumber(args[0])
        let m = args.count > 1 ? try toNumber(args[1]) : 0
        let dt = args.count > 2 ? try toNumber(args[2]) : 1
        let h = args.count > 3 ? try toNumber(args[3]) : 0
        let min = args.count > 4 ? try toNumber(args[4]) : 0
        let s = args.count > 5 ? try toNumber(args[5]) : 0
        let ms = args.count > 6 ? try toNumber(args[6]) : 0
        let yr = DateMath.fullYear(y)
        let final = DateMath.makeDate(DateMath.makeDay(yr, m, dt), DateMath.makeTime(h, min, s, ms))
        return DateMath.timeClip(final)
    }
}
