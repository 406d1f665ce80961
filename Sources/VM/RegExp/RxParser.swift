// The regular-expression pattern parser: ECMAScript 2023 Pattern grammar, with the Annex B
// extensions (web-compatibility syntax) when the u flag is absent.

/// The regex flags that change how a pattern compiles or matches.
struct RxFlags: OptionSet, Hashable, Sendable {
    let rawValue: UInt8
    static let hasIndices = RxFlags(rawValue: 1)
    static let global = RxFlags(rawValue: 2)
    static let ignoreCase = RxFlags(rawValue: 4)
    static let multiline = RxFlags(rawValue: 8)
    static let dotAll = RxFlags(rawValue: 16)
    static let unicode = RxFlags(rawValue: 32)
    static let sticky = RxFlags(rawValue: 64)
    static let unicodeSets = RxFlags(rawValue: 128)

    /// u or v: the pattern works on code points.
    var isUnicodeMode: Bool { contains(.unicode) || contains(.unicodeSets) }

    /// Parses a flags string; nil message when valid.
    static func parse(_ units: ContiguousArray<UInt16>) -> Result<RxFlags, RxSyntaxError> {
        var f: RxFlags = []
        for u in units {
            let bit: RxFlags
            switch u {
            case 0x64: bit = .hasIndices
            case 0x67: bit = .global
            case 0x69: bit = .ignoreCase
            case 0x6D: bit = .multiline
            case 0x73: bit = .dotAll
            case 0x75: bit = .unicode
            case 0x79: bit = .sticky
            case 0x76: bit = .unicodeSets
            default: return .failure(RxSyntaxError(message: "Invalid flags"))
            }
            if f.contains(bit) { return .failure(RxSyntaxError(message: "Invalid flags")) }
            f.insert(bit)
        }
        if f.contains(.unicode) && f.contains(.unicodeSets) { return .failure(RxSyntaxError(message: "Invalid flags")) }
        return .success(f)
    }
}

struct RxSyntaxError: Error {
    let message: String
}

/// The parsed pattern.
indirect enum RxNode {
    case empty
    /// A literal character (code point in Unicode mode, code unit otherwise).
    case char(UInt32)
    /// A character class (already negated if it was `[^…]`), an escape like `\d`, or `.`.
    case set(RxCharSet)
    case seq([RxNode])
    case alt([RxNode])
    /// A capturing group (index ≥ 1).
    case group(Int, RxNode)
    case look(behind: Bool, negative: Bool, RxNode)
    /// Quantified atom; captures [capFirst, capEnd) are inside it (reset per iteration).
    case quant(RxNode, min: Int, max: Int, greedy: Bool, capFirst: Int, capEnd: Int)
    case backref(Int)
    case bol
    case eol
    case wordBoundary(negated: Bool)
}

/// The result of parsing: the tree plus facts about it.
struct RxParsed {
    var node: RxNode
    var captureCount: Int
    /// Group names in group order: (name as UTF-16, group index).
    var groupNames: [(name: [UInt16], index: Int)]
}

struct RxParser {
    static let maxNesting = 256
    static let infinity = Int.max

    let src: [UInt16]
    var pos = 0
    let unicode: Bool
    /// v flag: class set syntax (nested classes, &&, --, \q{…}).
    let unicodeSets: Bool
    let ignoreCase: Bool
    let dotAll: Bool
    /// The pattern has named groups (Annex B: `\k` is then always a named reference).
    var hasNamedGroups = false
    /// Total capturing groups in the whole pattern (for deciding what `\N` means).
    var totalCaptures = 0
    var captureCount = 0
    var names: [(name: [UInt16], index: Int)] = []
    var namedRefs: [[UInt16]] = []
    /// Backreference nodes by name are resolved after parsing; placeholders hold negative ids.
    var depth = 0

    init(pattern: [UInt16], flags: RxFlags) {
        src = pattern
        unicode = flags.isUnicodeMode
        unicodeSets = flags.contains(.unicodeSets)
        ignoreCase = flags.contains(.ignoreCase)
        dotAll = flags.contains(.dotAll)
    }

