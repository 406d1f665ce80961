// The JavaScript parser: a recursive-descent parser over UTF-16 code units that builds the AST
// in AST.swift and reports syntax errors and early errors.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc) || canImport(Musl)
/// A GNU extension the Glibc module does not export.
@_silgen_name("pthread_getattr_np")
private func sluice_pthread_getattr_np(_ thread: pthread_t, _ attr: UnsafeMutablePointer<pthread_attr_t>) -> Int32
#endif

public enum Parser {
    /// The maximum nesting depth of the trees the parser produces (and of its own recursion).
    /// Deeper input is rejected with a SyntaxError "nesting too deep"; the code generator can
    /// walk trees recursively.
    public static let maxNestingDepth = 1000

    /// Parses a whole script. Throws SyntaxError with file:line:column.
    public static func parse(source: String, name: String, options: ParseOptions) throws(SyntaxError) -> ProgramNode {
        let parser = JSParser(source: Array(source.utf16), sourceName: name, options: options)
        return try parser.parseProgram()
    }

    /// Parses a script given as UTF-16 code units.
    public static func parse(utf16 source: [UInt16], name: String, options: ParseOptions) throws(SyntaxError) -> ProgramNode {
        let parser = JSParser(source: source, sourceName: name, options: options)
        return try parser.parseProgram()
    }
}

// MARK: - Parser state

struct JSPScopeFlags: OptionSet {
    let rawValue: UInt8
    static let top = JSPScopeFlags(rawValue: 1)
    static let function = JSPScopeFlags(rawValue: 2)
    static let simpleCatch = JSPScopeFlags(rawValue: 4)
    static let arrow = JSPScopeFlags(rawValue: 8)
    static let `var`: JSPScopeFlags = [.top, .function]
}

struct JSPScope {
    var flags: JSPScopeFlags
    var vars: Set<String> = []
    var lexical: Set<String> = []
    var functions: Set<String> = []
    var catchName: String? = nil
    init(flags: JSPScopeFlags) { self.flags = flags }
}

enum JSPBindingKind {
    case `var`
    case lexical
    case function
    case simpleCatch
    /// Checked for validity only (not declared): function expression names, class expression names.
    case unbound
}

struct JSPLabel {
    var name: String
    var isLoop: Bool
    var statementStart: Int
}

/// The per-function parsing context (saved and restored around nested functions).
struct JSPFunctionContext {
    var inFunction = false
    var allowReturn = false
    var allowNewTarget = false
    var allowSuperProperty = false
    var allowSuperCall = false
    var labels: [JSPLabel] = []
    var loopDepth = 0
    var breakableDepth = 0
}

/// Positions of cover-grammar constructs that are errors unless the expression becomes a pattern
/// (and the reverse), after acorn's DestructuringErrors.
struct JSPCoverErrors {
    var shorthandAssign = -1
    var trailingComma = -1
    var doubleProto = -1
    /// An assignment pattern with a parenthesized target (`[(a)] = b`): not a valid binding pattern.
    var parenthesizedBind = -1
}

final class JSParser {
    @exclusivity(unchecked) var lexer: JSLexer
    @exclusivity(unchecked) var tok = JSToken()
    /// End offset of the last consumed token.
    @exclusivity(unchecked) var prevEnd = 0
    let options: ParseOptions
    let sourceName: String
    var src: [UInt16] { lexer.src }

    @exclusivity(unchecked) var strict = false
    @exclusivity(unchecked) var depth = 0
    /// The deepest recursion level reached (for measuring chains built in loops).
    @exclusivity(unchecked) var maxSeen = 0
    /// Lowest safe stack address for this thread.
    @exclusivity(unchecked) var stackLimit: UInt = 0
    @exclusivity(unchecked) var ctx = JSPFunctionContext()
    @exclusivity(unchecked) var scopes: [JSPScope] = []
    @exclusivity(unchecked) var potentialArrowAt = -1
    /// Set when `toPattern` converts a parenthesized target (see `JSPCoverErrors.parenthesizedBind`).
    @exclusivity(unchecked) var sawParenthesizedTarget = false
    @exclusivity(unchecked) var imports: [ImportDeclaration] = []
    @exclusivity(unchecked) var exports: [ExportDeclaration] = []
    @exclusivity(unchecked) var exportedNames: Set<String> = []
    /// Locals named by `export { ... }` (must be declared at the top level).
    @exclusivity(unchecked) var exportedLocals: [(String, Int)] = []
    /// `await` is an operator (function-body mode).
    let awaitIsOperator: Bool

    init(source: [UInt16], sourceName: String, options: ParseOptions) {
        self.lexer = JSLexer(source: source, sourceName: sourceName)
        self.options = options
        self.sourceName = sourceName
        self.awaitIsOperator = options.allowTopLevelReturn
        self.stackLimit = JSParser.threadStackLimit()
    }

    // MARK: Stack and depth

