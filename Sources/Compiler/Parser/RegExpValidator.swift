// Early errors of regular expression literals: the pattern must match the RegExp grammar
// (ES2024 22.2.1, with the Annex B extensions when neither `u` nor `v` is set).

extension JSParser {
    func validateRegExpPattern(_ pattern: [UInt16], flags: String, at offset: Int) throws(SyntaxError) {
        var v = JSRegExpSyntaxValidator(pattern, unicode: flags.contains("u") || flags.contains("v"),
                                unicodeSets: flags.contains("v"), stackLimit: stackLimit)
        if let message = v.validate() {
            let text = pattern.count > 60 ? String(decoding: pattern[0..<60], as: UTF16.self) + "..."
                : String(decoding: pattern, as: UTF16.self)
            throw error("Invalid regular expression: /\(text)/\(flags): \(message)", at: offset)
        }
    }
}

struct JSRegExpSyntaxValidator {
    struct Failure: Error { let message: String }

    let s: [UInt16]
    let n: Int
    let u: Bool
    let v: Bool
    var i = 0
    var totalGroups = 0
    var hasNamedGroups = false
    var groupNames: Set<String> = []
    var referencedNames: [String] = []
    var maxBackreference = 0
    var nesting = 0

    let stackLimit: UInt

    init(_ pattern: [UInt16], unicode: Bool, unicodeSets: Bool, stackLimit: UInt) {
        self.stackLimit = stackLimit
        s = pattern
        n = pattern.count
        u = unicode
        v = unicodeSets
    }

    @inline(__always) func at(_ k: Int) -> UInt16 { k < n ? s[k] : 0xFFFF }

    mutating func validate() -> String? {
        prescan()
        do throws(Failure) {
            try disjunction()
            if i < n {
                throw Failure(message: s[i] == 0x29 ? "Unmatched ')'" : "Unexpected character")
            }
            if u && maxBackreference > totalGroups { throw Failure(message: "Invalid escape") }
            for name in referencedNames where !groupNames.contains(name) {
                throw Failure(message: "Invalid named capture referenced")
            }
        } catch let f {
            return f.message
        }
        return nil
    }

    /// Counts capturing groups and notes whether there are named groups.
    mutating func prescan() {
        var k = 0
        var inClass = false
        while k < n {
            let c = s[k]
            if c == 0x5C { k += 2; continue }
            if inClass {
                if c == 0x5D { inClass = false }
            } else if c == 0x5B {
                inClass = true
            } else if c == 0x28 {
                if at(k + 1) != 0x3F {
                    totalGroups += 1
                } else if at(k + 2) == 0x3C && at(k + 3) != 0x3D && at(k + 3) != 0x21 {
                    totalGroups += 1
                    hasNamedGroups = true
                }
            }
            k += 1
        }
    }

    mutating func disjunction() throws(Failure) {
        try alternative()
        while i < n && s[i] == 0x7C {
            i += 1
            try alternative()
        }
    }

    mutating func alternative() throws(Failure) {
        while i < n && s[i] != 0x7C && s[i] != 0x29 {
            try term()
        }
    }

    func isSyntaxCharacter(_ c: UInt16) -> Bool {
        switch c {
        case 0x5E, 0x24, 0x5C, 0x2E, 0x2A, 0x2B, 0x3F, 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x7C: return true
        default: return false
        }
    }

    /// `{n}`, `{n,}`, `{n,m}` at `k`: returns the length, or nil when not a braced quantifier.
    func bracedQuantifier(at k: Int) throws(Failure) -> Int? {
        guard at(k) == 0x7B else { return nil }
        var j = k + 1
        var minV: Double = 0
        var digits = 0
        while j < n, s[j] >= 0x30 && s[j] <= 0x39 {
            minV = minV * 10 + Double(s[j] - 0x30)
            j += 1
            digits += 1
        }
        if digits == 0 { return nil }
        var maxV = minV
        if at(j) == 0x2C {
            j += 1
            var d2 = 0
            var m: Double = 0
            while j < n, s[j] >= 0x30 && s[j] <= 0x39 {
                m = m * 10 + Double(s[j] - 0x30)
                j += 1
                d2 += 1
            }
            maxV = d2 == 0 ? .infinity : m
        }
        guard at(j) == 0x7D else { return nil }
        if maxV < minV { throw Failure(message: "numbers out of order in {} quantifier") }
        return j + 1 - k
    }

