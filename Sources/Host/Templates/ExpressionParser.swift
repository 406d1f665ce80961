import SluiceVM

/// A name visible to expressions besides the context keys: a `@foreach` item or its `loop`.
struct ScopeEntry {
    enum Kind { case item, loop }
    let name: String
    let kind: Kind
    let slot: Int
}

/// Parses one template expression from UTF-8 bytes, by recursive descent. Lowest to highest
/// precedence: `|| or`, `&& and`, `=== !== == != eq neq`, `< <= > >= lt lte gt gte`, `+`,
/// unary `! -`, filters `| name:arg`, member access `.x [i]`, primaries. The parser stops at the
/// first token it cannot use (`}}`, `)`, ...) and leaves it in `token` for the caller to check.
struct ExpressionParser {
    enum Token: Hashable {
        case identifier(String)
        case number(Double)
        case string(String)
        case punctuator(String)
        case end
        case invalid(Character)
    }

    private let bytes: [UInt8]
    private let limit: Int
    /// Maps an index in `bytes` to an offset in the template source (for decoded attribute values).
    private let offsetMap: [Int]?
    private let locator: SourceLocator
    private let scopes: [ScopeEntry]
    private var position: Int
    /// Tokens read so far. Bounding it bounds the expression tree's depth, hence the recursion
    /// of parsing and, at every render, of evaluation.
    private var tokenCount = 0
    static let maximumTokens = 256
    private(set) var token: Token = .end
    /// Index in `bytes` where `token` starts.
    private(set) var tokenStart: Int = 0

    init(bytes: [UInt8], from start: Int, limit: Int, offsetMap: [Int]? = nil, locator: SourceLocator, scopes: [ScopeEntry]) {
        self.bytes = bytes
        self.limit = limit
        self.offsetMap = offsetMap
        self.locator = locator
        self.scopes = scopes
        position = start
        ParseCounter.current?.expressions += 1
        advance()
    }

    /// Offset in the template source of the current token.
    var tokenOffset: Int { sourceOffset(tokenStart) }
    /// Index in `bytes` just past the current token.
    var tokenEnd: Int { position }

    func error(_ message: String) -> TemplateError { locator.error(at: tokenOffset, message) }

    private func sourceOffset(_ index: Int) -> Int {
        guard let offsetMap else { return index }
        return index < offsetMap.count ? offsetMap[index] : (offsetMap.last.map { $0 + 1 } ?? 0)
    }

    // MARK: Tokens

    mutating func advance() {
        tokenCount += 1
        while position < limit && MarkupScanner.isWhitespace(bytes[position]) { position += 1 }
        tokenStart = position
        guard position < limit else {
            token = .end
            return
        }
        let b = bytes[position]
        if Self.isIdentifierStart(b) {
            var i = position + 1
            while i < limit && (Self.isIdentifierStart(bytes[i]) || Self.isDigit(bytes[i])) { i += 1 }
            token = .identifier(String(decoding: bytes[position..<i], as: UTF8.self))
            position = i
        } else if Self.isDigit(b) {
            var i = position
            while i < limit && Self.isDigit(bytes[i]) { i += 1 }
            if i + 1 < limit && bytes[i] == 0x2E && Self.isDigit(bytes[i + 1]) {
                i += 1
                while i < limit && Self.isDigit(bytes[i]) { i += 1 }
            }
            token = .number(Double(String(decoding: bytes[position..<i], as: UTF8.self)) ?? .nan)
            position = i
        } else if b == 0x22 || b == 0x27 {
            lexString(quote: b)
        } else {
            let three = position + 3 <= limit ? String(decoding: bytes[position..<(position + 3)], as: UTF8.self) : ""
            let two = position + 2 <= limit ? String(decoding: bytes[position..<(position + 2)], as: UTF8.self) : ""
            if three == "===" || three == "!==" {
                token = .punctuator(three)
                position += 3
            } else if ["==", "!=", "<=", ">=", "&&", "||", "}}"].contains(two) {
                token = .punctuator(two)
                position += 2
            } else if Array(".[]()|:,!+-<>".utf8).contains(b) {
                token = .punctuator(String(UnicodeScalar(b)))
                position += 1
            } else {
                let end = min(limit, position + Self.sequenceLength(b))
                token = .invalid(String(decoding: bytes[position..<end], as: UTF8.self).first ?? "?")
            }
        }
    }

