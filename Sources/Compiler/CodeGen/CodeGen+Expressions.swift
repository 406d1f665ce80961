import SluiceVM

enum CGBindMode { case assign, initialize }

extension CGFunctionCompiler {
    // MARK: Helpers

    func isUnsafe(_ pos: SourcePosition) -> Bool { ctx.resolver.unsafeRefs.contains(pos.offset) }

    /// Assignment throws a TypeError (or is ignored for a sloppy function-expression name).
    func isConstLike(_ b: CGBinding) -> Bool {
        switch b.kind {
        case .const, .classInner, .funcName: return true
        default: return false
        }
    }

    /// The register an expression result goes to when the expression writes it in several steps:
    /// `dest` if it is a temporary, else a fresh temporary (the caller then moves it to `dest`).
    func scratchTarget(_ dest: Int?) throws(SyntaxError) -> Int {
        if let d = dest, !isLocalReg(d) { return d }
        return try allocReg()
    }

    func regOrAlloc(_ dest: Int?) throws(SyntaxError) -> Int {
        if let d = dest { return d }
        return try allocReg()
    }

    func finishTarget(_ r: Int, _ dest: Int?) -> Int {
        if let d = dest, d != r {
            emit(.move, d, r)
            return d
        }
        return r
    }

    /// Compiles `e` into a fresh temporary (never a local's register).
    func exprToTemp(_ e: Expression) throws(SyntaxError) -> Int {
        let t = try allocReg()
        try expr(e, t)
        return t
    }

    /// If `r` is a local's register and `later` may assign locals, copies it to a temporary so later
    /// evaluation cannot change the operand.
    func protect(_ r: Int, _ later: Expression...) throws(SyntaxError) -> Int {
        guard isLocalReg(r) else { return r }
        for e in later where mayWriteLocals(e) {
            let t = try allocReg()
            emit(.move, t, r)
            return t
        }
        return r
    }

    /// Whether evaluating `e` may assign a variable held in a register of this function
    /// (assignments and updates, outside nested functions). Conservative.
    func mayWriteLocals(_ e: Expression) -> Bool {
        let id = ObjectIdentifier(e)
        if let m = writeMemo[id] { return m }
        let r: Bool
        switch e.kind {
        case .number, .string, .regExp, .boolean, .null, .identifier, .this, .newTarget, .function, .arrowFunction:
            r = false
        case .assignment, .update, .class:
            r = true
        case .template(_, let xs): r = xs.contains { mayWriteLocals($0) }
        case .taggedTemplate(let t, _, let xs): r = mayWriteLocals(t) || xs.contains { mayWriteLocals($0) }
        case .superMember(let p): r = mayWriteLocals(p)
        case .superIndex(let x), .unary(_, let x), .optionalChain(let x), .await(let x), .parenthesized(let x),
             .member(let x, _, _):
            r = mayWriteLocals(x)
        case .superCall(let args): r = argsWrite(args)
        case .array(let els):
            r = els.contains {
                switch $0 {
                case .expression(let x), .spread(let x): return mayWriteLocals(x)
                case .hole: return false
                }
            }
        case .object(let props):
            r = props.contains { p in
                if case .computed(let k) = p.key, mayWriteLocals(k) { return true }
                return mayWriteLocals(p.value)
            }
        case .binary(_, let a, let b), .logical(_, let a, let b), .index(let a, let b, _):
            r = mayWriteLocals(a) || mayWriteLocals(b)
        case .conditional(let a, let b, let c): r = mayWriteLocals(a) || mayWriteLocals(b) || mayWriteLocals(c)
        case .call(let c, let args, _), .new(let c, let args): r = mayWriteLocals(c) || argsWrite(args)
        case .sequence(let xs): r = xs.contains { mayWriteLocals($0) }
        }
        writeMemo[id] = r
        return r
    }

    private func argsWrite(_ args: [Argument]) -> Bool {
        args.contains {
            switch $0 {
            case .expression(let x), .spread(let x): return mayWriteLocals(x)
            }
        }
    }

    func unparen(_ e: Expression) -> Expression {
        var e = e
        while case .parenthesized(let x) = e.kind { e = x }
        return e
    }

    func isAnonymousFunction(_ e: Expression) -> Bool {
        switch unparen(e).kind {
        case .function(let f), .arrowFunction(let f): return f.name.isEmpty
        case .class(let c): return c.name.isEmpty
        default: return false
        }
    }

    // MARK: Effect-only evaluation

