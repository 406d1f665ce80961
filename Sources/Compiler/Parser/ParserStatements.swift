// Statements and declarations.

/// Where a statement appears (decides whether a function declaration may appear there).
enum JSPStatementContext {
    /// A StatementListItem (declarations allowed; handled before `parseStatement`).
    case listItem
    /// The body of an `if`/`else` (Annex B allows a function declaration in sloppy mode).
    case ifBody
    /// The body of a label that is itself in a list item position (labelled function declarations).
    case labelBody
    /// Any other single-statement position.
    case other
}

extension JSParser {
    func parseStatementListItem(topLevel: Bool = false) throws(SyntaxError) -> Statement {
        switch tok.type {
        case .kwFunction:
            return try parseFunctionDeclaration()
        case .kwClass:
            return try parseClassDeclaration()
        case .kwConst:
            return try parseLexicalDeclaration(.const)
        case .name where isContextual("let"):
            if try isLetDeclaration() { return try parseLexicalDeclaration(.let) }
            return try parseStatement(.listItem)
        case .kwImport:
            if topLevel && options.allowImportExport {
                let next = try peek()
                if next.type != .lparen && next.type != .dot { return try parseImport() }
            }
            if options.allowImportExport {
                throw error(topLevel ? "Dynamic import() and import.meta are not supported"
                            : "An import declaration can only be used at the top level", at: tok.start)
            }
            throw error("Cannot use import statement outside a module", at: tok.start)
        case .kwExport:
            if topLevel && options.allowImportExport { return try parseExport() }
            if options.allowImportExport {
                throw error("An export declaration can only be used at the top level", at: tok.start)
            }
            throw error("Unexpected token 'export'", at: tok.start)
        default:
            return try parseStatement(.listItem)
        }
    }

    /// `let` starts a lexical declaration (the current token is an unescaped `let`).
    func isLetDeclaration() throws(SyntaxError) -> Bool {
        let n = try peek()
        return n.type == .name || n.type == .lbracket || n.type == .lbrace
    }

    func parseStatement(_ context: JSPStatementContext) throws(SyntaxError) -> Statement {
        try enter()
        defer { depth -= 1 }
        let p = pos
        switch tok.type {
        case .lbrace:
            return Statement(.block(try parseBlock()), at: p)
        case .kwVar:
            try next()
            let decls = try parseVariableDeclarations(.var, noIn: false, forHead: false)
            try consumeSemicolon()
            return Statement(.variableDeclaration(.var, decls), at: p)
        case .semicolon:
            try next()
            return Statement(.empty, at: p)
        case .kwIf:
            return try parseIf()
        case .kwFor:
            return try parseFor()
        case .kwWhile:
            try next()
            try expect(.lparen)
            let test = try parseExpression()
            try expect(.rparen)
            let body = try parseLoopBody()
            return Statement(.while(test: test, body: body), at: p)
        case .kwDo:
            try next()
            let body = try parseLoopBody()
            guard tok.type == .kwWhile else { throw unexpected() }
            try next()
            try expect(.lparen)
            let test = try parseExpression()
            try expect(.rparen)
            _ = try eat(.semicolon)
            return Statement(.doWhile(body: body, test: test), at: p)
        case .kwContinue, .kwBreak:
            return try parseBreakContinue()
        case .kwReturn:
            if !ctx.allowReturn { throw error("Illegal return statement", at: tok.start) }
            try next()
            var arg: Expression? = nil
            if tok.type != .semicolon && !canInsertSemicolon() {
                arg = try parseExpression()
            }
            try consumeSemicolon()
            return Statement(.return(arg), at: p)
        case .kwThrow:
            try next()
            if tok.newlineBefore { throw error("Illegal newline after throw", at: tok.start) }
            let arg = try parseExpression()
            try consumeSemicolon()
            return Statement(.throw(arg), at: p)
        case .kwTry:
            return try parseTry()
        case .kwSwitch:
            return try parseSwitch()
        case .kwDebugger:
            try next()
            try consumeSemicolon()
            return Statement(.debugger, at: p)
        case .kwWith:
            if strict { throw error("Strict mode code may not include a with statement", at: tok.start) }
            throw error("'with' is not supported", at: tok.start)
        case .kwFunction:
            if strict {
                throw error("In strict mode code, functions can only be declared at top level or inside a block", at: tok.start)
            }
            switch context {
            case .ifBody:
                // Annex B: `if (x) function f() {}` is `if (x) { function f() {} }`.
                enterScope([])
                let f = try parseFunctionDeclaration()
                exitScope()
                return Statement(.block([f]), at: p)
            case .labelBody, .listItem:
                return try parseFunctionDeclaration()
            case .other:
                throw error("In non-strict mode code, functions can only be declared at top level, inside a block, or as the body of an if statement", at: tok.start)
            }
        case .kwClass, .kwConst:
            throw error("Lexical declaration cannot appear in a single-statement context", at: tok.start)
        case .kwImport, .kwExport:
            throw unexpected()
        case .name where isContextual("let"):
            if try peek().type == .lbracket {
                throw error("Lexical declaration cannot appear in a single-statement context", at: tok.start)
            }
            return try parseExpressionStatement(context)
        default:
            return try parseExpressionStatement(context)
        }
    }

