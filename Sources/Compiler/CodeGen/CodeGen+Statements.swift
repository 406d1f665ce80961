import SluiceVM

extension CGFunctionCompiler {
    func compileStatements(_ stmts: [Statement]) throws(SyntaxError) {
        for s in stmts { try statement(s) }
    }

    /// Creates the closures of the function declarations directly in `stmts` (scope entry).
    func hoistFunctions(_ stmts: [Statement]) throws(SyntaxError) {
        for s0 in stmts {
            guard case .functionDeclaration(let f) = CGunlabeled(s0).kind else { continue }
            let idx = try compileChild(f, isExpression: false)
            switch try lookup(f.name) {
            case .register(let r, _):
                emitBx(.closure, r, idx)
            case .env(let hops, let slot, _):
                let mark = freeReg
                let t = try allocReg()
                emitBx(.closure, t, idx)
                emit(.setEnv, t, hops, slot)
                release(to: mark)
            case .global(let n):
                let mark = freeReg
                let t = try allocReg()
                emitBx(.closure, t, idx)
                if ctx.isScript && info.isProgram && scopes.count == 1 {
                    emitBx(.declareGlobalFunction, t, stringConstant(n))
                } else {
                    emitBx(.setGlobal, t, stringConstant(n))
                }
                release(to: mark)
            }
        }
    }

    func compileBlock(_ stmts: [Statement], key: CGScopeKey) throws(SyntaxError) {
        guard let info = scopeInfo(key) else {
            try compileStatements(stmts)
            return
        }
        try enterScope(info)
        try hoistFunctions(stmts)
        try compileStatements(stmts)
        exitScope()
    }

    /// A statement in a sub-statement position: a bare function declaration gets its own block.
    func subStatement(_ s: Statement) throws(SyntaxError) {
        if case .functionDeclaration = s.kind {
            try compileBlock([s], key: CGScopeKey(s, CGScopeTag.implicitBlock))
        } else {
            try statement(s)
        }
    }

    func takeLabels() -> [String] {
        let l = pendingLabels
        pendingLabels = []
        return l
    }

