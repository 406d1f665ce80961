// Scope analysis: a pre-pass over the whole program that finds every scope's declarations
// (var hoisting, block-level functions, let/const/class), which bindings are captured by inner
// closures (those live in Environment slots, the others in registers), which references may
// happen before a lexical binding is initialised (TDZ checks), and where the implicit
// `arguments` object is needed. The code generator walks the tree again in the same order and
// looks the results up by node identity (`CGScopeKey`).

/// What kind of declaration created a binding.
enum CGBindingKind {
    case `var`, `let`, `const`, `class`
    /// A hoisted function declaration (initialised at scope entry).
    case function
    case param
    case catchParam
    /// The own name of a named function expression (immutable; assignments are ignored in sloppy code).
    case funcName
    /// The class name inside a class body (const-like).
    case classInner
    /// The implicit `arguments` binding.
    case arguments

    /// Bindings that start uninitialised (temporal dead zone).
    var hasTDZ: Bool {
        switch self {
        case .let, .const, .class, .classInner: return true
        default: return false
        }
    }
}

final class CGBinding {
    let name: String
    var kind: CGBindingKind
    /// Statement index in the declaring scope (lexical bindings), for the TDZ analysis.
    let declIndex: Int
    let declCase: Int
    /// Referenced from a function other than the declaring one.
    var captured = false
    /// Some access may happen before initialisation.
    var needsTDZ = false
    var referenced = false

    init(name: String, kind: CGBindingKind, declIndex: Int, declCase: Int) {
        self.name = name
        self.kind = kind
        self.declIndex = declIndex
        self.declCase = declCase
    }
}

final class CGFunctionInfo {
    let parent: CGFunctionInfo?
    let isArrow: Bool
    let isProgram: Bool
    /// Needs an `arguments` object (created at entry into the binding named "arguments").
    var usesArguments = false
    /// For hoisted function declarations: the scope whose entry creates the closure.
    var declaredIn: CGScopeInfo? = nil

    init(parent: CGFunctionInfo?, isArrow: Bool, isProgram: Bool) {
        self.parent = parent
        self.isArrow = isArrow
        self.isProgram = isProgram
    }
}

final class CGScopeInfo {
    enum Kind { case function, block, switchBlock, catchClause, classBody, funcName, forHead }
    let kind: Kind
    let parent: CGScopeInfo?
    let function: CGFunctionInfo
    private(set) var bindings: [String: CGBinding] = [:]
    /// Bindings in declaration order (deterministic register / slot assignment).
    private(set) var order: [CGBinding] = []
    // Walk state for the TDZ analysis.
    var stmtIndex = 0
    var caseIndex = 0

    init(kind: Kind, parent: CGScopeInfo?, function: CGFunctionInfo) {
        self.kind = kind
        self.parent = parent
        self.function = function
    }

    @discardableResult
    func declare(_ name: String, _ kind: CGBindingKind, index: Int = 0, caseIndex: Int = 0) -> CGBinding {
        if let b = bindings[name] {
            // A function declaration replaces a plain var of the same name (not a parameter).
            if kind == .function && b.kind == .var { b.kind = .function }
            return b
        }
        let b = CGBinding(name: name, kind: kind, declIndex: index, declCase: caseIndex)
        bindings[name] = b
        order.append(b)
        return b
    }

    var hasCaptured: Bool { order.contains { $0.captured } }
}

struct CGScopeKey: Hashable {
    let id: ObjectIdentifier
    let tag: UInt8
    init(_ object: AnyObject, _ tag: UInt8) {
        id = ObjectIdentifier(object)
        self.tag = tag
    }
}

/// Tags distinguishing the scopes one node creates.
enum CGScopeTag {
    static let main: UInt8 = 0
    static let funcName: UInt8 = 1
    static let catchParam: UInt8 = 1
    static let catchBody: UInt8 = 2
    static let tryBlock: UInt8 = 3
    static let finallyBlock: UInt8 = 4
    static let implicitBlock: UInt8 = 5
    /// for-in/of with let/const: the scope the head expression runs in (the loop's names, in TDZ).
    static let forHeadExpression: UInt8 = 6
}