    func parseExpressionStatement(_ context: JSPStatementContext) throws(SyntaxError) -> Statement {
        let startTok = tok
        let p = pos
        let expr = try parseExpression()
        if startTok.type == .name, tok.type == .colon, case .identifier(let name) = expr.kind,
           Int(expr.position.offset) == startTok.start, prevEnd == startTok.end {
            return try parseLabeled(name: name, labelTok: startTok, context: context)
        }
        try consumeSemicolon()
        return Statement(.expression(expr), at: p)
    }

    func parseLabeled(name: String, labelTok: JSToken, context: JSPStatementContext) throws(SyntaxError) -> Statement {
        try next() // ':'
        for l in ctx.labels where l.name == name {
            throw error("Label '\(name)' has already been declared", at: labelTok.start)
        }
        let isLoop = tok.type == .kwFor || tok.type == .kwWhile || tok.type == .kwDo
        var i = ctx.labels.count - 1
        while i >= 0 {
            if ctx.labels[i].statementStart == labelTok.start {
                ctx.labels[i].statementStart = tok.start
                ctx.labels[i].isLoop = isLoop
            } else {
                break
            }
            i -= 1
        }
        ctx.labels.append(JSPLabel(name: name, isLoop: isLoop, statementStart: tok.start))
        let bodyContext: JSPStatementContext = (context == .listItem || context == .labelBody) ? .labelBody : .other
        let body = try parseStatement(bodyContext)
        ctx.labels.removeLast()
        return Statement(.labeled(label: name, body: body), at: labelTok.position)
    }

    func parseBreakContinue() throws(SyntaxError) -> Statement {
        let p = pos
        let isBreak = tok.type == .kwBreak
        let keywordStart = tok.start
        try next()
        var label: String? = nil
        if tok.type == .name && !tok.newlineBefore {
            let t = tok
            try checkIdentifier(t)
            guard let l = ctx.labels.last(where: { $0.name == t.value }) else {
                throw error("Undefined label '\(t.value)'", at: t.start)
            }
            if !isBreak && !l.isLoop {
                throw error("Illegal continue statement: '\(t.value)' does not denote an iteration statement", at: t.start)
            }
            label = t.value
            try next()
        } else if isBreak {
            if ctx.breakableDepth == 0 { throw error("Illegal break statement", at: keywordStart) }
        } else {
            if ctx.loopDepth == 0 { throw error("Illegal continue statement: no surrounding iteration statement", at: keywordStart) }
        }
        try consumeSemicolon()
        return Statement(isBreak ? .break(label: label) : .continue(label: label), at: p)
    }

    func parseLoopBody() throws(SyntaxError) -> Statement {
        ctx.loopDepth += 1
        ctx.breakableDepth += 1
        defer {
            ctx.loopDepth -= 1
            ctx.breakableDepth -= 1
        }
        return try parseStatement(.other)
    }

    func parseBlock() throws(SyntaxError) -> [Statement] {
        try expect(.lbrace)
        enterScope([])
        var body: [Statement] = []
        while tok.type != .rbrace {
            if tok.type == .eof { throw unexpected() }
            body.append(try parseStatementListItem())
        }
        exitScope()
        try next()
        return body
    }