    func effect(_ e: Expression) throws(SyntaxError) {
        let mark = freeReg
        defer { release(to: mark) }
        switch e.kind {
        case .parenthesized(let x), .await(let x):
            try effect(x)
        case .number, .string, .boolean, .null, .function, .arrowFunction:
            break
        case .this where !thisNeedsCheck:
            break
        case .assignment(let op, let target, let value):
            _ = try compileAssignment(op, target, value, dest: nil, needResult: false)
        case .update(let op, _, let x):
            _ = try compileUpdate(op, isPrefix: true, x, dest: nil, needResult: false)
        case .sequence(let xs):
            for x in xs { try effect(x) }
        case .logical(let op, let l, let r):
            let end = newLabel()
            switch op {
            case .and: try condFalse(l, end)
            case .or: try condTrue(l, end)
            case .nullish:
                let v = try expr(l)
                emitCondJump(.jumpIfNotNullish, v, to: end)
                release(to: mark)
            }
            try effect(r)
            bind(end)
        case .conditional(let t, let c, let a):
            let elseL = newLabel(), end = newLabel()
            try condFalse(t, elseL)
            try effect(c)
            emitJump(to: end)
            bind(elseL)
            try effect(a)
            bind(end)
        case .identifier(let name):
            if case .register(_, _) = try lookup(name), !isUnsafe(e.position) { return }
            _ = try expr(e)
        default:
            _ = try expr(e)
        }
    }

    // MARK: Conditions

    /// Jumps to `target` when `e` is falsy; falls through otherwise.
    func condFalse(_ e: Expression, _ target: CGLabel) throws(SyntaxError) {
        let mark = freeReg
        defer { release(to: mark) }
        switch e.kind {
        case .parenthesized(let x):
            try condFalse(x, target)
        case .boolean(let b):
            if !b { emitJump(to: target) }
        case .unary(.not, let x):
            try condTrue(x, target)
        case .logical(.and, let l, let r):
            try condFalse(l, target)
            try condFalse(r, target)
        case .logical(.or, let l, let r):
            let t = newLabel()
            try condTrue(l, t)
            try condFalse(r, target)
            bind(t)
        case .binary(let op, let l, let r):
            if let (v, nullish, isNull) = try nullishTest(op, l, r) {
                // `x == null`: falsy when not nullish; `x === undefined`: falsy when not undefined.
                let negated = op == .notEqual || op == .strictNotEqual
                let jop: Opcode
                if isNull { jop = negated ? .jumpIfNullish : .jumpIfNotNullish } else {
                    jop = negated ? .jumpIfUndefined : .jumpIfNotUndefined
                }
                _ = nullish
                emitCondJump(jop, v, to: target)
                return
            }
            let jop: Opcode?
            switch op {
            case .less: jop = .jumpIfNotLess
            case .lessEqual: jop = .jumpIfNotLessEqual
            case .greater: jop = .jumpIfNotGreater
            case .greaterEqual: jop = .jumpIfNotGreaterEqual
            case .strictEqual: jop = .jumpIfNotStrictEqual
            default: jop = nil
            }
            if let jop {
                var a = try expr(l)
                a = try protect(a, r)
                let b = try expr(r)
                emitAuxJump(jop, a, b, to: target)
                return
            }
            let v = try expr(e)
            emitCondJump(.jumpIfFalse, v, to: target)
        default:
            let v = try expr(e)
            emitCondJump(.jumpIfFalse, v, to: target)
        }
    }

    /// Jumps to `target` when `e` is truthy.
    func condTrue(_ e: Expression, _ target: CGLabel) throws(SyntaxError) {
        let mark = freeReg
        defer { release(to: mark) }
        switch e.kind {
        case .parenthesized(let x):
            try condTrue(x, target)
        case .boolean(let b):
            if b { emitJump(to: target) }
        case .unary(.not, let x):
            try condFalse(x, target)
        case .logical(.or, let l, let r):
            try condTrue(l, target)
            try condTrue(r, target)
        case .logical(.and, let l, let r):
            let f = newLabel()
            try condFalse(l, f)
            try condTrue(r, target)
            bind(f)
        case .binary(let op, let l, let r):
            if let (v, _, isNull) = try nullishTest(op, l, r) {
                let negated = op == .notEqual || op == .strictNotEqual
                let jop: Opcode
                if isNull { jop = negated ? .jumpIfNotNullish : .jumpIfNullish } else {
                    jop = negated ? .jumpIfNotUndefined : .jumpIfUndefined
                }
                emitCondJump(jop, v, to: target)
                return
            }
            let fused: Opcode?
            switch op {
            case .less: fused = .jumpIfNotLess
            case .lessEqual: fused = .jumpIfNotLessEqual
            case .greater: fused = .jumpIfNotGreater
            case .greaterEqual: fused = .jumpIfNotGreaterEqual
            case .strictEqual: fused = .jumpIfNotStrictEqual
            default: fused = nil
            }
            if let fused {
                // jumpIfNot<op> over an unconditional jump: one dispatch when false, two when true.
                var a = try expr(l)
                a = try protect(a, r)
                let b = try expr(r)
                let skip = newLabel()
                emitAuxJump(fused, a, b, to: skip)
                emitJump(to: target)
                bind(skip)
                return
            }
            let v = try expr(e)
            emitCondJump(.jumpIfTrue, v, to: target)
        default:
            let v = try expr(e)
            emitCondJump(.jumpIfTrue, v, to: target)
        }
    }

    private func isUndefinedLiteral(_ e: Expression) throws(SyntaxError) -> Bool {
        switch unparen(e).kind {
        case .identifier("undefined"):
            if case .global = try lookup("undefined") { return true }
            return false
        case .unary(.void, let x):
            switch unparen(x).kind {
            case .number, .string, .boolean, .null: return true
            default: return false
            }
        default: return false
        }
    }