    /// Parses an optional quantifier; `allowed` tells whether the preceding term may be quantified.
    mutating func quantifier(allowed: Bool) throws(Failure) {
        guard i < n else { return }
        let c = s[i]
        var len = 0
        if c == 0x2A || c == 0x2B || c == 0x3F {
            len = 1
        } else if c == 0x7B {
            if let l = try bracedQuantifier(at: i) {
                len = l
            } else if u {
                throw Failure(message: "Incomplete quantifier")
            } else {
                return
            }
        } else {
            return
        }
        if !allowed { throw Failure(message: "Invalid quantifier") }
        i += len
        if at(i) == 0x3F { i += 1 }
    }

    mutating func term() throws(Failure) {
        let c = s[i]
        switch c {
        case 0x5E, 0x24: // ^ $
            i += 1
            try quantifier(allowed: false)
        case 0x5C: // \
            let e = at(i + 1)
            if e == 0x62 || e == 0x42 {
                i += 2
                try quantifier(allowed: false)
                return
            }
            try atomEscape()
            try quantifier(allowed: true)
        case 0x28: // (
            var quantifiable = true
            if at(i + 1) == 0x3F {
                let k = at(i + 2)
                if k == 0x3D || k == 0x21 {
                    i += 3
                    quantifiable = !u
                } else if k == 0x3C && (at(i + 3) == 0x3D || at(i + 3) == 0x21) {
                    i += 4
                    quantifiable = false
                } else if k == 0x3A {
                    i += 3
                } else if k == 0x3C {
                    i += 3
                    let name = try groupName()
                    if !groupNames.insert(name).inserted {
                        throw Failure(message: "Duplicate capture group name")
                    }
                } else {
                    throw Failure(message: "Invalid group")
                }
            } else {
                i += 1
            }
            nesting += 1
            if nesting > Parser.maxNestingDepth || JSParser.currentStackAddress() < stackLimit {
                throw Failure(message: "Nesting too deep")
            }
            try disjunction()
            nesting -= 1
            guard at(i) == 0x29 else { throw Failure(message: "Unterminated group") }
            i += 1
            try quantifier(allowed: quantifiable)
        case 0x29:
            throw Failure(message: "Unmatched ')'")
        case 0x5B:
            try characterClass()
            try quantifier(allowed: true)
        case 0x2A, 0x2B, 0x3F:
            throw Failure(message: "Nothing to repeat")
        case 0x7B:
            if u { throw Failure(message: "Lone quantifier brackets") }
            if try bracedQuantifier(at: i) != nil { throw Failure(message: "Nothing to repeat") }
            i += 1
            try quantifier(allowed: true)
        case 0x7D, 0x5D:
            if u { throw Failure(message: "Lone quantifier brackets") }
            i += 1
            try quantifier(allowed: true)
        default:
            i += codeUnitLength(at: i)
            try quantifier(allowed: true)
        }
    }

    func codeUnitLength(at k: Int) -> Int {
        if u, k + 1 < n, s[k] >= 0xD800, s[k] <= 0xDBFF, s[k + 1] >= 0xDC00, s[k + 1] <= 0xDFFF { return 2 }
        return 1
    }

    func codePoint(at k: Int) -> (UInt32, Int) {
        if codeUnitLength(at: k) == 2 {
            return (0x10000 + ((UInt32(s[k]) - 0xD800) << 10) + (UInt32(s[k + 1]) - 0xDC00), 2)
        }
        return (UInt32(s[k]), 1)
    }

    func isASCIILetter(_ c: UInt16) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
    func isDigit(_ c: UInt16) -> Bool { c >= 0x30 && c <= 0x39 }

    /// `\p{...}` after the `p`/`P` (u-mode).
    mutating func propertyEscape() throws(Failure) {
        guard at(i) == 0x7B else { throw Failure(message: "Invalid property name") }
        i += 1
        let start = i
        while i < n, isASCIILetter(s[i]) || isDigit(s[i]) || s[i] == 0x5F || s[i] == 0x3D { i += 1 }
        guard i > start, at(i) == 0x7D else { throw Failure(message: "Invalid property name") }
        i += 1
    }

