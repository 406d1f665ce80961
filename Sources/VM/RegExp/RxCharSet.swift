// Character sets for the regular-expression engine: sorted, merged inclusive ranges of code
// points, with a bitmap for ASCII. Plus the Unicode tables the engine needs (case
// canonicalization, character-class escapes, property escapes), computed once per process.

import Synchronization

/// A set of code points (or code units in non-Unicode mode: those are just code points ≤ 0xFFFF).
struct RxCharSet: Equatable, Sendable {
    /// Flattened inclusive ranges [lo0, hi0, lo1, hi1, …], sorted, non-overlapping, non-adjacent.
    private(set) var ranges: [UInt32]
    /// Membership of 0..<128.
    private(set) var ascii0: UInt64 = 0
    private(set) var ascii1: UInt64 = 0

    static let maxCodePoint: UInt32 = 0x10FFFF

    init() { ranges = [] }

    /// Builds from arbitrary (possibly overlapping, unsorted) inclusive ranges.
    init(ranges input: [(UInt32, UInt32)]) {
        let sorted = input.sorted { $0.0 < $1.0 }
        var out: [UInt32] = []
        out.reserveCapacity(sorted.count * 2)
        for (lo, hi) in sorted where lo <= hi {
            if let last = out.last, lo <= last &+ 1 {
                if hi > last { out[out.count - 1] = hi }
            } else {
                out.append(lo)
                out.append(hi)
            }
        }
        ranges = out
        rebuildASCII()
    }

    init(flat: [UInt32]) {
        ranges = flat
        rebuildASCII()
    }

    static func single(_ c: UInt32) -> RxCharSet { RxCharSet(flat: [c, c]) }
    static func range(_ lo: UInt32, _ hi: UInt32) -> RxCharSet { RxCharSet(flat: [lo, hi]) }
    static let all = RxCharSet(flat: [0, maxCodePoint])

    private mutating func rebuildASCII() {
        var a0: UInt64 = 0, a1: UInt64 = 0
        var i = 0
        while i < ranges.count && ranges[i] < 128 {
            let lo = ranges[i], hi = min(ranges[i + 1], 127)
            for c in lo...hi {
                if c < 64 { a0 |= 1 << UInt64(c) } else { a1 |= 1 << UInt64(c - 64) }
            }
            i += 2
        }
        ascii0 = a0
        ascii1 = a1
    }

    var isEmpty: Bool { ranges.isEmpty }
    var rangeCount: Int { ranges.count / 2 }
    var pairs: [(UInt32, UInt32)] {
        var r: [(UInt32, UInt32)] = []
        r.reserveCapacity(ranges.count / 2)
        var i = 0
        while i < ranges.count { r.append((ranges[i], ranges[i + 1])); i += 2 }
        return r
    }

    /// The single member, if the set has exactly one.
    var singleMember: UInt32? {
        ranges.count == 2 && ranges[0] == ranges[1] ? ranges[0] : nil
    }

    var hasAstral: Bool { (ranges.last ?? 0) > 0xFFFF }

    @inline(__always) func contains(_ c: UInt32) -> Bool {
        if c < 64 { return ascii0 & (1 << UInt64(c)) != 0 }
        if c < 128 { return ascii1 & (1 << UInt64(c - 64)) != 0 }
        return containsSlow(c)
    }

    @inline(never) func containsSlow(_ c: UInt32) -> Bool {
        // Binary search over ranges.
        var lo = 0, hi = ranges.count / 2
        while lo < hi {
            let mid = (lo + hi) >> 1
            if ranges[mid * 2 + 1] < c { lo = mid + 1 } else { hi = mid }
        }
        return lo < ranges.count / 2 && ranges[lo * 2] <= c
    }

    func union(_ o: RxCharSet) -> RxCharSet {
        if o.isEmpty { return self }
        if isEmpty { return o }
        return RxCharSet(ranges: pairs + o.pairs)
    }

    func intersection(_ o: RxCharSet) -> RxCharSet {
        inverted().union(o.inverted()).inverted()
    }

    func subtracting(_ o: RxCharSet) -> RxCharSet {
        inverted().union(o).inverted()
    }