    private mutating func lexString(quote: UInt8) {
        var text: [UInt8] = []
        var i = position + 1
        while i < limit && bytes[i] != quote {
            if bytes[i] == 0x5C && i + 1 < limit {
                i += 1
                switch bytes[i] {
                case 0x6E: text.append(0x0A)
                case 0x74: text.append(0x09)
                case 0x72: text.append(0x0D)
                default: text.append(bytes[i])
                }
            } else {
                text.append(bytes[i])
            }
            i += 1
        }
        if i >= limit {
            token = .invalid(Character(UnicodeScalar(quote)))
            return
        }
        token = .string(String(decoding: text, as: UTF8.self))
        position = i + 1
    }

    private static func isIdentifierStart(_ b: UInt8) -> Bool {
        MarkupScanner.isASCIILetter(b) || b == 0x5F || b == 0x24
    }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    private static func sequenceLength(_ b: UInt8) -> Int { b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4 }

    static func describe(_ token: Token) -> String {
        switch token {
        case .identifier(let s): return "'\(s)'"
        case .number(let d): return "'\(NumberConversion.toString(d))'"
        case .string: return "a string"
        case .punctuator(let p): return "'\(p)'"
        case .end: return "the end of the expression"
        case .invalid(let c) where c == "\"" || c == "'": return "an unterminated string"
        case .invalid(let c): return "'\(c)'"
        }
    }

    func isPunctuator(_ p: String) -> Bool { token == .punctuator(p) }

    mutating func expectPunctuator(_ p: String, _ context: String) throws(TemplateError) {
        guard isPunctuator(p) else { throw error("expected '\(p)' \(context), found \(Self.describe(token))") }
        advance()
    }

    // MARK: Grammar