    func statement(_ s: Statement) throws(SyntaxError) {
        switch s.kind {
        case .expression(let e):
            markPosition(s.position)
            try effect(e)
        case .variableDeclaration(let kind, let decls):
            for d in decls { try declarator(kind, d) }
        case .functionDeclaration(let f):
            if ctx.resolver.annexB.contains(ObjectIdentifier(f)) { try annexBCopy(f.name) }
        case .classDeclaration(let c):
            markPosition(s.position)
            let mark = freeReg
            if case .register(let reg, _) = try lookup(c.name) {
                _ = try compileClass(c, reg)
            } else {
                let r = try compileClass(c, nil)
                try storeName(c.name, c.position, r, .initialize)
            }
            release(to: mark)
        case .block(let stmts):
            try compileBlock(stmts, key: CGScopeKey(s, CGScopeTag.main))
        case .empty, .importDeclaration, .exportDeclaration:
            break
        case .debugger:
            markPosition(s.position)
            emit(.debugger)
        case .if(let test, let cons, let alt):
            markPosition(s.position)
            let elseL = newLabel()
            try condFalse(test, elseL)
            try subStatement(cons)
            if let a = alt {
                let end = newLabel()
                emitJump(to: end)
                bind(elseL)
                try subStatement(a)
                bind(end)
            } else {
                bind(elseL)
            }
        case .for(let initializer, let test, let update, let body):
            try compileFor(s, initializer, test, update, body)
        case .forIn(let left, let right, let body):
            try compileForInOf(s, left, right, body, isOf: false)
        case .forOf(let left, let right, let body):
            try compileForInOf(s, left, right, body, isOf: true)
        case .while(let test, let body):
            let labels = takeLabels()
            markPosition(s.position)
            let mark = freeReg
            let pre = try preloadLoopConstants([test], body)
            let top = newLabel(), exit = newLabel()
            bind(top)
            try condFalse(test, exit)
            control.append(CGControlEntry(kind: .loop, labels: labels, breakLabel: exit, continueLabel: top,
                                        envDepth: envDepth, continueEnvDepth: envDepth, scopeCount: scopes.count,
                                        isUnlabeledBreakTarget: true))
            try subStatement(body)
            control.removeLast()
            emitJump(to: top)
            bind(exit)
            endPreload(pre)
            release(to: mark)
        case .doWhile(let body, let test):
            let labels = takeLabels()
            markPosition(s.position)
            let mark = freeReg
            let pre = try preloadLoopConstants([test], body)
            let top = newLabel(), exit = newLabel(), cont = newLabel()
            bind(top)
            control.append(CGControlEntry(kind: .loop, labels: labels, breakLabel: exit, continueLabel: cont,
                                        envDepth: envDepth, continueEnvDepth: envDepth, scopeCount: scopes.count,
                                        isUnlabeledBreakTarget: true))
            try subStatement(body)
            control.removeLast()
            bind(cont)
            markPosition(test.position)
            try condFalse(test, exit)
            emitJump(to: top)
            bind(exit)
            endPreload(pre)
            release(to: mark)
        case .return(let e):
            markPosition(s.position)
            try compileReturn(e)
        case .break(let label):
            markPosition(s.position)
            guard let t = findTarget(label: label, isContinue: false) else {
                throw error("Illegal break statement", at: s.position)
            }
            try jumpOut(to: t, isContinue: false)
        case .continue(let label):
            markPosition(s.position)
            guard let t = findTarget(label: label, isContinue: true) else {
                throw error("Illegal continue statement", at: s.position)
            }
            try jumpOut(to: t, isContinue: true)
        case .throw(let e):
            markPosition(s.position)
            let mark = freeReg
            let r = try expr(e)
            emit(.throw, r)
            release(to: mark)
        case .try(let block, let param, let catchBody, let fin):
            markPosition(s.position)
            try compileTry(s, block, param, catchBody, fin)
        case .switch(let d, let cases):
            markPosition(s.position)
            try compileSwitch(s, d, cases)
        case .labeled(let label, let body):
            switch body.kind {
            case .for, .forIn, .forOf, .while, .doWhile, .labeled:
                pendingLabels.append(label)
                try statement(body)
            case .functionDeclaration:
                pendingLabels = []
                try statement(body)
            default:
                let labels = takeLabels() + [label]
                let end = newLabel()
                control.append(CGControlEntry(kind: .breakable, labels: labels, breakLabel: end, continueLabel: nil,
                                            envDepth: envDepth, continueEnvDepth: envDepth, scopeCount: scopes.count,
                                            isUnlabeledBreakTarget: false))
                try subStatement(body)
                control.removeLast()
                bind(end)
            }
        }
    }

    // MARK: Declarations

    func declarator(_ kind: VariableKind, _ d: VariableDeclarator) throws(SyntaxError) {
        markPosition(d.position)
        let mark = freeReg
        defer { release(to: mark) }
        if kind == .var {
            guard let initExpr = d.initializer else { return }
            if case .identifier(let name, let pos) = d.target {
                _ = try assignName(name, pos, initExpr, dest: nil, needResult: false)
            } else {
                let v = try exprToTemp(initExpr)
                try destructure(d.target, v, .assign)
            }
            return
        }
        if case .identifier(let name, _) = d.target {
            try initializeName(name, d.initializer)
        } else {
            guard let initExpr = d.initializer else { return }
            var v = try expr(initExpr)
            if isLocalReg(v) && patternHasDefaults(d.target) {
                let t = try allocReg()
                emit(.move, t, v)
                v = t
            }
            try destructure(d.target, v, .initialize)
        }
    }

    /// Initialises a let/const binding declared in the current scope from an expression (or undefined).
    func initializeName(_ name: String, _ value: Expression?) throws(SyntaxError) {
        switch try lookup(name) {
        case .register(let r, let b):
            if let v = value {
                // Nothing can legitimately read a binding inside its own initializer, so (unless a TDZ
                // check is needed) the register can be built in place like a temporary.
                if !b.needsTDZ && r < isLocal.count {
                    isLocal[r] = false
                    try expr(v, r)
                    isLocal[r] = true
                } else {
                    try expr(v, r)
                }
            } else {
                emit(.loadUndefined, r)
            }
        case .env(let hops, let slot, _):
            let mark = freeReg
            let t = try allocReg()
            if let v = value { try expr(v, t) } else { emit(.loadUndefined, t) }
            emit(.setEnv, t, hops, slot)
            release(to: mark)
        case .global(let n):
            let mark = freeReg
            let t = try allocReg()
            if let v = value { try expr(v, t) } else { emit(.loadUndefined, t) }
            emitBx(.setGlobal, t, stringConstant(n))
            release(to: mark)
        }
    }

