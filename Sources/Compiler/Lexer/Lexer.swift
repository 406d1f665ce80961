// The JavaScript lexer: works on UTF-16 code units.
//
// The lexer always scans `/` and `/=` as punctuators and `}` as a brace; the parser, which knows
// the context, asks for a rescan as a regular expression literal or a template continuation.

@usableFromInline
struct JSLexer {
    let src: [UInt16]
    let count: Int
    let sourceName: String
    var pos: Int = 0
    var line: Int32 = 1
    var lineStart: Int = 0
    /// Whether `skipTrivia` ran before (for `-->` at the start of the input).
    var seenToken = false

    init(source: [UInt16], sourceName: String) {
        self.src = source
        self.count = source.count
        self.sourceName = sourceName
        // Hashbang comment.
        if count >= 2 && src[0] == 0x23 && src[1] == 0x21 {
            pos = 2
            while pos < count && !jsIsLineTerminator(src[pos]) { pos += 1 }
        }
    }

    // MARK: Errors

    func error(_ message: String, at offset: Int) -> SyntaxError {
        jsMakeSyntaxError(message, at: offset, source: src, sourceName: sourceName)
    }

    // MARK: Character helpers

    @inline(__always) func at(_ i: Int) -> UInt16 { i < count ? src[i] : 0 }

    /// The code point at `i` (combining a surrogate pair) and its length in code units.
    @inline(__always) func codePoint(at i: Int) -> (UInt32, Int) {
        let c = src[i]
        if c >= 0xD800 && c <= 0xDBFF && i + 1 < count {
            let d = src[i + 1]
            if d >= 0xDC00 && d <= 0xDFFF {
                return (0x10000 + ((UInt32(c) - 0xD800) << 10) + (UInt32(d) - 0xDC00), 2)
            }
        }
        return (UInt32(c), 1)
    }

    // MARK: Whitespace and comments

    /// Skips whitespace and comments; returns whether a line terminator was crossed.
    mutating func skipTrivia() throws(SyntaxError) -> Bool {
        var newline = false
        // Annex B: `-->` is a comment at the start of the input too.
        let atStart = !seenToken
        seenToken = true
        while pos < count {
            let c = src[pos]
            switch c {
            case 0x20, 0x09, 0x0B, 0x0C:
                pos += 1
            case 0x0A, 0x2028, 0x2029:
                pos += 1
                newLine()
                newline = true
            case 0x0D:
                pos += 1
                if pos < count && src[pos] == 0x0A { pos += 1 }
                newLine()
                newline = true
            case 0x2F: // '/'
                let n = at(pos + 1)
                if n == 0x2F {
                    pos += 2
                    while pos < count && !jsIsLineTerminator(src[pos]) { pos += 1 }
                } else if n == 0x2A {
                    let start = pos
                    pos += 2
                    var closed = false
                    while pos < count {
                        let d = src[pos]
                        if d == 0x2A && at(pos + 1) == 0x2F {
                            pos += 2
                            closed = true
                            break
                        }
                        if d == 0x0D {
                            pos += 1
                            if pos < count && src[pos] == 0x0A { pos += 1 }
                            newLine()
                            newline = true
                        } else if d == 0x0A || d == 0x2028 || d == 0x2029 {
                            pos += 1
                            newLine()
                            newline = true
                        } else {
                            pos += 1
                        }
                    }
                    if !closed { throw error("Unterminated comment", at: start) }
                } else {
                    return newline
                }
            case 0x3C where at(pos + 1) == 0x21 && at(pos + 2) == 0x2D && at(pos + 3) == 0x2D:
                // Annex B SingleLineHTMLOpenComment `<!--`.
                pos += 4
                while pos < count && !jsIsLineTerminator(src[pos]) { pos += 1 }
            case 0x2D where (newline || atStart) && at(pos + 1) == 0x2D && at(pos + 2) == 0x3E:
                // Annex B SingleLineHTMLCloseComment: `-->` first on a line.
                pos += 3
                while pos < count && !jsIsLineTerminator(src[pos]) { pos += 1 }
            default:
                if c >= 0x80 && jsIsUnicodeWhitespace(c) {
                    pos += 1
                } else {
                    return newline
                }
            }
        }
        return newline
    }