    func inverted() -> RxCharSet {
        var out: [UInt32] = []
        var next: UInt32 = 0
        var i = 0
        while i < ranges.count {
            if ranges[i] > next { out.append(next); out.append(ranges[i] - 1) }
            next = ranges[i + 1] &+ 1
            i += 2
        }
        if next <= RxCharSet.maxCodePoint && !(i > 0 && ranges[i - 1] == RxCharSet.maxCodePoint) {
            out.append(next); out.append(RxCharSet.maxCodePoint)
        }
        return RxCharSet(flat: out)
    }

    /// The closure under case equivalence: every character whose canonical form equals the
    /// canonical form of some member.
    func caseClosed(_ table: RxCaseTable) -> RxCharSet {
        var extra: [(UInt32, UInt32)] = []
        for cls in table.classList {
            var any = false
            for m in cls where contains(m) { any = true; break }
            if any { for m in cls where !contains(m) { extra.append((m, m)) } }
        }
        if extra.isEmpty { return self }
        return RxCharSet(ranges: pairs + extra)
    }

    static func == (a: RxCharSet, b: RxCharSet) -> Bool { a.ranges == b.ranges }
}

// MARK: - Case canonicalization

/// Canonicalize (ECMAScript 22.2.2.7.3) for one mode, with the equivalence classes it induces.
final class RxCaseTable: Sendable {
    /// canonical value by character, only where it differs from the character.
    let canonMap: [UInt32: UInt32]
    /// Every equivalence class with two or more members.
    let classList: [[UInt32]]
    /// Dense table for the BMP (non-Unicode mode uses it for backreferences).
    let bmp: [UInt16]
    /// Index into `classList` by member.
    let classIndex: [UInt32: Int]

    init(canon: [UInt32: UInt32]) {
        canonMap = canon
        var groups: [UInt32: [UInt32]] = [:]
        for (c, k) in canon { groups[k, default: []].append(c) }
        var list: [[UInt32]] = []
        for (k, var members) in groups {
            if canon[k] == nil { members.append(k) }
            if members.count >= 2 { list.append(members.sorted()) }
        }
        classList = list.sorted { $0[0] < $1[0] }
        var idx: [UInt32: Int] = [:]
        for (i, cls) in classList.enumerated() { for m in cls { idx[m] = i } }
        classIndex = idx
        var t = [UInt16](repeating: 0, count: 0x10000)
        for i in 0..<0x10000 { t[i] = UInt16(i) }
        for (c, k) in canon where c < 0x10000 && k < 0x10000 { t[Int(c)] = UInt16(k) }
        bmp = t
    }

    /// The characters equivalent to `c` (including `c`).
    func equivalents(_ c: UInt32) -> [UInt32] {
        if let i = classIndex[c] { return classList[i] }
        return [c]
    }

    @inline(__always) func canonicalize(_ c: UInt32) -> UInt32 {
        if c < 0x10000 { return UInt32(bmp[Int(c)]) }
        return canonMap[c] ?? c
    }

    /// Non-Unicode mode: the simple uppercase mapping, restricted to single code units and not
    /// mapping non-ASCII to ASCII.
    static let legacy: RxCaseTable = {
        var canon: [UInt32: UInt32] = [:]
        for u in 0..<UInt32(0x10000) {
            guard let s = Unicode.Scalar(u), s.properties.changesWhenUppercased else { continue }
            let m = s.properties.uppercaseMapping.utf16
            guard m.count == 1, let cu = m.first else { continue }
            if u >= 128 && cu < 128 { continue }
            if UInt32(cu) != u { canon[u] = UInt32(cu) }
        }
        return RxCaseTable(canon: canon)
    }()

