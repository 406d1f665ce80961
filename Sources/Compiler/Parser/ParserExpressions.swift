// Expressions.

extension JSParser {
    // MARK: Cover grammar errors

    func hasExpressionErrors(_ ref: JSPCoverErrors) -> Bool {
        ref.shorthandAssign >= 0 || ref.doubleProto >= 0
    }

    func checkExpressionErrors(_ ref: JSPCoverErrors) throws(SyntaxError) {
        if ref.shorthandAssign >= 0 {
            throw error("Invalid shorthand property initializer", at: ref.shorthandAssign)
        }
        if ref.doubleProto >= 0 {
            throw error("Duplicate __proto__ fields are not allowed in object literals", at: ref.doubleProto)
        }
    }

    func checkPatternErrors(_ ref: JSPCoverErrors) throws(SyntaxError) {
        if ref.trailingComma >= 0 {
            throw error("Rest element must be last element", at: ref.trailingComma)
        }
    }

    // MARK: Expression, assignment, conditional

    func parseExpression(noIn: Bool = false) throws(SyntaxError) -> Expression {
        let p = pos
        let first = try parseMaybeAssign(noIn: noIn)
        if tok.type != .comma { return first }
        var list = [first]
        while try eat(.comma) {
            list.append(try parseMaybeAssign(noIn: noIn))
        }
        return Expression(.sequence(list), at: p)
    }

    func parseExpression(noIn: Bool, _ ref: inout JSPCoverErrors) throws(SyntaxError) -> Expression {
        let p = pos
        let first = try parseMaybeAssign(noIn: noIn, &ref, own: false)
        if tok.type != .comma { return first }
        var list = [first]
        while try eat(.comma) {
            list.append(try parseMaybeAssign(noIn: noIn, &ref, own: false))
        }
        return Expression(.sequence(list), at: p)
    }

    func parseMaybeAssign(noIn: Bool = false) throws(SyntaxError) -> Expression {
        var ref = JSPCoverErrors()
        return try parseMaybeAssign(noIn: noIn, &ref, own: true)
    }

    func assignmentOperator(_ t: JSTokenType) -> AssignmentOperator? {
        switch t {
        case .assign: return .assign
        case .plusAssign: return .add
        case .minusAssign: return .subtract
        case .starAssign: return .multiply
        case .slashAssign: return .divide
        case .percentAssign: return .remainder
        case .starstarAssign: return .exponent
        case .shlAssign: return .shiftLeft
        case .shrAssign: return .shiftRight
        case .ushrAssign: return .unsignedShiftRight
        case .ampAssign: return .bitAnd
        case .barAssign: return .bitOr
        case .caretAssign: return .bitXor
        case .andandAssign: return .and
        case .ororAssign: return .or
        case .nullishAssign: return .nullish
        default: return nil
        }
    }

    func parseMaybeAssign(noIn: Bool, _ ref: inout JSPCoverErrors, own: Bool) throws(SyntaxError) -> Expression {
        try enter()
        defer { depth -= 1 }
        let oldTrailingComma = ref.trailingComma
        let oldDoubleProto = ref.doubleProto
        if !own { ref.trailingComma = -1 }
        if tok.type == .lparen || tok.type == .name { potentialArrowAt = tok.start }
        let left = try parseMaybeConditional(noIn: noIn, &ref)
        if let op = assignmentOperator(tok.type) {
            let target: Pattern
            if case .assign = op {
                sawParenthesizedTarget = false
                target = try toAssignmentTarget(left, &ref, isForInOf: false)
                if sawParenthesizedTarget && !own && ref.parenthesizedBind < 0 {
                    ref.parenthesizedBind = left.position.jsOffset
                }
            } else {
                target = try toSimpleTarget(left, context: .assignment)
            }
            if !own {
                ref.trailingComma = -1
                ref.doubleProto = -1
            }
            if ref.shorthandAssign >= Int(left.position.offset) { ref.shorthandAssign = -1 }
            try next()
            var value = try parseMaybeAssign(noIn: noIn)
            if case .identifier(let name) = left.kind, op.isNamedEvaluation {
                value = nameAnonymousFunction(value, name: name)
            }
            if oldDoubleProto > -1 { ref.doubleProto = oldDoubleProto }
            return Expression(.assignment(op, target: target, value: value), at: left.position)
        } else if own {
            try checkExpressionErrors(ref)
        }
        if oldTrailingComma > -1 { ref.trailingComma = oldTrailingComma }
        return left
    }

