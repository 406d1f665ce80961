// Binding patterns, and the conversion of expressions to assignment targets and patterns.

enum JSPTargetContext {
    case assignment, prefix, postfix, forInOf

    var message: String {
        switch self {
        case .assignment: return "Invalid left-hand side in assignment"
        case .prefix: return "Invalid left-hand side expression in prefix operation"
        case .postfix: return "Invalid left-hand side expression in postfix operation"
        case .forInOf: return "Invalid left-hand side in for-loop"
        }
    }
}

extension JSParser {
    // MARK: Expressions to targets

    /// A simple assignment target: an identifier or a member expression (possibly parenthesized).
    func toSimpleTarget(_ e: Expression, context: JSPTargetContext) throws(SyntaxError) -> Pattern {
        switch e.kind {
        case .identifier(let name):
            if strict && (name == "eval" || name == "arguments") {
                throw error("Unexpected eval or arguments in strict mode", at: e.position.jsOffset)
            }
            return .identifier(name, e.position)
        case .member(_, _, let optional), .index(_, _, let optional):
            if optional { throw error(context.message, at: e.position.jsOffset) }
            return .expression(e)
        case .superMember, .superIndex:
            return .expression(e)
        case .parenthesized(let inner):
            switch inner.kind {
            case .identifier, .member, .index, .superMember, .superIndex, .parenthesized:
                return try toSimpleTarget(inner, context: context)
            default:
                throw error(context.message, at: e.position.jsOffset)
            }
        default:
            throw error(context.message, at: e.position.jsOffset)
        }
    }

    /// The target of `=` or of a for-in/of head: a simple target or a destructuring pattern.
    func toAssignmentTarget(_ e: Expression, _ ref: inout JSPCoverErrors, isForInOf: Bool) throws(SyntaxError) -> Pattern {
        switch e.kind {
        case .array, .object:
            try checkPatternErrors(ref)
            let p = try toPattern(e, binding: false)
            if ref.shorthandAssign >= e.position.jsOffset { ref.shorthandAssign = -1 }
            return p
        default:
            return try toSimpleTarget(e, context: isForInOf ? .forInOf : .assignment)
        }
    }

    /// An element of a pattern that may carry a default (`a = 1`).
    func toPatternMaybeDefault(_ e: Expression, binding: Bool) throws(SyntaxError) -> Pattern {
        if case .assignment(let op, let target, let value) = e.kind {
            guard case .assign = op else {
                throw error("Invalid destructuring assignment target", at: e.position.jsOffset)
            }
            let t = binding ? try toBindingPattern(target) : target
            return .withDefault(t, value)
        }
        return try toPattern(e, binding: binding)
    }

    /// Converts an already converted assignment pattern to a binding pattern (no member targets).
    func toBindingPattern(_ p: Pattern) throws(SyntaxError) -> Pattern {
        switch p {
        case .identifier:
            return p
        case .expression(let e):
            throw error("Invalid destructuring assignment target", at: e.position.jsOffset)
        case .withDefault(let t, let v):
            return .withDefault(try toBindingPattern(t), v)
        case .array(let elems, let rest, let pos):
            var out: [Pattern?] = []
            for el in elems {
                if let el { out.append(try toBindingPattern(el)) } else { out.append(nil) }
            }
            return .array(out, rest: try rest.map { (r) throws(SyntaxError) in try toBindingPattern(r) }, pos)
        case .object(let props, let rest, let pos):
            var out: [ObjectPatternProperty] = []
            for prop in props {
                out.append(ObjectPatternProperty(key: prop.key, value: try toBindingPattern(prop.value),
                                                 isShorthand: prop.isShorthand))
            }
            if let rest, case .identifier = rest {} else if let rest {
                throw error("Invalid destructuring assignment target", at: rest.position.jsOffset)
            }
            return .object(out, rest: rest, pos)
        }
    }

    func toPattern(_ e: Expression, binding: Bool) throws(SyntaxError) -> Pattern {
        try enter()
        defer { depth -= 1 }
        switch e.kind {
        case .identifier(let name):
            if !binding && strict && (name == "eval" || name == "arguments") {
                throw error("Unexpected eval or arguments in strict mode", at: e.position.jsOffset)
            }
            return .identifier(name, e.position)
        case .member(_, _, let optional), .index(_, _, let optional):
            if binding || optional { throw error("Invalid destructuring assignment target", at: e.position.jsOffset) }
            return .expression(e)
        case .superMember, .superIndex:
            if binding { throw error("Invalid destructuring assignment target", at: e.position.jsOffset) }
            return .expression(e)
        case .parenthesized:
            if binding { throw error("Invalid destructuring assignment target", at: e.position.jsOffset) }
            sawParenthesizedTarget = true
            return try toSimpleTarget(e, context: .assignment)
        case .array(let elements):
            var out: [Pattern?] = []
            var rest: Pattern? = nil
            for (i, el) in elements.enumerated() {
                switch el {
                case .hole:
                    out.append(nil)
                case .spread(let x):
                    if i != elements.count - 1 {
                        throw error("Rest element must be last element", at: x.position.jsOffset)
                    }
                    if case .assignment = x.kind {
                        throw error("Rest element may not have a default initializer", at: x.position.jsOffset)
                    }
                    rest = try toPattern(x, binding: binding)
                case .expression(let x):
                    out.append(try toPatternMaybeDefault(x, binding: binding))
                }
            }
            return .array(out, rest: rest, e.position)
        case .object(let props):
            var out: [ObjectPatternProperty] = []
            var rest: Pattern? = nil
            for (i, prop) in props.enumerated() {
                switch prop.kind {
                case .spread:
                    if i != props.count - 1 {
                        throw error("Rest element must be last element", at: prop.value.position.jsOffset)
                    }
                    switch prop.value.kind {
                    case .identifier:
                        rest = try toPattern(prop.value, binding: binding)
                    case .member, .index, .superMember, .superIndex, .parenthesized:
                        if binding { throw error("Invalid rest element", at: prop.value.position.jsOffset) }
                        rest = try toSimpleTarget(prop.value, context: .assignment)
                    default:
                        throw error("`...` must be followed by an assignable reference in assignment contexts",
                                    at: prop.value.position.jsOffset)
                    }
                case .getter, .setter:
                    throw error("Invalid destructuring assignment target", at: prop.position.jsOffset)
                case .initialize:
                    if prop.isMethod {
                        throw error("Invalid destructuring assignment target", at: prop.position.jsOffset)
                    }
                    out.append(ObjectPatternProperty(key: prop.key, value: try toPatternMaybeDefault(prop.value, binding: binding),
                                                     isShorthand: prop.isShorthand))
                }
            }
            return .object(out, rest: rest, e.position)
        default:
            throw error(binding ? "Invalid destructuring assignment target" : "Invalid left-hand side in assignment",
                        at: e.position.jsOffset)
        }
    }