    /// Per-thread cache of `computeStackLimit()` (computing it may read /proc/self/maps).
    static let stackLimitKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    static func threadStackLimit() -> UInt {
        if let cached = pthread_getspecific(stackLimitKey) {
            return UInt(bitPattern: cached)
        }
        let limit = computeStackLimit()
        pthread_setspecific(stackLimitKey, UnsafeRawPointer(bitPattern: limit))
        return limit
    }

    static func computeStackLimit() -> UInt {
        let here = currentStackAddress()
        #if canImport(Glibc) || canImport(Musl)
        var attr = pthread_attr_t()
        if sluice_pthread_getattr_np(pthread_self(), &attr) == 0 {
            defer { pthread_attr_destroy(&attr) }
            var addr: UnsafeMutableRawPointer? = nil
            var size = 0
            if pthread_attr_getstack(&attr, &addr, &size) == 0, let addr {
                let low = UInt(bitPattern: addr)
                if here > low && here - low < UInt(size) + 65536 {
                    let margin = UInt(min(max(size / 4, 64 * 1024), 256 * 1024))
                    return low + margin
                }
            }
        }
        #elseif canImport(Darwin)
        let thread = pthread_self()
        let high = UInt(bitPattern: pthread_get_stackaddr_np(thread))
        let size = UInt(pthread_get_stacksize_np(thread))
        if high > size && here <= high && here > high - size {
            let margin = min(max(size / 4, 64 * 1024), 256 * 1024)
            return high - size + margin
        }
        #endif
        // Unknown stack: allow 256 KiB from here.
        return here > 256 * 1024 ? here - 256 * 1024 : 1
    }

