import SluiceVM

enum CGCallKind { case call, optionalCall, new, superCall }

extension CGFunctionCompiler {
    /// Puts the callee in `base` and the receiver in `base + 1` (`o.m()` passes o, plain calls undefined).
    func compileCallee(_ callee: Expression, base: Int, optional: Bool) throws(SyntaxError) {
        let thisReg = base + 1
        let c = unparen(callee)
        switch c.kind {
        case .member(let o, let name, let opt):
            try expr(o, thisReg)
            if opt { try jumpIfNullishToChain(thisReg, c) }
            markPosition(c.position)
            emit(.getField, base, thisReg, try nameConstant(name))
        case .index(let o, let i, let opt):
            try expr(o, thisReg)
            if opt { try jumpIfNullishToChain(thisReg, c) }
            let m = freeReg
            let k = try expr(i)
            markPosition(c.position)
            emit(.getIndex, base, thisReg, k)
            release(to: m)
        case .superMember, .superIndex:
            let m = freeReg
            let k = try superKey(c)
            emit(.getSuper, base, k, 0)
            release(to: m)
            emit(.move, thisReg, 0)
        case .optionalChain(let inner) where isMemberReference(unparen(inner)):
            // `(a?.b)()`: a parenthesized chain is still a reference, so the call keeps `a` as
            // `this`; when the chain short-circuits, the callee is undefined (and the call throws).
            let nullish = newLabel(), end = newLabel()
            chainLabels.append(nullish)
            try compileCallee(inner, base: base, optional: false)
            chainLabels.removeLast()
            emitJump(to: end)
            bind(nullish)
            emit(.loadUndefined, base)
            emit(.loadUndefined, thisReg)
            bind(end)
        default:
            try expr(c, base)
            emit(.loadUndefined, thisReg)
        }
        if optional { try jumpIfNullishToChain(base, callee) }
    }

    /// A property reference a call takes `this` from (`o.x`, `o[k]`, `super.x`, with optional links).
    private func isMemberReference(_ e: Expression) -> Bool {
        switch e.kind {
        case .member, .index, .superMember, .superIndex: return true
        default: return false
        }
    }

    /// Calls, `new` and `super(...)`: R[base] callee, R[base+1] this/scratch, arguments from R[base+2].
    func compileCallLike(_ e: Expression, _ kind: CGCallKind, callee: Expression?, args: [Argument],
                         dest: Int?) throws(SyntaxError) -> Int {
        let mark = freeReg
        let base: Int
        if let d = dest, d == freeReg - 1, !isLocalReg(d) { base = d } else { base = try allocReg() }
        _ = try allocReg()
        switch kind {
        case .call, .optionalCall:
            try compileCallee(callee!, base: base, optional: kind == .optionalCall)
        case .new:
            try expr(callee!, base)
        case .superCall:
            break
        }
        let spread = args.contains { if case .spread = $0 { return true } else { return false } }
        var argc = 0
        if spread {
            let arr = try allocReg()
            emit(.newArray, arr, min(args.count, 0xFFFF))
            for a in args {
                let m = freeReg
                switch a {
                case .expression(let x):
                    let v = try expr(x)
                    emit(.arrayPush, arr, v)
                case .spread(let x):
                    let v = try expr(x)
                    emit(.arraySpread, arr, v)
                }
                release(to: m)
            }
        } else {
            for a in args {
                guard case .expression(let x) = a else { continue }
                let r = try allocReg()
                try expr(x, r)
            }
            argc = args.count
        }
        markPosition(e.position)
        let op: Opcode
        switch kind {
        case .call, .optionalCall: op = spread ? .callSpread : .call
        case .new: op = spread ? .constructSpread : .construct
        case .superCall: op = spread ? .superCallSpread : .superCall
        }
        emit(op, base, 0, argc)
        if let d = dest, d != base {
            emit(.move, d, base)
            release(to: mark)
            return d
        }
        release(to: base + 1)
        return base
    }