    @inline(__always) mutating func newLine() {
        line += 1
        lineStart = pos
    }

    // MARK: Tokens

    /// Scans the next token (`/` is always a division punctuator here).
    mutating func next() throws(SyntaxError) -> JSToken {
        let nl = try skipTrivia()
        var tok = JSToken()
        tok.newlineBefore = nl
        tok.start = pos
        tok.line = line
        tok.column = Int32(pos - lineStart + 1)
        if pos >= count {
            tok.type = .eof
            tok.end = pos
            return tok
        }
        let c = src[pos]
        if c < 0x80 {
            if jsIsASCIIIdentifierStart(c) || c == 0x5C {
                try scanIdentifier(&tok)
                return tok
            }
            if c >= 0x30 && c <= 0x39 {
                try scanNumber(&tok)
                return tok
            }
            if c == 0x22 || c == 0x27 {
                try scanString(&tok, quote: c)
                return tok
            }
            if c == 0x60 {
                pos += 1
                try scanTemplate(&tok)
                return tok
            }
            try scanPunctuator(&tok, c)
            return tok
        }
        let (cp, _) = codePoint(at: pos)
        if jsIsIdentifierStart(cp) {
            try scanIdentifier(&tok)
            return tok
        }
        throw error("Invalid or unexpected token", at: pos)
    }

    mutating func scanPunctuator(_ tok: inout JSToken, _ c: UInt16) throws(SyntaxError) {
        let n1 = at(pos + 1)
        let n2 = at(pos + 2)
        var type: JSTokenType
        var len = 1
        switch c {
        case 0x7B: type = .lbrace
        case 0x7D: type = .rbrace
        case 0x28: type = .lparen
        case 0x29: type = .rparen
        case 0x5B: type = .lbracket
        case 0x5D: type = .rbracket
        case 0x3B: type = .semicolon
        case 0x2C: type = .comma
        case 0x3A: type = .colon
        case 0x7E: type = .tilde
        case 0x2E: // .
            if n1 >= 0x30 && n1 <= 0x39 {
                try scanNumber(&tok)
                return
            }
            if n1 == 0x2E && n2 == 0x2E { type = .ellipsis; len = 3 } else { type = .dot }
        case 0x3F: // ?
            if n1 == 0x3F {
                if n2 == 0x3D { type = .nullishAssign; len = 3 } else { type = .nullish; len = 2 }
            } else if n1 == 0x2E && !(n2 >= 0x30 && n2 <= 0x39) {
                type = .questionDot; len = 2
            } else {
                type = .question
            }
        case 0x3C: // <
            if n1 == 0x3C {
                if n2 == 0x3D { type = .shlAssign; len = 3 } else { type = .shl; len = 2 }
            } else if n1 == 0x3D { type = .le; len = 2 } else { type = .lt }
        case 0x3E: // >
            if n1 == 0x3E {
                if n2 == 0x3E {
                    if at(pos + 3) == 0x3D { type = .ushrAssign; len = 4 } else { type = .ushr; len = 3 }
                } else if n2 == 0x3D { type = .shrAssign; len = 3 } else { type = .shr; len = 2 }
            } else if n1 == 0x3D { type = .ge; len = 2 } else { type = .gt }
        case 0x3D: // =
            if n1 == 0x3D {
                if n2 == 0x3D { type = .eqq; len = 3 } else { type = .eq; len = 2 }
            } else if n1 == 0x3E { type = .arrow; len = 2 } else { type = .assign }
        case 0x21: // !
            if n1 == 0x3D {
                if n2 == 0x3D { type = .neq; len = 3 } else { type = .ne; len = 2 }
            } else { type = .bang }
        case 0x2B: // +
            if n1 == 0x2B { type = .inc; len = 2 } else if n1 == 0x3D { type = .plusAssign; len = 2 } else { type = .plus }
        case 0x2D: // -
            if n1 == 0x2D { type = .dec; len = 2 } else if n1 == 0x3D { type = .minusAssign; len = 2 } else { type = .minus }
        case 0x2A: // *
            if n1 == 0x2A {
                if n2 == 0x3D { type = .starstarAssign; len = 3 } else { type = .starstar; len = 2 }
            } else if n1 == 0x3D { type = .starAssign; len = 2 } else { type = .star }
        case 0x2F: // /
            if n1 == 0x3D { type = .slashAssign; len = 2 } else { type = .slash }
        case 0x25: // %
            if n1 == 0x3D { type = .percentAssign; len = 2 } else { type = .percent }
        case 0x26: // &
            if n1 == 0x26 {
                if n2 == 0x3D { type = .andandAssign; len = 3 } else { type = .andand; len = 2 }
            } else if n1 == 0x3D { type = .ampAssign; len = 2 } else { type = .amp }
        case 0x7C: // |
            if n1 == 0x7C {
                if n2 == 0x3D { type = .ororAssign; len = 3 } else { type = .oror; len = 2 }
            } else if n1 == 0x3D { type = .barAssign; len = 2 } else { type = .bar }
        case 0x5E: // ^
            if n1 == 0x3D { type = .caretAssign; len = 2 } else { type = .caret }
        case 0x23:
            throw error("Private names and '#' are not supported", at: pos)
        default:
            throw error("Invalid or unexpected token", at: pos)
        }
        pos += len
        tok.type = type
        tok.end = pos
    }

