// Functions, arrow functions, methods and classes.

extension JSParser {
    // MARK: Function declarations and expressions

    func parseFunctionDeclaration() throws(SyntaxError) -> Statement {
        let startTok = tok
        try next()
        if tok.type == .star { throw error("Generators are not supported", at: tok.start) }
        guard tok.type == .name else { throw unexpected() }
        let (name, nameTok) = try parseBindingIdentifier()
        try checkBindingName(name, at: nameTok.start, lexical: false)
        let kind: JSPBindingKind
        if strict {
            kind = treatFunctionsAsVar(scopes[scopes.count - 1]) ? .var : .lexical
        } else {
            kind = .function
        }
        try declare(name, kind, at: nameTok.start)
        let f = try parseFunctionRest(name: name, hasOwnName: true, kind: .normal, startTok: startTok, nameTok: nameTok,
                                      allowSuperProperty: false, allowSuperCall: false)
        return Statement(.functionDeclaration(f), at: startTok.position)
    }

    func parseFunctionExpression() throws(SyntaxError) -> Expression {
        let startTok = tok
        try next()
        if tok.type == .star { throw error("Generators are not supported", at: tok.start) }
        var name = ""
        var nameTok: JSToken? = nil
        if tok.type == .name {
            let (n, t) = try parseBindingIdentifier()
            try checkBindingName(n, at: t.start, lexical: false)
            name = n
            nameTok = t
        }
        let f = try parseFunctionRest(name: name, hasOwnName: nameTok != nil, kind: .normal, startTok: startTok,
                                      nameTok: nameTok, allowSuperProperty: false, allowSuperCall: false)
        return Expression(.function(f), at: startTok.position)
    }

    func parseMethod(kind: FunctionKind, name: String, startTok: JSToken, allowSuperCall: Bool) throws(SyntaxError) -> FunctionNode {
        try parseFunctionRest(name: name, hasOwnName: false, kind: kind, startTok: startTok, nameTok: nil,
                              allowSuperProperty: true, allowSuperCall: allowSuperCall)
    }

    /// Parses `(params) { body }` of a function or method.
    func parseFunctionRest(name: String, hasOwnName: Bool, kind: FunctionKind, startTok: JSToken, nameTok: JSToken?,
                           allowSuperProperty: Bool, allowSuperCall: Bool) throws(SyntaxError) -> FunctionNode {
        try enter()
        defer { depth -= 1 }
        let savedCtx = ctx
        let savedStrict = strict
        ctx = JSPFunctionContext()
        ctx.inFunction = true
        ctx.allowReturn = true
        ctx.allowNewTarget = true
        ctx.allowSuperProperty = allowSuperProperty
        ctx.allowSuperCall = allowSuperCall
        enterScope([.function])

        let paramsStart = tok.start
        try expect(.lparen)
        var params: [Pattern] = []
        var rest: Pattern? = nil
        var simple = true
        while tok.type != .rparen {
            if tok.type == .ellipsis {
                try next()
                rest = try parseBindingTarget(.var)
                simple = false
                if tok.type != .rparen {
                    throw error(tok.type == .assign ? "Rest parameter may not have a default initializer"
                                : "Rest parameter must be last formal parameter", at: tok.start)
                }
                break
            }
            let prm = try parseBindingElement(.var)
            if case .identifier = prm {} else { simple = false }
            params.append(prm)
            if tok.type != .rparen { try expect(.comma) }
        }
        try next()
        var names: [(String, SourcePosition)] = []
        for prm in params { jsCollectBoundNamesWithPositions(prm, into: &names) }
        if let rest { jsCollectBoundNamesWithPositions(rest, into: &names) }
        var isNormal = false
        if case .normal = kind { isNormal = true }
        if !isNormal || !simple || strict {
            try checkDuplicateParameters(names)
        }
        if case .getter = kind, !params.isEmpty || rest != nil {
            throw error("Getter must not have any formal parameters.", at: paramsStart)
        }
        if case .setter = kind, params.count != 1 || rest != nil {
            throw error("Setter must have exactly one formal parameter.", at: paramsStart)
        }
        let body = try parseFunctionBody(names: names, simple: simple, nameTok: nameTok)
        let isStrict = strict
        exitScope()
        ctx = savedCtx
        strict = savedStrict
        return FunctionNode(name: name, hasOwnNameBinding: hasOwnName, kind: kind, parameters: params, rest: rest,
                            body: body, expressionBody: nil, isStrict: isStrict, hasSimpleParameters: simple,
                            sourceStart: Int32(startTok.start), sourceEnd: Int32(prevEnd), position: startTok.position)
    }