    /// `\u` escape (at the `u`) in u-mode; returns the code point.
    mutating func unicodeEscape(unicodeMode: Bool) throws(Failure) -> UInt32? {
        // i is at 'u'
        if unicodeMode && at(i + 1) == 0x7B {
            var j = i + 2
            var val: UInt32 = 0
            var digits = 0
            while j < n, let h = jsHexValue(s[j]) {
                val = val &* 16 &+ h
                if val > 0x10FFFF { throw Failure(message: "Invalid Unicode escape") }
                j += 1
                digits += 1
            }
            guard digits > 0, at(j) == 0x7D else { throw Failure(message: "Invalid Unicode escape") }
            i = j + 1
            return val
        }
        guard let v = hex4(at: i + 1) else {
            if unicodeMode { throw Failure(message: "Invalid Unicode escape") }
            return nil
        }
        i += 5
        if unicodeMode && v >= 0xD800 && v <= 0xDBFF && at(i) == 0x5C && at(i + 1) == 0x75,
           let lo = hex4(at: i + 2), lo >= 0xDC00 && lo <= 0xDFFF {
            i += 6
            return 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00)
        }
        return v
    }

    func hex4(at k: Int) -> UInt32? {
        guard k + 4 <= n else { return nil }
        var v: UInt32 = 0
        for j in k..<(k + 4) {
            guard let h = jsHexValue(s[j]) else { return nil }
            v = v * 16 + h
        }
        return v
    }

    mutating func groupName() throws(Failure) -> String {
        // After '<'.
        var scalars = String.UnicodeScalarView()
        var first = true
        while true {
            guard i < n else { throw Failure(message: "Invalid capture group name") }
            if s[i] == 0x3E {
                if first { throw Failure(message: "Invalid capture group name") }
                i += 1
                break
            }
            var cp: UInt32
            if s[i] == 0x5C {
                guard at(i + 1) == 0x75 else { throw Failure(message: "Invalid capture group name") }
                i += 1
                guard let v = try unicodeEscape(unicodeMode: true) else {
                    throw Failure(message: "Invalid capture group name")
                }
                cp = v
            } else {
                let c = s[i]
                if c >= 0xD800 && c <= 0xDBFF && i + 1 < n && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF {
                    cp = 0x10000 + ((UInt32(c) - 0xD800) << 10) + (UInt32(s[i + 1]) - 0xDC00)
                    i += 2
                } else {
                    cp = UInt32(c)
                    i += 1
                }
            }
            if first ? !jsIsIdentifierStart(cp) : !jsIsIdentifierPart(cp) {
                throw Failure(message: "Invalid capture group name")
            }
            guard let scalar = Unicode.Scalar(cp) else { throw Failure(message: "Invalid capture group name") }
            scalars.append(scalar)
            first = false
        }
        return String(scalars)
    }

    /// An escape outside a character class (i at the backslash).
    mutating func atomEscape() throws(Failure) {
        i += 1
        guard i < n else { throw Failure(message: "\\ at end of pattern") }
        let c = s[i]
        switch c {
        case 0x31...0x39:
            var val = 0
            while i < n, isDigit(s[i]) {
                val = min(val * 10 + Int(s[i] - 0x30), 1_000_000)
                i += 1
            }
            if u || hasNamedGroups {
                if val > totalGroups {
                    if u { throw Failure(message: "Invalid escape") }
                }
            }
            maxBackreference = max(maxBackreference, val)
        case 0x30:
            i += 1
            if u && isDigit(at(i)) { throw Failure(message: "Invalid decimal escape") }
        case 0x64, 0x44, 0x73, 0x53, 0x77, 0x57:
            i += 1
        case 0x70, 0x50:
            i += 1
            if u { try propertyEscape() }
        case 0x6B: // k
            i += 1
            if u || hasNamedGroups {
                guard at(i) == 0x3C else { throw Failure(message: "Invalid named reference") }
                i += 1
                referencedNames.append(try groupName())
            }
        case 0x63: // c
            if isASCIILetter(at(i + 1)) {
                i += 2
            } else if u {
                throw Failure(message: "Invalid unicode escape")
            }
            // Annex B: `\c` matches a backslash; the `c` is then a pattern character.
        case 0x66, 0x6E, 0x72, 0x74, 0x76:
            i += 1
        case 0x78:
            if jsHexValue(at(i + 1)) != nil && jsHexValue(at(i + 2)) != nil {
                i += 3
            } else if u {
                throw Failure(message: "Invalid escape")
            } else {
                i += 1
            }
        case 0x75:
            if try unicodeEscape(unicodeMode: u) == nil { i += 1 }
        default:
            if u {
                if !isSyntaxCharacter(c) && c != 0x2F { throw Failure(message: "Invalid escape") }
                i += 1
            } else {
                i += 1
            }
        }
    }

    mutating func characterClass() throws(Failure) {
        i += 1
        if at(i) == 0x5E { i += 1 }
        if v {
            try classSetContents()
            return
        }
        while true {
            guard i < n else { throw Failure(message: "Unterminated character class") }
            if s[i] == 0x5D {
                i += 1
                return
            }
            let (a, aIsClass) = try classAtom()
            if at(i) == 0x2D && i + 1 < n && s[i + 1] != 0x5D {
                i += 1
                let (b, bIsClass) = try classAtom()
                if aIsClass || bIsClass {
                    if u { throw Failure(message: "Invalid character class") }
                    continue
                }
                if a > b { throw Failure(message: "Range out of order in character class") }
            }
        }
    }

    /// `v`-mode class contents: checks only nesting and escapes.
    mutating func classSetContents() throws(Failure) {
        var nesting = 1
        while nesting > 0 {
            guard i < n else { throw Failure(message: "Unterminated character class") }
            let c = s[i]
            if c == 0x5C {
                i += 2
                continue
            }
            if c == 0x5B { nesting += 1 } else if c == 0x5D { nesting -= 1 }
            i += 1
        }
    }

    /// One class atom; returns its code point (for range checks) and whether it is a class escape.
    mutating func classAtom() throws(Failure) -> (UInt32, Bool) {
        let c = s[i]
        if c != 0x5C {
            let (cp, len) = codePoint(at: i)
            i += len
            return (cp, false)
        }
        i += 1
        guard i < n else { throw Failure(message: "\\ at end of pattern") }
        let e = s[i]
        switch e {
        case 0x64, 0x44, 0x73, 0x53, 0x77, 0x57:
            i += 1
            return (0, true)
        case 0x70, 0x50:
            i += 1
            if u {
                try propertyEscape()
                return (0, true)
            }
            return (UInt32(e), false)
        case 0x62:
            i += 1
            return (8, false)
        case 0x2D:
            i += 1
            return (0x2D, false)
        case 0x30...0x39:
            if u {
                if e == 0x30 && !isDigit(at(i + 1)) {
                    i += 1
                    return (0, false)
                }
                throw Failure(message: "Invalid class escape")
            }
            if e >= 0x38 {
                i += 1
                return (UInt32(e), false)
            }
            var val: UInt32 = 0
            var count = 0
            while count < 3, i < n, s[i] >= 0x30 && s[i] <= 0x37 {
                let nv = val * 8 + UInt32(s[i] - 0x30)
                if nv > 0xFF { break }
                val = nv
                i += 1
                count += 1
            }
            return (val, false)
        case 0x63:
            let next = at(i + 1)
            if isASCIILetter(next) || (!u && (isDigit(next) || next == 0x5F)) {
                i += 2
                return (UInt32(next) % 32, false)
            }
            if u { throw Failure(message: "Invalid class escape") }
            return (0x5C, false)
        case 0x66: i += 1; return (0x0C, false)
        case 0x6E: i += 1; return (0x0A, false)
        case 0x72: i += 1; return (0x0D, false)
        case 0x74: i += 1; return (0x09, false)
        case 0x76: i += 1; return (0x0B, false)
        case 0x78:
            if let h1 = jsHexValue(at(i + 1)), let h2 = jsHexValue(at(i + 2)) {
                i += 3
                return (h1 * 16 + h2, false)
            }
            if u { throw Failure(message: "Invalid escape") }
            i += 1
            return (0x78, false)
        case 0x75:
            if let v = try unicodeEscape(unicodeMode: u) { return (v, false) }
            i += 1
            return (0x75, false)
        default:
            if u && !isSyntaxCharacter(e) && e != 0x2F {
                throw Failure(message: "Invalid escape")
            }
            let (cp, len) = codePoint(at: i)
            i += len
            return (cp, false)
        }
    }
}