    // MARK: Identifiers

    mutating func scanIdentifier(_ tok: inout JSToken) throws(SyntaxError) {
        let start = pos
        // Fast path: plain ASCII.
        while pos < count {
            let c = src[pos]
            if c < 0x80 && jsIsASCIIIdentifierPart(c) { pos += 1 } else { break }
        }
        if pos >= count || (src[pos] != 0x5C && src[pos] < 0x80) {
            let len = pos - start
            let name = src.withUnsafeBufferPointer { units in
                String(unsafeUninitializedCapacity: len) { buf in
                    for k in 0..<len { buf[k] = UInt8(truncatingIfNeeded: units[start + k]) }
                    return len
                }
            }
            tok.end = pos
            tok.value = name
            tok.type = len >= 2 && len <= 10 ? jsKeywordType(src, start, len) : .name
            return
        }
        // Slow path: escapes or non-ASCII.
        pos = start
        var scalars = String.UnicodeScalarView()
        var escaped = false
        var first = true
        while pos < count {
            let c = src[pos]
            var cp: UInt32
            if c == 0x5C {
                let escStart = pos
                if at(pos + 1) != 0x75 { throw error("Invalid Unicode escape sequence", at: escStart) }
                pos += 2
                guard let v = scanUnicodeEscapeBody() else {
                    throw error("Invalid Unicode escape sequence", at: escStart)
                }
                cp = v
                escaped = true
                if first ? !jsIsIdentifierStart(cp) : !jsIsIdentifierPart(cp) {
                    throw error("Invalid Unicode escape sequence in identifier", at: escStart)
                }
            } else {
                let (v, len) = codePoint(at: pos)
                cp = v
                if first ? !jsIsIdentifierStart(cp) : !jsIsIdentifierPart(cp) { break }
                pos += len
            }
            guard let scalar = Unicode.Scalar(cp) else {
                throw error("Invalid identifier character", at: pos)
            }
            scalars.append(scalar)
            first = false
        }
        let name = String(scalars)
        tok.end = pos
        tok.value = name
        tok.escaped = escaped
        if !escaped, let kw = jsKeywordTable[name] { tok.type = kw } else { tok.type = .name }
    }