    func parseIf() throws(SyntaxError) -> Statement {
        let p = pos
        try next()
        try expect(.lparen)
        let test = try parseExpression()
        try expect(.rparen)
        let consequent = try parseStatement(.ifBody)
        var alternate: Statement? = nil
        if try eat(.kwElse) {
            alternate = try parseStatement(.ifBody)
        }
        return Statement(.if(test: test, consequent: consequent, alternate: alternate), at: p)
    }

    // MARK: Variable declarations

    func parseLexicalDeclaration(_ kind: VariableKind) throws(SyntaxError) -> Statement {
        let p = pos
        try next()
        let decls = try parseVariableDeclarations(kind, noIn: false, forHead: false)
        try consumeSemicolon()
        return Statement(.variableDeclaration(kind, decls), at: p)
    }

    func bindingKind(for kind: VariableKind) -> JSPBindingKind {
        if case .var = kind { return .var }
        return .lexical
    }

    /// Parses `a = 1, [b] = c, ...`. In a for head, missing initializers are checked by the caller.
    func parseVariableDeclarations(_ kind: VariableKind, noIn: Bool, forHead: Bool) throws(SyntaxError) -> [VariableDeclarator] {
        var decls: [VariableDeclarator] = []
        repeat {
            let p = pos
            let target = try parseBindingTarget(bindingKind(for: kind))
            var initializer: Expression? = nil
            if try eat(.assign) {
                let value = try parseMaybeAssign(noIn: noIn)
                if case .identifier(let name, _) = target {
                    initializer = nameAnonymousFunction(value, name: name)
                } else {
                    initializer = value
                }
            } else if !forHead {
                if case .const = kind {
                    throw error("Missing initializer in const declaration", at: tok.start)
                }
                if case .identifier = target {} else {
                    throw error("Missing initializer in destructuring declaration", at: tok.start)
                }
            }
            decls.append(VariableDeclarator(target: target, initializer: initializer, position: p))
        } while try eat(.comma)
        return decls
    }

    // MARK: for

    func parseFor() throws(SyntaxError) -> Statement {
        let p = pos
        try next()
        if isContextual("await") { throw error("for await is not supported", at: tok.start) }
        try expect(.lparen)
        enterScope([])
        defer { exitScope() }
        if tok.type == .semicolon {
            try next()
            return try parseForRest(init: nil, p)
        }
        var declKind: VariableKind? = nil
        if tok.type == .kwVar {
            declKind = .var
        } else if tok.type == .kwConst {
            declKind = .const
        } else if isContextual("let") {
            if try isLetDeclaration() { declKind = .let }
        }
        if let kind = declKind {
            try next()
            let declStart = tok.start
            let decls = try parseVariableDeclarations(kind, noIn: true, forHead: true)
            let isOf = isContextual("of")
            if isOf || tok.type == .kwIn {
                if decls.count != 1 {
                    throw error("Invalid left-hand side in for-\(isOf ? "of" : "in") loop: Must have a single binding.", at: declStart)
                }
                let d = decls[0]
                if d.initializer != nil {
                    var legacy = false
                    if !isOf && !strict, case .var = kind, case .identifier = d.target { legacy = true }
                    if !legacy {
                        throw error("for-\(isOf ? "of" : "in") loop variable declaration may not have an initializer.", at: declStart)
                    }
                    // Annex B `for (var a = 1 in x)`: the initializer runs first.
                    let forIn = try parseForInOfRest(left: .declaration(.var, d.target), isOf: false, p)
                    let pre = Statement(.variableDeclaration(.var, [d]), at: d.position)
                    return Statement(.block([pre, forIn]), at: p)
                }
                return try parseForInOfRest(left: .declaration(kind, d.target), isOf: isOf, p)
            }
            for d in decls where d.initializer == nil {
                if case .const = kind { throw error("Missing initializer in const declaration", at: tok.start) }
                if case .identifier = d.target {} else {
                    throw error("Missing initializer in destructuring declaration", at: tok.start)
                }
            }
            try expect(.semicolon)
            return try parseForRest(init: .declaration(kind, decls), p)
        }
        let startTok = tok
        var refErr = JSPCoverErrors()
        let expr = try parseExpression(noIn: true, &refErr)
        let isOf = isContextual("of")
        if isOf || tok.type == .kwIn {
            if isOf && startTok.type == .name && !startTok.escaped && startTok.value == "let" {
                throw error("The left-hand side of a for-of loop may not be 'let'.", at: startTok.start)
            }
            if isOf && startTok.type == .name && !startTok.escaped && startTok.value == "async",
               case .identifier = expr.kind, prevEnd == startTok.end {
                throw error("The left-hand side of a for-of loop may not be 'async'.", at: startTok.start)
            }
            let target = try toAssignmentTarget(expr, &refErr, isForInOf: true)
            return try parseForInOfRest(left: .target(target), isOf: isOf, p)
        }
        try checkExpressionErrors(refErr)
        try expect(.semicolon)
        return try parseForRest(init: .expression(expr), p)
    }