    /// `x == null`, `x != undefined`, `x === undefined`, `x !== void 0` (either side): compiles x and
    /// returns (register, _, isLooseNullish).
    private func nullishTest(_ op: BinaryOperator, _ l: Expression, _ r: Expression) throws(SyntaxError) -> (Int, Bool, Bool)? {
        let loose: Bool
        switch op {
        case .equal, .notEqual: loose = true
        case .strictEqual, .strictNotEqual: loose = false
        default: return nil
        }
        var other: Expression? = nil
        for (a, b) in [(l, r), (r, l)] {
            let isNull: Bool
            if case .null = unparen(b).kind { isNull = true } else { isNull = false }
            let isUndef = isNull ? false : try isUndefinedLiteral(b)
            if loose && (isNull || isUndef) {
                other = a
                break
            }
            if !loose && isUndef {
                other = a
                break
            }
        }
        guard let x = other else { return nil }
        let v = try expr(x)
        return (v, true, loose)
    }

    // MARK: Expressions

    /// Compiles `e`. With `dest`, the result is in `dest`; without, it is in a fresh temporary at the
    /// top of the register stack or in a local's register (no code). Returns the result register.
    @discardableResult
    func expr(_ e: Expression, _ dest: Int? = nil) throws(SyntaxError) -> Int {
        switch e.kind {
        case .number(let d):
            if dest == nil, let r = preloaded[ObjectIdentifier(e)] { return r }
            let r = try regOrAlloc(dest)
            loadNumber(d, into: r)
            return r
        case .string(let s):
            if dest == nil, let r = preloaded[ObjectIdentifier(e)] { return r }
            let r = try regOrAlloc(dest)
            emitBx(.loadConst, r, stringConstant(s))
            return r
        case .boolean(let b):
            let r = try regOrAlloc(dest)
            emit(b ? .loadTrue : .loadFalse, r)
            return r
        case .null:
            let r = try regOrAlloc(dest)
            emit(.loadNull, r)
            return r
        case .regExp(let pattern, let flags):
            markPosition(e.position)
            let r = try regOrAlloc(dest)
            emit(.regExp, r, try smallConstant(.string(pattern)), try nameConstant(flags))
            return r
        case .template(let quasis, let exprs):
            return try templateLiteral(quasis, exprs, dest)
        case .taggedTemplate(let tag, let quasis, let exprs):
            return try taggedTemplate(e, tag, quasis, exprs, dest)
        case .identifier(let name):
            return try readName(name, e.position, dest)
        case .this:
            if thisNeedsCheck { emit(.checkThis, 0) }
            if let d = dest {
                emit(.move, d, 0)
                return d
            }
            return 0
        case .newTarget:
            let r = try regOrAlloc(dest)
            emit(.loadNewTarget, r)
            return r
        case .superMember, .superIndex:
            markPosition(e.position)
            let mark = freeReg
            let k = try superKey(e)
            release(to: mark)
            let r = try regOrAlloc(dest)
            emit(.getSuper, r, k, 0)
            return r
        case .superCall(let args):
            return try compileCallLike(e, .superCall, callee: nil, args: args, dest: dest)
        case .array(let elements):
            return try arrayLiteral(elements, dest)
        case .object(let props):
            return try objectLiteral(props, dest)
        case .function(let f), .arrowFunction(let f):
            let idx = try compileChild(f, isExpression: true)
            let r = try regOrAlloc(dest)
            emitBx(.closure, r, idx)
            return r
        case .class(let c):
            return try compileClass(c, dest)
        case .unary(let op, let x):
            return try unary(e, op, x, dest)
        case .update(let op, let isPrefix, let x):
            return try compileUpdate(op, isPrefix: isPrefix, x, dest: dest, needResult: true)!
        case .binary(let op, let l, let r):
            return try binary(op, l, r, dest)
        case .logical(let op, let l, let r):
            let t = try scratchTarget(dest)
            try expr(l, t)
            let end = newLabel()
            switch op {
            case .and: emitCondJump(.jumpIfFalse, t, to: end)
            case .or: emitCondJump(.jumpIfTrue, t, to: end)
            case .nullish: emitCondJump(.jumpIfNotNullish, t, to: end)
            }
            try expr(r, t)
            bind(end)
            return finishTarget(t, dest)
        case .assignment(let op, let target, let value):
            return try compileAssignment(op, target, value, dest: dest, needResult: true)!
        case .conditional(let test, let cons, let alt):
            let t = try regOrAlloc(dest)
            let elseL = newLabel(), end = newLabel()
            try condFalse(test, elseL)
            try expr(cons, t)
            emitJump(to: end)
            bind(elseL)
            try expr(alt, t)
            bind(end)
            return t
        case .call(let callee, let args, let optional):
            return try compileCallLike(e, optional ? .optionalCall : .call, callee: callee, args: args, dest: dest)
        case .new(let callee, let args):
            return try compileCallLike(e, .new, callee: callee, args: args, dest: dest)
        case .member(let o, let name, let optional):
            let mark = freeReg
            let obj = try expr(o)
            if optional { try jumpIfNullishToChain(obj, e) }
            markPosition(e.position)
            release(to: mark)
            let r = try regOrAlloc(dest)
            emit(.getField, r, obj, try nameConstant(name))
            return r
        case .index(let o, let i, let optional):
            let mark = freeReg
            var obj = try expr(o)
            if optional { try jumpIfNullishToChain(obj, e) }
            obj = try protect(obj, i)
            let k = try expr(i)
            markPosition(e.position)
            release(to: mark)
            let r = try regOrAlloc(dest)
            emit(.getIndex, r, obj, k)
            return r
        case .optionalChain(let inner):
            let t = try scratchTarget(dest)
            let nullish = newLabel(), end = newLabel()
            chainLabels.append(nullish)
            try expr(inner, t)
            chainLabels.removeLast()
            emitJump(to: end)
            bind(nullish)
            emit(.loadUndefined, t)
            bind(end)
            return finishTarget(t, dest)
        case .sequence(let xs):
            for x in xs.dropLast() { try effect(x) }
            guard let last = xs.last else {
                let r = try regOrAlloc(dest)
                emit(.loadUndefined, r)
                return r
            }
            return try expr(last, dest)
        case .await(let x), .parenthesized(let x):
            return try expr(x, dest)
        }
    }