    /// After `\u`: `XXXX` or `{X...}`. Returns nil when malformed.
    mutating func scanUnicodeEscapeBody() -> UInt32? {
        if at(pos) == 0x7B {
            pos += 1
            var v: UInt32 = 0
            var digits = 0
            while pos < count, let d = jsHexValue(src[pos]) {
                v = v * 16 + d
                if v > 0x10FFFF { return nil }
                digits += 1
                pos += 1
            }
            if digits == 0 || at(pos) != 0x7D { return nil }
            pos += 1
            return v
        }
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard pos < count, let d = jsHexValue(src[pos]) else { return nil }
            v = v * 16 + d
            pos += 1
        }
        return v
    }

    // MARK: Numbers

    mutating func scanNumber(_ tok: inout JSToken) throws(SyntaxError) {
        let start = pos
        tok.type = .number
        var text: [UInt8] = []
        let c = src[pos]
        if c == 0x30 && pos + 1 < count {
            let n = src[pos + 1] | 0x20
            var radix: UInt32 = 0
            if n == 0x78 { radix = 16 } else if n == 0x6F { radix = 8 } else if n == 0x62 { radix = 2 }
            if radix != 0 {
                pos += 2
                var digits: [UInt8] = []
                try scanDigits(radix: radix, into: &digits, allowSeparators: true)
                if digits.isEmpty { throw error("Invalid or unexpected token", at: start) }
                tok.number = radixValue(digits, radix: radix)
                try finishNumber(&tok, start: start)
                return
            }
            let n1 = src[pos + 1]
            if n1 == 0x5F { throw error("Numeric separator can not be used after leading 0", at: pos + 1) }
            if n1 >= 0x30 && n1 <= 0x39 {
                // Legacy octal (017) or non-octal decimal (08, 09).
                tok.legacyOctal = .literal
                tok.legacyOctalOffset = start
                var isOctal = true
                var p = pos + 1
                while p < count && src[p] >= 0x30 && src[p] <= 0x39 {
                    if src[p] >= 0x38 { isOctal = false }
                    p += 1
                }
                if at(p) == 0x5F { throw error("Numeric separators are not allowed here", at: p) }
                if isOctal {
                    var digits: [UInt8] = []
                    for i in (pos + 1)..<p { digits.append(UInt8(src[i] - 0x30)) }
                    pos = p
                    tok.number = radixValue(digits, radix: 8)
                    try finishNumber(&tok, start: start)
                    return
                }
                for i in pos..<p { text.append(UInt8(src[i])) }
                pos = p
                try scanDecimalTail(&text)
                tok.number = decimalValue(text)
                try finishNumber(&tok, start: start)
                return
            }
        }
        if c == 0x2E {
            // .5
            text.append(0x30)
        } else {
            var digits: [UInt8] = []
            try scanDigits(radix: 10, into: &digits, allowSeparators: true)
            for d in digits { text.append(d + 0x30) }
        }
        try scanDecimalTail(&text)
        tok.number = decimalValue(text)
        try finishNumber(&tok, start: start)
    }

    /// Fraction and exponent of a decimal literal.
    mutating func scanDecimalTail(_ text: inout [UInt8]) throws(SyntaxError) {
        if at(pos) == 0x2E {
            pos += 1
            text.append(0x2E)
            if at(pos) == 0x5F { throw error("Numeric separators are not allowed here", at: pos) }
            var digits: [UInt8] = []
            try scanDigits(radix: 10, into: &digits, allowSeparators: true)
            if digits.isEmpty { text.append(0x30) }
            for d in digits { text.append(d + 0x30) }
        }
        let e = at(pos)
        if e == 0x65 || e == 0x45 {
            pos += 1
            text.append(0x65)
            let s = at(pos)
            if s == 0x2B || s == 0x2D {
                text.append(UInt8(s))
                pos += 1
            }
            if at(pos) == 0x5F { throw error("Numeric separators are not allowed here", at: pos) }
            var digits: [UInt8] = []
            try scanDigits(radix: 10, into: &digits, allowSeparators: true)
            if digits.isEmpty { throw error("Invalid or unexpected token", at: pos) }
            for d in digits { text.append(d + 0x30) }
        }
    }

    mutating func finishNumber(_ tok: inout JSToken, start: Int) throws(SyntaxError) {
        if pos < count {
            let c = src[pos]
            if c == 0x6E { throw error("BigInt is not supported", at: start) }
            if c == 0x5C || (c < 0x80 ? jsIsASCIIIdentifierPart(c) : jsIsIdentifierStart(codePoint(at: pos).0)) {
                throw error("Invalid or unexpected token", at: pos)
            }
        }
        tok.end = pos
    }

    mutating func scanDigits(radix: UInt32, into digits: inout [UInt8], allowSeparators: Bool) throws(SyntaxError) {
        while pos < count {
            let c = src[pos]
            if c == 0x5F && allowSeparators {
                let next = at(pos + 1)
                if digits.isEmpty || jsDigitValue(next).map({ $0 >= radix }) ?? true {
                    throw error("Numeric separators are not allowed here", at: pos)
                }
                pos += 1
                continue
            }
            guard let d = jsDigitValue(c), d < radix else { break }
            digits.append(UInt8(d))
            pos += 1
        }
    }

    func decimalValue(_ text: [UInt8]) -> Double {
        let s = String(decoding: text, as: UTF8.self)
        return Double(s) ?? .nan
    }

    func radixValue(_ digits: [UInt8], radix: UInt32) -> Double {
        let bits: UInt64 = radix == 16 ? 4 : radix == 8 ? 3 : radix == 2 ? 1 : 0
        var mant: UInt64 = 0
        var exp = 0
        var sticky = false
        for d in digits {
            if exp == 0 && (mant >> (64 - bits)) == 0 {
                mant = (mant << bits) | UInt64(d)
            } else {
                exp += Int(bits)
                if d != 0 { sticky = true }
            }
        }
        if sticky { mant |= 1 }
        return Double(sign: .plus, exponent: exp, significand: Double(mant))
    }

    // MARK: Strings

    mutating func scanString(_ tok: inout JSToken, quote: UInt16) throws(SyntaxError) {
        let start = pos
        pos += 1
        var out: [UInt16] = []
        while true {
            let runStart = pos
            while pos < count {
                let c = src[pos]
                if c == quote || c == 0x5C || c == 0x0A || c == 0x0D { break }
                pos += 1
            }
            if pos > runStart { out.append(contentsOf: src[runStart..<pos]) }
            if pos >= count { throw error("Invalid or unexpected token: unterminated string", at: start) }
            let c = src[pos]
            if c == quote { pos += 1; break }
            if c == 0x0A || c == 0x0D { throw error("Invalid or unexpected token: unterminated string", at: start) }
            // Escape.
            var invalid: (Int, String)? = nil
            try scanEscape(into: &out, template: false, tok: &tok, invalid: &invalid)
        }
        tok.type = .string
        tok.chars = out
        tok.end = pos
    }

    /// Scans an escape sequence at `pos` (the backslash). In templates, invalid escapes set `invalid`
    /// instead of throwing.
    mutating func scanEscape(into out: inout [UInt16], template: Bool, tok: inout JSToken,
                             invalid: inout (Int, String)?) throws(SyntaxError) {
        let escStart = pos
        pos += 1
        guard pos < count else { throw error("Invalid or unexpected token", at: escStart) }
        let c = src[pos]
        pos += 1
        switch c {
        case 0x6E: out.append(0x0A)
        case 0x74: out.append(0x09)
        case 0x72: out.append(0x0D)
        case 0x62: out.append(0x08)
        case 0x66: out.append(0x0C)
        case 0x76: out.append(0x0B)
        case 0x0D:
            if at(pos) == 0x0A { pos += 1 }
            newLine()
        case 0x0A, 0x2028, 0x2029:
            newLine()
        case 0x30...0x37:
            let next = at(pos)
            if c == 0x30 && !(next >= 0x30 && next <= 0x39) {
                out.append(0)
                return
            }
            if template {
                if invalid == nil { invalid = (escStart, "Octal escape sequences are not allowed in template literals") }
                return
            }
            var v = UInt32(c - 0x30)
            if next >= 0x30 && next <= 0x37 {
                v = v * 8 + UInt32(next - 0x30)
                pos += 1
                let n2 = at(pos)
                if c <= 0x33 && n2 >= 0x30 && n2 <= 0x37 {
                    v = v * 8 + UInt32(n2 - 0x30)
                    pos += 1
                }
            }
            out.append(UInt16(v))
            if tok.legacyOctal == .no {
                tok.legacyOctal = .escape
                tok.legacyOctalOffset = escStart
            }
        case 0x38, 0x39:
            if template {
                if invalid == nil { invalid = (escStart, "\\8 and \\9 are not allowed in template literals") }
                return
            }
            out.append(c)
            if tok.legacyOctal == .no {
                tok.legacyOctal = .escape
                tok.legacyOctalOffset = escStart
            }
        case 0x78: // x
            guard pos + 1 < count, let h1 = jsHexValue(src[pos]), let h2 = jsHexValue(src[pos + 1]) else {
                if template {
                    if invalid == nil { invalid = (escStart, "Invalid hexadecimal escape sequence") }
                    return
                }
                throw error("Invalid hexadecimal escape sequence", at: escStart)
            }
            pos += 2
            out.append(UInt16(h1 * 16 + h2))
        case 0x75: // u
            let save = pos
            guard let v = scanUnicodeEscapeBody() else {
                if template {
                    pos = save
                    if invalid == nil { invalid = (escStart, "Invalid Unicode escape sequence") }
                    return
                }
                throw error("Invalid Unicode escape sequence", at: escStart)
            }
            jsAppendCodePoint(v, to: &out)
        default:
            // Includes surrogate halves: keep the code unit as is.
            out.append(c)
        }
    }

    // MARK: Templates

    /// Scans template characters from `pos` (just after "`" or "}") up to and including "`" or "${".
    mutating func scanTemplate(_ tok: inout JSToken) throws(SyntaxError) {
        let contentStart = pos
        var cooked: [UInt16] = []
        var invalid: (Int, String)? = nil
        var tail = false
        var contentEnd = pos
        while true {
            guard pos < count else { throw error("Unterminated template literal", at: tok.start) }
            let c = src[pos]
            if c == 0x60 {
                contentEnd = pos
                pos += 1
                tail = true
                break
            }
            if c == 0x24 && at(pos + 1) == 0x7B {
                contentEnd = pos
                pos += 2
                break
            }
            if c == 0x5C {
                var dummy = JSToken()
                try scanEscape(into: &cooked, template: true, tok: &dummy, invalid: &invalid)
                continue
            }
            if c == 0x0D {
                pos += 1
                if at(pos) == 0x0A { pos += 1 }
                newLine()
                cooked.append(0x0A)
                continue
            }
            if c == 0x0A || c == 0x2028 || c == 0x2029 {
                pos += 1
                newLine()
                cooked.append(c)
                continue
            }
            cooked.append(c)
            pos += 1
        }
        var raw: [UInt16] = []
        raw.reserveCapacity(contentEnd - contentStart)
        var i = contentStart
        while i < contentEnd {
            let c = src[i]
            if c == 0x0D {
                raw.append(0x0A)
                if i + 1 < contentEnd && src[i + 1] == 0x0A { i += 1 }
            } else {
                raw.append(c)
            }
            i += 1
        }
        tok.type = .template
        tok.chars = raw
        tok.cooked = invalid == nil ? cooked : nil
        if let invalid {
            tok.invalidEscapeOffset = invalid.0
            tok.invalidEscapeMessage = invalid.1
        }
        tok.templateTail = tail
        tok.end = pos
    }

    /// Rescans a `}` token as the continuation of a template literal.
    mutating func rescanTemplateContinuation(_ tok: JSToken) throws(SyntaxError) -> JSToken {
        var t = tok
        pos = tok.start + 1
        try scanTemplate(&t)
        return t
    }

    // MARK: Regular expressions

    /// Rescans a `/` or `/=` token as a regular expression literal.
    mutating func rescanRegExp(_ tok: JSToken) throws(SyntaxError) -> JSToken {
        var t = tok
        let start = tok.start
        pos = start + 1
        var inClass = false
        while true {
            guard pos < count, !jsIsLineTerminator(src[pos]) else {
                throw error("Invalid regular expression: missing /", at: start)
            }
            let c = src[pos]
            if c == 0x5C {
                pos += 1
                guard pos < count, !jsIsLineTerminator(src[pos]) else {
                    throw error("Invalid regular expression: missing /", at: start)
                }
                pos += 1
                continue
            }
            if c == 0x5B { inClass = true } else if c == 0x5D { inClass = false } else if c == 0x2F && !inClass { break }
            pos += 1
        }
        let pattern = Array(src[(start + 1)..<pos])
        pos += 1
        let flagsStart = pos
        var flags = ""
        var seen: Set<UInt32> = []
        while pos < count {
            let c = src[pos]
            if c == 0x5C { throw error("Invalid regular expression flags", at: pos) }
            let (cp, len) = codePoint(at: pos)
            if !jsIsIdentifierPart(cp) { break }
            switch cp {
            case 0x64, 0x67, 0x69, 0x6D, 0x73, 0x75, 0x76, 0x79:
                if !seen.insert(cp).inserted { throw error("Invalid regular expression flags", at: flagsStart) }
                flags.unicodeScalars.append(Unicode.Scalar(cp)!)
            default:
                throw error("Invalid regular expression flags", at: flagsStart)
            }
            pos += len
        }
        if seen.contains(0x75) && seen.contains(0x76) {
            throw error("Invalid regular expression flags", at: flagsStart)
        }
        t.type = .regexp
        t.chars = pattern
        t.value = flags
        t.end = pos
        return t
    }
}