    /// Unicode mode: simple case folding (CaseFolding.txt C and S entries).
    static let unicode: RxCaseTable = {
        var canon: [UInt32: UInt32] = [:]
        func single(_ s: String) -> Unicode.Scalar? {
            var it = s.unicodeScalars.makeIterator()
            guard let a = it.next(), it.next() == nil else { return nil }
            return a
        }
        for cp in 0..<UInt32(0x20000) {
            guard let s = Unicode.Scalar(cp), s.properties.changesWhenCaseFolded else { continue }
            var u = s
            if let up = single(s.properties.uppercaseMapping) { u = up }
            var f = u
            if let low = single(u.properties.lowercaseMapping) { f = low }
            if f.value != cp { canon[cp] = f.value }
        }
        // Not folded by simple case folding.
        canon[0x0131] = nil
        canon[0x0130] = nil
        // Simple foldings added in recent Unicode versions (S entries without a simple case mapping).
        canon[0x1FD3] = 0x0390
        canon[0x1FE3] = 0x03B0
        canon[0xFB05] = 0xFB06
        return RxCaseTable(canon: canon)
    }()
}

// MARK: - Character-class escapes and property escapes

enum RxClasses {
    static let digits = RxCharSet.range(0x30, 0x39)
    static let word = RxCharSet(ranges: [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)])
    /// `\w` with the u and i flags: also ſ (U+017F) and K (U+212A), which fold into basic word characters.
    static let wordUnicodeIgnoreCase = RxCharSet(ranges: [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A),
                                                          (0x17F, 0x17F), (0x212A, 0x212A)])
    static let space = RxCharSet(ranges: [(0x09, 0x0D), (0x20, 0x20), (0xA0, 0xA0), (0x1680, 0x1680),
                                          (0x2000, 0x200A), (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F),
                                          (0x3000, 0x3000), (0xFEFF, 0xFEFF)])
    static let lineTerminators = RxCharSet(ranges: [(0x0A, 0x0A), (0x0D, 0x0D), (0x2028, 0x2029)])
    static let dot = lineTerminators.inverted()

    @inline(__always) static func isLineTerminator(_ u: UInt16) -> Bool {
        u == 0x0A || u == 0x0D || u == 0x2028 || u == 0x2029
    }

    @inline(__always) static func isWordUnit(_ u: UInt16, extended: Bool) -> Bool {
        if u < 128 {
            return (u >= 0x61 && u <= 0x7A) || (u >= 0x41 && u <= 0x5A) || (u >= 0x30 && u <= 0x39) || u == 0x5F
        }
        return extended && (u == 0x17F || u == 0x212A)
    }

    // MARK: Unicode properties (\p{…})

    private static let propertyCache = Mutex<[String: RxCharSet]>([:])

    /// The set for `\p{name}` or `\p{name=value}`, or nil when unknown.
    static func property(name: String, value: String?) -> RxCharSet? {
        let cacheKey = value.map { name + "=" + $0 } ?? name
        if let s = propertyCache.withLock({ $0[cacheKey] }) { return s }
        guard let set = computeProperty(name: name, value: value) else { return nil }
        propertyCache.withLock { $0[cacheKey] = set }
        return set
    }

    private static func collect(_ test: (Unicode.Scalar.Properties) -> Bool) -> RxCharSet {
        var out: [(UInt32, UInt32)] = []
        var start: UInt32? = nil
        var cp: UInt32 = 0
        while cp <= 0x10FFFF {
            let inSet: Bool
            if let s = Unicode.Scalar(cp) { inSet = test(s.properties) } else { inSet = false }
            if inSet {
                if start == nil { start = cp }
            } else if let s = start {
                out.append((s, cp - 1))
                start = nil
            }
            cp += 1
        }
        if let s = start { out.append((s, 0x10FFFF)) }
        return RxCharSet(ranges: out)
    }

    private static let generalCategories: [(names: [String], cats: [Unicode.GeneralCategory])] = [
        (["L", "Letter"], [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter]),
        (["LC", "Cased_Letter"], [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter]),
        (["Lu", "Uppercase_Letter"], [.uppercaseLetter]),
        (["Ll", "Lowercase_Letter"], [.lowercaseLetter]),
        (["Lt", "Titlecase_Letter"], [.titlecaseLetter]),
        (["Lm", "Modifier_Letter"], [.modifierLetter]),
        (["Lo", "Other_Letter"], [.otherLetter]),
        (["M", "Mark", "Combining_Mark"], [.nonspacingMark, .spacingMark, .enclosingMark]),
        (["Mn", "Nonspacing_Mark"], [.nonspacingMark]),
        (["Mc", "Spacing_Mark"], [.spacingMark]),
        (["Me", "Enclosing_Mark"], [.enclosingMark]),
        (["N", "Number"], [.decimalNumber, .letterNumber, .otherNumber]),
        (["Nd", "Decimal_Number", "digit"], [.decimalNumber]),
        (["Nl", "Letter_Number"], [.letterNumber]),
        (["No", "Other_Number"], [.otherNumber]),
        (["P", "Punctuation", "punct"], [.connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                                          .initialPunctuation, .finalPunctuation, .otherPunctuation]),
        (["Pc", "Connector_Punctuation"], [.connectorPunctuation]),
        (["Pd", "Dash_Punctuation"], [.dashPunctuation]),
        (["Ps", "Open_Punctuation"], [.openPunctuation]),
        (["Pe", "Close_Punctuation"], [.closePunctuation]),
        (["Pi", "Initial_Punctuation"], [.initialPunctuation]),
        (["Pf", "Final_Punctuation"], [.finalPunctuation]),
        (["Po", "Other_Punctuation"], [.otherPunctuation]),
        (["S", "Symbol"], [.mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol]),
        (["Sm", "Math_Symbol"], [.mathSymbol]),
        (["Sc", "Currency_Symbol"], [.currencySymbol]),
        (["Sk", "Modifier_Symbol"], [.modifierSymbol]),
        (["So", "Other_Symbol"], [.otherSymbol]),
        (["Z", "Separator"], [.spaceSeparator, .lineSeparator, .paragraphSeparator]),
        (["Zs", "Space_Separator"], [.spaceSeparator]),
        (["Zl", "Line_Separator"], [.lineSeparator]),
        (["Zp", "Paragraph_Separator"], [.paragraphSeparator]),
        (["C", "Other"], [.control, .format, .surrogate, .privateUse, .unassigned]),
        (["Cc", "Control", "cntrl"], [.control]),
        (["Cf", "Format"], [.format]),
        (["Cs", "Surrogate"], [.surrogate]),
        (["Co", "Private_Use"], [.privateUse]),
        (["Cn", "Unassigned"], [.unassigned]),
    ]

    private static let binaryProperties: [String: @Sendable (Unicode.Scalar.Properties) -> Bool] = [
        "Alphabetic": { $0.isAlphabetic }, "Alpha": { $0.isAlphabetic },
        "ASCII_Hex_Digit": { $0.isASCIIHexDigit }, "AHex": { $0.isASCIIHexDigit },
        "Bidi_Control": { $0.isBidiControl }, "Bidi_C": { $0.isBidiControl },
        "Bidi_Mirrored": { $0.isBidiMirrored }, "Bidi_M": { $0.isBidiMirrored },
        "Case_Ignorable": { $0.isCaseIgnorable }, "CI": { $0.isCaseIgnorable },
        "Cased": { $0.isCased },
        "Changes_When_Casefolded": { $0.changesWhenCaseFolded }, "CWCF": { $0.changesWhenCaseFolded },
        "Changes_When_Casemapped": { $0.changesWhenCaseMapped }, "CWCM": { $0.changesWhenCaseMapped },
        "Changes_When_Lowercased": { $0.changesWhenLowercased }, "CWL": { $0.changesWhenLowercased },
        "Changes_When_NFKC_Casefolded": { $0.changesWhenNFKCCaseFolded }, "CWKCF": { $0.changesWhenNFKCCaseFolded },
        "Changes_When_Titlecased": { $0.changesWhenTitlecased }, "CWT": { $0.changesWhenTitlecased },
        "Changes_When_Uppercased": { $0.changesWhenUppercased }, "CWU": { $0.changesWhenUppercased },
        "Dash": { $0.isDash },
        "Default_Ignorable_Code_Point": { $0.isDefaultIgnorableCodePoint }, "DI": { $0.isDefaultIgnorableCodePoint },
        "Deprecated": { $0.isDeprecated }, "Dep": { $0.isDeprecated },
        "Diacritic": { $0.isDiacritic }, "Dia": { $0.isDiacritic },
        "Emoji": { $0.isEmoji },
        "Emoji_Modifier": { $0.isEmojiModifier }, "EMod": { $0.isEmojiModifier },
        "Emoji_Modifier_Base": { $0.isEmojiModifierBase }, "EBase": { $0.isEmojiModifierBase },
        "Emoji_Presentation": { $0.isEmojiPresentation }, "EPres": { $0.isEmojiPresentation },
        "Extender": { $0.isExtender }, "Ext": { $0.isExtender },
        "Grapheme_Base": { $0.isGraphemeBase }, "Gr_Base": { $0.isGraphemeBase },
        "Grapheme_Extend": { $0.isGraphemeExtend }, "Gr_Ext": { $0.isGraphemeExtend },
        "Hex_Digit": { $0.isHexDigit }, "Hex": { $0.isHexDigit },
        "IDS_Binary_Operator": { $0.isIDSBinaryOperator }, "IDSB": { $0.isIDSBinaryOperator },
        "IDS_Trinary_Operator": { $0.isIDSTrinaryOperator }, "IDST": { $0.isIDSTrinaryOperator },
        "ID_Continue": { $0.isIDContinue }, "IDC": { $0.isIDContinue },
        "ID_Start": { $0.isIDStart }, "IDS": { $0.isIDStart },
        "Ideographic": { $0.isIdeographic }, "Ideo": { $0.isIdeographic },
        "Join_Control": { $0.isJoinControl }, "Join_C": { $0.isJoinControl },
        "Logical_Order_Exception": { $0.isLogicalOrderException }, "LOE": { $0.isLogicalOrderException },
        "Lowercase": { $0.isLowercase }, "Lower": { $0.isLowercase },
        "Math": { $0.isMath },
        "Noncharacter_Code_Point": { $0.isNoncharacterCodePoint }, "NChar": { $0.isNoncharacterCodePoint },
        "Pattern_Syntax": { $0.isPatternSyntax }, "Pat_Syn": { $0.isPatternSyntax },
        "Pattern_White_Space": { $0.isPatternWhitespace }, "Pat_WS": { $0.isPatternWhitespace },
        "Quotation_Mark": { $0.isQuotationMark }, "QMark": { $0.isQuotationMark },
        "Radical": { $0.isRadical },
        "Sentence_Terminal": { $0.isSentenceTerminal }, "STerm": { $0.isSentenceTerminal },
        "Soft_Dotted": { $0.isSoftDotted }, "SD": { $0.isSoftDotted },
        "Terminal_Punctuation": { $0.isTerminalPunctuation }, "Term": { $0.isTerminalPunctuation },
        "Unified_Ideograph": { $0.isUnifiedIdeograph }, "UIdeo": { $0.isUnifiedIdeograph },
        "Uppercase": { $0.isUppercase }, "Upper": { $0.isUppercase },
        "Variation_Selector": { $0.isVariationSelector }, "VS": { $0.isVariationSelector },
        "White_Space": { $0.isWhitespace }, "space": { $0.isWhitespace },
        "XID_Continue": { $0.isXIDContinue }, "XIDC": { $0.isXIDContinue },
        "XID_Start": { $0.isXIDStart }, "XIDS": { $0.isXIDStart },
    ]

    private static func computeProperty(name: String, value: String?) -> RxCharSet? {
        if let value {
            guard name == "General_Category" || name == "gc" else { return nil }
            return generalCategory(value)
        }
        switch name {
        case "Any": return .all
        case "ASCII": return .range(0, 0x7F)
        case "Assigned": return generalCategory("Cn")?.inverted()
        case "Regional_Indicator", "RI": return .range(0x1F1E6, 0x1F1FF)
        default: break
        }
        if let gc = generalCategory(name) { return gc }
        if let test = binaryProperties[name] { return collect(test) }
        return nil
    }

    private static func generalCategory(_ value: String) -> RxCharSet? {
        guard let entry = generalCategories.first(where: { $0.names.contains(value) }) else { return nil }
        let cats = entry.cats
        if cats.contains(.surrogate) || cats == [.surrogate] {
            // Surrogates are not scalars; add them explicitly.
            var set = collect { cats.contains($0.generalCategory) }
            set = set.union(.range(0xD800, 0xDFFF))
            return set
        }
        return collect { cats.contains($0.generalCategory) }
    }
}
