import SluiceVM

extension CGFunctionCompiler {
    func patternHasDefaults(_ p: Pattern) -> Bool {
        switch p {
        case .identifier, .expression: return false
        case .withDefault: return true
        case .object(let props, let rest, _):
            return props.contains { prop in
                if case .computed = prop.key { return true }
                return patternHasDefaults(prop.value)
            } || (rest.map { patternHasDefaults($0) } ?? false)
        case .array(let elems, let rest, _):
            return elems.contains { $0.map { patternHasDefaults($0) } ?? false } || (rest.map { patternHasDefaults($0) } ?? false)
        }
    }

    /// Whether evaluating the pattern's defaults / computed keys may change the environment
    /// (a class expression pushes a scope) or assign locals. Conservative.
    func patternMayPushEnv(_ p: Pattern) -> Bool {
        switch p {
        case .identifier: return false
        case .expression(let e): return mayWriteLocals(e)
        case .withDefault(let inner, let d): return mayWriteLocals(d) || patternMayPushEnv(inner)
        case .object(let props, let rest, _):
            return props.contains { prop in
                if case .computed(let k) = prop.key, mayWriteLocals(k) { return true }
                return patternMayPushEnv(prop.value)
            } || (rest.map { patternMayPushEnv($0) } ?? false)
        case .array(let elems, let rest, _):
            return elems.contains { $0.map { patternMayPushEnv($0) } ?? false } || (rest.map { patternMayPushEnv($0) } ?? false)
        }
    }

    /// The register a pattern element can be written to directly (a plain identifier bound to a
    /// register, written without checks), or nil.
    func directRegister(_ p: Pattern, _ mode: CGBindMode) throws(SyntaxError) -> Int? {
        guard case .identifier(let name, let pos) = p, case .register(let r, let b) = try lookup(name) else { return nil }
        if mode == .initialize { return r }
        if isConstLike(b) || (isUnsafe(pos) && b.needsTDZ) { return nil }
        return r
    }

    /// A pattern element whose store cannot throw.
    private func isTrivialTarget(_ p: Pattern?, _ mode: CGBindMode) throws(SyntaxError) -> Bool {
        guard let p else { return true }
        guard case .identifier(let name, let pos) = p else { return false }
        switch try lookup(name) {
        case .register(_, let b), .env(_, _, let b):
            return mode == .initialize || (!isConstLike(b) && !(isUnsafe(pos) && b.needsTDZ))
        case .global:
            return false
        }
    }

    /// Binds the value in register `v` to pattern `p`. `v` may be overwritten by a default.
    func destructure(_ p: Pattern, _ v: Int, _ mode: CGBindMode) throws(SyntaxError) {
        switch p {
        case .identifier(let name, let pos):
            try storeName(name, pos, v, mode)
        case .expression(let e):
            try storeToReference(unparen(e), v)
        case .withDefault(let inner, let d):
            let skip = newLabel()
            emitCondJump(.jumpIfNotUndefined, v, to: skip)
            try expr(d, v)
            bind(skip)
            try destructure(inner, v, mode)
        case .object(let props, let rest, let pos):
            try objectPattern(props, rest, pos, v, mode)
        case .array(let elems, let rest, let pos):
            try arrayPattern(elems, rest, pos, v, mode)
        }
    }

    /// Stores `v` into a member / index / super reference target.
    func storeToReference(_ e: Expression, _ v: Int) throws(SyntaxError) {
        let mark = freeReg
        defer { release(to: mark) }
        switch e.kind {
        case .identifier(let n):
            try storeName(n, e.position, v, .assign)
        case .member(let o, let name, _):
            let obj = try expr(o)
            markPosition(e.position)
            emit(.setField, v, obj, try nameConstant(name))
        case .index(let o, let i, _):
            var obj = try expr(o)
            obj = try protect(obj, i)
            let k = try expr(i)
            markPosition(e.position)
            emit(.setIndex, v, obj, k)
        case .superMember, .superIndex:
            let k = try superKey(e)
            if thisNeedsCheck { emit(.checkThis, 0) }
            emit(.setSuper, v, k, 0)
        default:
            throw error("Invalid destructuring assignment target", at: e.position)
        }
    }