// MARK: - Character classification

@inline(__always) func jsIsLineTerminator(_ c: UInt16) -> Bool {
    c == 0x0A || c == 0x0D || c == 0x2028 || c == 0x2029
}

func jsIsUnicodeWhitespace(_ c: UInt16) -> Bool {
    switch c {
    case 0x09, 0x0B, 0x0C, 0x20, 0xA0, 0xFEFF, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: return true
    default: return false
    }
}

@inline(__always) func jsIsASCIIIdentifierStart(_ c: UInt16) -> Bool {
    (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x24 || c == 0x5F
}

@inline(__always) func jsIsASCIIIdentifierPart(_ c: UInt16) -> Bool {
    jsIsASCIIIdentifierStart(c) || (c >= 0x30 && c <= 0x39)
}

func jsIsIdentifierStart(_ cp: UInt32) -> Bool {
    if cp < 0x80 { return jsIsASCIIIdentifierStart(UInt16(cp)) }
    guard let s = Unicode.Scalar(cp) else { return false }
    return s.properties.isIDStart
}

func jsIsIdentifierPart(_ cp: UInt32) -> Bool {
    if cp < 0x80 { return jsIsASCIIIdentifierPart(UInt16(cp)) }
    if cp == 0x200C || cp == 0x200D { return true }
    guard let s = Unicode.Scalar(cp) else { return false }
    return s.properties.isIDContinue
}

@inline(__always) func jsHexValue(_ c: UInt16) -> UInt32? {
    switch c {
    case 0x30...0x39: return UInt32(c - 0x30)
    case 0x41...0x46: return UInt32(c - 0x41 + 10)
    case 0x61...0x66: return UInt32(c - 0x61 + 10)
    default: return nil
    }
}

@inline(__always) func jsDigitValue(_ c: UInt16) -> UInt32? { jsHexValue(c) }

func jsAppendCodePoint(_ cp: UInt32, to out: inout [UInt16]) {
    if cp >= 0x10000 {
        let v = cp - 0x10000
        out.append(UInt16(0xD800 + (v >> 10)))
        out.append(UInt16(0xDC00 + (v & 0x3FF)))
    } else {
        out.append(UInt16(cp))
    }
}

/// Builds a SyntaxError for a UTF-16 offset, computing line, column and the source line.
func jsMakeSyntaxError(_ message: String, at offset: Int, source: [UInt16], sourceName: String) -> SyntaxError {
    let offset = max(0, min(offset, source.count))
    var line: Int32 = 1
    var lineStart = 0
    var i = 0
    while i < offset {
        let c = source[i]
        if c == 0x0D {
            if i + 1 < offset && source[i + 1] == 0x0A { i += 1 }
            line += 1
            lineStart = i + 1
        } else if c == 0x0A || c == 0x2028 || c == 0x2029 {
            line += 1
            lineStart = i + 1
        }
        i += 1
    }
    var lineEnd = lineStart
    while lineEnd < source.count && !jsIsLineTerminator(source[lineEnd]) { lineEnd += 1 }
    let text = String(decoding: source[lineStart..<lineEnd], as: UTF16.self)
    let position = SourcePosition(line: line, column: Int32(offset - lineStart + 1), offset: Int32(offset))
    return SyntaxError(message: message, sourceName: sourceName, position: position, sourceLine: text)
}