    /// After `for (init;`.
    func parseForRest(init initClause: ForInit?, _ p: SourcePosition) throws(SyntaxError) -> Statement {
        var test: Expression? = nil
        if tok.type != .semicolon { test = try parseExpression() }
        try expect(.semicolon)
        var update: Expression? = nil
        if tok.type != .rparen { update = try parseExpression() }
        try expect(.rparen)
        let body = try parseLoopBody()
        return Statement(.for(initializer: initClause, test: test, update: update, body: body), at: p)
    }

    /// At `in`/`of`.
    func parseForInOfRest(left: ForBinding, isOf: Bool, _ p: SourcePosition) throws(SyntaxError) -> Statement {
        try next()
        let right = isOf ? try parseMaybeAssign() : try parseExpression()
        try expect(.rparen)
        let body = try parseLoopBody()
        return Statement(isOf ? .forOf(left: left, right: right, body: body) : .forIn(left: left, right: right, body: body), at: p)
    }

    // MARK: switch / try

    func parseSwitch() throws(SyntaxError) -> Statement {
        let p = pos
        try next()
        try expect(.lparen)
        let disc = try parseExpression()
        try expect(.rparen)
        try expect(.lbrace)
        enterScope([])
        ctx.breakableDepth += 1
        var cases: [SwitchCase] = []
        var sawDefault = false
        while tok.type != .rbrace {
            let cp = pos
            var test: Expression? = nil
            if tok.type == .kwCase {
                try next()
                test = try parseExpression()
            } else if tok.type == .kwDefault {
                if sawDefault { throw error("More than one default clause in switch statement", at: tok.start) }
                sawDefault = true
                try next()
            } else {
                throw unexpected()
            }
            try expect(.colon)
            var body: [Statement] = []
            while tok.type != .kwCase && tok.type != .kwDefault && tok.type != .rbrace {
                if tok.type == .eof { throw unexpected() }
                body.append(try parseStatementListItem())
            }
            cases.append(SwitchCase(test: test, body: body, position: cp))
        }
        ctx.breakableDepth -= 1
        exitScope()
        try next()
        return Statement(.switch(discriminant: disc, cases: cases), at: p)
    }

    func parseTry() throws(SyntaxError) -> Statement {
        let p = pos
        try next()
        let block = try parseBlock()
        var param: Pattern? = nil
        var catchBody: [Statement]? = nil
        var finallyBody: [Statement]? = nil
        if tok.type == .kwCatch {
            try next()
            if try eat(.lparen) {
                if tok.type == .name {
                    enterScope([.simpleCatch])
                    let (name, t) = try parseBindingIdentifier()
                    try checkBindingName(name, at: t.start, lexical: false)
                    try declare(name, .simpleCatch, at: t.start)
                    param = .identifier(name, t.position)
                } else {
                    enterScope([])
                    param = try parseBindingTarget(.lexical)
                }
                try expect(.rparen)
            } else {
                enterScope([])
            }
            // The catch block shares the parameter's scope.
            try expect(.lbrace)
            var body: [Statement] = []
            while tok.type != .rbrace {
                if tok.type == .eof { throw unexpected() }
                body.append(try parseStatementListItem())
            }
            try next()
            exitScope()
            catchBody = body
        }
        if try eat(.kwFinally) {
            finallyBody = try parseBlock()
        }
        if catchBody == nil && finallyBody == nil {
            throw error("Missing catch or finally after try", at: tok.start)
        }
        return Statement(.try(block: block, catchParameter: param, catchBody: catchBody, finally: finallyBody), at: p)
    }