    private func objectPattern(_ props: [ObjectPatternProperty], _ rest: Pattern?, _ pos: SourcePosition, _ v: Int,
                               _ mode: CGBindMode) throws(SyntaxError) {
        let mark = freeReg
        defer { release(to: mark) }
        markPosition(pos)
        if props.isEmpty {
            // RequireObjectCoercible.
            let ok = newLabel()
            emitCondJump(.jumpIfNotNullish, v, to: ok)
            emitThrowError(.typeError, "Cannot destructure 'undefined' or 'null'")
            bind(ok)
        }
        var excluded: Int? = nil
        if rest != nil {
            let ex = try allocReg()
            emit(.newArray, ex, min(props.count, 0xFFFF))
            excluded = ex
        }
        for prop in props {
            let m = freeReg
            var keyReg: Int? = nil
            var keyConst: Int? = nil
            if case .computed = prop.key {
                keyReg = try propertyKeyReg(prop.key)
            } else {
                let s = staticKey(prop.key)!
                if arrayIndex(s) != nil {
                    keyReg = try propertyKeyReg(prop.key)
                } else {
                    keyConst = try smallConstant(.string(s))
                }
            }
            if let ex = excluded {
                if let k = keyReg {
                    emit(.arrayPush, ex, k)
                } else {
                    let t = try allocReg()
                    emitBx(.loadConst, t, keyConst!)
                    emit(.arrayPush, ex, t)
                    release(to: t)
                }
            }
            let direct = try directRegister(prop.value, mode)
            let r = try regOrAlloc(direct)
            if let k = keyReg { emit(.getIndex, r, v, k) } else { emit(.getField, r, v, keyConst!) }
            if direct == nil { try destructure(prop.value, r, mode) }
            release(to: m)
        }
        if let rest {
            let r = try allocReg()
            emit(.newObject, r)
            emit(.copyDataProperties, r, v, excluded!)
            try destructure(rest, r, mode)
        }
    }

    private func arrayPattern(_ elems: [Pattern?], _ rest: Pattern?, _ pos: SourcePosition, _ v: Int,
                              _ mode: CGBindMode) throws(SyntaxError) {
        let mark = freeReg
        defer { release(to: mark) }
        markPosition(pos)
        let it = try allocRegs(2)
        emit(.getIterator, it, v)
        let done = try allocReg()
        emit(.loadFalse, done)
        var trivial = try isTrivialTarget(rest, mode)
        for e in elems where trivial { trivial = try isTrivialTarget(e, mode) }
        var envReg: Int? = nil
        if !trivial && patternMayPushEnv(.array(elems, rest: rest, pos)) {
            let r = try allocReg()
            emit(.saveEnvironment, r)
            envReg = r
        }
        let region: CGRegion? = trivial ? nil : openRegion(owner: Int.max)
        var first = true
        for el in elems {
            let m = freeReg
            var direct: Int? = nil
            if let el { direct = try directRegister(el, mode) }
            let val = try regOrAlloc(direct)
            iteratorStep(val, it, done, region, first: first)
            first = false
            if let el, direct == nil { try destructure(el, val, mode) }
            release(to: m)
        }
        if let rest {
            let m = freeReg
            let arr = try allocReg()
            emit(.newArray, arr, 0)
            let x = try allocReg()
            let restDone = newLabel(), restEnd = newLabel(), top = newLabel()
            if !first { emitCondJump(.jumpIfTrue, done, to: restDone) }
            bind(top)
            if let region { _ = suspend(region) }
            emitAuxJump(.iteratorNext, x, it, to: restEnd)
            if let region { resume(region) }
            emit(.arrayPush, arr, x)
            emitJump(to: top)
            bind(restEnd)
            emit(.loadTrue, done)
            bind(restDone)
            try destructure(rest, arr, mode)
            release(to: m)
        }
        if let region { closeRegion(region) }
        if rest == nil {
            let end = newLabel()
            emitCondJump(.jumpIfTrue, done, to: end)
            emit(.iteratorClose, it, 0)
            bind(end)
        }
        if let region, !region.segments.isEmpty {
            let after = newLabel()
            emitJump(to: after)
            let handlerPC = pc
            let exc = try allocReg()
            if let envReg { emit(.restoreEnvironment, envReg) }
            let rethrow = newLabel()
            emitCondJump(.jumpIfTrue, done, to: rethrow)
            emit(.iteratorClose, it, 1)
            bind(rethrow)
            emit(.throw, exc)
            bind(after)
            addHandlers(region, handler: handlerPC, register: exc)
        }
    }

    /// Next iterator value into `val` (undefined once done; the done flag stops further `next` calls).
    private func iteratorStep(_ val: Int, _ it: Int, _ done: Int, _ region: CGRegion?, first: Bool) {
        let skip = newLabel(), doneL = newLabel(), got = newLabel()
        if !first { emitCondJump(.jumpIfTrue, done, to: skip) }
        if let region { _ = suspend(region) }
        emitAuxJump(.iteratorNext, val, it, to: doneL)
        if let region { resume(region) }
        emitJump(to: got)
        bind(doneL)
        emit(.loadTrue, done)
        bind(skip)
        emit(.loadUndefined, val)
        bind(got)
    }
}