    func checkDuplicateParameters(_ names: [(String, SourcePosition)]) throws(SyntaxError) {
        if names.count < 2 { return }
        var seen = Set<String>()
        for (n, p) in names where !seen.insert(n).inserted {
            throw error("Duplicate parameter name not allowed in this context", at: p.jsOffset)
        }
    }

    /// `{ body }` of a function; applies the checks a "use strict" directive makes retroactive.
    func parseFunctionBody(names: [(String, SourcePosition)], simple: Bool, nameTok: JSToken?) throws(SyntaxError) -> [Statement] {
        try expect(.lbrace)
        let (body, becameStrict) = try parseBody(end: .rbrace, topLevel: false, onStrict: { (offset: Int) throws(SyntaxError) in
            if !simple {
                throw self.error("Illegal 'use strict' directive in function with non-simple parameter list", at: offset)
            }
        })
        try next()
        if becameStrict {
            for (n, p) in names {
                try checkBindingName(n, at: p.jsOffset, lexical: false)
            }
            try checkDuplicateParameters(names)
            if let nameTok {
                try checkBindingName(nameTok.value, at: nameTok.start, lexical: false)
            }
        }
        return body
    }

    // MARK: Arrow functions

    func parseArrowFunction(params: [Pattern], rest: Pattern?, startTok: JSToken, simple: Bool) throws(SyntaxError) -> Expression {
        try enter()
        defer { depth -= 1 }
        try next() // =>
        let savedCtx = ctx
        let savedStrict = strict
        var newCtx = JSPFunctionContext()
        newCtx.inFunction = savedCtx.inFunction
        newCtx.allowReturn = true
        newCtx.allowNewTarget = savedCtx.allowNewTarget
        newCtx.allowSuperProperty = savedCtx.allowSuperProperty
        newCtx.allowSuperCall = savedCtx.allowSuperCall
        ctx = newCtx
        enterScope([.function, .arrow])
        var names: [(String, SourcePosition)] = []
        for prm in params { jsCollectBoundNamesWithPositions(prm, into: &names) }
        if let rest { jsCollectBoundNamesWithPositions(rest, into: &names) }
        for (n, p) in names {
            try checkBindingName(n, at: p.jsOffset, lexical: false)
            if awaitIsOperator && n == "await" {
                throw error("Unexpected reserved word 'await'", at: p.jsOffset)
            }
            try declare(n, .var, at: p.jsOffset)
        }
        try checkDuplicateParameters(names)
        var body: [Statement] = []
        var exprBody: Expression? = nil
        if tok.type == .lbrace {
            body = try parseFunctionBody(names: names, simple: simple, nameTok: nil)
        } else {
            exprBody = try parseMaybeAssign()
        }
        let isStrict = strict
        exitScope()
        ctx = savedCtx
        strict = savedStrict
        let f = FunctionNode(name: "", hasOwnNameBinding: false, kind: .arrow, parameters: params, rest: rest, body: body,
                             expressionBody: exprBody, isStrict: isStrict, hasSimpleParameters: simple,
                             sourceStart: Int32(startTok.start), sourceEnd: Int32(prevEnd), position: startTok.position)
        return Expression(.arrowFunction(f), at: startTok.position)
    }

    // MARK: Classes

