import SluiceVM

extension CGFunctionCompiler {
    /// Compiles the function `node`: entry sequence (environments, parameters, `arguments`, hoisted
    /// functions), body and implicit return.
    func compileFunctionBody(isExpression: Bool, sourceText: String) throws(SyntaxError) -> FunctionCode {
        guard let f = node else { throw error("internal error: no function node") }
        let n = f.parameters.count
        // R[0] = this, R[1…n] = parameters.
        for _ in 0..<n { _ = try allocLocal() }
        markPosition(f.position)

        // The own name of a named function expression.
        if isExpression && f.kind == .normal && f.hasOwnNameBinding && !f.name.isEmpty,
           let nameInfo = scopeInfo(CGScopeKey(f, CGScopeTag.funcName)) {
            let s = try enterScope(nameInfo)
            if let b = nameInfo.bindings[f.name], b.referenced {
                switch s.locations[f.name]! {
                case .register(let r): emit(.loadFunction, r)
                case .env(let slot):
                    let m = freeReg
                    let t = try allocReg()
                    emit(.loadFunction, t)
                    emit(.setEnv, t, 0, slot)
                    release(to: m)
                }
            }
        }

        var fixed: [String: Int] = [:]
        for (i, p) in f.parameters.enumerated() {
            switch p {
            case .identifier(let name, _), .withDefault(.identifier(let name, _), _): fixed[name] = i + 1
            default: break
            }
        }
        guard let fInfo = scopeInfo(CGScopeKey(f, CGScopeTag.main)) else { throw error("internal error: no function scope") }
        if f.kind == .derivedConstructor { emit(.loadUninitialized, 0) }
        let scope = try enterScope(fInfo, fixed: fixed)

        // Captured simple parameters move to their environment slots.
        for (i, p) in f.parameters.enumerated() {
            if case .identifier(let name, _) = p, fixed[name] == i + 1, case .env(let slot)? = scope.locations[name] {
                emit(.setEnv, i + 1, 0, slot)
            }
        }
        if info.usesArguments, let loc = scope.locations["arguments"] {
            switch loc {
            case .register(let r): emit(.createArguments, r)
            case .env(let slot):
                let m = freeReg
                let t = try allocReg()
                emit(.createArguments, t)
                emit(.setEnv, t, 0, slot)
                release(to: m)
            }
        }
        // Defaults and destructuring parameters, in order.
        if !f.hasSimpleParameters {
            for (i, p) in f.parameters.enumerated() {
                for name in CGboundNames(p) { parameterIndex[name] = i }
                switch p {
                case .identifier(let name, _), .withDefault(.identifier(let name, _), _): simpleParameterNames.insert(name)
                default: break
                }
            }
            if let r = f.rest { for name in CGboundNames(r) { parameterIndex[name] = n } }
        }
        for (i, p) in f.parameters.enumerated() {
            currentParameter = i
            defer { currentParameter = nil }
            let reg = i + 1
            switch p {
            case .identifier:
                continue
            case .withDefault(let inner, let d):
                markPosition(d.position)
                let skip = newLabel()
                emitCondJump(.jumpIfNotUndefined, reg, to: skip)
                try expr(d, reg)
                bind(skip)
                if case .identifier(let name, _) = inner {
                    if fixed[name] == reg, case .env(let slot)? = scope.locations[name] {
                        emit(.setEnv, reg, 0, slot)
                    }
                } else {
                    try destructure(inner, reg, .initialize)
                }
            default:
                try destructure(p, reg, .initialize)
            }
        }
        if let rest = f.rest {
            if case .identifier(let name, _) = rest, case .register(let r)? = scope.locations[name] {
                emit(.createRest, r, n)
            } else {
                let m = freeReg
                let t = try allocReg()
                emit(.createRest, t, n)
                try destructure(rest, t, .initialize)
                release(to: m)
            }
        }
        try hoistFunctions(f.body)
        if let e = f.expressionBody {
            markPosition(e.position)
            let r = try expr(e)
            emit(.return, r)
        } else {
            try compileStatements(f.body)
            if !endsWithAbruptCompletion(f.body) { emitImplicitReturn() }
        }

        var flags: FunctionCode.Flags = []
        if f.isStrict { flags.insert(.strict) }
        switch f.kind {
        case .arrow: flags.insert(.arrow)
        case .normal: flags.insert(.constructor)
        case .method, .getter, .setter: flags.insert(.method)
        case .classConstructor: flags.formUnion([.constructor, .classConstructor])
        case .derivedConstructor: flags.formUnion([.constructor, .classConstructor, .derivedConstructor])
        }
        if info.usesArguments || f.rest != nil { flags.insert(.needsExtraArguments) }
        return try finish(parameterCount: n, length: f.expectedArgumentCount, flags: flags, sourceText: sourceText)
    }

    /// Whether the statement list ends in a `return` or `throw` (the implicit return would be dead code).
    func endsWithAbruptCompletion(_ stmts: [Statement]) -> Bool {
        guard let last = stmts.last else { return false }
        switch last.kind {
        case .return, .throw: return true
        default: return false
        }
    }

    /// Compiles the top-level code of the program.
    func compileProgram() throws(SyntaxError) -> FunctionCode {
        let p = ctx.program
        guard let pInfo = scopeInfo(CGScopeKey(p, CGScopeTag.main)) else { throw error("internal error: no program scope") }
        markPosition(position)
        // functionBody mode: `this` at the top level is undefined (whatever the host passes).
        if !ctx.isScript { emit(.loadUndefined, 0) }
        try enterScope(pInfo)
        try hoistFunctions(p.body)
        if ctx.isScript {
            for n in ctx.resolver.globalVarNames { emitBx(.declareGlobalVar, 0, stringConstant(n)) }
        }
        try compileStatements(p.body)
        if !endsWithAbruptCompletion(p.body) {
            if !ctx.exportPairs.isEmpty { try emitExportStores() }
            emit(.returnUndefined)
        }
        var flags: FunctionCode.Flags = []
        if p.isStrict { flags.insert(.strict) }
        flags.insert(.topLevel)
        return try finish(parameterCount: 0, length: 0, flags: flags, sourceText: "")
    }
}
