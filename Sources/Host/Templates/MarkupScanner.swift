/// Byte-level HTML scanning shared by backend-block extraction and the template parser.
/// It understands just enough HTML to find tags reliably: quoted attribute values, comments,
/// raw-text `<script>` content, and `{{ }}` / `@directive(...)` inside tags (which may hold `>`).
enum MarkupScanner {
    /// One attribute of a start tag. Offsets are UTF-8 offsets into the scanned bytes.
    struct Attribute {
        /// Lower-cased attribute name.
        let name: String
        /// From the whitespace before the name to the end of the value: removing this range removes
        /// the attribute cleanly.
        let removalRange: Range<Int>
        /// The value without its quotes; nil for a bare attribute such as `v-else`.
        let valueRange: Range<Int>?
    }

    /// A start tag `<name ...>` or `<name .../>`.
    struct StartTag {
        let start: Int
        /// Offset just past the closing `>`.
        let end: Int
        /// Lower-cased tag name.
        let name: String
        let attributes: [Attribute]
        let isSelfClosing: Bool

        func attribute(_ name: String) -> Attribute? { attributes.first { $0.name == name } }
    }

    /// Elements that never have content or an end tag.
    static let voidElements: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr",
    ]

    static func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }

    /// True when `bytes[at...]` starts with `ascii`, comparing letters case-insensitively.
    static func hasPrefix(_ bytes: [UInt8], at: Int, _ ascii: StaticString, limit: Int) -> Bool {
        let count = ascii.utf8CodeUnitCount
        guard at + count <= limit else { return false }
        let p = ascii.utf8Start
        for i in 0..<count {
            let a = bytes[at + i], b = p[i]
            if a == b { continue }
            if isASCIILetter(a) && (a | 0x20) == (b | 0x20) { continue }
            return false
        }
        return true
    }

    /// True when `bytes[at...]` starts with the lower-case ASCII `name`, case-insensitively.
    static func hasNamePrefix(_ bytes: [UInt8], at: Int, _ name: [UInt8], limit: Int) -> Bool {
        guard at + name.count <= limit else { return false }
        for i in 0..<name.count {
            let a = bytes[at + i]
            if a == name[i] || (isASCIILetter(a) && (a | 0x20) == name[i]) { continue }
            return false
        }
        return true
    }

    /// True when the byte at `at` ends a tag name (whitespace, `>`, `/`, or the end).
    static func endsTagName(_ bytes: [UInt8], at: Int, limit: Int) -> Bool {
        at >= limit || isWhitespace(bytes[at]) || bytes[at] == 0x3E || bytes[at] == 0x2F
    }

    /// Finds `needle` (ASCII, exact) at or after `from`; returns its offset.
    static func find(_ needle: StaticString, in bytes: [UInt8], from: Int, limit: Int) -> Int? {
        let count = needle.utf8CodeUnitCount
        let p = needle.utf8Start
        guard count > 0, limit - from >= count else { return nil }
        var i = from
        let first = p[0]
        while i + count <= limit {
            if bytes[i] == first {
                var j = 1
                while j < count && bytes[i + j] == p[j] { j += 1 }
                if j == count { return i }
            }
            i += 1
        }
        return nil
    }

    /// Offset just past a `{{ ... }}` (or `{{-- ... --}}`) starting at `at`, or nil if unclosed.
    static func skipMustache(_ bytes: [UInt8], at: Int, limit: Int) -> Int? {
        if hasPrefix(bytes, at: at, "{{--", limit: limit) {
            return find("--}}", in: bytes, from: at + 4, limit: limit).map { $0 + 4 }
        }
        return find("}}", in: bytes, from: at + 2, limit: limit).map { $0 + 2 }
    }

    /// Offset just past the `)` that closes the `(` at `at`, honouring nesting and quotes.
    static func skipParentheses(_ bytes: [UInt8], at: Int, limit: Int) -> Int? {
        var depth = 0
        var i = at
        while i < limit {
            switch bytes[i] {
            case 0x28: depth += 1
            case 0x29:
                depth -= 1
                if depth == 0 { return i + 1 }
            case 0x22, 0x27:
                let quote = bytes[i]
                i += 1
                while i < limit && bytes[i] != quote {
                    if bytes[i] == 0x5C { i += 1 }
                    i += 1
                }
            default: break
            }
            i += 1
        }
        return nil
    }

    /// Scans the start tag whose `<` is at `start`. Returns nil when the bytes there are not a
    /// well-formed start tag (no letter after `<`, or no closing `>` before `limit`).
    static func scanStartTag(_ bytes: [UInt8], at start: Int, limit: Int) -> StartTag? {
        guard start + 1 < limit, bytes[start] == 0x3C, isASCIILetter(bytes[start + 1]) else { return nil }
        var i = start + 1
        while i < limit && !endsTagName(bytes, at: i, limit: limit) { i += 1 }
        let name = String(decoding: bytes[(start + 1)..<i], as: UTF8.self).lowercased()
        var attributes: [Attribute] = []
        while i < limit {
            let whitespaceStart = i
            while i < limit && isWhitespace(bytes[i]) { i += 1 }
            guard i < limit else { return nil }
            let b = bytes[i]
            if b == 0x3E {
                return StartTag(start: start, end: i + 1, name: name, attributes: attributes, isSelfClosing: false)
            }
            if b == 0x2F {
                if i + 1 < limit && bytes[i + 1] == 0x3E {
                    return StartTag(start: start, end: i + 2, name: name, attributes: attributes, isSelfClosing: true)
                }
                i += 1
                continue
            }
            if b == 0x7B && i + 1 < limit && bytes[i + 1] == 0x7B {
                guard let after = skipMustache(bytes, at: i, limit: limit) else { return nil }
                i = after
                continue
            }
            if b == 0x40, let after = skipDirectiveInTag(bytes, at: i, limit: limit) {
                i = after
                continue
            }
            // Attribute name.
            let nameStart = i
            while i < limit && !isWhitespace(bytes[i]) && bytes[i] != 0x3D && bytes[i] != 0x3E
                && !(bytes[i] == 0x2F && i + 1 < limit && bytes[i + 1] == 0x3E)
            {
                i += 1
            }
            let attributeName = String(decoding: bytes[nameStart..<i], as: UTF8.self).lowercased()
            var j = i
            while j < limit && isWhitespace(bytes[j]) { j += 1 }
            var valueRange: Range<Int>? = nil
            if j < limit && bytes[j] == 0x3D {
                j += 1
                while j < limit && isWhitespace(bytes[j]) { j += 1 }
                guard j < limit else { return nil }
                if bytes[j] == 0x22 || bytes[j] == 0x27 {
                    let quote = bytes[j]
                    var k = j + 1
                    while k < limit && bytes[k] != quote {
                        if bytes[k] == 0x7B && k + 1 < limit && bytes[k + 1] == 0x7B,
                            let after = skipMustache(bytes, at: k, limit: limit)
                        {
                            k = after
                            continue
                        }
                        k += 1
                    }
                    guard k < limit else { return nil }
                    valueRange = (j + 1)..<k
                    i = k + 1
                } else {
                    var k = j
                    while k < limit && !isWhitespace(bytes[k]) && bytes[k] != 0x3E { k += 1 }
                    valueRange = j..<k
                    i = k
                }
            }
            attributes.append(Attribute(name: attributeName, removalRange: whitespaceStart..<i, valueRange: valueRange))
        }
        return nil
    }

    /// Skips a template directive written inside a tag, e.g. `<option @if(x) selected @endif>`,
    /// so a `>` inside its parentheses does not end the tag. Returns nil when `at` is no directive.
    private static func skipDirectiveInTag(_ bytes: [UInt8], at: Int, limit: Int) -> Int? {
        var i = at + 1
        while i < limit && isASCIILetter(bytes[i]) { i += 1 }
        guard i > at + 1 else { return nil }
        var j = i
        while j < limit && (bytes[j] == 0x20 || bytes[j] == 0x09) { j += 1 }
        if j < limit && bytes[j] == 0x28 { return skipParentheses(bytes, at: j, limit: limit) }
        return i
    }

    /// Finds the end tag `</name>` (case-insensitive) at or after `from`. Returns the range of the
    /// end tag, from `<` to just past `>`.
    static func findEndTag(_ name: [UInt8], in bytes: [UInt8], from: Int, limit: Int) -> Range<Int>? {
        var i = from
        while i + 1 < limit {
            if bytes[i] == 0x3C && bytes[i + 1] == 0x2F
                && hasNamePrefix(bytes, at: i + 2, name, limit: limit)
                && endsTagName(bytes, at: i + 2 + name.count, limit: limit)
            {
                var k = i + 2 + name.count
                while k < limit && bytes[k] != 0x3E { k += 1 }
                return i..<min(k + 1, limit)
            }
            i += 1
        }
        return nil
    }

    /// Finds the end tag that closes the element whose start tag ends at `from`, counting nested
    /// elements of the same name and skipping comments, `{{ }}` and `<script>` content.
    static func findMatchingEndTag(_ name: String, in bytes: [UInt8], from: Int, limit: Int) -> Range<Int>? {
        let nameBytes = Array(name.utf8)
        var depth = 1
        var i = from
        while i < limit {
            let b = bytes[i]
            if b == 0x7B && i + 1 < limit && bytes[i + 1] == 0x7B {
                i = skipMustache(bytes, at: i, limit: limit) ?? limit
                continue
            }
            guard b == 0x3C, i + 1 < limit else {
                i += 1
                continue
            }
            if hasPrefix(bytes, at: i, "<!--", limit: limit) {
                i = find("-->", in: bytes, from: i + 4, limit: limit).map { $0 + 3 } ?? limit
                continue
            }
            if bytes[i + 1] == 0x2F {
                if hasNamePrefix(bytes, at: i + 2, nameBytes, limit: limit)
                    && endsTagName(bytes, at: i + 2 + nameBytes.count, limit: limit)
                {
                    var k = i + 2 + nameBytes.count
                    while k < limit && bytes[k] != 0x3E { k += 1 }
                    let end = min(k + 1, limit)
                    depth -= 1
                    if depth == 0 { return i..<end }
                    i = end
                    continue
                }
                i += 1
                continue
            }
            guard let tag = scanStartTag(bytes, at: i, limit: limit) else {
                i += 1
                continue
            }
            if tag.name == name {
                if !tag.isSelfClosing { depth += 1 }
            } else if tag.name == "script" && !tag.isSelfClosing {
                i = findEndTag(Array("script".utf8), in: bytes, from: tag.end, limit: limit)?.upperBound ?? limit
                continue
            }
            i = tag.end
        }
        return nil
    }
}