    func taggedTemplate(_ e: Expression, _ tag: Expression, _ quasis: [TemplateElement], _ exprs: [Expression],
                        _ dest: Int?) throws(SyntaxError) -> Int {
        let mark = freeReg
        let base: Int
        if let d = dest, d == freeReg - 1, !isLocalReg(d) { base = d } else { base = try allocReg() }
        _ = try allocReg()
        try compileCallee(tag, base: base, optional: false)
        let arg0 = try allocReg()
        let m = freeReg
        let cooked = try allocReg()
        emit(.newArray, cooked, min(quasis.count, 0xFFFF))
        let x = try allocReg()
        for q in quasis {
            if let c = q.cooked { emitBx(.loadConst, x, stringConstant(c)) } else { emit(.loadUndefined, x) }
            emit(.arrayPush, cooked, x)
        }
        let raw = try allocReg()
        emit(.newArray, raw, min(quasis.count, 0xFFFF))
        for q in quasis {
            emitBx(.loadConst, x, stringConstant(q.raw))
            emit(.arrayPush, raw, x)
        }
        emit(.templateObject, arg0, cooked, raw)
        release(to: m)
        for sub in exprs {
            let r = try allocReg()
            try expr(sub, r)
        }
        markPosition(e.position)
        emit(.call, base, 0, 1 + exprs.count)
        if let d = dest, d != base {
            emit(.move, d, base)
            release(to: mark)
            return d
        }
        release(to: base + 1)
        return base
    }

    func templateLiteral(_ quasis: [TemplateElement], _ exprs: [Expression], _ dest: Int?) throws(SyntaxError) -> Int {
        let q0 = quasis.first?.cooked ?? []
        if exprs.isEmpty {
            let r = try regOrAlloc(dest)
            emitBx(.loadConst, r, stringConstant(q0))
            return r
        }
        let t = try scratchTarget(dest)
        var started = false
        if !q0.isEmpty {
            emitBx(.loadConst, t, stringConstant(q0))
            started = true
        }
        for (i, x) in exprs.enumerated() {
            let m = freeReg
            if !started {
                let v = try expr(x)
                emit(.toString, t, v)
                started = true
            } else {
                let s = try allocReg()
                let v = try expr(x)
                emit(.toString, s, v)
                emit(.add, t, t, s)
            }
            release(to: m)
            let q = i + 1 < quasis.count ? (quasis[i + 1].cooked ?? []) : []
            if !q.isEmpty {
                let k = try smallConstant(.string(q))
                emit(.addConst, t, t, k)
            }
        }
        return finishTarget(t, dest)
    }

    // MARK: Literals

    func arrayLiteral(_ elements: [ArrayElement], _ dest: Int?) throws(SyntaxError) -> Int {
        let t = try scratchTarget(dest)
        emit(.newArray, t, min(elements.count, 0xFFFF))
        for el in elements {
            let m = freeReg
            switch el {
            case .expression(let x):
                let v = try expr(x)
                emit(.arrayPush, t, v)
            case .spread(let x):
                let v = try expr(x)
                emit(.arraySpread, t, v)
            case .hole:
                emit(.arrayPushHole, t)
            }
            release(to: m)
        }
        return finishTarget(t, dest)
    }

    /// The key string of a non-computed property name.
    func staticKey(_ k: PropertyName) -> [UInt16]? {
        switch k {
        case .identifier(let s): return Array(s.utf16)
        case .string(let s): return s
        case .number(let d): return Array(NumberConversion.toString(d).utf16)
        case .computed: return nil
        }
    }

    /// The numeric value of a canonical array-index string ("0", "17"; not "01" or "4294967295").
    func arrayIndex(_ s: [UInt16]) -> Double? {
        guard !s.isEmpty, s.count <= 10 else { return nil }
        if s.count > 1 && s[0] == 48 { return nil }
        var v: UInt64 = 0
        for c in s {
            guard c >= 48 && c <= 57 else { return nil }
            v = v * 10 + UInt64(c - 48)
        }
        return v < 4_294_967_295 ? Double(v) : nil
    }

    /// A register holding the property key of `k` (computed keys go through ToPropertyKey).
    func propertyKeyReg(_ k: PropertyName) throws(SyntaxError) -> Int {
        if case .computed(let e) = k {
            let r = try exprToTemp(e)
            emit(.toPropertyKey, r, r)
            return r
        }
        let s = staticKey(k)!
        let r = try allocReg()
        if let n = arrayIndex(s) { loadNumber(n, into: r) } else { emitBx(.loadConst, r, stringConstant(s)) }
        return r
    }

