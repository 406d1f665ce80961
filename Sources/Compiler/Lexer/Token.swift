// Tokens produced by `JSLexer`.

/// The kind of a token. Reserved words have their own cases; contextual keywords
/// (`let`, `static`, `of`, `get`, `set`, `async`, `as`, `from`, `target`, `yield`, `await`)
/// are `.name` tokens and the parser looks at `JSToken.value`.
enum JSTokenType: UInt8 {
    case eof
    case name
    case number
    case string
    case template
    case regexp

    // Reserved words.
    case kwBreak, kwCase, kwCatch, kwClass, kwConst, kwContinue, kwDebugger, kwDefault, kwDelete
    case kwDo, kwElse, kwEnum, kwExport, kwExtends, kwFalse, kwFinally, kwFor, kwFunction, kwIf
    case kwImport, kwIn, kwInstanceof, kwNew, kwNull, kwReturn, kwSuper, kwSwitch, kwThis, kwThrow
    case kwTrue, kwTry, kwTypeof, kwVar, kwVoid, kwWhile, kwWith

    // Punctuators.
    case lbrace, rbrace, lparen, rparen, lbracket, rbracket
    case dot, ellipsis, semicolon, comma, colon, question, questionDot, arrow
    case lt, gt, le, ge, eq, ne, eqq, neq
    case plus, minus, star, slash, percent, starstar
    case inc, dec
    case shl, shr, ushr
    case amp, bar, caret, bang, tilde
    case andand, oror, nullish
    case assign, plusAssign, minusAssign, starAssign, slashAssign, percentAssign, starstarAssign
    case shlAssign, shrAssign, ushrAssign, ampAssign, barAssign, caretAssign
    case andandAssign, ororAssign, nullishAssign

    // Concrete operators: otherwise `==` resolves to the unspecialized generic RawRepresentable one.
    @inline(__always) static func == (a: JSTokenType, b: JSTokenType) -> Bool { a.rawValue == b.rawValue }
    @inline(__always) static func != (a: JSTokenType, b: JSTokenType) -> Bool { a.rawValue != b.rawValue }

    var isKeyword: Bool { rawValue >= JSTokenType.kwBreak.rawValue && rawValue <= JSTokenType.kwWith.rawValue }
    /// Identifier-like: a name or a reserved word (usable as a property name).
    var isIdentifierName: Bool { self == .name || isKeyword }
}

/// The kind of legacy octal construct a token contains (errors in strict mode).
enum JSLegacyOctalKind: UInt8 {
    case no
    /// `017`, `08`
    case literal
    /// `"\01"`, `"\8"`
    case escape

    @inline(__always) static func == (a: JSLegacyOctalKind, b: JSLegacyOctalKind) -> Bool { a.rawValue == b.rawValue }
    @inline(__always) static func != (a: JSLegacyOctalKind, b: JSLegacyOctalKind) -> Bool { a.rawValue != b.rawValue }
}

struct JSToken {
    var type: JSTokenType = .eof
    var start: Int = 0
    var end: Int = 0
    var line: Int32 = 1
    var column: Int32 = 1
    /// A line terminator occurs between the previous token and this one.
    var newlineBefore: Bool = false
    /// An identifier written with `\u` escapes (a reserved word written so is a `.name` with this set).
    var escaped: Bool = false
    /// Identifier name / keyword text; regexp flags.
    var value: String = ""
    /// String literal value; regexp pattern; template raw text.
    var chars: [UInt16] = []
    /// Template cooked value (nil when it contains an invalid escape).
    var cooked: [UInt16]? = nil
    var number: Double = 0
    /// Legacy octal literal or escape (or \8 \9) in this token.
    var legacyOctal: JSLegacyOctalKind = .no
    var legacyOctalOffset: Int = -1
    /// Template: ends with "`" (otherwise with "${").
    var templateTail: Bool = false
    /// Template: offset and message of the first invalid escape.
    var invalidEscapeOffset: Int = -1
    var invalidEscapeMessage: String = ""

    var position: SourcePosition {
        SourcePosition(line: line, column: column, offset: Int32(start))
    }
}

let jsKeywordTable: [String: JSTokenType] = [
    "break": .kwBreak, "case": .kwCase, "catch": .kwCatch, "class": .kwClass, "const": .kwConst,
    "continue": .kwContinue, "debugger": .kwDebugger, "default": .kwDefault, "delete": .kwDelete,
    "do": .kwDo, "else": .kwElse, "enum": .kwEnum, "export": .kwExport, "extends": .kwExtends,
    "false": .kwFalse, "finally": .kwFinally, "for": .kwFor, "function": .kwFunction, "if": .kwIf,
    "import": .kwImport, "in": .kwIn, "instanceof": .kwInstanceof, "new": .kwNew, "null": .kwNull,
    "return": .kwReturn, "super": .kwSuper, "switch": .kwSwitch, "this": .kwThis, "throw": .kwThrow,
    "true": .kwTrue, "try": .kwTry, "typeof": .kwTypeof, "var": .kwVar, "void": .kwVoid,
    "while": .kwWhile, "with": .kwWith,
]

/// Words reserved only in strict mode code.
let jsStrictReservedWords: Set<String> = [
    "implements", "interface", "let", "package", "private", "protected", "public", "static", "yield",
]

/// Keywords grouped by length, as UTF-16 code units.
let jsKeywordsByLength: [[([UInt16], JSTokenType)]] = {
    var table = [[([UInt16], JSTokenType)]](repeating: [], count: 11)
    for (word, type) in jsKeywordTable { table[word.utf16.count].append((Array(word.utf16), type)) }
    return table
}()

/// The token type of the identifier `src[start..<start+len]` (2 <= len <= 10): a keyword or `.name`.
@inline(__always)
func jsKeywordType(_ src: [UInt16], _ start: Int, _ len: Int) -> JSTokenType {
    let first = src[start]
    // Every keyword starts with a lowercase letter in b...w.
    guard first >= 0x62 && first <= 0x77 else { return .name }
    for (units, type) in jsKeywordsByLength[len] where units[0] == first {
        var k = 1
        while k < len && units[k] == src[start + k] { k += 1 }
        if k == len { return type }
    }
    return .name
}