    func parseMaybeConditional(noIn: Bool, _ ref: inout JSPCoverErrors) throws(SyntaxError) -> Expression {
        let expr = try parseExprOps(noIn: noIn, &ref)
        if hasExpressionErrors(ref) { return expr }
        if tok.type == .question {
            if case .arrowFunction = expr.kind { throw unexpected() }
            try next()
            let consequent = try parseMaybeAssign(noIn: false)
            try expect(.colon)
            let alternate = try parseMaybeAssign(noIn: noIn)
            return Expression(.conditional(test: expr, consequent: consequent, alternate: alternate), at: expr.position)
        }
        return expr
    }

    // MARK: Binary operators

    /// Precedence of a binary operator token (higher binds tighter), or 0.
    @inline(__always)
    func binaryPrecedence(_ t: JSTokenType, noIn: Bool) -> Int {
        switch t {
        case .nullish, .oror: return 1
        case .andand: return 2
        case .bar: return 3
        case .caret: return 4
        case .amp: return 5
        case .eq, .ne, .eqq, .neq: return 6
        case .lt, .gt, .le, .ge, .kwInstanceof: return 7
        case .kwIn: return noIn ? 0 : 7
        case .shl, .shr, .ushr: return 8
        case .plus, .minus: return 9
        case .star, .slash, .percent: return 10
        default: return 0
        }
    }

    func binaryOperator(_ t: JSTokenType) -> BinaryOperator {
        switch t {
        case .bar: return .bitOr
        case .caret: return .bitXor
        case .amp: return .bitAnd
        case .eq: return .equal
        case .ne: return .notEqual
        case .eqq: return .strictEqual
        case .neq: return .strictNotEqual
        case .lt: return .less
        case .gt: return .greater
        case .le: return .lessEqual
        case .ge: return .greaterEqual
        case .kwInstanceof: return .instanceof
        case .kwIn: return .in
        case .shl: return .shiftLeft
        case .shr: return .shiftRight
        case .ushr: return .unsignedShiftRight
        case .plus: return .add
        case .minus: return .subtract
        case .star: return .multiply
        case .slash: return .divide
        default: return .remainder
        }
    }

    /// Parses a unary expression, also measuring the depth of the tree it produces.
    @inline(__always)
    func parseMeasuredOperand(_ ref: inout JSPCoverErrors, base: Int) throws(SyntaxError) -> (Expression, Int) {
        let savedMax = maxSeen
        maxSeen = base
        let e = try parseMaybeUnary(&ref, sawUnary: false, incDec: false)
        let d = maxSeen - base
        if savedMax > maxSeen { maxSeen = savedMax }
        return (e, d)
    }

    func parseExprOps(noIn: Bool, _ ref: inout JSPCoverErrors) throws(SyntaxError) -> Expression {
        let startOffset = tok.start
        let base = depth
        let (first, firstDepth) = try parseMeasuredOperand(&ref, base: base)
        if hasExpressionErrors(ref) { return first }
        if case .arrowFunction = first.kind, Int(first.position.offset) == startOffset { return first }
        var prec = binaryPrecedence(tok.type, noIn: noIn)
        if prec == 0 { return first }

        // Operator precedence parsing with explicit stacks (no recursion on chain length).
        var operands: [(Expression, Int)] = [(first, firstDepth)]
        var ops: [(JSTokenType, Int)] = []
        func reduce() throws(SyntaxError) {
            let (op, _) = ops.removeLast()
            let (right, rd) = operands.removeLast()
            let (left, ld) = operands.removeLast()
            let d = max(ld, rd) + 1
            try checkChainDepth(base + d)
            let node: Expression
            switch op {
            case .andand, .oror, .nullish:
                if op == .nullish {
                    if isUnparenthesizedLogical(left, andOr: true) || isUnparenthesizedLogical(right, andOr: true) {
                        throw error("Cannot mix ?? with && or || without parentheses", at: Int(left.position.offset))
                    }
                } else if isUnparenthesizedLogical(left, andOr: false) || isUnparenthesizedLogical(right, andOr: false) {
                    throw error("Cannot mix ?? with && or || without parentheses", at: Int(left.position.offset))
                }
                let lop: LogicalOperator = op == .andand ? .and : op == .oror ? .or : .nullish
                node = Expression(.logical(lop, left, right), at: left.position)
            default:
                node = Expression(.binary(binaryOperator(op), left, right), at: left.position)
            }
            operands.append((node, d))
        }
        while prec > 0 {
            let op = tok.type
            while let top = ops.last, top.1 >= prec {
                try reduce()
            }
            ops.append((op, prec))
            try next()
            var operandRef = JSPCoverErrors()
            let operand = try parseMeasuredOperand(&operandRef, base: base)
            try checkExpressionErrors(operandRef)
            operands.append(operand)
            prec = binaryPrecedence(tok.type, noIn: noIn)
        }
        while !ops.isEmpty { try reduce() }
        if operands[0].1 + base > maxSeen { maxSeen = operands[0].1 + base }
        return operands[0].0
    }