    /// Annex B.3.3: when a block-level function declaration is evaluated, the block binding's value
    /// is also assigned to the function-level var of the same name.
    func annexBCopy(_ name: String) throws(SyntaxError) {
        let mark = freeReg
        defer { release(to: mark) }
        let v = try readName(name, nil, nil)
        // Find the var binding in this function's function scope.
        var hops = 0
        var i = scopes.count - 1
        while i >= 0 {
            let sc = scopes[i]
            if sc.info.kind == .function {
                if let loc = sc.locations[name] {
                    switch loc {
                    case .register(let r): if r != v { emit(.move, r, v) }
                    case .env(let slot): emit(.setEnv, v, hops, slot)
                    }
                    return
                }
                break
            }
            if sc.hasEnv { hops += 1 }
            i -= 1
        }
        emitBx(.setGlobal, v, stringConstant(name))
    }

    // MARK: Loops

    func compileFor(_ s: Statement, _ initializer: ForInit?, _ test: Expression?, _ update: Expression?,
                    _ body: Statement) throws(SyntaxError) {
        let labels = takeLabels()
        markPosition(s.position)
        let mark = freeReg
        var headScope: CGScope? = nil
        if case .declaration(let kind, _)? = initializer, kind != .var, let info = scopeInfo(CGScopeKey(s, CGScopeTag.main)) {
            headScope = try enterScope(info)
        }
        switch initializer {
        case .declaration(let kind, let decls)?:
            for d in decls { try declarator(kind, d) }
        case .expression(let e)?:
            try effect(e)
        case nil:
            break
        }
        let perIteration = headScope?.hasEnv ?? false
        if perIteration { emit(.copyEnvironment) }
        let loopMark = freeReg
        let pre = try preloadLoopConstants([test, update], body)
        let top = newLabel(), exit = newLabel(), cont = newLabel()
        bind(top)
        if let t = test {
            markPosition(t.position)
            try condFalse(t, exit)
        }
        control.append(CGControlEntry(kind: .loop, labels: labels, breakLabel: exit, continueLabel: cont,
                                    envDepth: envDepth, continueEnvDepth: envDepth, scopeCount: scopes.count,
                                    isUnlabeledBreakTarget: true))
        try subStatement(body)
        control.removeLast()
        bind(cont)
        if perIteration { emit(.copyEnvironment) }
        if let u = update {
            markPosition(u.position)
            try effect(u)
        }
        emitJump(to: top)
        bind(exit)
        endPreload(pre)
        release(to: loopMark)
        if headScope != nil { exitScope() }
        release(to: mark)
    }