    static func parse(_ pattern: [UInt16], flags: RxFlags) -> Result<RxParsed, RxSyntaxError> {
        var p = RxParser(pattern: pattern, flags: flags)
        do {
            let node = try p.parsePattern()
            return .success(RxParsed(node: node, captureCount: p.captureCount, groupNames: p.names))
        } catch {
            return .failure(error)
        }
    }

    // MARK: Scanning helpers

    var atEnd: Bool { pos >= src.count }
    func peek(_ offset: Int = 0) -> UInt16? {
        let i = pos + offset
        return i < src.count ? src[i] : nil
    }
    func peekIs(_ c: Character, _ offset: Int = 0) -> Bool {
        guard let u = peek(offset) else { return false }
        return u == c.utf16.first!
    }

    /// Reads one pattern character: in Unicode mode a surrogate pair is one character.
    mutating func nextChar() -> UInt32 {
        let u = src[pos]
        pos += 1
        if unicode, u & 0xFC00 == 0xD800, pos < src.count, src[pos] & 0xFC00 == 0xDC00 {
            let lo = src[pos]
            pos += 1
            return 0x10000 + ((UInt32(u) - 0xD800) << 10) + (UInt32(lo) - 0xDC00)
        }
        return UInt32(u)
    }

    func error(_ m: String) -> RxSyntaxError { RxSyntaxError(message: m) }

    static func isDigit(_ u: UInt16?) -> Bool { guard let u else { return false }; return u >= 0x30 && u <= 0x39 }
    static func hexValue(_ u: UInt16?) -> UInt32? {
        guard let u else { return nil }
        switch u {
        case 0x30...0x39: return UInt32(u - 0x30)
        case 0x41...0x46: return UInt32(u - 0x41 + 10)
        case 0x61...0x66: return UInt32(u - 0x61 + 10)
        default: return nil
        }
    }

    // MARK: Pre-scan

    /// Counts capturing groups and notes whether any is named (Annex B needs both up front).
    mutating func prescan() {
        var i = 0
        var inClass = false
        let n = src.count
        while i < n {
            let u = src[i]
            if u == 0x5C { i += 2; continue } // backslash
            if inClass {
                if u == 0x5D { inClass = false }
            } else if u == 0x5B {
                inClass = true
            } else if u == 0x28 { // (
                if i + 1 < n && src[i + 1] == 0x3F { // ?
                    if i + 2 < n && src[i + 2] == 0x3C, i + 3 < n, src[i + 3] != 0x3D && src[i + 3] != 0x21 {
                        totalCaptures += 1
                        hasNamedGroups = true
                    }
                } else {
                    totalCaptures += 1
                }
            }
            i += 1
        }
    }

    // MARK: Grammar

    mutating func parsePattern() throws(RxSyntaxError) -> RxNode {
        prescan()
        let node = try parseDisjunction()
        if !atEnd {
            if peekIs(")") { throw error("Unmatched ')'") }
            throw error("Unexpected character")
        }
        for ref in namedRefs where !names.contains(where: { $0.name == ref }) {
            throw error("Invalid named capture referenced")
        }
        return try resolveNamedRefs(node)
    }

    /// Named backreferences were parsed as `.backref(-k-1)` (k = index into namedRefs); resolve them.
    func resolveNamedRefs(_ node: RxNode) throws(RxSyntaxError) -> RxNode {
        if namedRefs.isEmpty { return node }
        return mapRefs(node)
    }

    func mapRefs(_ node: RxNode) -> RxNode {
        switch node {
        case .backref(let i) where i < 0:
            let name = namedRefs[-i - 1]
            let idx = names.first(where: { $0.name == name })!.index
            return .backref(idx)
        case .seq(let items): return .seq(items.map { mapRefs($0) })
        case .alt(let items): return .alt(items.map { mapRefs($0) })
        case .group(let i, let b): return .group(i, mapRefs(b))
        case .look(let behind, let negative, let b): return .look(behind: behind, negative: negative, mapRefs(b))
        case .quant(let b, let mn, let mx, let g, let cf, let ce):
            return .quant(mapRefs(b), min: mn, max: mx, greedy: g, capFirst: cf, capEnd: ce)
        default: return node
        }
    }