    /// `andOr`: is it an unparenthesized `&&`/`||`; otherwise an unparenthesized `??`.
    func isUnparenthesizedLogical(_ e: Expression, andOr: Bool) -> Bool {
        guard case .logical(let op, _, _) = e.kind else { return false }
        switch op {
        case .and, .or: return andOr
        case .nullish: return !andOr
        }
    }

    // MARK: Unary

    func unaryOperator(_ t: JSTokenType) -> UnaryOperator? {
        switch t {
        case .bang: return .not
        case .tilde: return .bitNot
        case .plus: return .plus
        case .minus: return .minus
        case .kwTypeof: return .typeof
        case .kwVoid: return .void
        case .kwDelete: return .delete
        default: return nil
        }
    }

    func parseMaybeUnary(_ ref: inout JSPCoverErrors, sawUnary sawUnaryIn: Bool, incDec: Bool) throws(SyntaxError) -> Expression {
        let p = pos
        var sawUnary = sawUnaryIn
        var expr: Expression
        if awaitIsOperator && isContextual("await") {
            try enter()
            defer { depth -= 1 }
            try next()
            var argRef = JSPCoverErrors()
            let arg = try parseMaybeUnary(&argRef, sawUnary: true, incDec: false)
            try checkExpressionErrors(argRef)
            expr = Expression(.await(arg), at: p)
            sawUnary = true
        } else if let op = unaryOperator(tok.type) {
            try enter()
            defer { depth -= 1 }
            try next()
            var argRef = JSPCoverErrors()
            let arg = try parseMaybeUnary(&argRef, sawUnary: true, incDec: false)
            try checkExpressionErrors(argRef)
            if case .delete = op, strict, isIdentifierReference(arg) {
                throw error("Delete of an unqualified identifier in strict mode.", at: p.jsOffset)
            }
            sawUnary = true
            expr = Expression(.unary(op, arg), at: p)
        } else if tok.type == .inc || tok.type == .dec {
            try enter()
            defer { depth -= 1 }
            let op: UpdateOperator = tok.type == .inc ? .increment : .decrement
            try next()
            var argRef = JSPCoverErrors()
            let arg = try parseMaybeUnary(&argRef, sawUnary: true, incDec: true)
            try checkExpressionErrors(argRef)
            _ = try toSimpleTarget(arg, context: .prefix)
            expr = Expression(.update(op, isPrefix: true, arg), at: p)
        } else {
            expr = try parseExprSubscripts(&ref)
            if hasExpressionErrors(ref) { return expr }
            while (tok.type == .inc || tok.type == .dec) && !tok.newlineBefore {
                let op: UpdateOperator = tok.type == .inc ? .increment : .decrement
                _ = try toSimpleTarget(expr, context: .postfix)
                try next()
                expr = Expression(.update(op, isPrefix: false, expr), at: p)
            }
        }
        if !incDec && tok.type == .starstar {
            if sawUnary {
                throw error("Unary operator used immediately before exponentiation expression. Parenthesis must be used to disambiguate operator precedence", at: tok.start)
            }
            try enter()
            defer { depth -= 1 }
            try next()
            var rightRef = JSPCoverErrors()
            let right = try parseMaybeUnary(&rightRef, sawUnary: false, incDec: false)
            try checkExpressionErrors(rightRef)
            return Expression(.binary(.exponent, expr, right), at: p)
        }
        return expr
    }