    func compileForInOf(_ s: Statement, _ left: ForBinding, _ right: Expression, _ body: Statement,
                        isOf: Bool) throws(SyntaxError) {
        let labels = takeLabels()
        markPosition(s.position)
        let mark = freeReg
        // The iterator (for-of: iterator + next method) and the saved environment.
        let it = try allocRegs(isOf ? 2 : 1)
        let objMark = freeReg
        // let/const loops evaluate the expression with the loop's names in TDZ (entered only
        // when the expression mentions one of them).
        var tdzScope = false
        if case .declaration(let kind, _) = left, kind != .var,
           let info = scopeInfo(CGScopeKey(s, CGScopeTag.forHeadExpression)), info.order.contains(where: { $0.referenced }) {
            try enterScope(info)
            tdzScope = true
        }
        markPosition(right.position)
        let obj = try expr(right)
        emit(isOf ? .getIterator : .forInPrepare, it, obj)
        if tdzScope { exitScope() }
        release(to: objMark)
        var envReg: Int? = nil
        if isOf && ctx.resolver.envStatements.contains(ObjectIdentifier(s)) {
            envReg = try allocReg()
            emit(.saveEnvironment, envReg!)
        }

        // The loop's own scope (let/const bindings): entered once when nothing is captured,
        // else pushed per iteration.
        var loopScopeInfo: CGScopeInfo? = nil
        var pattern: Pattern
        var mode: CGBindMode = .assign
        switch left {
        case .declaration(let kind, let p):
            pattern = p
            if kind != .var {
                loopScopeInfo = scopeInfo(CGScopeKey(s, CGScopeTag.main))
                mode = .initialize
            }
        case .target(let p):
            pattern = p
        }
        let pre = try preloadLoopConstants([], body)
        let perIteration = loopScopeInfo?.hasCaptured ?? false
        var onceScope = false
        if let info = loopScopeInfo, !perIteration {
            try enterScope(info)
            onceScope = true
        }
        // Where each value goes: directly into the binding's register when possible.
        var valueReg: Int
        var direct = false
        if !perIteration, case .identifier(let name, let pos) = pattern, case .register(let r, let b) = try lookup(name),
           mode == .initialize || (!isConstLike(b) && !isUnsafe(pos)) {
            valueReg = r
            direct = true
        } else {
            valueReg = try allocReg()
        }
        let top = newLabel(), exit = newLabel(), cont = newLabel()
        bind(top)
        if isOf {
            emitAuxJump(.iteratorNext, valueReg, it, to: exit)
        } else {
            emitAuxJump(.forInNext, valueReg, it, to: exit)
        }
        let breakDepth = envDepth
        control.append(CGControlEntry(kind: isOf ? .forOf(it) : .loop, labels: labels, breakLabel: exit,
                                    continueLabel: cont, envDepth: breakDepth, continueEnvDepth: breakDepth,
                                    scopeCount: scopes.count, isUnlabeledBreakTarget: true))
        let region = isOf ? openRegion(owner: control.count - 1) : nil
        if perIteration, let info = loopScopeInfo {
            try enterScope(info)
            control[control.count - 1].continueEnvDepth = envDepth
        }
        if !direct {
            try destructure(pattern, valueReg, mode)
        }
        try subStatement(body)
        bind(cont)
        if perIteration { exitScope() }
        if let region { closeRegion(region) }
        control.removeLast()
        emitJump(to: top)
        bind(exit)
        if let region, !region.segments.isEmpty {
            let end = newLabel()
            emitJump(to: end)
            let handlerPC = pc
            let exc = try allocReg()
            if let envReg { emit(.restoreEnvironment, envReg) }
            emit(.iteratorClose, it, 1)
            emit(.throw, exc)
            bind(end)
            addHandlers(region, handler: handlerPC, register: exc)
        }
        if onceScope { exitScope() }
        endPreload(pre)
        release(to: mark)
    }

    /// Loads the literal operands of comparisons and arithmetic in a loop (`i < 100`, `x % 7`, `a[0]`)
    /// into registers once, before the loop, instead of once per iteration. Returns the previous state
    /// for `endPreload`. At most `maxPreloads` distinct values per loop.
    func preloadLoopConstants(_ exprs: [Expression?], _ body: Statement?) throws(SyntaxError) -> PreloadState {
        let saved = PreloadState(map: preloaded, values: preloadedValues)
        var found: [Expression] = []
        for e in exprs { if let e { collectLiterals(e, &found) } }
        if let b = body { collectLiterals(b, &found) }
        var added = 0
        for lit in found {
            let key: LiteralKey
            switch lit.kind {
            case .number(let d): key = .number(d.bitPattern)
            case .string(let str): key = .string(str)
            default: continue
            }
            if let r = preloadedValues[key] {
                preloaded[ObjectIdentifier(lit)] = r
                continue
            }
            if added >= CGFunctionCompiler.maxPreloads { continue }
            let reg = try allocReg()
            switch lit.kind {
            case .number(let d): loadNumber(d, into: reg)
            case .string(let str): emitBx(.loadConst, reg, stringConstant(str))
            default: break
            }
            preloadedValues[key] = reg
            preloaded[ObjectIdentifier(lit)] = reg
            added += 1
        }
        return saved
    }

    func endPreload(_ s: PreloadState) {
        preloaded = s.map
        preloadedValues = s.values
    }

    private func isLiteral(_ e: Expression) -> Bool {
        switch e.kind {
        case .number, .string: return true
        default: return false
        }
    }