    // MARK: import / export

    func expectContextual(_ word: String) throws(SyntaxError) {
        if !isContextual(word) { throw unexpected() }
        try next()
    }

    func parseModuleSpecifier() throws(SyntaxError) -> String {
        guard tok.type == .string else { throw unexpected() }
        let s = String(decoding: tok.chars, as: UTF16.self)
        try next()
        return s
    }

    func parseImportLocal() throws(SyntaxError) -> (String, JSToken) {
        let (name, t) = try parseBindingIdentifier()
        try checkBindingName(name, at: t.start, lexical: true)
        try declare(name, .lexical, at: t.start)
        return (name, t)
    }

    func parseImport() throws(SyntaxError) -> Statement {
        let p = pos
        try next()
        var specs: [ImportDeclaration.Specifier] = []
        let module: String
        if tok.type == .string {
            module = try parseModuleSpecifier()
        } else {
            var needList = true
            if tok.type == .name {
                let (local, t) = try parseImportLocal()
                specs.append(.init(imported: "default", local: local, position: t.position))
                needList = try eat(.comma)
            }
            if needList {
                if tok.type == .star {
                    try next()
                    try expectContextual("as")
                    let (local, t) = try parseImportLocal()
                    specs.append(.init(imported: "*", local: local, position: t.position))
                } else if tok.type == .lbrace {
                    try next()
                    while tok.type != .rbrace {
                        let importedTok = tok
                        let imported: String
                        if tok.type == .string {
                            imported = String(decoding: tok.chars, as: UTF16.self)
                        } else if tok.type.isIdentifierName {
                            imported = tok.value
                        } else {
                            throw unexpected()
                        }
                        try next()
                        if isContextual("as") {
                            try next()
                            let (local, t) = try parseImportLocal()
                            specs.append(.init(imported: imported, local: local, position: t.position))
                        } else {
                            guard importedTok.type == .name else { throw unexpected(importedTok) }
                            try checkIdentifier(importedTok)
                            try checkBindingName(imported, at: importedTok.start, lexical: true)
                            try declare(imported, .lexical, at: importedTok.start)
                            specs.append(.init(imported: imported, local: imported, position: importedTok.position))
                        }
                        if !(try eat(.comma)) { break }
                    }
                    try expect(.rbrace)
                } else {
                    throw unexpected()
                }
            }
            try expectContextual("from")
            module = try parseModuleSpecifier()
        }
        if tok.type == .kwWith && !tok.newlineBefore {
            throw error("Import attributes are not supported", at: tok.start)
        }
        try consumeSemicolon()
        let decl = ImportDeclaration(module: module, specifiers: specs, position: p)
        imports.append(decl)
        return Statement(.importDeclaration(decl), at: p)
    }

    func addExportedName(_ name: String, at offset: Int) throws(SyntaxError) {
        if !exportedNames.insert(name).inserted {
            throw error("Duplicate export of '\(name)'", at: offset)
        }
    }