    func jumpIfNullishToChain(_ r: Int, _ e: Expression) throws(SyntaxError) {
        guard let l = chainLabels.last else { throw error("internal error: optional link outside a chain", at: e.position) }
        emitCondJump(.jumpIfNullish, r, to: l)
    }

    /// The key register of `super.x` / `super[x]`. As in the spec's SuperProperty evaluation,
    /// `this` is checked first (a derived constructor before `super()` throws before the key is
    /// evaluated). The key stays a plain value unless `convert` (references read and then written
    /// convert once): `getSuper`/`setSuper` convert it where GetValue/PutValue would.
    func superKey(_ e: Expression, convert: Bool = false) throws(SyntaxError) -> Int {
        if thisNeedsCheck { emit(.checkThis, 0) }
        switch e.kind {
        case .superMember(let p):
            if case .string(let s) = p.kind {
                let r = try allocReg()
                emitBx(.loadConst, r, stringConstant(s))
                return r
            }
            let r = try exprToTemp(p)
            if convert { emit(.toPropertyKey, r, r) }
            return r
        case .superIndex(let x):
            let r = try exprToTemp(x)
            if convert { emit(.toPropertyKey, r, r) }
            return r
        default:
            throw error("internal error: not a super reference", at: e.position)
        }
    }

    // MARK: Names

    func readName(_ name: String, _ pos: SourcePosition?, _ dest: Int?) throws(SyntaxError) -> Int {
        let unsafe = pos.map { isUnsafe($0) } ?? true
        let ref = try lookup(name)
        try checkParameterTDZ(name, ref)
        switch ref {
        case .register(let r, let b):
            if unsafe && b.kind.hasTDZ && b.needsTDZ { emitBx(.checkInitialized, r, stringConstant(name)) }
            if let d = dest {
                if d != r { emit(.move, d, r) }
                return d
            }
            return r
        case .env(let hops, let slot, let b):
            let r = try regOrAlloc(dest)
            if unsafe && b.kind.hasTDZ && b.needsTDZ {
                emit(.getEnvChecked, r, hops, slot)
                emitAux(Int64(stringConstant(name)))
            } else {
                emit(.getEnv, r, hops, slot)
            }
            return r
        case .global(let n):
            let r = try regOrAlloc(dest)
            switch n {
            case "undefined": emit(.loadUndefined, r)
            case "NaN": emitBx(.loadConst, r, constant(.number(.nan)))
            case "Infinity": emitBx(.loadConst, r, constant(.number(.infinity)))
            default:
                if let p = pos { markPosition(p) }
                emitBx(.getGlobal, r, stringConstant(n))
            }
            return r
        }
    }

    /// In a parameter default, a same-function reference to a later (uninitialised) parameter throws.
    func checkParameterTDZ(_ name: String, _ ref: CGVarRef) throws(SyntaxError) {
        // Later parameters are uninitialised; so is an identifier parameter inside its own default
        // (names bound earlier in the same destructuring pattern are initialised: allowed).
        guard let current = currentParameter, let index = parameterIndex[name],
              index > current || (index == current && simpleParameterNames.contains(name)) else { return }
        let b: CGBinding
        switch ref {
        case .register(_, let x), .env(_, _, let x): b = x
        case .global: return
        }
        guard b.kind == .param, scopes.contains(where: { $0.info.kind == .function && $0.info.bindings[name] === b })
        else { return }
        emitThrowError(.referenceError, "Cannot access '\(name)' before initialization")
    }