    mutating func parseExpression() throws(TemplateError) -> TemplateExpression {
        try checkLength()
        var left = try parseAnd()
        while isPunctuator("||") || token == .identifier("or") {
            advance()
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(TemplateError) -> TemplateExpression {
        var left = try parseEquality()
        while isPunctuator("&&") || token == .identifier("and") {
            advance()
            left = .and(left, try parseEquality())
        }
        return left
    }

    private static let equalityOperators: [Token: BinaryOperator] = [
        .punctuator("==="): .strictEqual, .punctuator("!=="): .strictNotEqual,
        .punctuator("=="): .looseEqual, .punctuator("!="): .looseNotEqual,
        .identifier("eq"): .looseEqual, .identifier("neq"): .looseNotEqual,
    ]
    private static let relationalOperators: [Token: BinaryOperator] = [
        .punctuator("<"): .less, .punctuator("<="): .lessOrEqual,
        .punctuator(">"): .greater, .punctuator(">="): .greaterOrEqual,
        .identifier("lt"): .less, .identifier("lte"): .lessOrEqual,
        .identifier("gt"): .greater, .identifier("gte"): .greaterOrEqual,
    ]

    private mutating func parseEquality() throws(TemplateError) -> TemplateExpression {
        var left = try parseRelational()
        while let op = Self.equalityOperators[token] {
            advance()
            left = .binary(op, left, try parseRelational())
        }
        return left
    }

    private mutating func parseRelational() throws(TemplateError) -> TemplateExpression {
        var left = try parseAdditive()
        while let op = Self.relationalOperators[token] {
            advance()
            left = .binary(op, left, try parseAdditive())
        }
        return left
    }

    private mutating func parseAdditive() throws(TemplateError) -> TemplateExpression {
        var left = try parseUnary(allowFilters: true)
        while isPunctuator("+") {
            advance()
            left = .binary(.plus, left, try parseUnary(allowFilters: true))
        }
        return left
    }

    private func checkLength() throws(TemplateError) {
        if tokenCount > Self.maximumTokens {
            throw error("expression too long (over \(Self.maximumTokens) tokens): move the logic into the backend script and setVariable the result")
        }
    }

    private mutating func parseUnary(allowFilters: Bool) throws(TemplateError) -> TemplateExpression {
        try checkLength()
        if isPunctuator("!") {
            advance()
            return .not(try parseUnary(allowFilters: allowFilters))
        }
        if isPunctuator("-") {
            advance()
            let operand = try parseUnary(allowFilters: allowFilters)
            if case .literal(.number(let d)) = operand { return .literal(.number(-d)) }
            return .negate(operand)
        }
        let operand = try parsePostfix()
        return allowFilters ? try parseFilters(on: operand) : operand
    }

    /// `expr | name:arg,arg | name ...`, left to right.
    private mutating func parseFilters(on input: TemplateExpression) throws(TemplateError) -> TemplateExpression {
        var result = input
        while isPunctuator("|") {
            advance()
            guard case .identifier(let name) = token else {
                throw error("expected a filter name after '|', found \(Self.describe(token))")
            }
            guard let filter = TemplateFilter(rawValue: name) else {
                throw error("unknown filter '\(name)' (available: \(TemplateFilter.namesList))")
            }
            let nameOffset = tokenOffset
            advance()
            var args: [TemplateExpression] = []
            if isPunctuator(":") {
                repeat {
                    advance()
                    args.append(try parseUnary(allowFilters: false))
                } while isPunctuator(":") || isPunctuator(",")
            }
            let arity = filter.arity
            if args.count < arity.min || args.count > arity.max {
                let expected = arity.max == 0 ? "takes no arguments" : "takes \(arity.min == arity.max ? "\(arity.min)" : "\(arity.min) or \(arity.max)") argument\(arity.max == 1 ? "" : "s")"
                throw locator.error(at: nameOffset, "filter '\(name)' \(expected), e.g. \(arity.usage)")
            }
            result = .filter(filter, result, args)
        }
        return result
    }

    private mutating func parsePostfix() throws(TemplateError) -> TemplateExpression {
        var result = try parsePrimary()
        while true {
            try checkLength()
            if isPunctuator(".") {
                advance()
                switch token {
                case .identifier(let name):
                    result = try member(result, name)
                case .number(let d) where d >= 0 && d == d.rounded(.towardZero):
                    result = .index(result, .literal(.number(d)))
                default:
                    throw error("expected a property name after '.', found \(Self.describe(token))")
                }
                advance()
            } else if isPunctuator("[") {
                advance()
                let key = try parseExpression()
                try expectPunctuator("]", "to close '['")
                if case .literal(.string(let name)) = key {
                    result = try member(result, name)
                } else {
                    result = .index(result, key)
                }
            } else {
                return result
            }
        }
    }

    private func member(_ base: TemplateExpression, _ name: String) throws(TemplateError) -> TemplateExpression {
        guard case .loopInfo(let slot) = base else { return .member(base, name) }
        guard let field = LoopField(rawValue: name) else {
            let fields = LoopField.allCases.map(\.rawValue).joined(separator: ", ")
            throw error("'loop' has no property '\(name)' (available: \(fields))")
        }
        return .loopField(slot: slot, field)
    }

    private mutating func parsePrimary() throws(TemplateError) -> TemplateExpression {
        switch token {
        case .number(let d):
            advance()
            return .literal(.number(d))
        case .string(let s):
            advance()
            return .literal(.string(s))
        case .identifier(let name):
            let nameOffset = tokenOffset
            advance()
            if isPunctuator("(") { return try parseCall(name, at: nameOffset) }
            switch name {
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            case "null": return .literal(.null)
            case "undefined": return .literal(.undefined)
            default: return resolve(name)
            }
        case .punctuator("("):
            advance()
            let inner = try parseExpression()
            try expectPunctuator(")", "to close '('")
            return inner
        case .end, .punctuator("}}"), .punctuator(")"), .punctuator("]"):
            throw error("expected an expression, found \(Self.describe(token))")
        default:
            throw error("unexpected \(Self.describe(token)) in expression")
        }
    }

    /// `dump(x)` is the one template function.
    private mutating func parseCall(_ name: String, at nameOffset: Int) throws(TemplateError) -> TemplateExpression {
        guard name == "dump" else {
            throw locator.error(at: nameOffset, "unknown function '\(name)()' (templates support dump(value))")
        }
        advance()
        let argument = try parseExpression()
        try expectPunctuator(")", "to close 'dump('")
        return .dump(argument)
    }

    private func resolve(_ name: String) -> TemplateExpression {
        for entry in scopes.reversed() where entry.name == name {
            return entry.kind == .item ? .loopItem(slot: entry.slot) : .loopInfo(slot: entry.slot)
        }
        return .context(name)
    }
}

/// Counts parser runs, for tests that check a compiled template renders without re-parsing.
final class ParseCounter: @unchecked Sendable {
    @TaskLocal static var current: ParseCounter?
    var templates = 0
    var expressions = 0
}