    func parseExport() throws(SyntaxError) -> Statement {
        let p = pos
        let exportStart = tok.start
        try next()
        switch tok.type {
        case .kwDefault:
            let defaultStart = tok.start
            try next()
            try addExportedName("default", at: defaultStart)
            if tok.type == .kwFunction || tok.type == .kwClass {
                let isFunction = tok.type == .kwFunction
                let n = try peek()
                if n.type == .name {
                    // A named declaration: declared normally, exported as "default".
                    let stmt = isFunction ? try parseFunctionDeclaration() : try parseClassDeclaration()
                    let names = declaredNames(stmt)
                    exports.append(ExportDeclaration(kind: .specifiers([(local: names[0], exported: "default")]), position: p))
                    return stmt
                }
                if isFunction && n.type == .star { throw error("Generators are not supported", at: n.start) }
            }
            let valueStart = pos
            var value: Expression
            if tok.type == .kwFunction {
                value = try parseFunctionExpression()
            } else if tok.type == .kwClass {
                value = try parseClassExpression()
            } else {
                value = try parseMaybeAssign()
                try consumeSemicolon()
            }
            value = nameAnonymousFunction(value, name: "default")
            exports.append(ExportDeclaration(kind: .defaultExpression, position: p))
            let decl = VariableDeclarator(target: .identifier("*default*", valueStart), initializer: value, position: valueStart)
            return Statement(.variableDeclaration(.const, [decl]), at: p)
        case .star:
            throw error("'export * from' is not supported", at: exportStart)
        case .lbrace:
            try next()
            var pairs: [(local: String, exported: String)] = []
            var localToks: [JSToken] = []
            while tok.type != .rbrace {
                let localTok = tok
                let local: String
                if tok.type == .string {
                    local = String(decoding: tok.chars, as: UTF16.self)
                } else if tok.type.isIdentifierName {
                    local = tok.value
                } else {
                    throw unexpected()
                }
                try next()
                var exported = local
                var exportedStart = localTok.start
                if isContextual("as") {
                    try next()
                    exportedStart = tok.start
                    if tok.type == .string {
                        exported = String(decoding: tok.chars, as: UTF16.self)
                    } else if tok.type.isIdentifierName {
                        exported = tok.value
                    } else {
                        throw unexpected()
                    }
                    try next()
                }
                try addExportedName(exported, at: exportedStart)
                pairs.append((local: local, exported: exported))
                localToks.append(localTok)
                if !(try eat(.comma)) { break }
            }
            try expect(.rbrace)
            if isContextual("from") {
                throw error("Re-exports ('export ... from') are not supported", at: tok.start)
            }
            for t in localToks {
                if t.type != .name { throw unexpected(t) }
                try checkIdentifier(t)
                exportedLocals.append((t.value, t.start))
            }
            try consumeSemicolon()
            let decl = ExportDeclaration(kind: .specifiers(pairs), position: p)
            exports.append(decl)
            return Statement(.exportDeclaration(decl), at: p)
        case .kwVar, .kwConst, .kwFunction, .kwClass:
            let stmt: Statement
            switch tok.type {
            case .kwVar:
                try next()
                let decls = try parseVariableDeclarations(.var, noIn: false, forHead: false)
                try consumeSemicolon()
                stmt = Statement(.variableDeclaration(.var, decls), at: p)
            case .kwConst: stmt = try parseLexicalDeclaration(.const)
            case .kwFunction: stmt = try parseFunctionDeclaration()
            default: stmt = try parseClassDeclaration()
            }
            return try finishExportDeclaration(stmt, p, exportStart)
        case .name where isContextual("let"):
            let stmt = try parseLexicalDeclaration(.let)
            return try finishExportDeclaration(stmt, p, exportStart)
        default:
            throw unexpected()
        }
    }

    func finishExportDeclaration(_ stmt: Statement, _ p: SourcePosition, _ offset: Int) throws(SyntaxError) -> Statement {
        let names = declaredNames(stmt)
        for n in names { try addExportedName(n, at: offset) }
        exports.append(ExportDeclaration(kind: .declaration(names: names), position: p))
        return stmt
    }

    func declaredNames(_ stmt: Statement) -> [String] {
        switch stmt.kind {
        case .variableDeclaration(_, let decls):
            var names: [String] = []
            for d in decls { jsCollectBoundNames(d.target, into: &names) }
            return names
        case .functionDeclaration(let f): return [f.name]
        case .classDeclaration(let c): return [c.name]
        default: return []
        }
    }
}

func jsCollectBoundNames(_ p: Pattern, into names: inout [String]) {
    switch p {
    case .identifier(let n, _): names.append(n)
    case .expression: break
    case .withDefault(let t, _): jsCollectBoundNames(t, into: &names)
    case .array(let elems, let rest, _):
        for e in elems { if let e { jsCollectBoundNames(e, into: &names) } }
        if let rest { jsCollectBoundNames(rest, into: &names) }
    case .object(let props, let rest, _):
        for prop in props { jsCollectBoundNames(prop.value, into: &names) }
        if let rest { jsCollectBoundNames(rest, into: &names) }
    }
}
