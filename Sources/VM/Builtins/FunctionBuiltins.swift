// Function and Function.prototype.

extension Runtime {
    /// Most arguments `apply` accepts from an array-like.
    static let maxApplyArguments = 1 << 20

    func installFunctionBuiltins() throws(VMError) {
        let fp = intrinsics.functionPrototype!
        let ctor = try defineConstructor("Function", length: 1, prototype: fp) { rt, _, _ throws(VMError) in
            throw rt.error(.evalError, "Function constructor is not supported")
        }
        intrinsics.functionConstructor = ctor

        try defineMethod(fp, "apply", 2) { rt, this, args throws(VMError) in
            guard let f = this.asFunction else {
                throw rt.typeError("Function.prototype.apply was called on \(rt.describeForError(this)), which is not a function")
            }
            let argArray = args[1]
            if argArray.isNullish {
                return try rt.callFunction(f, this: args[0], arguments: .none)
            }
            let list = try rt.createListFromArrayLike(argArray)
            return try rt.call(Value(f), this: args[0], arguments: list)
        }
        try defineMethod(fp, "bind", 1) { rt, this, args throws(VMError) in
            guard let target = this.asFunction else {
                throw rt.typeError("Bind must be called on a function")
            }
            let bound = try rt.newBoundFunction(target: target, boundThis: args[0], boundArguments: args.array(from: 1))
            let m = rt.pushTemporaryRoot(Value(bound))
            defer { rt.popTemporaryRoots(to: m) }
            let argCount = max(0, args.count - 1)
            var length = 0.0
            if rt.hasOwnProperty(target, rt.names.length) {
                let tl = try rt.get(target, rt.names.length)
                if tl.isNumber {
                    let d = tl.number
                    if d == .infinity { length = .infinity } else if d == -.infinity { length = 0 } else {
                        let i = try rt.toIntegerOrInfinity(tl)
                        length = max(i - Double(argCount), 0)
                    }
                }
            }
            try rt.defineDataProperty(bound, rt.names.length, Value(length), [.configurable])
            let tn = try rt.get(target, rt.names.name)
            var nameUnits = ContiguousArray("bound ".utf16)
            if tn.isString { nameUnits.append(contentsOf: tn.string.units) }
            try rt.defineDataProperty(bound, rt.names.name, Value(try rt.newString(nameUnits)), [.configurable])
            return Value(bound)
        }
        try defineMethod(fp, "call", 1) { rt, this, args throws(VMError) in
            guard let f = this.asFunction else {
                throw rt.typeError("Function.prototype.call was called on \(rt.describeForError(this)), which is not a function")
            }
            let rest = args.count > 1
                ? Arguments(base: args.base.unsafelyUnwrapped + 1, count: args.count - 1) : Arguments.none
            return try rt.callFunction(f, this: args[0], arguments: rest)
        }
        try defineMethod(fp, "toString", 0) { rt, this, _ throws(VMError) in
            guard let f = this.asFunction else {
                throw rt.typeError("Function.prototype.toString requires that 'this' be a Function")
            }
            if let code = f.code, !code.sourceText.isEmpty { return try rt.string(code.sourceText) }
            var name = ""
            if f.native != nil, let slot = f.shape.lookup(rt.names.name),
               !f.shape.attributes[slot].contains(.accessor), f.slots[slot].isString {
                name = f.slots[slot].string.swiftString
                if !Runtime.isNativeFunctionName(name) { name = "" }
            }
            return try rt.string("function \(name)() { [native code] }")
        }
        let hasInstance = try defineMethod(fp, symbol: wellKnownSymbols.hasInstance, name: "[Symbol.hasInstance]", 1,
                                           attributes: []) { rt, this, args throws(VMError) in
            guard let f = this.asFunction else { return .false }
            return Value(try rt.ordinaryHasInstance(f, args[0]))
        }
        intrinsics[.functionHasInstance] = hasInstance
        // AddRestrictedFunctionProperties(%Function.prototype%).
        let thrower = Value(intrinsics.throwTypeError)
        try defineAccessorProperty(fp, names.caller, getter: thrower, setter: thrower, [.configurable])
        try defineAccessorProperty(fp, names.arguments, getter: thrower, setter: thrower, [.configurable])
    }

    /// True when `name` can follow `function ` in a NativeFunction string (identifier or `[…]`).
    static func isNativeFunctionName(_ name: String) -> Bool {
        if name.hasPrefix("[") && name.hasSuffix("]") { return true }
        if name.hasPrefix("get ") || name.hasPrefix("set ") { return isNativeFunctionName(String(name.dropFirst(4))) }
        guard let first = name.unicodeScalars.first else { return false }
        func isStart(_ c: Unicode.Scalar) -> Bool {
            c == "$" || c == "_" || c.properties.isIDStart
        }
        func isPart(_ c: Unicode.Scalar) -> Bool {
            c == "$" || c == "_" || c == "\u{200C}" || c == "\u{200D}" || c.properties.isIDContinue
        }
        if !isStart(first) { return false }
        return name.unicodeScalars.dropFirst().allSatisfy(isPart)
    }

    /// CreateListFromArrayLike.
    func createListFromArrayLike(_ v: Value) throws(VMError) -> [Value] {
        guard v.isObject else { throw typeError("CreateListFromArrayLike called on non-object") }
        let o = v.object
        let len = try lengthOfArrayLike(o)
        if len > Runtime.maxApplyArguments { throw rangeError("Maximum call stack size exceeded (too many arguments)") }
        if !heap.canAllocate(len * 8) { throw VMError.terminated(.memory) }
        if usesElements(o) && o.prototype === intrinsics.arrayPrototype && o.elements.count == len
            && !o.elements.contains(where: { $0.isHole }) {
            try charge(len / 8 + 1)
            return Array(o.elements)
        }
        var list: [Value] = []
        list.reserveCapacity(len)
        let m = temporaryRoots.count
        defer { popTemporaryRoots(to: m) }
        for i in 0..<len {
            try charge(1)
            let x = try getIndex(o, i)
            temporaryRoots.append(x)
            list.append(x)
        }
        return list
    }
}