    mutating func parseDisjunction() throws(RxSyntaxError) -> RxNode {
        var alts: [RxNode] = [try parseAlternative()]
        while peekIs("|") {
            pos += 1
            alts.append(try parseAlternative())
        }
        return alts.count == 1 ? alts[0] : .alt(alts)
    }

    mutating func parseAlternative() throws(RxSyntaxError) -> RxNode {
        var items: [RxNode] = []
        while let u = peek(), u != 0x7C, u != 0x29 { // | )
            let t = try parseTerm()
            if case .empty = t { continue }
            items.append(t)
        }
        if items.isEmpty { return .empty }
        return items.count == 1 ? items[0] : .seq(items)
    }

    mutating func parseTerm() throws(RxSyntaxError) -> RxNode {
        let u = src[pos]
        let capsBefore = captureCount
        var atom: RxNode
        var quantifiable = true
        switch u {
        case 0x5E: // ^
            pos += 1
            return .bol
        case 0x24: // $
            pos += 1
            return .eol
        case 0x5C: // backslash
            if peekIs("b", 1) || peekIs("B", 1) {
                let neg = peekIs("B", 1)
                pos += 2
                return .wordBoundary(negated: neg)
            }
            pos += 1
            atom = try parseAtomEscape()
            if case .set(let s) = atom { atom = .set(closeIC(s)) }
        case 0x28: // (
            pos += 1
            depth += 1
            if depth > RxParser.maxNesting { throw error("Regular expression too large (nesting too deep)") }
            if peekIs("?") {
                if peekIs("=", 1) || peekIs("!", 1) {
                    let neg = peekIs("!", 1)
                    pos += 2
                    let body = try parseDisjunction()
                    try expectClose()
                    atom = .look(behind: false, negative: neg, body)
                    quantifiable = !unicode
                } else if peekIs("<", 1) && (peekIs("=", 2) || peekIs("!", 2)) {
                    let neg = peekIs("!", 2)
                    pos += 3
                    let body = try parseDisjunction()
                    try expectClose()
                    atom = .look(behind: true, negative: neg, body)
                    quantifiable = false
                } else if peekIs(":", 1) {
                    pos += 2
                    let body = try parseDisjunction()
                    try expectClose()
                    atom = body
                } else if peekIs("<", 1) {
                    pos += 2
                    let name = try parseGroupName()
                    if names.contains(where: { $0.name == name }) { throw error("Duplicate capture group name") }
                    captureCount += 1
                    let index = captureCount
                    names.append((name, index))
                    let body = try parseDisjunction()
                    try expectClose()
                    atom = .group(index, body)
                } else {
                    throw error("Invalid group")
                }
            } else {
                captureCount += 1
                let index = captureCount
                let body = try parseDisjunction()
                try expectClose()
                atom = .group(index, body)
            }
            depth -= 1
        case 0x2E: // .
            pos += 1
            atom = .set(dotAll ? .all : RxClasses.dot)
        case 0x5B: // [
            pos += 1
            atom = unicodeSets ? try parseClassV() : .set(try parseClass())
        case 0x2A, 0x2B, 0x3F: // * + ?
            throw error("Nothing to repeat")
        case 0x7B: // {
            if unicode { throw error("Nothing to repeat") }
            if tryParseBraceQuantifier(at: pos) != nil { throw error("Nothing to repeat") }
            pos += 1
            atom = .char(0x7B)
        case 0x7D, 0x5D: // } ]
            if unicode { throw error("Lone quantifier brackets") }
            pos += 1
            atom = .char(UInt32(u))
        default:
            atom = .char(nextChar())
        }
        // Quantifier.
        guard let q = peek() else { return atom }
        var min = 0, max = RxParser.infinity
        switch q {
        case 0x2A: pos += 1
        case 0x2B: min = 1; pos += 1
        case 0x3F: max = 1; pos += 1
        case 0x7B:
            if let (mn, mx, end) = tryParseBraceQuantifier(at: pos) {
                min = mn; max = mx; pos = end
                if min > max { throw error("numbers out of order in {} quantifier") }
            } else {
                if unicode { throw error("Incomplete quantifier") }
                return atom
            }
        default:
            return atom
        }
        if !quantifiable { throw error("Invalid quantifier") }
        var greedy = true
        if peekIs("?") { greedy = false; pos += 1 }
        return .quant(atom, min: min, max: max, greedy: greedy, capFirst: capsBefore + 1, capEnd: captureCount + 1)
    }