    /// Stores register `v` into a name (destructuring targets, declarations).
    func storeName(_ name: String, _ pos: SourcePosition, _ v: Int, _ mode: CGBindMode) throws(SyntaxError) {
        switch try lookup(name) {
        case .register(let r, let b):
            if mode == .assign {
                if isUnsafe(pos) && b.needsTDZ { emitBx(.checkInitialized, r, stringConstant(name)) }
                if isConstLike(b) {
                    if b.kind == .funcName && !isStrict { return }
                    emitBx(.throwConstAssignment, 0, stringConstant(name))
                    return
                }
            }
            if r != v { emit(.move, r, v) }
        case .env(let hops, let slot, let b):
            if mode == .assign {
                if isConstLike(b) {
                    if isUnsafe(pos) && b.needsTDZ {
                        let mark = freeReg
                        let t = try allocReg()
                        emit(.getEnvChecked, t, hops, slot)
                        emitAux(Int64(stringConstant(name)))
                        release(to: mark)
                    }
                    if b.kind == .funcName && !isStrict { return }
                    emitBx(.throwConstAssignment, 0, stringConstant(name))
                    return
                }
                if isUnsafe(pos) && b.needsTDZ {
                    emit(.setEnvChecked, v, hops, slot)
                    emitAux(Int64(stringConstant(name)))
                    return
                }
            }
            emit(.setEnv, v, hops, slot)
        case .global(let n):
            markPosition(pos)
            emitBx(.setGlobal, v, stringConstant(n))
        }
    }

    /// `name = value`.
    func assignName(_ name: String, _ pos: SourcePosition, _ value: Expression, dest: Int?,
                    needResult: Bool) throws(SyntaxError) -> Int? {
        switch try lookup(name) {
        case .register(let r, let b):
            if isConstLike(b) {
                let v = try expr(value, dest)
                if isUnsafe(pos) && b.needsTDZ { emitBx(.checkInitialized, r, stringConstant(name)) }
                if !(b.kind == .funcName && !isStrict) { emitBx(.throwConstAssignment, 0, stringConstant(name)) }
                return v
            }
            if isUnsafe(pos) && b.needsTDZ {
                let t = try scratchTarget(dest)
                try expr(value, t)
                emitBx(.checkInitialized, r, stringConstant(name))
                emit(.move, r, t)
                return finishTarget(t, dest)
            }
            try expr(value, r)
            return finishTarget(r, dest)
        case .env, .global:
            let v = try regOrAlloc(dest)
            try expr(value, v)
            try storeName(name, pos, v, .assign)
            return v
        }
    }

    // MARK: Operators

    func binaryOpcode(_ op: BinaryOperator) -> Opcode {
        switch op {
        case .add: return .add
        case .subtract: return .subtract
        case .multiply: return .multiply
        case .divide: return .divide
        case .remainder: return .remainder
        case .exponent: return .exponent
        case .shiftLeft: return .shiftLeft
        case .shiftRight: return .shiftRight
        case .unsignedShiftRight: return .unsignedShiftRight
        case .bitAnd: return .bitAnd
        case .bitOr: return .bitOr
        case .bitXor: return .bitXor
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .strictEqual: return .strictEqual
        case .strictNotEqual: return .strictNotEqual
        case .less: return .less
        case .lessEqual: return .lessEqual
        case .greater: return .greater
        case .greaterEqual: return .greaterEqual
        case .in: return .hasProperty
        case .instanceof: return .instanceOf
        }
    }

    /// A constant operand usable by addConst / lessConst.
    func constOperand(_ e: Expression) -> Constant? {
        if preloaded[ObjectIdentifier(e)] != nil { return nil }
        switch e.kind {
        case .number(let d): return .number(d)
        case .string(let s): return .string(s)
        default: return nil
        }
    }

    func binary(_ op: BinaryOperator, _ l: Expression, _ r: Expression, _ dest: Int?) throws(SyntaxError) -> Int {
        let mark = freeReg
        if op == .add || op == .less, let k = constOperand(r), case let ki = constant(k), ki <= 0xFFFF {
            if op == .less, case .string = k {} else {
                let a = try expr(l)
                release(to: mark)
                let t = try regOrAlloc(dest)
                emit(op == .add ? .addConst : .lessConst, t, a, ki)
                return t
            }
        }
        if op == .subtract, CGFunctionCompiler.emitSubtractConst, case .number(let d)? = constOperand(r),
           case let ki = constant(.number(d)), ki <= 0xFFFF {
            let a = try expr(l)
            release(to: mark)
            let t = try regOrAlloc(dest)
            emit(.subtractConst, t, a, ki)
            return t
        }
        var a = try expr(l)
        a = try protect(a, r)
        let b = try expr(r)
        release(to: mark)
        let t = try regOrAlloc(dest)
        emit(binaryOpcode(op), t, a, b)
        return t
    }