/// Names a pattern binds, in source order.
func CGboundNames(_ p: Pattern, into out: inout [(String, SourcePosition)]) {
    switch p {
    case .identifier(let n, let pos): out.append((n, pos))
    case .expression: break
    case .object(let props, let rest, _):
        for prop in props { CGboundNames(prop.value, into: &out) }
        if let r = rest { CGboundNames(r, into: &out) }
    case .array(let elems, let rest, _):
        for e in elems { if let e { CGboundNames(e, into: &out) } }
        if let r = rest { CGboundNames(r, into: &out) }
    case .withDefault(let inner, _): CGboundNames(inner, into: &out)
    }
}

func CGboundNames(_ p: Pattern) -> [String] {
    var out: [(String, SourcePosition)] = []
    CGboundNames(p, into: &out)
    return out.map { $0.0 }
}

/// Unwraps labels: `L: function f() {}` declares f like a plain declaration.
func CGunlabeled(_ s: Statement) -> Statement {
    var s = s
    while case .labeled(_, let body) = s.kind { s = body }
    return s
}

struct CGLexicalDecl {
    let name: String
    let kind: CGBindingKind
    let index: Int
    let caseIndex: Int
}

/// let/const/class/function declarations directly in a statement list.
func CGlexicalDeclarations(_ stmts: [Statement], caseIndex: Int = 0, startIndex: Int = 0,
                         includeFunctions: Bool = true, into out: inout [CGLexicalDecl]) {
    for (i, s0) in stmts.enumerated() {
        let s = CGunlabeled(s0)
        switch s.kind {
        case .variableDeclaration(let kind, let decls) where kind != .var:
            for d in decls {
                for n in CGboundNames(d.target) {
                    out.append(CGLexicalDecl(name: n, kind: kind == .let ? .let : .const, index: startIndex + i,
                                           caseIndex: caseIndex))
                }
            }
        case .classDeclaration(let c):
            out.append(CGLexicalDecl(name: c.name, kind: .class, index: startIndex + i, caseIndex: caseIndex))
        case .functionDeclaration(let f) where includeFunctions:
            out.append(CGLexicalDecl(name: f.name, kind: .function, index: startIndex + i, caseIndex: caseIndex))
        default: break
        }
    }
}

final class CGResolver {
    let isScript: Bool
    var scopes: [CGScopeKey: CGScopeInfo] = [:]
    /// Source offsets of identifier references that need a TDZ check.
    var unsafeRefs: Set<Int32> = []
    /// Block-level function declarations that also assign a function-level var (Annex B.3.3).
    var annexB: Set<ObjectIdentifier> = []
    /// Script mode: names declared with `var` (and Annex B functions) at the top level, in order.
    var globalVarNames: [String] = []
    /// try and for-of statements whose code (in the same function) may push an environment: their
    /// exception handlers must restore the environment saved at the statement's start.
    var envStatements: Set<ObjectIdentifier> = []
    /// Every scope, in creation order (to find the scopes a statement created).
    private var scopeLog: [CGScopeInfo] = []
    /// Per function: its CGFunctionInfo.
    var functions: [ObjectIdentifier: CGFunctionInfo] = [:]

    private var current: CGScopeInfo!
    private var strictStack: [Bool] = []

    init(isScript: Bool) {
        self.isScript = isScript
    }

    private var strict: Bool { strictStack.last ?? false }

    private func push(_ kind: CGScopeInfo.Kind, key: CGScopeKey, function: CGFunctionInfo? = nil) -> CGScopeInfo {
        let s = CGScopeInfo(kind: kind, parent: current, function: function ?? current.function)
        scopes[key] = s
        scopeLog.append(s)
        current = s
        return s
    }

    private func pop() { current = current.parent }

    // MARK: Program and functions

