/// A template that cannot be compiled: `name:line:column: message`, positioned like script errors
/// (1-based lines; columns in UTF-16 code units, the convention of the JavaScript compiler, so
/// a page's template and script errors point into the same file the same way).
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The template's name, usually the page file, e.g. `pages/dashboard.html`.
    public let name: String
    public let line: Int
    public let column: Int
    public let message: String

    public init(name: String, line: Int, column: Int, message: String) {
        self.name = name
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(name):\(line):\(column): \(message)" }
}

/// Turns UTF-8 offsets of the compiled source into `TemplateError`s with line and column.
/// When the source is a page with its backend blocks removed, `removedRanges` (offsets in the
/// original page, ascending) map positions back into the original file.
struct SourceLocator {
    let name: String
    /// The text positions are reported against (the original page when blocks were removed).
    let originalText: [UInt8]
    let removedRanges: [Range<Int>]

    /// Maps an offset in the compiled source to an offset in `originalText`.
    func originalOffset(_ offset: Int) -> Int {
        var o = offset
        for r in removedRanges {
            guard r.lowerBound <= o else { break }
            o += r.count
        }
        return min(o, originalText.count)
    }

    /// Line and column (UTF-16 units) of an offset in the compiled source. Line terminators are
    /// those of JavaScript: LF, CR LF, CR, U+2028, U+2029.
    func location(of offset: Int) -> (line: Int, column: Int) {
        let target = originalOffset(offset)
        var line = 1
        var column = 1
        var i = 0
        let text = originalText
        while i < target {
            let b = text[i]
            if b == 0x0A {
                line += 1
                column = 1
            } else if b == 0x0D {
                if i + 1 < target && text[i + 1] == 0x0A { i += 1 }
                line += 1
                column = 1
            } else if b == 0xE2 && i + 2 < text.count && text[i + 1] == 0x80
                && (text[i + 2] == 0xA8 || text[i + 2] == 0xA9)
            {
                line += 1
                column = 1
                i += 3
                continue
            } else if b & 0xC0 != 0x80 {
                column += b >= 0xF0 ? 2 : 1  // a 4-byte sequence is a surrogate pair in UTF-16
            }
            i += 1
        }
        return (line, column)
    }

    func error(at offset: Int, _ message: String) -> TemplateError {
        let (line, column) = location(of: offset)
        return TemplateError(name: name, line: line, column: column, message: message)
    }

    /// `line:column` of an offset, for messages that point at a second place.
    func describe(_ offset: Int) -> String {
        let (line, column) = location(of: offset)
        return "\(line):\(column)"
    }
}