    func unary(_ e: Expression, _ op: UnaryOperator, _ x: Expression, _ dest: Int?) throws(SyntaxError) -> Int {
        let mark = freeReg
        switch op {
        case .minus:
            if case .number(let d) = x.kind {
                let r = try regOrAlloc(dest)
                loadNumber(-d, into: r)
                return r
            }
            let v = try expr(x)
            release(to: mark)
            let r = try regOrAlloc(dest)
            emit(.negate, r, v)
            return r
        case .plus, .not, .bitNot:
            let v = try expr(x)
            release(to: mark)
            let r = try regOrAlloc(dest)
            emit(op == .plus ? .toNumber : op == .not ? .not : .bitNot, r, v)
            return r
        case .typeof:
            let inner = unparen(x)
            if case .identifier(let name) = inner.kind, case .global(let n) = try lookup(name) {
                let r = try regOrAlloc(dest)
                emitBx(.getGlobalOrUndefined, r, stringConstant(n))
                emit(.typeOf, r, r)
                return r
            }
            let v = try expr(x)
            release(to: mark)
            let r = try regOrAlloc(dest)
            emit(.typeOf, r, v)
            return r
        case .void:
            try effect(x)
            let r = try regOrAlloc(dest)
            emit(.loadUndefined, r)
            return r
        case .delete:
            return try compileDelete(e, x, dest)
        }
    }

    func compileDelete(_ e: Expression, _ x: Expression, _ dest: Int?) throws(SyntaxError) -> Int {
        let inner = unparen(x)
        switch inner.kind {
        case .identifier(let name):
            let r = try regOrAlloc(dest)
            if case .global(let n) = try lookup(name) {
                emitBx(.getGlobal, r, stringConstant("globalThis"))
                emit(.deleteField, r, r, try nameConstant(n))
            } else {
                emit(.loadFalse, r)
            }
            return r
        case .member(let o, let name, let optional):
            let r = try regOrAlloc(dest)
            let mark = freeReg
            let obj = try expr(o)
            if optional { try jumpIfNullishToChain(obj, inner) }
            markPosition(inner.position)
            emit(.deleteField, r, obj, try nameConstant(name))
            release(to: mark)
            return r
        case .index(let o, let i, let optional):
            let r = try regOrAlloc(dest)
            let mark = freeReg
            var obj = try expr(o)
            if optional { try jumpIfNullishToChain(obj, inner) }
            obj = try protect(obj, i)
            let k = try expr(i)
            markPosition(inner.position)
            emit(.deleteIndex, r, obj, k)
            release(to: mark)
            return r
        case .optionalChain(let chain):
            let t = try scratchTarget(dest)
            let nullish = newLabel(), end = newLabel()
            chainLabels.append(nullish)
            _ = try compileDelete(e, chain, t)
            chainLabels.removeLast()
            emitJump(to: end)
            bind(nullish)
            emit(.loadTrue, t)
            bind(end)
            return finishTarget(t, dest)
        case .superMember, .superIndex:
            let mark = freeReg
            _ = try superKey(inner)
            release(to: mark)
            emitThrowError(.referenceError, "Unsupported reference to 'super'")
            let r = try regOrAlloc(dest)
            emit(.loadTrue, r)
            return r
        default:
            try effect(x)
            let r = try regOrAlloc(dest)
            emit(.loadTrue, r)
            return r
        }
    }

    // MARK: Assignment

    func compileAssignment(_ op: AssignmentOperator, _ target: Pattern, _ value: Expression, dest: Int?,
                           needResult: Bool) throws(SyntaxError) -> Int? {
        var target = target
        if case .expression(let e) = target {
            let u = unparen(e)
            if case .identifier(let n) = u.kind { target = .identifier(n, u.position) }
        }
        switch op {
        case .assign:
            switch target {
            case .identifier(let name, let pos):
                return try assignName(name, pos, value, dest: dest, needResult: needResult)
            case .expression(let e):
                return try assignToReference(unparen(e), value, dest: dest, needResult: needResult)
            case .object, .array:
                let v = try scratchTarget(dest)
                try expr(value, v)
                try destructure(target, v, .assign)
                return finishTarget(v, dest)
            case .withDefault:
                throw error("Invalid assignment target", at: target.position)
            }
        case .and, .or, .nullish:
            return try logicalAssignment(op, target, value, dest: dest, needResult: needResult)
        default:
            return try compoundAssignment(binaryOpcode(op.binaryOperator!), op == .add, target, value, dest: dest,
                                          needResult: needResult)
        }
    }

    /// `o.x = v`, `o[k] = v`, `super.x = v`.
    private func assignToReference(_ e: Expression, _ value: Expression, dest: Int?,
                                   needResult: Bool) throws(SyntaxError) -> Int? {
        let result: Int? = needResult ? try scratchTarget(dest) : nil
        let mark = freeReg
        switch e.kind {
        case .member(let o, let name, _):
            var obj = try expr(o)
            obj = try protect(obj, value)
            let v = try expr(value, result)
            markPosition(e.position)
            emit(.setField, v, obj, try nameConstant(name))
        case .index(let o, let i, _):
            var obj = try expr(o)
            obj = try protect(obj, i, value)
            var k = try expr(i)
            k = try protect(k, value)
            let v = try expr(value, result)
            markPosition(e.position)
            emit(.setIndex, v, obj, k)
        case .superMember, .superIndex:
            let k = try superKey(e)
            let v = try expr(value, result)
            emit(.setSuper, v, k, 0)
        default:
            throw error("Invalid assignment target", at: e.position)
        }
        release(to: mark)
        guard let result else { return nil }
        return finishTarget(result, dest)
    }