    func resolve(_ program: ProgramNode) {
        let info = CGFunctionInfo(parent: nil, isArrow: false, isProgram: true)
        functions[ObjectIdentifier(program)] = info
        strictStack.append(program.isStrict)
        current = nil
        let scope = push(.function, key: CGScopeKey(program, CGScopeTag.main), function: info)
        declareFunctionScope(scope, parameters: [], rest: nil, body: program.body, isScriptTop: isScript)
        scope.stmtIndex = 0
        walkStatements(program.body, in: scope)
        pop()
        strictStack.removeLast()
    }

    private func declareFunctionScope(_ scope: CGScopeInfo, parameters: [Pattern], rest: Pattern?, body: [Statement],
                                      isScriptTop: Bool) {
        var paramNames: Set<String> = []
        for p in parameters {
            for n in CGboundNames(p) {
                scope.declare(n, .param)
                paramNames.insert(n)
            }
        }
        if let r = rest {
            for n in CGboundNames(r) {
                scope.declare(n, .param)
                paramNames.insert(n)
            }
        }
        var lex: [CGLexicalDecl] = []
        CGlexicalDeclarations(body, includeFunctions: false, into: &lex)
        let topLexNames = Set(lex.map { $0.name })
        // Hoisted var names and Annex B candidates.
        var collector = CGVarCollector()
        var lexStack: [Set<String>] = [topLexNames]
        for s in body { CGhoist(s, &lexStack, &collector, inBlock: false) }

        var annexNames: [String] = []
        if !strict {
            for cand in collector.annexCandidates where !paramNames.contains(cand.function.name) {
                if !cand.conflicts {
                    annexB.insert(ObjectIdentifier(cand.function))
                    annexNames.append(cand.function.name)
                }
            }
        }
        if isScriptTop {
            var seen: Set<String> = []
            for n in collector.vars + annexNames where !seen.contains(n) {
                seen.insert(n)
                globalVarNames.append(n)
            }
        } else {
            for s in body {
                if case .functionDeclaration(let f) = CGunlabeled(s).kind { scope.declare(f.name, .function) }
            }
            for n in collector.vars { scope.declare(n, .var) }
            for n in annexNames { scope.declare(n, .var) }
        }
        for d in lex { scope.declare(d.name, d.kind, index: d.index) }
    }

    private func walkFunction(_ f: FunctionNode, isExpression: Bool, hoisted: Bool = false) {
        let hasNameScope = isExpression && f.kind == .normal && f.hasOwnNameBinding && !f.name.isEmpty
        let info = CGFunctionInfo(parent: current.function, isArrow: f.kind == .arrow, isProgram: false)
        if hoisted { info.declaredIn = current }
        if hasNameScope {
            // The own-name scope is part of the function itself (its code initialises the binding).
            let ns = push(.funcName, key: CGScopeKey(f, CGScopeTag.funcName), function: info)
            ns.declare(f.name, .funcName)
        }
        functions[ObjectIdentifier(f)] = info
        strictStack.append(f.isStrict)
        let scope = push(.function, key: CGScopeKey(f, CGScopeTag.main), function: info)
        declareFunctionScope(scope, parameters: f.parameters, rest: f.rest, body: f.body, isScriptTop: false)
        scope.stmtIndex = -1
        for p in f.parameters { walkPatternDecl(p) }
        if let r = f.rest { walkPatternDecl(r) }
        scope.stmtIndex = 0
        if let e = f.expressionBody { walkExpr(e) }
        walkStatements(f.body, in: scope)
        pop()
        strictStack.removeLast()
        if hasNameScope { pop() }
    }

    private func walkClass(_ c: ClassNode) {
        strictStack.append(true)
        let scope = push(.classBody, key: CGScopeKey(c, CGScopeTag.main))
        if c.hasOwnNameBinding && !c.name.isEmpty { scope.declare(c.name, .classInner) }
        scope.stmtIndex = 0
        if let h = c.superClass { walkExpr(h) }
        if let ctor = c.constructor { walkFunction(ctor, isExpression: false) }
        for m in c.members {
            if case .computed(let e) = m.key { walkExpr(e) }
            walkFunction(m.function, isExpression: false)
        }
        pop()
        strictStack.removeLast()
    }