    @inline(never)
    static func currentStackAddress() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }

    /// Enters one level of recursion; call `depth -= 1` when leaving (use `defer`).
    @inline(__always)
    func enter() throws(SyntaxError) {
        depth += 1
        if depth > maxSeen { maxSeen = depth }
        if depth > Parser.maxNestingDepth || JSParser.currentStackAddress() < stackLimit {
            throw nestingError()
        }
    }

    @inline(never)
    func nestingError() -> SyntaxError {
        error("Nesting too deep", at: tok.start)
    }

    /// Checks the depth of a chain built iteratively (`base` recursion levels plus `chain` nodes).
    @inline(__always)
    func checkChainDepth(_ total: Int) throws(SyntaxError) {
        if total > maxSeen { maxSeen = total }
        if total > Parser.maxNestingDepth { throw nestingError() }
    }

    // MARK: Errors

    func error(_ message: String, at offset: Int) -> SyntaxError {
        jsMakeSyntaxError(message, at: offset, source: lexer.src, sourceName: sourceName)
    }

    func unexpected(_ t: JSToken? = nil) -> SyntaxError {
        let t = t ?? tok
        switch t.type {
        case .eof: return error("Unexpected end of input", at: t.start)
        case .name: return error("Unexpected identifier '\(t.value)'", at: t.start)
        case .number: return error("Unexpected number", at: t.start)
        case .string: return error("Unexpected string", at: t.start)
        case .template: return error("Unexpected template string", at: t.start)
        default:
            if t.type.isKeyword { return error("Unexpected token '\(t.value)'", at: t.start) }
            return error("Unexpected token '\(tokenText(t))'", at: t.start)
        }
    }

    func tokenText(_ t: JSToken) -> String {
        String(decoding: lexer.src[t.start..<max(t.start, t.end)], as: UTF16.self)
    }

    // MARK: Tokens

    @inline(__always)
    func next() throws(SyntaxError) {
        prevEnd = tok.end
        tok = try lexer.next()
    }

    /// The token after the current one (regexp and template context ignored).
    func peek() throws(SyntaxError) -> JSToken {
        var copy = lexer
        return try copy.next()
    }

    @inline(__always)
    func eat(_ type: JSTokenType) throws(SyntaxError) -> Bool {
        if tok.type == type {
            try next()
            return true
        }
        return false
    }

    func expect(_ type: JSTokenType) throws(SyntaxError) {
        if tok.type != type { throw unexpected() }
        try next()
    }

    func isContextual(_ word: String) -> Bool {
        tok.type == .name && !tok.escaped && tok.value == word
    }

    func canInsertSemicolon() -> Bool {
        tok.type == .eof || tok.type == .rbrace || tok.newlineBefore
    }

    func consumeSemicolon() throws(SyntaxError) {
        if tok.type == .semicolon {
            try next()
            return
        }
        if canInsertSemicolon() { return }
        throw unexpected()
    }

    var pos: SourcePosition { tok.position }

    // MARK: Scopes

    func enterScope(_ flags: JSPScopeFlags) {
        scopes.append(JSPScope(flags: flags))
    }

    func exitScope() {
        scopes.removeLast()
    }

    func treatFunctionsAsVar(_ scope: JSPScope) -> Bool {
        !scope.flags.intersection([.function, .top]).isEmpty
    }

    func declare(_ name: String, _ kind: JSPBindingKind, at offset: Int) throws(SyntaxError) {
        var redeclared = false
        let i = scopes.count - 1
        switch kind {
        case .unbound:
            return
        case .lexical:
            let s = scopes[i]
            redeclared = s.lexical.contains(name) || s.functions.contains(name) || s.vars.contains(name)
            scopes[i].lexical.insert(name)
        case .simpleCatch:
            scopes[i].lexical.insert(name)
            scopes[i].catchName = name
        case .function:
            let s = scopes[i]
            if treatFunctionsAsVar(s) {
                redeclared = s.lexical.contains(name)
            } else {
                redeclared = s.lexical.contains(name) || s.vars.contains(name)
            }
            scopes[i].functions.insert(name)
        case .var:
            var j = i
            while j >= 0 {
                let s = scopes[j]
                if (s.lexical.contains(name) && !(s.flags.contains(.simpleCatch) && s.catchName == name))
                    || (!treatFunctionsAsVar(s) && s.functions.contains(name)) {
                    redeclared = true
                    break
                }
                scopes[j].vars.insert(name)
                if !s.flags.intersection(.var).isEmpty { break }
                j -= 1
            }
        }
        if redeclared {
            throw error("Identifier '\(name)' has already been declared", at: offset)
        }
    }

    // MARK: Identifiers

    func isStrictReserved(_ name: String) -> Bool {
        jsStrictReservedWords.contains(name)
    }

    /// Checks an identifier used as a reference or binding name (not as a property name).
    func checkIdentifier(_ t: JSToken) throws(SyntaxError) {
        if t.escaped && jsKeywordTable[t.value] != nil {
            throw error("Keyword must not contain escaped characters", at: t.start)
        }
        if strict && isStrictReserved(t.value) {
            throw error("Unexpected strict mode reserved word '\(t.value)'", at: t.start)
        }
        if awaitIsOperator && t.value == "await" {
            throw error("Unexpected reserved word 'await'", at: t.start)
        }
    }

    /// Checks a name being bound (var, let, parameter, function name...).
    func checkBindingName(_ name: String, at offset: Int, lexical: Bool) throws(SyntaxError) {
        if strict && (name == "eval" || name == "arguments") {
            throw error("Unexpected eval or arguments in strict mode", at: offset)
        }
        if lexical && name == "let" {
            throw error("let is disallowed as a lexically bound name", at: offset)
        }
        if strict && isStrictReserved(name) {
            throw error("Unexpected strict mode reserved word '\(name)'", at: offset)
        }
    }

    /// Parses a binding identifier token, returning its name.
    func parseBindingIdentifier() throws(SyntaxError) -> (String, JSToken) {
        guard tok.type == .name else { throw unexpected() }
        let t = tok
        try checkIdentifier(t)
        try next()
        return (t.value, t)
    }

    // MARK: Program

    func parseProgram() throws(SyntaxError) -> ProgramNode {
        try next()
        strict = options.forceStrict
        enterScope([.top])
        ctx = JSPFunctionContext()
        ctx.allowReturn = options.allowTopLevelReturn
        ctx.inFunction = options.allowTopLevelReturn
        ctx.allowNewTarget = options.allowTopLevelReturn
        let (body, _) = try parseBody(end: .eof, topLevel: true, onStrict: { (_: Int) throws(SyntaxError) in })
        let top = scopes[0]
        for (name, offset) in exportedLocals
        where !top.vars.contains(name) && !top.lexical.contains(name) && !top.functions.contains(name) {
            throw error("Export '\(name)' is not defined", at: offset)
        }
        exitScope()
        return ProgramNode(body: body, imports: imports, exports: exports, isStrict: strict, sourceName: sourceName)
    }

    /// Parses statements (with a directive prologue) until `end`; returns whether a "use strict"
    /// directive made the code strict. `onStrict` runs when the directive is found.
    func parseBody(end: JSTokenType, topLevel: Bool,
                   onStrict: (Int) throws(SyntaxError) -> Void) throws(SyntaxError) -> ([Statement], Bool) {
        var body: [Statement] = []
        var inPrologue = true
        var octalOffset = -1
        var becameStrict = false
        while tok.type != end {
            if inPrologue {
                if tok.type == .string {
                    let strTok = tok
                    let stmt = try parseStatementListItem(topLevel: topLevel)
                    body.append(stmt)
                    if case .expression(let e) = stmt.kind, case .string = e.kind, Int(e.position.offset) == strTok.start {
                        if strTok.legacyOctal != .no && octalOffset < 0 { octalOffset = strTok.legacyOctalOffset }
                        if isUseStrict(strTok) {
                            try onStrict(strTok.start)
                            if !strict {
                                strict = true
                                becameStrict = true
                            }
                        }
                        if strict && octalOffset >= 0 {
                            throw error("Octal escape sequences are not allowed in strict mode", at: octalOffset)
                        }
                    } else {
                        inPrologue = false
                    }
                    continue
                }
                inPrologue = false
            }
            body.append(try parseStatementListItem(topLevel: topLevel))
        }
        return (body, becameStrict)
    }

    func isUseStrict(_ t: JSToken) -> Bool {
        guard t.end - t.start == 12 else { return false }
        let expected: [UInt16] = Array("use strict".utf16)
        for i in 0..<10 where lexer.src[t.start + 1 + i] != expected[i] { return false }
        return true
    }
}