    func isIdentifierReference(_ e: Expression) -> Bool {
        switch e.kind {
        case .identifier: return true
        case .parenthesized(let inner): return isIdentifierReference(inner)
        default: return false
        }
    }

    // MARK: Member, call

    func parseExprSubscripts(_ ref: inout JSPCoverErrors) throws(SyntaxError) -> Expression {
        let startTok = tok
        let expr = try parseExprAtom(&ref)
        if case .arrowFunction = expr.kind { return expr }
        let result = try parseSubscripts(expr, startTok.position, noCalls: false)
        if result !== expr && ref.trailingComma >= startTok.start { ref.trailingComma = -1 }
        return result
    }

    func parseSubscripts(_ base: Expression, _ p: SourcePosition, noCalls: Bool) throws(SyntaxError) -> Expression {
        var expr = base
        var chain = false
        let savedDepth = depth
        defer { depth = savedDepth }
        while true {
            switch tok.type {
            case .questionDot:
                if noCalls { throw error("Invalid optional chain from new expression", at: tok.start) }
                chain = true
                try next()
                switch tok.type {
                case .lparen:
                    let args = try parseArguments()
                    expr = Expression(.call(callee: expr, arguments: args, isOptional: true), at: p)
                case .lbracket:
                    try next()
                    let index = try parseExpression()
                    try expect(.rbracket)
                    expr = Expression(.index(object: expr, index: index, isOptional: true), at: p)
                case .template:
                    throw error("Invalid tagged template on optional chain", at: tok.start)
                default:
                    guard tok.type.isIdentifierName else { throw unexpected() }
                    let name = tok.value
                    try next()
                    expr = Expression(.member(object: expr, name: name, isOptional: true), at: p)
                }
            case .dot:
                try next()
                guard tok.type.isIdentifierName else { throw unexpected() }
                let name = tok.value
                try next()
                expr = Expression(.member(object: expr, name: name, isOptional: false), at: p)
            case .lbracket:
                try next()
                let index = try parseExpression()
                try expect(.rbracket)
                expr = Expression(.index(object: expr, index: index, isOptional: false), at: p)
            case .lparen where !noCalls:
                let isAsync = !tok.newlineBefore && isAsyncIdentifier(expr)
                let args = try parseArguments()
                if isAsync && tok.type == .arrow && !tok.newlineBefore {
                    throw error("Async functions are not supported", at: p.jsOffset)
                }
                expr = Expression(.call(callee: expr, arguments: args, isOptional: false), at: p)
            case .template:
                if chain { throw error("Invalid tagged template on optional chain", at: tok.start) }
                let (quasis, exprs) = try parseTemplateParts(tagged: true)
                expr = Expression(.taggedTemplate(tag: expr, quasis: quasis, expressions: exprs), at: p)
            default:
                if chain { expr = Expression(.optionalChain(expr), at: p) }
                return expr
            }
            try enter()
        }
    }

    func isAsyncIdentifier(_ e: Expression) -> Bool {
        guard case .identifier("async") = e.kind else { return false }
        let o = e.position.jsOffset
        return o + 5 <= src.count && src[o] == 0x61 && src[o + 4] == 0x63
    }

    func parseArguments() throws(SyntaxError) -> [Argument] {
        try expect(.lparen)
        var args: [Argument] = []
        while tok.type != .rparen {
            if tok.type == .ellipsis {
                try next()
                args.append(.spread(try parseMaybeAssign()))
            } else {
                args.append(.expression(try parseMaybeAssign()))
            }
            if tok.type != .rparen {
                try expect(.comma)
            }
        }
        try next()
        return args
    }

    // MARK: Atoms