    // MARK: References

    private func resolveName(_ name: String, _ offset: Int32) {
        let from = current.function
        var s: CGScopeInfo? = current
        while let sc = s {
            if let b = sc.bindings[name] {
                use(b, in: sc, from: from, offset: offset)
                if name == "arguments" && b.kind == .var && sc.kind == .function && !sc.function.isArrow
                    && !sc.function.isProgram {
                    sc.function.usesArguments = true
                }
                return
            }
            if name == "arguments" && sc.kind == .function && !sc.function.isArrow && !sc.function.isProgram {
                let b = sc.declare("arguments", .arguments)
                sc.function.usesArguments = true
                use(b, in: sc, from: from, offset: offset)
                return
            }
            s = sc.parent
        }
    }

    private func use(_ b: CGBinding, in sc: CGScopeInfo, from: CGFunctionInfo, offset: Int32) {
        b.referenced = true
        var unsafe = false
        if sc.function !== from {
            b.captured = true
            if b.kind.hasTDZ {
                // A closure created after the declaration (in program order, same scope instance) only
                // ever sees the binding initialised. Find the function created directly in sc's function.
                var f = from
                while let p = f.parent, p !== sc.function { f = p }
                if b.kind == .classInner || sc.kind == .classBody || f.declaredIn === sc {
                    unsafe = true
                } else {
                    unsafe = !(sc.stmtIndex > b.declIndex && (sc.kind != .switchBlock || sc.caseIndex == b.declCase))
                }
            }
        } else if b.kind.hasTDZ {
            let after = sc.stmtIndex > b.declIndex && (sc.kind != .switchBlock || sc.caseIndex == b.declCase)
            unsafe = !after || sc.kind == .classBody
        }
        if unsafe {
            unsafeRefs.insert(offset)
            b.needsTDZ = true
        }
    }

    // MARK: Statements

    private func walkStatements(_ stmts: [Statement], in scope: CGScopeInfo) {
        for (i, s) in stmts.enumerated() {
            scope.stmtIndex = i
            walkStatement(s)
        }
        scope.stmtIndex = stmts.count
    }

    private func walkBlock(_ stmts: [Statement], key: CGScopeKey) {
        let scope = push(.block, key: key)
        var lex: [CGLexicalDecl] = []
        CGlexicalDeclarations(stmts, into: &lex)
        for d in lex { scope.declare(d.name, d.kind, index: d.index) }
        walkStatements(stmts, in: scope)
        pop()
    }

    /// A statement in a sub-statement position (if/loop body): a bare function declaration gets its own block.
    private func walkSub(_ s: Statement) {
        if case .functionDeclaration = s.kind {
            walkBlock([s], key: CGScopeKey(s, CGScopeTag.implicitBlock))
        } else {
            walkStatement(s)
        }
    }

    private func walkStatement(_ s: Statement) {
        switch s.kind {
        case .try, .forOf:
            // Captures of bindings declared inside the statement are all inside it: known afterwards.
            let start = scopeLog.count
            let function = current.function
            walkStatementKind(s)
            for sc in scopeLog[start...] where sc.function === function && sc.hasCaptured {
                envStatements.insert(ObjectIdentifier(s))
                break
            }
        default:
            walkStatementKind(s)
        }
    }