    /// Literal operands in `e` (not inside nested functions or classes).
    func collectLiterals(_ e: Expression, _ out: inout [Expression]) {
        if out.count > 64 { return }
        switch e.kind {
        case .binary(let op, let l, let r):
            if isLiteral(l) { out.append(l) } else { collectLiterals(l, &out) }
            if isLiteral(r) {
                if op != .add { out.append(r) }
            } else {
                collectLiterals(r, &out)
            }
        case .index(let o, let i, _):
            collectLiterals(o, &out)
            if isLiteral(i) { out.append(i) } else { collectLiterals(i, &out) }
        case .logical(_, let l, let r):
            collectLiterals(l, &out)
            collectLiterals(r, &out)
        case .assignment(_, let target, let value):
            if case .expression(let t) = target { collectLiterals(t, &out) }
            collectLiterals(value, &out)
        case .conditional(let a, let b, let c):
            collectLiterals(a, &out)
            collectLiterals(b, &out)
            collectLiterals(c, &out)
        case .unary(_, let x), .update(_, _, let x), .parenthesized(let x), .await(let x), .optionalChain(let x),
             .member(let x, _, _):
            collectLiterals(x, &out)
        case .call(let c, let args, _), .new(let c, let args):
            collectLiterals(c, &out)
            for a in args {
                switch a {
                case .expression(let x), .spread(let x): collectLiterals(x, &out)
                }
            }
        case .sequence(let xs):
            for x in xs { collectLiterals(x, &out) }
        case .array(let els):
            for el in els {
                switch el {
                case .expression(let x), .spread(let x): collectLiterals(x, &out)
                case .hole: break
                }
            }
        case .template(_, let xs):
            for x in xs { collectLiterals(x, &out) }
        case .object(let props):
            for p in props {
                if case .computed(let k) = p.key { collectLiterals(k, &out) }
                switch p.value.kind {
                case .function, .arrowFunction, .class: break
                default: collectLiterals(p.value, &out)
                }
            }
        default:
            break
        }
    }

    func collectLiterals(_ s: Statement, _ out: inout [Expression]) {
        if out.count > 64 { return }
        switch s.kind {
        case .expression(let e), .throw(let e): collectLiterals(e, &out)
        case .return(let e): if let e { collectLiterals(e, &out) }
        case .variableDeclaration(_, let decls):
            for d in decls { if let i = d.initializer { collectLiterals(i, &out) } }
        case .block(let stmts):
            for x in stmts { collectLiterals(x, &out) }
        case .if(let t, let c, let a):
            collectLiterals(t, &out)
            collectLiterals(c, &out)
            if let a { collectLiterals(a, &out) }
        case .labeled(_, let b):
            collectLiterals(b, &out)
        case .switch(let d, let cases):
            collectLiterals(d, &out)
            for c in cases {
                if let t = c.test, isLiteral(t) { out.append(t) }
                for x in c.body { collectLiterals(x, &out) }
            }
        case .try(let b, _, let c, let f):
            for x in b { collectLiterals(x, &out) }
            for x in c ?? [] { collectLiterals(x, &out) }
            for x in f ?? [] { collectLiterals(x, &out) }
        default:
            // Nested loops preload their own constants.
            break
        }
    }

    // MARK: Jumps out of constructs

    func findTarget(label: String?, isContinue: Bool) -> Int? {
        var i = control.count - 1
        while i >= 0 {
            let e = control[i]
            if isContinue && e.continueLabel == nil {
                i -= 1
                continue
            }
            if let l = label {
                if e.labels.contains(l) { return i }
            } else if e.isUnlabeledBreakTarget {
                return i
            }
            i -= 1
        }
        return nil
    }

    /// Runs the cleanups (finally blocks, iterator closes) of the control entries from the top down to
    /// `bottom` (inclusive), as for a jump out of them. Returns the handler regions it suspended.
    func runCleanups(downTo bottom: Int) throws(SyntaxError) -> [CGRegion] {
        var suspended: [CGRegion] = []
        var k = control.count - 1
        while k >= bottom {
            let entry = control[k]
            switch entry.kind {
            case .finally(let stmts, let key):
                for r in activeRegions where r.owner >= k { if suspend(r) { suspended.append(r) } }
                popEnvironments(to: entry.envDepth)
                envDepth = entry.envDepth
                try inlineFinally(stmts, key, entryIndex: k)
            case .forOf(let it):
                for r in activeRegions where r.owner >= k { if suspend(r) { suspended.append(r) } }
                emit(.iteratorClose, it, 0)
            default:
                break
            }
            k -= 1
        }
        return suspended
    }

    func inlineFinally(_ stmts: [Statement], _ key: CGScopeKey, entryIndex k: Int) throws(SyntaxError) {
        let savedControl = control
        let savedScopes = scopes
        let savedLabels = pendingLabels
        control = Array(control[0..<k])
        scopes = Array(scopes[0..<savedControl[k].scopeCount])
        pendingLabels = []
        try compileBlock(stmts, key: key)
        control = savedControl
        scopes = savedScopes
        pendingLabels = savedLabels
    }