    func parseClassDeclaration() throws(SyntaxError) -> Statement {
        let classTok = tok
        try next()
        guard tok.type == .name else { throw unexpected() }
        let savedStrict = strict
        strict = true
        let (name, nameTok) = try parseBindingIdentifier()
        try checkBindingName(name, at: nameTok.start, lexical: true)
        strict = savedStrict
        try declare(name, .lexical, at: nameTok.start)
        let c = try parseClassRest(name: name, hasOwnName: true, classTok: classTok)
        return Statement(.classDeclaration(c), at: classTok.position)
    }

    func parseClassExpression() throws(SyntaxError) -> Expression {
        let classTok = tok
        try next()
        var name = ""
        if tok.type == .name {
            let savedStrict = strict
            strict = true
            let (n, t) = try parseBindingIdentifier()
            try checkBindingName(n, at: t.start, lexical: true)
            strict = savedStrict
            name = n
        }
        let c = try parseClassRest(name: name, hasOwnName: !name.isEmpty, classTok: classTok)
        return Expression(.class(c), at: classTok.position)
    }

    func parseClassRest(name: String, hasOwnName: Bool, classTok: JSToken) throws(SyntaxError) -> ClassNode {
        try enter()
        defer { depth -= 1 }
        let savedStrict = strict
        strict = true
        defer { strict = savedStrict }
        var superClass: Expression? = nil
        if try eat(.kwExtends) {
            var ref = JSPCoverErrors()
            potentialArrowAt = -1
            superClass = try parseExprSubscripts(&ref)
            try checkExpressionErrors(ref)
        }
        try expect(.lbrace)
        var members: [ClassMember] = []
        var constructor: FunctionNode? = nil
        while tok.type != .rbrace {
            if try eat(.semicolon) { continue }
            let memberTok = tok
            var isStatic = false
            if isContextual("static") {
                let n = try peek()
                if n.type == .lbrace { throw error("Class static blocks are not supported", at: tok.start) }
                if isPropertyNameStart(n) || n.type == .star {
                    isStatic = true
                    try next()
                }
            }
            let keyStartTok = tok
            var kind: ClassMember.Kind = .method
            if tok.type == .star { throw error("Generators are not supported", at: tok.start) }
            if isContextual("async") {
                let n = try peek()
                if !n.newlineBefore && (isPropertyNameStart(n) || n.type == .star) {
                    throw error("Async functions are not supported", at: tok.start)
                }
            }
            if isContextual("get") || isContextual("set") {
                let n = try peek()
                if isPropertyNameStart(n) {
                    kind = tok.value == "get" ? .getter : .setter
                    try next()
                }
            }
            let (key, keyTok, keyName) = try parsePropertyName()
            if tok.type != .lparen {
                if tok.type == .assign || tok.type == .semicolon || tok.type == .rbrace || tok.newlineBefore {
                    throw error("Class fields are not supported", at: keyTok.start)
                }
                throw unexpected()
            }
            var isComputed = false
            if case .computed = key { isComputed = true }
            if !isStatic && !isComputed && keyName == "constructor" {
                if kind != .method { throw error("Class constructor may not be an accessor", at: keyTok.start) }
                if constructor != nil { throw error("A class may only have one constructor", at: keyTok.start) }
                constructor = try parseFunctionRest(name: name, hasOwnName: false,
                                                    kind: superClass != nil ? .derivedConstructor : .classConstructor,
                                                    startTok: keyTok, nameTok: nil, allowSuperProperty: true,
                                                    allowSuperCall: superClass != nil)
                continue
            }
            if isStatic && !isComputed && keyName == "prototype" {
                throw error("Classes may not have a static property named 'prototype'", at: keyTok.start)
            }
            let fkind: FunctionKind = kind == .getter ? .getter : kind == .setter ? .setter : .method
            let f = try parseMethod(kind: fkind, name: keyName, startTok: kind == .method ? keyTok : keyStartTok,
                                    allowSuperCall: false)
            members.append(ClassMember(key: key, isStatic: isStatic, kind: kind, function: f, position: memberTok.position))
        }
        try next()
        return ClassNode(name: name, hasOwnNameBinding: hasOwnName, superClass: superClass, constructor: constructor,
                         members: members, sourceStart: Int32(classTok.start), sourceEnd: Int32(prevEnd),
                         position: classTok.position)
    }
}