    private func walkStatementKind(_ s: Statement) {
        switch s.kind {
        case .expression(let e): walkExpr(e)
        case .variableDeclaration(_, let decls):
            for d in decls {
                walkPatternDecl(d.target)
                if let i = d.initializer { walkExpr(i) }
            }
        case .functionDeclaration(let f): walkFunction(f, isExpression: false, hoisted: true)
        case .classDeclaration(let c): walkClass(c)
        case .block(let stmts): walkBlock(stmts, key: CGScopeKey(s, CGScopeTag.main))
        case .empty, .debugger, .importDeclaration, .exportDeclaration, .break, .continue: break
        case .if(let test, let cons, let alt):
            walkExpr(test)
            walkSub(cons)
            if let a = alt { walkSub(a) }
        case .for(let initializer, let test, let update, let body):
            var scope: CGScopeInfo? = nil
            if case .declaration(let kind, let decls)? = initializer, kind != .var {
                let sc = push(.forHead, key: CGScopeKey(s, CGScopeTag.main))
                for d in decls { for n in CGboundNames(d.target) { sc.declare(n, kind == .let ? .let : .const) } }
                sc.stmtIndex = 0
                scope = sc
            }
            switch initializer {
            case .declaration(_, let decls)?:
                for d in decls {
                    walkPatternDecl(d.target)
                    if let i = d.initializer { walkExpr(i) }
                }
            case .expression(let e)?: walkExpr(e)
            case nil: break
            }
            scope?.stmtIndex = 1
            if let t = test { walkExpr(t) }
            if let u = update { walkExpr(u) }
            walkSub(body)
            if scope != nil { pop() }
        case .forIn(let left, let right, let body), .forOf(let left, let right, let body):
            if case .declaration(let kind, let p) = left, kind != .var {
                // The expression sees the loop's names declared but uninitialised (spec
                // ForIn/OfHeadEvaluation's TDZ environment): `for (let x of [x])` throws.
                let tdz = push(.forHead, key: CGScopeKey(s, CGScopeTag.forHeadExpression))
                for n in CGboundNames(p) { tdz.declare(n, kind == .let ? .let : .const) }
                tdz.stmtIndex = 0
                walkExpr(right)
                pop()
            } else {
                walkExpr(right)
            }
            switch left {
            case .declaration(let kind, let p) where kind != .var:
                let sc = push(.forHead, key: CGScopeKey(s, CGScopeTag.main))
                for n in CGboundNames(p) { sc.declare(n, kind == .let ? .let : .const) }
                sc.stmtIndex = 0
                walkPatternDecl(p)
                sc.stmtIndex = 1
                walkSub(body)
                pop()
            case .declaration(_, let p):
                walkPatternDecl(p)
                walkSub(body)
            case .target(let p):
                walkPatternRef(p)
                walkSub(body)
            }
        case .while(let test, let body):
            walkExpr(test)
            walkSub(body)
        case .doWhile(let body, let test):
            walkSub(body)
            walkExpr(test)
        case .return(let e): if let e { walkExpr(e) }
        case .throw(let e): walkExpr(e)
        case .try(let block, let param, let catchBody, let fin):
            walkBlock(block, key: CGScopeKey(s, CGScopeTag.tryBlock))
            if let cb = catchBody {
                let sc = push(.catchClause, key: CGScopeKey(s, CGScopeTag.catchParam))
                if let p = param {
                    for n in CGboundNames(p) { sc.declare(n, .catchParam) }
                    walkPatternDecl(p)
                }
                walkBlock(cb, key: CGScopeKey(s, CGScopeTag.catchBody))
                pop()
            }
            if let f = fin { walkBlock(f, key: CGScopeKey(s, CGScopeTag.finallyBlock)) }
        case .switch(let d, let cases):
            walkExpr(d)
            let sc = push(.switchBlock, key: CGScopeKey(s, CGScopeTag.main))
            var lex: [CGLexicalDecl] = []
            var start = 0
            for (ci, c) in cases.enumerated() {
                CGlexicalDeclarations(c.body, caseIndex: ci, startIndex: start, into: &lex)
                start += c.body.count
            }
            for d in lex { sc.declare(d.name, d.kind, index: d.index, caseIndex: d.caseIndex) }
            start = 0
            for (ci, c) in cases.enumerated() {
                sc.caseIndex = ci
                sc.stmtIndex = start - 1
                if let t = c.test { walkExpr(t) }
                for (i, st) in c.body.enumerated() {
                    sc.stmtIndex = start + i
                    walkStatement(st)
                }
                start += c.body.count
            }
            pop()
        case .labeled(_, let body):
            if case .functionDeclaration = body.kind { walkStatement(body) } else { walkSub(body) }
        }
    }