    func parseExprAtom(_ ref: inout JSPCoverErrors) throws(SyntaxError) -> Expression {
        let p = pos
        switch tok.type {
        case .kwThis:
            try next()
            return Expression(.this, at: p)
        case .name:
            let t = tok
            let canBeArrow = potentialArrowAt == t.start
            try checkIdentifier(t)
            try next()
            if canBeArrow && tok.type == .arrow && !tok.newlineBefore {
                return try parseArrowFunction(params: [.identifier(t.value, t.position)], rest: nil,
                                              startTok: t, simple: true)
            }
            if t.value == "async" && !t.escaped && !tok.newlineBefore
                && (tok.type == .kwFunction || (tok.type == .name && canBeArrow)) {
                throw error("Async functions are not supported", at: t.start)
            }
            return Expression(.identifier(t.value), at: p)
        case .number:
            if tok.legacyOctal != .no && strict {
                throw error("Octal literals are not allowed in strict mode.", at: tok.start)
            }
            let v = tok.number
            try next()
            return Expression(.number(v), at: p)
        case .string:
            if tok.legacyOctal != .no && strict {
                throw error("Octal escape sequences are not allowed in strict mode.", at: tok.legacyOctalOffset)
            }
            let s = tok.chars
            try next()
            return Expression(.string(s), at: p)
        case .kwNull:
            try next()
            return Expression(.null, at: p)
        case .kwTrue, .kwFalse:
            let v = tok.type == .kwTrue
            try next()
            return Expression(.boolean(v), at: p)
        case .lparen:
            return try parseParenAndDistinguish(canBeArrow: potentialArrowAt == tok.start)
        case .lbracket:
            return try parseArrayLiteral(&ref)
        case .lbrace:
            return try parseObjectLiteral(&ref)
        case .kwFunction:
            return try parseFunctionExpression()
        case .kwClass:
            return try parseClassExpression()
        case .kwNew:
            return try parseNew()
        case .kwSuper:
            return try parseSuper(noCall: false)
        case .template:
            let (quasis, exprs) = try parseTemplateParts(tagged: false)
            return Expression(.template(quasis: quasis, expressions: exprs), at: p)
        case .slash, .slashAssign:
            tok = try lexer.rescanRegExp(tok)
            let pattern = tok.chars
            let flags = tok.value
            try validateRegExpPattern(pattern, flags: flags, at: tok.start)
            try next()
            return Expression(.regExp(pattern: pattern, flags: flags), at: p)
        default:
            throw unexpected()
        }
    }

    func parseSuper(noCall: Bool) throws(SyntaxError) -> Expression {
        let p = pos
        let superStart = tok.start
        try next()
        switch tok.type {
        case .lparen:
            if noCall || !ctx.allowSuperCall { throw error("'super' keyword unexpected here", at: superStart) }
            let args = try parseArguments()
            return Expression(.superCall(args), at: p)
        case .dot:
            if !ctx.allowSuperProperty { throw error("'super' keyword unexpected here", at: superStart) }
            try next()
            guard tok.type.isIdentifierName else { throw unexpected() }
            let nameExpr = Expression(.string(Array(tok.value.utf16)), at: tok.position)
            try next()
            return Expression(.superMember(property: nameExpr), at: p)
        case .lbracket:
            if !ctx.allowSuperProperty { throw error("'super' keyword unexpected here", at: superStart) }
            try next()
            let index = try parseExpression()
            try expect(.rbracket)
            return Expression(.superIndex(index), at: p)
        default:
            throw error("'super' keyword unexpected here", at: superStart)
        }
    }

    func parseNew() throws(SyntaxError) -> Expression {
        try enter()
        defer { depth -= 1 }
        let p = pos
        let newTok = tok
        try next()
        if tok.type == .dot {
            try next()
            if !isContextual("target") {
                throw error("The only valid meta property for new is 'new.target'", at: tok.start)
            }
            if !ctx.allowNewTarget {
                throw error("new.target expression is not allowed here", at: newTok.start)
            }
            try next()
            return Expression(.newTarget, at: p)
        }
        let calleeStart = tok
        var callee: Expression
        switch tok.type {
        case .kwNew:
            callee = try parseNew()
        case .kwSuper:
            callee = try parseSuper(noCall: true)
        default:
            var ref = JSPCoverErrors()
            potentialArrowAt = -1
            callee = try parseExprAtom(&ref)
            try checkExpressionErrors(ref)
        }
        if case .arrowFunction = callee.kind { throw error("Invalid arrow function in new expression", at: calleeStart.start) }
        callee = try parseSubscripts(callee, calleeStart.position, noCalls: true)
        var args: [Argument] = []
        if tok.type == .lparen { args = try parseArguments() }
        return Expression(.new(callee: callee, arguments: args), at: p)
    }