    /// A reference that is read and then written (compound assignment, update, logical assignment).
    enum Reference {
        case register(Int, CGBinding, String, SourcePosition)
        case env(hops: Int, slot: Int, CGBinding, String, SourcePosition)
        case global(String)
        case field(obj: Int, key: Int)
        case index(obj: Int, key: Int)
        case superRef(key: Int)
    }

    /// Throws the TypeError of reading a property of null or undefined when R[obj] is one.
    private func requireObjectCoercible(_ obj: Int) {
        let ok = newLabel()
        let isUndefined = newLabel()
        emitCondJump(.jumpIfNotNullish, obj, to: ok)
        emitCondJump(.jumpIfUndefined, obj, to: isUndefined)
        emitThrowError(.typeError, "Cannot read properties of null")
        bind(isUndefined)
        emitThrowError(.typeError, "Cannot read properties of undefined")
        bind(ok)
    }

    /// Evaluates the parts of a reference (object, key) once.
    func prepareReference(_ target: Pattern, protecting later: Expression?) throws(SyntaxError) -> Reference {
        switch target {
        case .identifier(let name, let pos):
            try checkParameterTDZ(name, try lookup(name))
            switch try lookup(name) {
            case .register(let r, let b): return .register(r, b, name, pos)
            case .env(let h, let s, let b): return .env(hops: h, slot: s, b, name, pos)
            case .global(let n): return .global(n)
            }
        case .expression(let e0):
            let e = unparen(e0)
            switch e.kind {
            case .identifier(let n):
                return try prepareReference(.identifier(n, e.position), protecting: later)
            case .member(let o, let name, _):
                var obj = try expr(o)
                if let l = later { obj = try protect(obj, l) }
                return .field(obj: obj, key: try nameConstant(name))
            case .index(let o, let i, _):
                var obj = try expr(o)
                obj = try protect(obj, i)
                if let l = later { obj = try protect(obj, l) }
                let k: Int
                switch i.kind {
                case .number, .string:
                    k = try expr(i)
                default:
                    k = try exprToTemp(i)
                    // Every caller reads the reference first, and reading null[k] fails before the
                    // key is converted (its toString must not run).
                    requireObjectCoercible(obj)
                    emit(.toPropertyKey, k, k)
                }
                return .index(obj: obj, key: k)
            case .superMember, .superIndex:
                return .superRef(key: try superKey(e, convert: true))
            default:
                throw error("Invalid assignment target", at: e.position)
            }
        default:
            throw error("Invalid assignment target", at: target.position)
        }
    }

    /// Reads a prepared reference into `r` (for register references, returns the register itself when `r` is nil).
    func readReference(_ ref: Reference, into r: Int?) throws(SyntaxError) -> Int {
        switch ref {
        case .register(let reg, let b, let name, let pos):
            if isUnsafe(pos) && b.needsTDZ { emitBx(.checkInitialized, reg, stringConstant(name)) }
            if let r, r != reg {
                emit(.move, r, reg)
                return r
            }
            return reg
        case .env(let h, let s, let b, let name, let pos):
            let t = try regOrAlloc(r)
            if isUnsafe(pos) && b.needsTDZ {
                emit(.getEnvChecked, t, h, s)
                emitAux(Int64(stringConstant(name)))
            } else {
                emit(.getEnv, t, h, s)
            }
            return t
        case .global(let n):
            let t = try regOrAlloc(r)
            emitBx(.getGlobal, t, stringConstant(n))
            return t
        case .field(let obj, let key):
            let t = try regOrAlloc(r)
            emit(.getField, t, obj, key)
            return t
        case .index(let obj, let key):
            let t = try regOrAlloc(r)
            emit(.getIndex, t, obj, key)
            return t
        case .superRef(let key):
            let t = try regOrAlloc(r)
            emit(.getSuper, t, key, 0)
            return t
        }
    }

    /// Writes `v` to a prepared reference.
    func writeReference(_ ref: Reference, _ v: Int) throws(SyntaxError) {
        switch ref {
        case .register(let reg, let b, let name, _):
            if isConstLike(b) {
                if b.kind == .funcName && !isStrict { return }
                emitBx(.throwConstAssignment, 0, stringConstant(name))
                return
            }
            if reg != v { emit(.move, reg, v) }
        case .env(let h, let s, let b, let name, _):
            if isConstLike(b) {
                if b.kind == .funcName && !isStrict { return }
                emitBx(.throwConstAssignment, 0, stringConstant(name))
                return
            }
            // The read before this write already checked the TDZ.
            emit(.setEnv, v, h, s)
        case .global(let n):
            emitBx(.setGlobal, v, stringConstant(n))
        case .field(let obj, let key):
            emit(.setField, v, obj, key)
        case .index(let obj, let key):
            emit(.setIndex, v, obj, key)
        case .superRef(let key):
            emit(.setSuper, v, key, 0)
        }
    }