    /// Case-insensitive patterns match a set member in any case: close the set under Canonicalize.
    func closeIC(_ s: RxCharSet) -> RxCharSet {
        guard ignoreCase else { return s }
        return s.caseClosed(unicode ? RxCaseTable.unicode : RxCaseTable.legacy)
    }

    mutating func expectClose() throws(RxSyntaxError) {
        guard peekIs(")") else { throw error("Unterminated group") }
        pos += 1
    }

    /// `{n}`, `{n,}`, `{n,m}` at `start`: (min, max, position after) or nil.
    func tryParseBraceQuantifier(at start: Int) -> (Int, Int, Int)? {
        var i = start + 1
        func digits(_ i: inout Int) -> Int? {
            var v = 0
            var any = false
            while i < src.count, RxParser.isDigit(src[i]) {
                any = true
                let d = Int(src[i] - 0x30)
                v = v > (1 << 53) ? v : v * 10 + d
                i += 1
            }
            return any ? v : nil
        }
        guard let mn = digits(&i) else { return nil }
        guard i < src.count else { return nil }
        if src[i] == 0x7D { return (mn, mn, i + 1) }
        guard src[i] == 0x2C else { return nil }
        i += 1
        guard i < src.count else { return nil }
        if src[i] == 0x7D { return (mn, RxParser.infinity, i + 1) }
        guard let mx = digits(&i), i < src.count, src[i] == 0x7D else { return nil }
        return (mn, mx, i + 1)
    }

    // MARK: Group names

    mutating func parseGroupName() throws(RxSyntaxError) -> [UInt16] {
        var out: [UInt16] = []
        var first = true
        while true {
            guard !atEnd else { throw error("Invalid capture group name") }
            if peekIs(">") {
                pos += 1
                break
            }
            var c: UInt32
            if peekIs("\\") {
                pos += 1
                guard peekIs("u") else { throw error("Invalid capture group name") }
                pos += 1
                guard let v = parseUnicodeEscapeBody(allowBraces: true, combinePairs: true) else {
                    throw error("Invalid Unicode escape in group name")
                }
                c = v
            } else {
                // Surrogate pairs are one character in group names in either mode.
                let u = src[pos]
                pos += 1
                c = UInt32(u)
                if u & 0xFC00 == 0xD800, pos < src.count, src[pos] & 0xFC00 == 0xDC00 {
                    c = 0x10000 + ((UInt32(u) - 0xD800) << 10) + (UInt32(src[pos]) - 0xDC00)
                    pos += 1
                }
            }
            guard let scalar = Unicode.Scalar(c) else { throw error("Invalid capture group name") }
            let ok: Bool
            if c == 0x24 || c == 0x5F { ok = true }
            else if first { ok = scalar.properties.isIDStart }
            else { ok = scalar.properties.isIDContinue || c == 0x200C || c == 0x200D }
            if !ok { throw error("Invalid capture group name") }
            out.append(contentsOf: String(Character(scalar)).utf16)
            first = false
        }
        if out.isEmpty { throw error("Invalid capture group name") }
        return out
    }

    // MARK: Escapes