    func jumpOut(to t: Int, isContinue: Bool) throws(SyntaxError) {
        let savedDepth = envDepth
        let entry = control[t]
        var bottom = t + 1
        if !isContinue, case .forOf = entry.kind { bottom = t }
        let suspended = try runCleanups(downTo: bottom)
        let depth = isContinue ? entry.continueEnvDepth : entry.envDepth
        popEnvironments(to: depth)
        emitJump(to: isContinue ? entry.continueLabel! : entry.breakLabel!)
        envDepth = savedDepth
        for r in suspended { resume(r) }
    }

    func hasCleanups() -> Bool {
        for e in control {
            switch e.kind {
            case .finally, .forOf: return true
            default: break
            }
        }
        return false
    }

    func compileReturn(_ e: Expression?) throws(SyntaxError) {
        let mark = freeReg
        defer { release(to: mark) }
        let exports = info.isProgram && !ctx.exportPairs.isEmpty
        let cleanups = hasCleanups()
        if let e {
            if !cleanups && !exports {
                // `return c ? a : b` returns from each branch.
                if case .conditional(let test, let cons, let alt) = unparen(e).kind {
                    let elseL = newLabel()
                    try condFalse(test, elseL)
                    try compileReturn(cons)
                    bind(elseL)
                    try compileReturn(alt)
                    return
                }
                let r = try expr(e)
                emit(.return, r)
                return
            }
            let v = try allocReg()
            try expr(e, v)
            let savedDepth = envDepth
            let suspended = try runCleanups(downTo: 0)
            envDepth = savedDepth
            if exports { try emitExportStores() }
            emit(.return, v)
            for r in suspended { resume(r) }
        } else {
            let savedDepth = envDepth
            let suspended = try runCleanups(downTo: 0)
            envDepth = savedDepth
            if exports { try emitExportStores() }
            emitImplicitReturn()
            for r in suspended { resume(r) }
        }
    }

    func emitImplicitReturn() {
        if isDerivedConstructor {
            emit(.checkThis, 0)
            emit(.return, 0)
        } else {
            emit(.returnUndefined)
        }
    }

    /// functionBody mode: stores each exported local into the global `__export__<name>`.
    func emitExportStores() throws(SyntaxError) {
        guard let top = scopes.first(where: { $0.info.kind == .function }) else { return }
        let mark = freeReg
        defer { release(to: mark) }
        for (exported, local) in ctx.exportPairs {
            let t = try allocReg()
            var hops = 0
            for sc in scopes.reversed() {
                if sc === top { break }
                if sc.hasEnv { hops += 1 }
            }
            if let loc = top.locations[local], let b = top.info.bindings[local] {
                switch loc {
                case .register(let r):
                    if b.kind.hasTDZ && b.needsTDZ { emitBx(.checkInitialized, r, stringConstant(local)) }
                    emit(.move, t, r)
                case .env(let slot):
                    if b.kind.hasTDZ && b.needsTDZ {
                        emit(.getEnvChecked, t, hops, slot)
                        emitAux(Int64(stringConstant(local)))
                    } else {
                        emit(.getEnv, t, hops, slot)
                    }
                }
            } else {
                emitBx(.getGlobal, t, stringConstant(local))
            }
            emitBx(.setGlobal, t, stringConstant("__export__" + exported))
            release(to: t)
        }
    }

    // MARK: try

    func compileTry(_ s: Statement, _ block: [Statement], _ param: Pattern?, _ catchBody: [Statement]?,
                    _ fin: [Statement]?) throws(SyntaxError) {
        let mark = freeReg
        defer { release(to: mark) }
        // Handlers restore the environment of the statement's start when code inside may push one.
        var envReg: Int? = nil
        if ctx.resolver.envStatements.contains(ObjectIdentifier(s)) {
            envReg = try allocReg()
            emit(.saveEnvironment, envReg!)
        }
        if let fin {
            let finKey = CGScopeKey(s, CGScopeTag.finallyBlock)
            control.append(CGControlEntry(kind: .finally(fin, finKey), labels: [], breakLabel: nil, continueLabel: nil,
                                          envDepth: envDepth, continueEnvDepth: envDepth, scopeCount: scopes.count,
                                          isUnlabeledBreakTarget: false))
            let region = openRegion(owner: control.count - 1)
            try compileTryCatch(s, block, param, catchBody, envReg: envReg)
            closeRegion(region)
            control.removeLast()
            // Normal completion.
            try compileBlock(fin, key: finKey)
            if !region.segments.isEmpty {
                let end = newLabel()
                emitJump(to: end)
                let handlerPC = pc
                let exc = try allocReg()
                if let envReg { emit(.restoreEnvironment, envReg) }
                try compileBlock(fin, key: finKey)
                emit(.throw, exc)
                bind(end)
                addHandlers(region, handler: handlerPC, register: exc)
            }
        } else {
            try compileTryCatch(s, block, param, catchBody, envReg: envReg)
        }
    }