    // MARK: Patterns

    /// A binding pattern (declaration): names are not references; defaults and computed keys are walked.
    private func walkPatternDecl(_ p: Pattern) {
        switch p {
        case .identifier: break
        case .expression(let e): walkExpr(e)
        case .object(let props, let rest, _):
            for prop in props {
                if case .computed(let e) = prop.key { walkExpr(e) }
                walkPatternDecl(prop.value)
            }
            if let r = rest { walkPatternDecl(r) }
        case .array(let elems, let rest, _):
            for e in elems { if let e { walkPatternDecl(e) } }
            if let r = rest { walkPatternDecl(r) }
        case .withDefault(let inner, let d):
            walkPatternDecl(inner)
            walkExpr(d)
        }
    }

    /// An assignment pattern: identifiers are references.
    private func walkPatternRef(_ p: Pattern) {
        switch p {
        case .identifier(let n, let pos): resolveName(n, pos.offset)
        case .expression(let e): walkExpr(e)
        case .object(let props, let rest, _):
            for prop in props {
                if case .computed(let e) = prop.key { walkExpr(e) }
                walkPatternRef(prop.value)
            }
            if let r = rest { walkPatternRef(r) }
        case .array(let elems, let rest, _):
            for e in elems { if let e { walkPatternRef(e) } }
            if let r = rest { walkPatternRef(r) }
        case .withDefault(let inner, let d):
            walkPatternRef(inner)
            walkExpr(d)
        }
    }

    // MARK: Expressions

    private func walkArgs(_ args: [Argument]) {
        for a in args {
            switch a {
            case .expression(let e), .spread(let e): walkExpr(e)
            }
        }
    }

    private func walkExpr(_ e: Expression) {
        switch e.kind {
        case .number, .string, .regExp, .boolean, .null, .this, .newTarget: break
        case .template(_, let exprs):
            for x in exprs { walkExpr(x) }
        case .taggedTemplate(let tag, _, let exprs):
            walkExpr(tag)
            for x in exprs { walkExpr(x) }
        case .identifier(let n): resolveName(n, e.position.offset)
        case .superMember(let p):
            switch p.kind {
            case .identifier, .string: break
            default: walkExpr(p)
            }
        case .superIndex(let x): walkExpr(x)
        case .superCall(let args): walkArgs(args)
        case .array(let elems):
            for el in elems {
                switch el {
                case .expression(let x), .spread(let x): walkExpr(x)
                case .hole: break
                }
            }
        case .object(let props):
            for p in props {
                if case .computed(let k) = p.key { walkExpr(k) }
                walkExpr(p.value)
            }
        case .function(let f): walkFunction(f, isExpression: true)
        case .arrowFunction(let f): walkFunction(f, isExpression: true)
        case .class(let c): walkClass(c)
        case .unary(_, let x): walkExpr(x)
        case .update(_, _, let x): walkExpr(x)
        case .binary(_, let l, let r), .logical(_, let l, let r):
            walkExpr(l)
            walkExpr(r)
        case .assignment(_, let target, let value):
            walkPatternRef(target)
            walkExpr(value)
        case .conditional(let t, let c, let a):
            walkExpr(t)
            walkExpr(c)
            walkExpr(a)
        case .call(let callee, let args, _):
            walkExpr(callee)
            walkArgs(args)
        case .new(let callee, let args):
            walkExpr(callee)
            walkArgs(args)
        case .member(let o, _, _): walkExpr(o)
        case .index(let o, let i, _):
            walkExpr(o)
            walkExpr(i)
        case .optionalChain(let x), .await(let x), .parenthesized(let x): walkExpr(x)
        case .sequence(let xs): for x in xs { walkExpr(x) }
        }
    }
}

// MARK: - Var hoisting and Annex B candidates

struct CGVarCollector {
    var vars: [String] = []
    var seen: Set<String> = []
    struct Candidate {
        let function: FunctionNode
        let conflicts: Bool
    }
    var annexCandidates: [Candidate] = []