    /// After `\u`: `HHHH` (and in Unicode-mode contexts a following `\uHHHH` trail surrogate,
    /// or `{H…}`). Returns nil (position unchanged) when malformed.
    mutating func parseUnicodeEscapeBody(allowBraces: Bool, combinePairs: Bool) -> UInt32? {
        let start = pos
        if allowBraces && peekIs("{") {
            pos += 1
            var v: UInt32 = 0
            var any = false
            while let h = RxParser.hexValue(peek()) {
                v = v * 16 + h
                if v > 0x10FFFF { pos = start; return nil }
                any = true
                pos += 1
            }
            guard any, peekIs("}") else { pos = start; return nil }
            pos += 1
            return v
        }
        guard let v = parseHex4() else { pos = start; return nil }
        if combinePairs, v & 0xFC00 == 0xD800, peekIs("\\"), peekIs("u", 1) {
            let save = pos
            pos += 2
            if let lo = parseHex4(), lo & 0xFC00 == 0xDC00 {
                return 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00)
            }
            pos = save
        }
        return v
    }

    mutating func parseHex4() -> UInt32? {
        guard pos + 4 <= src.count else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            guard let h = RxParser.hexValue(src[pos + k]) else { return nil }
            v = v * 16 + h
        }
        pos += 4
        return v
    }

    static func isSyntaxCharacter(_ c: UInt32) -> Bool {
        switch c {
        case 0x5E, 0x24, 0x5C, 0x2E, 0x2A, 0x2B, 0x3F, 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x7C: return true
        default: return false
        }
    }

    /// Legacy octal escape (Annex B), first digit at `pos`.
    mutating func parseLegacyOctal() -> UInt32 {
        let d0 = UInt32(src[pos] - 0x30)
        pos += 1
        var v = d0
        if let u = peek(), u >= 0x30 && u <= 0x37 {
            v = v * 8 + UInt32(u - 0x30)
            pos += 1
            if d0 <= 3, let u2 = peek(), u2 >= 0x30 && u2 <= 0x37 {
                v = v * 8 + UInt32(u2 - 0x30)
                pos += 1
            }
        }
        return v
    }

    /// `\` has been consumed. An atom escape outside a class.
    mutating func parseAtomEscape() throws(RxSyntaxError) -> RxNode {
        guard let u = peek() else { throw error("\\ at end of pattern") }
        switch u {
        case 0x31...0x39: // 1-9
            let save = pos
            var n = 0
            while let d = peek(), RxParser.isDigit(d) {
                n = n > 1_000_000 ? n : n * 10 + Int(d - 0x30)
                pos += 1
            }
            if n <= totalCaptures { return .backref(n) }
            if unicode { throw error("Invalid escape") }
            pos = save
            if u >= 0x38 { pos += 1; return .char(UInt32(u)) }
            return .char(parseLegacyOctal())
        case 0x6B: // k
            if unicode || hasNamedGroups {
                pos += 1
                guard peekIs("<") else { throw error("Invalid named reference") }
                pos += 1
                let name = try parseGroupName()
                namedRefs.append(name)
                return .backref(-namedRefs.count)
            }
            pos += 1
            return .char(0x6B)
        default:
            if let set = try parseClassEscapeSet() { return .set(set) }
            return .char(try parseCharacterEscape(inClass: false))
        }
    }

    /// `\d \D \s \S \w \W` and (Unicode mode) `\p{…} \P{…}` at `pos`; nil if not one.
    mutating func parseClassEscapeSet() throws(RxSyntaxError) -> RxCharSet? {
        guard let u = peek() else { return nil }
        let wordSet = unicode && ignoreCase ? RxClasses.wordUnicodeIgnoreCase : RxClasses.word
        switch u {
        case 0x64: pos += 1; return RxClasses.digits
        case 0x44: pos += 1; return RxClasses.digits.inverted()
        case 0x73: pos += 1; return RxClasses.space
        case 0x53: pos += 1; return RxClasses.space.inverted()
        case 0x77: pos += 1; return wordSet
        case 0x57: pos += 1; return wordSet.inverted()
        case 0x70, 0x50: // p P
            guard unicode else { return nil }
            pos += 1
            guard peekIs("{") else { throw error("Invalid property name") }
            pos += 1
            var name = "", value: String? = nil
            var cur = ""
            while true {
                guard let c = peek() else { throw error("Invalid property name") }
                pos += 1
                if c == 0x7D { break }
                if c == 0x3D {
                    if value != nil || name != "" { throw error("Invalid property name") }
                    name = cur
                    cur = ""
                    value = ""
                    continue
                }
                let isNameChar = (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
                guard isNameChar else { throw error("Invalid property name") }
                cur.append(Character(Unicode.Scalar(UInt8(c))))
            }
            if value != nil { value = cur } else { name = cur }
            if name.isEmpty || value == "" { throw error("Invalid property name") }
            guard let set = RxClasses.property(name: name, value: value) else {
                throw error("Invalid property name")
            }
            return u == 0x50 ? set.inverted() : set
        default:
            return nil
        }
    }

    /// A CharacterEscape (or identity escape) at `pos`, after `\`. Returns the character.
    mutating func parseCharacterEscape(inClass: Bool) throws(RxSyntaxError) -> UInt32 {
        let u = src[pos]
        switch u {
        case 0x66: pos += 1; return 0x0C // f
        case 0x6E: pos += 1; return 0x0A // n
        case 0x72: pos += 1; return 0x0D // r
        case 0x74: pos += 1; return 0x09 // t
        case 0x76: pos += 1; return 0x0B // v
        case 0x63: // c
            if let l = peek(1), (l >= 0x41 && l <= 0x5A) || (l >= 0x61 && l <= 0x7A) {
                pos += 2
                return UInt32(l) % 32
            }
            if inClass && !unicode, let l = peek(1), RxParser.isDigit(l) || l == 0x5F {
                pos += 2
                return UInt32(l) % 32
            }
            if unicode { throw error("Invalid unicode escape") }
            // Annex B: the backslash is a literal; `c` is read next as a normal character.
            return 0x5C
        case 0x30: // 0
            if !RxParser.isDigit(peek(1)) {
                pos += 1
                return 0
            }
            if unicode { throw error("Invalid decimal escape") }
            return parseLegacyOctal()
        case 0x31...0x37:
            if unicode { throw error("Invalid class escape") }
            return parseLegacyOctal()
        case 0x78: // x
            if let h1 = RxParser.hexValue(peek(1)), let h2 = RxParser.hexValue(peek(2)) {
                pos += 3
                return h1 * 16 + h2
            }
            if unicode { throw error("Invalid escape") }
            pos += 1
            return 0x78
        case 0x75: // u
            pos += 1
            if let v = parseUnicodeEscapeBody(allowBraces: unicode, combinePairs: unicode) { return v }
            if unicode { throw error("Invalid Unicode escape") }
            return 0x75
        default:
            let c = nextChar()
            if unicode {
                if RxParser.isSyntaxCharacter(c) || c == 0x2F || (inClass && c == 0x2D) { return c }
                throw error("Invalid escape")
            }
            if c == 0x6B && hasNamedGroups { throw error("Invalid escape") }
            return c
        }
    }

    // MARK: Character classes

    enum ClassAtom {
        case char(UInt32)
        case set(RxCharSet)
    }

    mutating func parseClass() throws(RxSyntaxError) -> RxCharSet {
        var negated = false
        if peekIs("^") { negated = true; pos += 1 }
        var ranges: [(UInt32, UInt32)] = []
        func add(_ a: ClassAtom) {
            switch a {
            case .char(let c): ranges.append((c, c))
            case .set(let s): ranges.append(contentsOf: s.pairs)
            }
        }
        while true {
            guard let u = peek() else { throw error("Unterminated character class") }
            if u == 0x5D { pos += 1; break }
            let a = try parseClassAtom()
            if peekIs("-"), let next = peek(1), next != 0x5D {
                pos += 1
                let b = try parseClassAtom()
                switch (a, b) {
                case (.char(let x), .char(let y)):
                    if x > y { throw error("Range out of order in character class") }
                    ranges.append((x, y))
                default:
                    if unicode { throw error("Invalid character class") }
                    add(a)
                    ranges.append((0x2D, 0x2D))
                    add(b)
                }
            } else {
                add(a)
            }
        }
        let set = closeIC(RxCharSet(ranges: ranges))
        return negated ? set.inverted() : set
    }

    mutating func parseClassAtom() throws(RxSyntaxError) -> ClassAtom {
        let u = src[pos]
        if u != 0x5C { return .char(nextChar()) }
        pos += 1
        guard let e = peek() else { throw error("\\ at end of pattern") }
        switch e {
        case 0x62: pos += 1; return .char(0x08) // \b
        case 0x2D: pos += 1; return .char(0x2D) // \-
        case 0x38, 0x39: // \8 \9
            if unicode { throw error("Invalid class escape") }
            pos += 1
            return .char(UInt32(e))
        case 0x6B: // k
            if unicode { throw error("Invalid class escape") }
            if hasNamedGroups { throw error("Invalid escape") }
            pos += 1
            return .char(0x6B)
        case 0x42: // B
            if unicode { throw error("Invalid class escape") }
            pos += 1
            return .char(0x42)
        default:
            if let set = try parseClassEscapeSet() { return .set(set) }
            return .char(try parseCharacterEscape(inClass: true))
        }
    }

    // MARK: Class set expressions (v flag)

    struct ClassSetValue {
        var chars = RxCharSet()
        /// Strings of length other than one (\q{…}).
        var strings: Set<[UInt32]> = []
    }

    mutating func parseClassV() throws(RxSyntaxError) -> RxNode {
        let (value, negated) = try parseClassSetContents()
        var chars = value.chars
        if negated {
            if !value.strings.isEmpty { throw error("Negated character class may contain strings") }
            chars = chars.inverted()
        }
        if value.strings.isEmpty { return .set(chars) }
        var alts: [RxNode] = []
        var hasEmpty = false
        for str in value.strings.sorted(by: { $0.count > $1.count || ($0.count == $1.count && $0.lexicographicallyPrecedes($1)) }) {
            if str.isEmpty { hasEmpty = true; continue }
            alts.append(.seq(str.map { .char($0) }))
        }
        if !chars.isEmpty { alts.append(.set(chars)) }
        if hasEmpty { alts.append(.empty) }
        return alts.count == 1 ? alts[0] : .alt(alts)
    }

    /// After `[`: the contents up to and including `]`.
    mutating func parseClassSetContents() throws(RxSyntaxError) -> (ClassSetValue, Bool) {
        var negated = false
        if peekIs("^") { negated = true; pos += 1 }
        if peekIs("]") { pos += 1; return (ClassSetValue(), negated) }
        var (acc, accIsRange) = try parseClassSetOperand(allowRange: true)
        enum Op { case none, union, intersection, subtraction }
        var op = Op.none
        while true {
            guard let u = peek() else { throw error("Unterminated character class") }
            if u == 0x5D { pos += 1; break }
            if peekIs("&") && peekIs("&", 1) {
                if (op != .none && op != .intersection) || accIsRange { throw error("Invalid set operation in character class") }
                op = .intersection
                pos += 2
                if peekIs("&") { throw error("Invalid character in character class") }
                let (rhs, isRange) = try parseClassSetOperand(allowRange: false)
                if isRange { throw error("Invalid set operation in character class") }
                acc.chars = acc.chars.intersection(rhs.chars)
                acc.strings = acc.strings.intersection(rhs.strings)
                continue
            }
            if peekIs("-") && peekIs("-", 1) {
                if (op != .none && op != .subtraction) || accIsRange { throw error("Invalid set operation in character class") }
                op = .subtraction
                pos += 2
                let (rhs, isRange) = try parseClassSetOperand(allowRange: false)
                if isRange { throw error("Invalid set operation in character class") }
                acc.chars = acc.chars.subtracting(rhs.chars)
                acc.strings = acc.strings.subtracting(rhs.strings)
                continue
            }
            if op == .intersection || op == .subtraction { throw error("Invalid set operation in character class") }
            op = .union
            let (rhs, _) = try parseClassSetOperand(allowRange: true)
            acc.chars = acc.chars.union(rhs.chars)
            acc.strings.formUnion(rhs.strings)
            accIsRange = false
        }
        return (acc, negated)
    }

    static func isClassSetReservedDoublePunctuator(_ u: UInt16) -> Bool {
        switch u {
        case 0x26, 0x21, 0x23, 0x24, 0x25, 0x2A, 0x2B, 0x2C, 0x2E, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F, 0x40, 0x5E, 0x60, 0x7E:
            return true
        default: return false
        }
    }

    static func isClassSetReservedPunctuator(_ u: UInt16) -> Bool {
        switch u {
        case 0x26, 0x2D, 0x21, 0x23, 0x25, 0x2C, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x40, 0x60, 0x7E: return true
        default: return false
        }
    }

    /// A ClassSetCharacter at `pos`, or nil (position unchanged) when the next item is not one.
    mutating func parseClassSetCharacter() throws(RxSyntaxError) -> UInt32? {
        guard let u = peek() else { throw error("Unterminated character class") }
        if u == 0x5C {
            guard let e = peek(1) else { throw error("\\ at end of pattern") }
            switch e {
            case 0x64, 0x44, 0x73, 0x53, 0x77, 0x57, 0x70, 0x50, 0x71: return nil // class escapes, \q
            case 0x62: pos += 2; return 0x08
            default:
                if RxParser.isClassSetReservedPunctuator(e) { pos += 2; return UInt32(e) }
                pos += 1
                return try parseCharacterEscape(inClass: true)
            }
        }
        switch u {
        case 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x2F, 0x2D, 0x7C:
            if u == 0x5B || u == 0x5D { return nil }
            throw error("Invalid character in character class")
        default: break
        }
        if RxParser.isClassSetReservedDoublePunctuator(u) && peek(1) == u {
            throw error("Invalid set operation in character class")
        }
        return nextChar()
    }

    mutating func parseClassSetOperand(allowRange: Bool) throws(RxSyntaxError) -> (ClassSetValue, Bool) {
        guard let u = peek() else { throw error("Unterminated character class") }
        if u == 0x5B {
            pos += 1
            depth += 1
            if depth > RxParser.maxNesting { throw error("Regular expression too large (nesting too deep)") }
            var (v, neg) = try parseClassSetContents()
            depth -= 1
            if neg {
                if !v.strings.isEmpty { throw error("Negated character class may contain strings") }
                v.chars = v.chars.inverted()
            }
            return (v, false)
        }
        if u == 0x5C, let e = peek(1) {
            if e == 0x71 { // \q{…}
                pos += 2
                guard peekIs("{") else { throw error("Invalid escape") }
                pos += 1
                var v = ClassSetValue()
                var cur: [UInt32] = []
                while true {
                    guard let c = peek() else { throw error("Unterminated character class") }
                    if c == 0x7D || c == 0x7C {
                        pos += 1
                        if cur.count == 1 { v.chars = v.chars.union(closeIC(.single(cur[0]))) } else { v.strings.insert(cur) }
                        cur = []
                        if c == 0x7D { break }
                        continue
                    }
                    guard let ch = try parseClassSetCharacter() else { throw error("Invalid escape") }
                    cur.append(ch)
                }
                return (v, false)
            }
            pos += 1
            if let set = try parseClassEscapeSet() { return (ClassSetValue(chars: closeIC(set)), false) }
            pos -= 1
        }
        guard let c = try parseClassSetCharacter() else { throw error("Invalid character class") }
        if allowRange && peekIs("-") && !peekIs("-", 1) {
            pos += 1
            guard let d = try parseClassSetCharacter() else { throw error("Invalid character class") }
            if c > d { throw error("Range out of order in character class") }
            return (ClassSetValue(chars: closeIC(.range(c, d))), true)
        }
        return (ClassSetValue(chars: closeIC(.single(c))), false)
    }
}