    // MARK: Binding patterns (parsed directly)

    /// Parses a binding identifier or pattern, declaring every name it binds.
    func parseBindingTarget(_ kind: JSPBindingKind) throws(SyntaxError) -> Pattern {
        switch tok.type {
        case .name:
            let (name, t) = try parseBindingIdentifier()
            try checkBindingName(name, at: t.start, lexical: kind == .lexical)
            try declare(name, kind, at: t.start)
            return .identifier(name, t.position)
        case .lbracket:
            return try parseArrayBindingPattern(kind)
        case .lbrace:
            return try parseObjectBindingPattern(kind)
        default:
            throw unexpected()
        }
    }

    /// A binding target with an optional default.
    func parseBindingElement(_ kind: JSPBindingKind) throws(SyntaxError) -> Pattern {
        let target = try parseBindingTarget(kind)
        if try eat(.assign) {
            var value = try parseMaybeAssign()
            if case .identifier(let name, _) = target { value = nameAnonymousFunction(value, name: name) }
            return .withDefault(target, value)
        }
        return target
    }

    func parseArrayBindingPattern(_ kind: JSPBindingKind) throws(SyntaxError) -> Pattern {
        try enter()
        defer { depth -= 1 }
        let p = pos
        try next()
        var elements: [Pattern?] = []
        var rest: Pattern? = nil
        while tok.type != .rbracket {
            if tok.type == .comma {
                try next()
                elements.append(nil)
                continue
            }
            if tok.type == .ellipsis {
                try next()
                rest = try parseBindingTarget(kind)
                if tok.type != .rbracket {
                    throw error(tok.type == .assign ? "Rest element may not have a default initializer"
                                : "Rest element must be last element", at: tok.start)
                }
                break
            }
            elements.append(try parseBindingElement(kind))
            if tok.type != .rbracket { try expect(.comma) }
        }
        try expect(.rbracket)
        return .array(elements, rest: rest, p)
    }

    func parseObjectBindingPattern(_ kind: JSPBindingKind) throws(SyntaxError) -> Pattern {
        try enter()
        defer { depth -= 1 }
        let p = pos
        try next()
        var props: [ObjectPatternProperty] = []
        var rest: Pattern? = nil
        while tok.type != .rbrace {
            if tok.type == .ellipsis {
                try next()
                guard tok.type == .name else { throw error("Invalid rest element", at: tok.start) }
                rest = try parseBindingTarget(kind)
                if tok.type != .rbrace {
                    throw error("Rest element must be last element", at: tok.start)
                }
                break
            }
            let (key, keyTok, _) = try parsePropertyName()
            if try eat(.colon) {
                props.append(ObjectPatternProperty(key: key, value: try parseBindingElement(kind), isShorthand: false))
            } else {
                guard keyTok.type == .name else { throw unexpected(keyTok.type == .lbracket ? tok : keyTok) }
                try checkIdentifier(keyTok)
                let name = keyTok.value
                try checkBindingName(name, at: keyTok.start, lexical: kind == .lexical)
                try declare(name, kind, at: keyTok.start)
                var target: Pattern = .identifier(name, keyTok.position)
                if try eat(.assign) {
                    let value = nameAnonymousFunction(try parseMaybeAssign(), name: name)
                    target = .withDefault(target, value)
                }
                props.append(ObjectPatternProperty(key: key, value: target, isShorthand: true))
            }
            if tok.type != .rbrace { try expect(.comma) }
        }
        try expect(.rbrace)
        return .object(props, rest: rest, p)
    }
}

/// Bound names with their positions.
func jsCollectBoundNamesWithPositions(_ p: Pattern, into names: inout [(String, SourcePosition)]) {
    switch p {
    case .identifier(let n, let pos): names.append((n, pos))
    case .expression: break
    case .withDefault(let t, _): jsCollectBoundNamesWithPositions(t, into: &names)
    case .array(let elems, let rest, _):
        for e in elems { if let e { jsCollectBoundNamesWithPositions(e, into: &names) } }
        if let rest { jsCollectBoundNamesWithPositions(rest, into: &names) }
    case .object(let props, let rest, _):
        for prop in props { jsCollectBoundNamesWithPositions(prop.value, into: &names) }
        if let rest { jsCollectBoundNamesWithPositions(rest, into: &names) }
    }
}