    mutating func addVar(_ n: String) {
        if seen.insert(n).inserted { vars.append(n) }
    }
}

private func CGhoistSub(_ s: Statement, _ lex: inout [Set<String>], _ out: inout CGVarCollector) {
    if case .functionDeclaration = s.kind {
        lex.append([])
        CGhoist(s, &lex, &out, inBlock: true)
        lex.removeLast()
    } else {
        CGhoist(s, &lex, &out, inBlock: false)
    }
}

private func CGblockLexNames(_ stmts: [Statement]) -> Set<String> {
    var decls: [CGLexicalDecl] = []
    CGlexicalDeclarations(stmts, into: &decls)
    return Set(decls.map { $0.name })
}

/// Collects var-declared names (not entering nested functions) and block-level function declarations.
private func CGhoist(_ s: Statement, _ lex: inout [Set<String>], _ out: inout CGVarCollector, inBlock: Bool) {
    switch s.kind {
    case .variableDeclaration(.var, let decls):
        for d in decls { for n in CGboundNames(d.target) { out.addVar(n) } }
    case .functionDeclaration(let f):
        if inBlock {
            // Replacing the declaration with `var f` must not clash with an enclosing lexical binding
            // (the innermost set is the block that declares f itself).
            var conflicts = false
            for set in lex.dropLast() where set.contains(f.name) { conflicts = true }
            out.annexCandidates.append(.init(function: f, conflicts: conflicts))
        }
    case .block(let stmts):
        lex.append(CGblockLexNames(stmts))
        for x in stmts { CGhoist(x, &lex, &out, inBlock: true) }
        lex.removeLast()
    case .if(_, let c, let a):
        CGhoistSub(c, &lex, &out)
        if let a { CGhoistSub(a, &lex, &out) }
    case .for(let initializer, _, _, let body):
        switch initializer {
        case .declaration(.var, let decls)?:
            for d in decls { for n in CGboundNames(d.target) { out.addVar(n) } }
            CGhoistSub(body, &lex, &out)
        case .declaration(_, let decls)?:
            var names: Set<String> = []
            for d in decls { for n in CGboundNames(d.target) { names.insert(n) } }
            lex.append(names)
            CGhoistSub(body, &lex, &out)
            lex.removeLast()
        default:
            CGhoistSub(body, &lex, &out)
        }
    case .forIn(let left, _, let body), .forOf(let left, _, let body):
        switch left {
        case .declaration(.var, let p):
            for n in CGboundNames(p) { out.addVar(n) }
            CGhoistSub(body, &lex, &out)
        case .declaration(_, let p):
            lex.append(Set(CGboundNames(p)))
            CGhoistSub(body, &lex, &out)
            lex.removeLast()
        case .target:
            CGhoistSub(body, &lex, &out)
        }
    case .while(_, let body), .doWhile(let body, _):
        CGhoistSub(body, &lex, &out)
    case .try(let block, let param, let catchBody, let fin):
        lex.append(CGblockLexNames(block))
        for x in block { CGhoist(x, &lex, &out, inBlock: true) }
        lex.removeLast()
        if let cb = catchBody {
            var catchNames: Set<String> = []
            if let p = param, case .identifier = p {} else if let p = param { catchNames = Set(CGboundNames(p)) }
            lex.append(catchNames)
            lex.append(CGblockLexNames(cb))
            for x in cb { CGhoist(x, &lex, &out, inBlock: true) }
            lex.removeLast()
            lex.removeLast()
        }
        if let f = fin {
            lex.append(CGblockLexNames(f))
            for x in f { CGhoist(x, &lex, &out, inBlock: true) }
            lex.removeLast()
        }
    case .switch(_, let cases):
        var names: Set<String> = []
        for c in cases { names.formUnion(CGblockLexNames(c.body)) }
        lex.append(names)
        for c in cases { for x in c.body { CGhoist(x, &lex, &out, inBlock: true) } }
        lex.removeLast()
    case .labeled(_, let body):
        CGhoist(body, &lex, &out, inBlock: inBlock)
    default:
        break
    }
}