    // MARK: Templates

    func parseTemplateParts(tagged: Bool) throws(SyntaxError) -> ([TemplateElement], [Expression]) {
        var quasis: [TemplateElement] = []
        var exprs: [Expression] = []
        while true {
            let chunk = tok
            if !tagged && chunk.cooked == nil {
                throw error(chunk.invalidEscapeMessage, at: chunk.invalidEscapeOffset)
            }
            quasis.append(TemplateElement(cooked: chunk.cooked, raw: chunk.chars))
            if chunk.templateTail {
                try next()
                break
            }
            try next()
            exprs.append(try parseExpression())
            guard tok.type == .rbrace else { throw unexpected() }
            tok = try lexer.rescanTemplateContinuation(tok)
        }
        return (quasis, exprs)
    }

    // MARK: Parentheses and arrows

    func parseParenAndDistinguish(canBeArrow: Bool) throws(SyntaxError) -> Expression {
        let startTok = tok
        try next()
        var exprs: [Expression] = []
        var ref = JSPCoverErrors()
        var restPattern: Pattern? = nil
        var spreadStart = -1
        var lastIsComma = false
        var first = true
        while tok.type != .rparen {
            if !first {
                try expect(.comma)
                if tok.type == .rparen {
                    lastIsComma = true
                    break
                }
            }
            first = false
            if tok.type == .ellipsis {
                spreadStart = tok.start
                try next()
                restPattern = try parseBindingTarget(.unbound)
                if tok.type == .comma {
                    throw error("Rest parameter must be last formal parameter", at: tok.start)
                }
                break
            }
            exprs.append(try parseMaybeAssign(noIn: false, &ref, own: false))
        }
        let closeTok = tok
        try expect(.rparen)
        if canBeArrow && tok.type == .arrow && !tok.newlineBefore {
            try checkPatternErrors(ref)
            if ref.parenthesizedBind >= 0 {
                throw error("Invalid destructuring assignment target", at: ref.parenthesizedBind)
            }
            var params: [Pattern] = []
            for e in exprs {
                params.append(try toPatternMaybeDefault(e, binding: true))
            }
            var simple = restPattern == nil
            for prm in params {
                if case .identifier = prm {} else { simple = false }
            }
            return try parseArrowFunction(params: params, rest: restPattern, startTok: startTok, simple: simple)
        }
        if exprs.isEmpty || lastIsComma { throw unexpected(closeTok) }
        if spreadStart >= 0 { throw error("Unexpected token '...'", at: spreadStart) }
        try checkExpressionErrors(ref)
        let inner = exprs.count == 1 ? exprs[0] : Expression(.sequence(exprs), at: exprs[0].position)
        return Expression(.parenthesized(inner), at: startTok.position)
    }

    // MARK: Array and object literals

    func parseArrayLiteral(_ ref: inout JSPCoverErrors) throws(SyntaxError) -> Expression {
        let p = pos
        try next()
        var elements: [ArrayElement] = []
        while tok.type != .rbracket {
            if tok.type == .comma {
                try next()
                elements.append(.hole)
                continue
            }
            if tok.type == .ellipsis {
                try next()
                let e = try parseMaybeAssign(noIn: false, &ref, own: false)
                elements.append(.spread(e))
                if tok.type == .comma && ref.trailingComma < 0 { ref.trailingComma = tok.start }
            } else {
                elements.append(.expression(try parseMaybeAssign(noIn: false, &ref, own: false)))
            }
            if tok.type != .rbracket { try expect(.comma) }
        }
        try next()
        return Expression(.array(elements), at: p)
    }

    /// Whether the current token can start a property name.
    func isPropertyNameStart(_ t: JSToken) -> Bool {
        t.type.isIdentifierName || t.type == .string || t.type == .number || t.type == .lbracket
    }