    private func compoundAssignment(_ opcode: Opcode, _ isAdd: Bool, _ target: Pattern, _ value: Expression,
                                    dest: Int?, needResult: Bool) throws(SyntaxError) -> Int? {
        let mark0 = freeReg
        markPosition(target.position)
        let ref = try prepareReference(target, protecting: value)
        // Fast path: a writable local in a register operates in place.
        if case .register(let reg, let b, _, _) = ref, !isConstLike(b) {
            var cur = try readReference(ref, into: nil)
            if isAdd, let k = constOperand(value), case let ki = constant(k), ki <= 0xFFFF {
                emit(.addConst, reg, cur, ki)
            } else {
                cur = try protect(cur, value)
                let rhs = try expr(value)
                emit(opcode, reg, cur, rhs)
            }
            release(to: mark0)
            return finishTarget(reg, dest)
        }
        let t = try allocReg()
        _ = try readReference(ref, into: t)
        if isAdd, let k = constOperand(value), case let ki = constant(k), ki <= 0xFFFF {
            emit(.addConst, t, t, ki)
        } else {
            let m = freeReg
            let rhs = try expr(value)
            emit(opcode, t, t, rhs)
            release(to: m)
        }
        try writeReference(ref, t)
        if !needResult {
            release(to: mark0)
            return nil
        }
        if let d = dest {
            emit(.move, d, t)
            release(to: mark0)
            return d
        }
        // Keep the result: move it down to the first temporary.
        if t != mark0 {
            emit(.move, mark0, t)
        }
        release(to: mark0 + 1)
        return mark0
    }

    private func logicalAssignment(_ op: AssignmentOperator, _ target: Pattern, _ value: Expression,
                                   dest: Int?, needResult: Bool) throws(SyntaxError) -> Int? {
        let mark0 = freeReg
        if !needResult, case .identifier(let name, _) = target, case .register(let reg, let b) = try lookup(name),
           !isConstLike(b) {
            let ref = try prepareReference(target, protecting: nil)
            let end = newLabel()
            let cur = try readReference(ref, into: nil)
            switch op {
            case .and: emitCondJump(.jumpIfFalse, cur, to: end)
            case .or: emitCondJump(.jumpIfTrue, cur, to: end)
            default: emitCondJump(.jumpIfNotNullish, cur, to: end)
            }
            try expr(value, reg)
            bind(end)
            release(to: mark0)
            return nil
        }
        let result = try scratchTarget(dest)
        let ref = try prepareReference(target, protecting: value)
        let end = newLabel()
        let cur: Int
        if case .register(let reg, let b, _, _) = ref, !isConstLike(b) {
            cur = try readReference(ref, into: nil)
            _ = reg
        } else {
            cur = try readReference(ref, into: result)
        }
        switch op {
        case .and: emitCondJump(.jumpIfFalse, cur, to: end)
        case .or: emitCondJump(.jumpIfTrue, cur, to: end)
        default: emitCondJump(.jumpIfNotNullish, cur, to: end)
        }
        if case .register(let reg, let b, _, _) = ref, !isConstLike(b) {
            try expr(value, reg)
        } else {
            try expr(value, result)
            try writeReference(ref, result)
        }
        bind(end)
        if case .register(let reg, let b, _, _) = ref, !isConstLike(b) {
            emit(.move, result, reg)
        }
        let r = finishTarget(result, dest)
        if dest == nil {
            release(to: result + 1)
        } else {
            release(to: mark0)
        }
        return r
    }

    // MARK: Update (++/--)

    func compileUpdate(_ op: UpdateOperator, isPrefix: Bool, _ x: Expression, dest: Int?,
                       needResult: Bool) throws(SyntaxError) -> Int? {
        let incOp: Opcode = op == .increment ? .increment : .decrement
        let inner = unparen(x)
        let target: Pattern
        if case .identifier(let n) = inner.kind { target = .identifier(n, inner.position) } else { target = .expression(inner) }
        let postfixValue = needResult && !isPrefix
        let mark0 = freeReg
        // The result register of a postfix update (the old value) comes first.
        let old: Int? = postfixValue ? try scratchTarget(dest) : nil
        let ref = try prepareReference(target, protecting: nil)
        if case .register(let reg, let b, _, _) = ref, !isConstLike(b) {
            let cur = try readReference(ref, into: nil)
            if let old {
                emit(.toNumber, old, cur)
                emit(incOp, reg, old)
                release(to: dest != nil ? mark0 : mark0 + 1)
                return finishTarget(old, dest)
            }
            emit(incOp, reg, cur)
            release(to: mark0)
            if needResult { return finishTarget(reg, dest) }
            return nil
        }
        let t = try allocReg()
        _ = try readReference(ref, into: t)
        if let old {
            emit(.toNumber, old, t)
            emit(incOp, t, old)
        } else {
            emit(incOp, t, t)
        }
        try writeReference(ref, t)
        if let old {
            release(to: dest != nil ? mark0 : mark0 + 1)
            return finishTarget(old, dest)
        }
        if !needResult {
            release(to: mark0)
            return nil
        }
        if let d = dest {
            emit(.move, d, t)
            release(to: mark0)
            return d
        }
        if t != mark0 { emit(.move, mark0, t) }
        release(to: mark0 + 1)
        return mark0
    }
}