    func objectLiteral(_ props: [ObjectProperty], _ dest: Int?) throws(SyntaxError) -> Int {
        let t = try scratchTarget(dest)
        // B: how many named properties the literal adds (a slot capacity hint).
        emit(.newObject, t, min(props.count, 0xFFFF))
        for p in props {
            let m = freeReg
            switch p.kind {
            case .spread:
                let v = try expr(p.value)
                emit(.copyDataProperties, t, v, 0xFFFF)
            case .getter, .setter:
                let k = try propertyKeyReg(p.key)
                let f = try expr(p.value)
                emit(.defineMethod, f, t, k, d: 1 | ((p.kind == .getter ? 1 : 2) << 1))
            case .initialize:
                if p.isMethod {
                    let k = try propertyKeyReg(p.key)
                    let f = try expr(p.value)
                    emit(.defineMethod, f, t, k, d: 1)
                } else if !p.isShorthand, let s = staticKey(p.key), s == Array("__proto__".utf16) {
                    let v = try expr(p.value)
                    emit(.setPrototype, t, v)
                } else if case .computed = p.key {
                    let k = try propertyKeyReg(p.key)
                    let v = try expr(p.value)
                    if isAnonymousFunction(p.value) { emit(.setFunctionName, v, k) }
                    emit(.defineIndex, v, t, k)
                } else {
                    let s = staticKey(p.key)!
                    if let n = arrayIndex(s) {
                        let k = try allocReg()
                        loadNumber(n, into: k)
                        let v = try expr(p.value)
                        emit(.defineIndex, v, t, k)
                    } else {
                        let v = try expr(p.value)
                        emit(.defineField, v, t, try smallConstant(.string(s)))
                    }
                }
            }
            release(to: m)
        }
        return finishTarget(t, dest)
    }

    // MARK: Functions and classes

    /// Compiles a nested function; returns its child index.
    func compileChild(_ f: FunctionNode, isExpression: Bool, name: String? = nil,
                      sourceText: String? = nil) throws(SyntaxError) -> Int {
        guard let finfo = ctx.resolver.functions[ObjectIdentifier(f)] else {
            throw error("internal error: unresolved function", at: f.position)
        }
        let child = CGFunctionCompiler(ctx: ctx, parent: self, node: f, info: finfo, isStrict: f.isStrict,
                                     name: name ?? f.name, position: f.position)
        let code = try child.compileFunctionBody(isExpression: isExpression,
                                                 sourceText: sourceText ?? ctx.text(f.sourceStart, f.sourceEnd))
        children.append(code)
        return children.count - 1
    }

    func compileClass(_ c: ClassNode, _ dest: Int?) throws(SyntaxError) -> Int {
        markPosition(c.position)
        // The result register is written once, at the end: a local destination is fine.
        let result = try regOrAlloc(dest)
        let scopeInfo = self.scopeInfo(CGScopeKey(c, CGScopeTag.main))
        if let scopeInfo { try enterScope(scopeInfo) }
        let mark = freeReg
        var heritage = -1
        if let h = c.superClass { heritage = try expr(h) }
        let base = try allocRegs(2)
        let text = ctx.text(c.sourceStart, c.sourceEnd)
        let ctorIndex: Int
        if let ctor = c.constructor {
            ctorIndex = try compileChild(ctor, isExpression: false, name: c.name, sourceText: text)
        } else {
            children.append(defaultConstructor(name: c.name, derived: c.superClass != nil, sourceText: text))
            ctorIndex = children.count - 1
        }
        markPosition(c.position)
        emitBx(.createClass, base, ctorIndex)
        emitAux(Int64(heritage))
        emit(.setHomeObject, base, base + 1)
        for m in c.members {
            let m2 = freeReg
            let target = m.isStatic ? base : base + 1
            let k = try propertyKeyReg(m.key)
            let f = try allocReg()
            emitBx(.closure, f, try compileChild(m.function, isExpression: false))
            let kindBits = m.kind == .method ? 0 : m.kind == .getter ? 1 : 2
            emit(.defineMethod, f, target, k, d: kindBits << 1)
            release(to: m2)
        }
        if c.hasOwnNameBinding && !c.name.isEmpty, let b = scopeInfo?.bindings[c.name], b.referenced {
            try storeName(c.name, c.position, base, .initialize)
        }
        emit(.move, result, base)
        release(to: mark)
        if scopeInfo != nil { exitScope() }
        return result
    }

    /// `constructor() {}` or `constructor(...args) { super(...args) }`.
    func defaultConstructor(name: String, derived: Bool, sourceText: String) -> FunctionCode {
        var code: [Instruction] = []
        var flags: FunctionCode.Flags = [.strict, .constructor, .classConstructor]
        var registers = 1
        if derived {
            flags.insert(.derivedConstructor)
            flags.insert(.needsExtraArguments)
            code.append(Instruction(.loadUninitialized, a: 0))
            code.append(Instruction(.createRest, a: 3, b: 0))
            code.append(Instruction(.superCallSpread, a: 1))
            code.append(Instruction(.return, a: 0))
            registers = 4
        } else {
            code.append(Instruction(.returnUndefined))
        }
        return FunctionCode(name: name, code: code, constants: [], children: [], parameterCount: 0, length: 0,
                            registerCount: registers, flags: flags, handlers: [],
                            lineTable: [LineTableEntry(pc: 0, line: position.line, column: position.column)],
                            sourceName: ctx.sourceName, sourceText: sourceText)
    }
}