    func parseObjectLiteral(_ ref: inout JSPCoverErrors) throws(SyntaxError) -> Expression {
        let p = pos
        try next()
        var props: [ObjectProperty] = []
        var hasProto = false
        while tok.type != .rbrace {
            if tok.type == .ellipsis {
                let sp = pos
                try next()
                let e = try parseMaybeAssign(noIn: false, &ref, own: false)
                props.append(ObjectProperty(key: .identifier(""), value: e, kind: .spread, isMethod: false,
                                            isShorthand: false, position: sp))
                if tok.type == .comma && ref.trailingComma < 0 { ref.trailingComma = tok.start }
            } else {
                props.append(try parseObjectProperty(&ref, &hasProto))
            }
            if tok.type != .rbrace { try expect(.comma) }
        }
        try next()
        return Expression(.object(props), at: p)
    }

    func parseObjectProperty(_ ref: inout JSPCoverErrors, _ hasProto: inout Bool) throws(SyntaxError) -> ObjectProperty {
        let p = pos
        let startTok = tok
        if tok.type == .star { throw error("Generators are not supported", at: tok.start) }
        if (isContextual("get") || isContextual("set")) {
            let n = try peek()
            if isPropertyNameStart(n) {
                let isGetter = tok.value == "get"
                try next()
                let (key, _, name) = try parsePropertyName()
                let f = try parseMethod(kind: isGetter ? .getter : .setter, name: name, startTok: startTok,
                                        allowSuperCall: false)
                return ObjectProperty(key: key, value: Expression(.function(f), at: startTok.position),
                                      kind: isGetter ? .getter : .setter, isMethod: false, isShorthand: false, position: p)
            }
        }
        if isContextual("async") {
            let n = try peek()
            if !n.newlineBefore && (isPropertyNameStart(n) || n.type == .star) {
                throw error("Async functions are not supported", at: tok.start)
            }
        }
        let (key, keyTok, name) = try parsePropertyName()
        if tok.type == .lparen {
            let f = try parseMethod(kind: .method, name: name, startTok: keyTok, allowSuperCall: false)
            return ObjectProperty(key: key, value: Expression(.function(f), at: keyTok.position), kind: .initialize,
                                  isMethod: true, isShorthand: false, position: p)
        }
        if tok.type == .colon {
            try next()
            if case .computed = key {} else if name == "__proto__" {
                if hasProto {
                    if ref.doubleProto < 0 { ref.doubleProto = keyTok.start }
                }
                hasProto = true
            }
            var value = try parseMaybeAssign(noIn: false, &ref, own: false)
            if case .computed = key {} else {
                value = nameAnonymousFunction(value, name: name)
            }
            return ObjectProperty(key: key, value: value, kind: .initialize, isMethod: false, isShorthand: false, position: p)
        }
        // Shorthand `a` or CoverInitializedName `a = 1`.
        guard keyTok.type == .name else { throw unexpected(keyTok.type == .lbracket ? tok : keyTok) }
        try checkIdentifier(keyTok)
        if tok.type == .assign {
            if ref.shorthandAssign < 0 { ref.shorthandAssign = tok.start }
            try next()
            let value = nameAnonymousFunction(try parseMaybeAssign(), name: name)
            let assign = Expression(.assignment(.assign, target: .identifier(name, keyTok.position), value: value),
                                    at: keyTok.position)
            return ObjectProperty(key: key, value: assign, kind: .initialize, isMethod: false, isShorthand: true, position: p)
        }
        return ObjectProperty(key: key, value: Expression(.identifier(name), at: keyTok.position), kind: .initialize,
                              isMethod: false, isShorthand: true, position: p)
    }

    /// Parses a property name; returns it, its first token, and its static string ("" when computed).
    func parsePropertyName() throws(SyntaxError) -> (PropertyName, JSToken, String) {
        let t = tok
        switch tok.type {
        case .string:
            if tok.legacyOctal != .no && strict {
                throw error("Octal escape sequences are not allowed in strict mode.", at: tok.legacyOctalOffset)
            }
            try next()
            return (.string(t.chars), t, String(decoding: t.chars, as: UTF16.self))
        case .number:
            if tok.legacyOctal != .no && strict {
                throw error("Octal literals are not allowed in strict mode.", at: tok.start)
            }
            try next()
            return (.number(t.number), t, jsNumberToString(t.number))
        case .lbracket:
            try next()
            let e = try parseMaybeAssign()
            try expect(.rbracket)
            return (.computed(e), t, "")
        default:
            guard tok.type.isIdentifierName else { throw unexpected() }
            try next()
            return (.identifier(t.value), t, t.value)
        }
    }