    private func compileTryCatch(_ s: Statement, _ block: [Statement], _ param: Pattern?, _ catchBody: [Statement]?,
                                 envReg: Int?) throws(SyntaxError) {
        let blockKey = CGScopeKey(s, CGScopeTag.tryBlock)
        guard let catchBody else {
            try compileBlock(block, key: blockKey)
            return
        }
        control.append(CGControlEntry(kind: .tryCatch, labels: [], breakLabel: nil, continueLabel: nil,
                                      envDepth: envDepth, continueEnvDepth: envDepth, scopeCount: scopes.count,
                                      isUnlabeledBreakTarget: false))
        let region = openRegion(owner: control.count - 1)
        try compileBlock(block, key: blockKey)
        closeRegion(region)
        control.removeLast()
        if region.segments.isEmpty { return }  // an empty try block cannot throw
        let end = newLabel()
        emitJump(to: end)
        let handlerPC = pc
        let mark = freeReg
        let exc = try allocReg()
        if let envReg { emit(.restoreEnvironment, envReg) }
        if let info = scopeInfo(CGScopeKey(s, CGScopeTag.catchParam)) {
            var fixed: [String: Int] = [:]
            if case .identifier(let n, _)? = param { fixed[n] = exc }
            let scope = try enterScope(info, fixed: fixed)
            if let p = param {
                if case .identifier(let n, _) = p {
                    if case .env(let slot)? = scope.locations[n] { emit(.setEnv, exc, 0, slot) }
                } else {
                    try destructure(p, exc, .initialize)
                }
            }
            try compileBlock(catchBody, key: CGScopeKey(s, CGScopeTag.catchBody))
            exitScope()
        } else {
            try compileBlock(catchBody, key: CGScopeKey(s, CGScopeTag.catchBody))
        }
        release(to: mark)
        bind(end)
        addHandlers(region, handler: handlerPC, register: exc)
    }

    // MARK: switch

    func compileSwitch(_ s: Statement, _ d: Expression, _ cases: [SwitchCase]) throws(SyntaxError) {
        let labels = takeLabels()
        let mark = freeReg
        defer { release(to: mark) }
        var dReg = try expr(d)
        if isLocalReg(dReg) && cases.contains(where: { c in c.test.map { mayWriteLocals($0) } ?? false }) {
            let t = try allocReg()
            emit(.move, t, dReg)
            dReg = t
        }
        let info = scopeInfo(CGScopeKey(s, CGScopeTag.main))
        if let info { try enterScope(info) }
        var all: [Statement] = []
        for c in cases { all.append(contentsOf: c.body) }
        try hoistFunctions(all)
        let bodies = cases.map { _ in newLabel() }
        let exit = newLabel()
        var defaultIndex: Int? = nil
        for (i, c) in cases.enumerated() {
            guard let t = c.test else {
                defaultIndex = i
                continue
            }
            markPosition(c.position)
            let m = freeReg
            let next = newLabel()
            let tr = try expr(t)
            emitAuxJump(.jumpIfNotStrictEqual, dReg, tr, to: next)
            emitJump(to: bodies[i])
            bind(next)
            release(to: m)
        }
        emitJump(to: defaultIndex.map { bodies[$0] } ?? exit)
        control.append(CGControlEntry(kind: .breakable, labels: labels, breakLabel: exit, continueLabel: nil,
                                    envDepth: envDepth, continueEnvDepth: envDepth, scopeCount: scopes.count,
                                    isUnlabeledBreakTarget: true))
        for (i, c) in cases.enumerated() {
            bind(bodies[i])
            try compileStatements(c.body)
        }
        control.removeLast()
        bind(exit)
        if info != nil { exitScope() }
    }
}