    // MARK: Name inference

    /// Gives an anonymous function, arrow or class expression (possibly parenthesized) a name.
    func nameAnonymousFunction(_ e: Expression, name: String) -> Expression {
        switch e.kind {
        case .function(let f) where f.name.isEmpty && !f.hasOwnNameBinding:
            return Expression(.function(f.jsRenamed(name)), at: e.position)
        case .arrowFunction(let f) where f.name.isEmpty:
            return Expression(.arrowFunction(f.jsRenamed(name)), at: e.position)
        case .class(let c) where c.name.isEmpty && !c.hasOwnNameBinding:
            return Expression(.class(c.jsRenamed(name)), at: e.position)
        case .parenthesized(let inner):
            let named = nameAnonymousFunction(inner, name: name)
            if named === inner { return e }
            return Expression(.parenthesized(named), at: e.position)
        default:
            return e
        }
    }
}

extension FunctionNode {
    func jsRenamed(_ newName: String) -> FunctionNode {
        FunctionNode(name: newName, hasOwnNameBinding: false, kind: kind, parameters: parameters, rest: rest, body: body,
                     expressionBody: expressionBody, isStrict: isStrict, hasSimpleParameters: hasSimpleParameters,
                     sourceStart: sourceStart, sourceEnd: sourceEnd, position: position)
    }
}

extension ClassNode {
    func jsRenamed(_ newName: String) -> ClassNode {
        ClassNode(name: newName, hasOwnNameBinding: false, superClass: superClass,
                  constructor: constructor?.jsRenamed(newName), members: members,
                  sourceStart: sourceStart, sourceEnd: sourceEnd, position: position)
    }
}

extension SourcePosition {
    var jsOffset: Int { Int(offset) }
}

/// ECMAScript Number::toString for finite and non-finite doubles.
func jsNumberToString(_ d: Double) -> String {
    if d.isNaN { return "NaN" }
    if d == 0 { return "0" }
    if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
    if d < 0 { return "-" + jsNumberToString(-d) }
    // Swift's description gives the shortest round-tripping digits.
    let desc = d.description
    var mantissa = Substring(desc)
    var exp = 0
    if let eIdx = desc.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        mantissa = desc[desc.startIndex..<eIdx]
        exp = Int(desc[desc.index(after: eIdx)...]) ?? 0
    }
    var intPart = mantissa
    var fracPart: Substring = ""
    if let dot = mantissa.firstIndex(of: ".") {
        intPart = mantissa[mantissa.startIndex..<dot]
        fracPart = mantissa[mantissa.index(after: dot)...]
    }
    var digits = Array(intPart + fracPart)
    var n = intPart.count + exp
    while let f = digits.first, f == "0", digits.count > 1 {
        digits.removeFirst()
        n -= 1
    }
    while let l = digits.last, l == "0", digits.count > 1 { digits.removeLast() }
    let k = digits.count
    let s = String(digits)
    if k <= n && n <= 21 {
        return s + String(repeating: "0", count: n - k)
    }
    if 0 < n && n <= 21 {
        return String(digits[0..<n]) + "." + String(digits[n...])
    }
    if -6 < n && n <= 0 {
        return "0." + String(repeating: "0", count: -n) + s
    }
    let e = n - 1
    let sign = e < 0 ? "-" : "+"
    if k == 1 { return s + "e" + sign + String(abs(e)) }
    return String(digits[0]) + "." + String(digits[1...]) + "e" + sign + String(abs(e))
}

extension AssignmentOperator {
    /// `=`, `&&=`, `||=`, `??=` name an anonymous function assigned to an identifier.
    var isNamedEvaluation: Bool {
        switch self {
        case .assign, .and, .or, .nullish: return true
        default: return false
        }
    }
}
