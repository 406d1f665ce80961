/// One `<script scope="backend">` element found in a page.
public struct BackendBlock: Sendable, Equatable {
    /// The whole element, `<script …>` to `</script>`, as UTF-8 offsets into the page.
    public let elementRange: Range<Int>
    /// The code between the tags, as UTF-8 offsets into the page.
    public let codeRange: Range<Int>
    /// Where the code starts in the page: 1-based line, and column in UTF-16 units (the
    /// JavaScript compiler's convention).
    public let line: Int
    public let column: Int
    /// False for a block inside an HTML comment: it is removed from the HTML (backend code never
    /// reaches the browser) but not run, since its author commented it out.
    public let isActive: Bool
    /// False when `</script>` is missing: as in a browser, the code runs to the end of the page.
    public let isClosed: Bool
}

/// A page split into the HTML to render and the backend script to run.
public struct ExtractedPage: Sendable {
    /// The page with every backend block removed.
    public let html: String
    /// The code of the active blocks joined in document order, padded so that line L, column C of
    /// the script is line L, column C of the page file. Empty when the page has no backend code.
    public let script: String
    /// Every backend block, in document order.
    public let blocks: [BackendBlock]
    /// The page as given, for mapping positions in `html` back to the file.
    let originalBytes: [UInt8]

    /// True when at least one block will run.
    public var hasScript: Bool { blocks.contains { $0.isActive } }
}

/// Finds the `<script scope="backend">` blocks of a page.
public enum BackendBlocks {
    /// Removes every `<script scope="backend">…</script>` from `html` (always, whatever the
    /// script later does) and joins their code into one script that keeps page positions.
    ///
    /// The tag and attribute names and the value `backend` match case-insensitively, with double,
    /// single or no quotes, among other attributes. Other `<script>` elements, and their content,
    /// pass through untouched. Two blocks on the same line are separated by `;` (or by a line
    /// break when the first one ends in a `//` comment, shifting later lines by one).
    public static func extract(html: String) -> ExtractedPage {
        let bytes = Array(html.utf8)
        let blocks = findBlocks(bytes)
        var page: [UInt8] = []
        page.reserveCapacity(bytes.count)
        var copied = 0
        for block in blocks {
            page.append(contentsOf: bytes[copied..<block.elementRange.lowerBound])
            copied = block.elementRange.upperBound
        }
        page.append(contentsOf: bytes[copied...])
        return ExtractedPage(
            html: String(decoding: page, as: UTF8.self),
            script: joinedScript(bytes, blocks.filter(\.isActive)),
            blocks: blocks,
            originalBytes: bytes)
    }

    private static let scriptName = Array("script".utf8)

    private static func findBlocks(_ bytes: [UInt8]) -> [BackendBlock] {
        var blocks: [BackendBlock] = []
        var commentEnd = 0  // offset just past the `-->` of the comment we are in, if any
        var i = 0
        let n = bytes.count
        while i < n {
            guard bytes[i] == 0x3C else {
                i += 1
                continue
            }
            let inComment = i < commentEnd
            if !inComment && MarkupScanner.hasPrefix(bytes, at: i, "<!--", limit: n) {
                commentEnd = MarkupScanner.find("-->", in: bytes, from: i + 4, limit: n).map { $0 + 3 } ?? n
                i += 4
                continue
            }
            guard MarkupScanner.hasPrefix(bytes, at: i, "<script", limit: n),
                MarkupScanner.endsTagName(bytes, at: i + 7, limit: n),
                let tag = MarkupScanner.scanStartTag(bytes, at: i, limit: n)
            else {
                i += 1
                continue
            }
            let limit = inComment ? commentEnd - 3 : n
            let isBackend = tag.attribute("scope")?.valueRange.map {
                String(decoding: bytes[$0], as: UTF8.self).trimmingASCIIWhitespace.lowercased() == "backend"
            } ?? false
            let endTag = tag.isSelfClosing ? tag.end..<tag.end
                : MarkupScanner.findEndTag(scriptName, in: bytes, from: tag.end, limit: limit)
            if isBackend {
                let codeEnd = endTag?.lowerBound ?? limit
                let (line, column) = SourceLocator(name: "", originalText: bytes, removedRanges: []).location(of: tag.end)
                blocks.append(BackendBlock(
                    elementRange: i..<(endTag?.upperBound ?? limit), codeRange: tag.end..<codeEnd,
                    line: line, column: column, isActive: !inComment, isClosed: endTag != nil))
                i = endTag?.upperBound ?? limit
            } else {
                // A browser script's content is opaque (it may mention `<script scope="backend">`
                // in a string); inside a comment only the tag itself is skipped.
                i = inComment ? tag.end : (endTag?.upperBound ?? n)
            }
        }
        return blocks
    }

    /// Joins the code of `blocks`, replacing everything between them with its line breaks plus
    /// spaces up to the next block's column.
    private static func joinedScript(_ bytes: [UInt8], _ blocks: [BackendBlock]) -> String {
        var script: [UInt8] = []
        var cursor = 0  // the page offset the end of `script` corresponds to
        for block in blocks {
            var width = 0  // UTF-16 units since the last line break
            var sawLineBreak = false
            var i = cursor
            let gapEnd = block.codeRange.lowerBound
            while i < gapEnd {
                let b = bytes[i]
                if b == 0x0A || b == 0x0D {
                    script.append(b)
                    width = 0
                    sawLineBreak = true
                } else if b == 0xE2 && i + 2 < gapEnd && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9) {
                    script.append(contentsOf: bytes[i..<(i + 3)])
                    width = 0
                    sawLineBreak = true
                    i += 3
                    continue
                } else if b & 0xC0 != 0x80 {
                    width += b >= 0xF0 ? 2 : 1
                }
                i += 1
            }
            if !sawLineBreak && !script.isEmpty && width > 0 {
                // Same line as the previous block: keep statements apart without moving columns,
                // unless a `//` comment would swallow this block.
                if lastLineHasLineComment(script) {
                    script.append(0x0A)
                } else {
                    script.append(0x3B)
                    width -= 1
                }
            }
            script.append(contentsOf: repeatElement(0x20, count: width))
            script.append(contentsOf: bytes[block.codeRange])
            cursor = block.codeRange.upperBound
        }
        return String(decoding: script, as: UTF8.self)
    }

    private static func lastLineHasLineComment(_ script: [UInt8]) -> Bool {
        var i = script.count - 1
        while i > 0 && script[i] != 0x0A && script[i] != 0x0D {
            if script[i] == 0x2F && script[i - 1] == 0x2F { return true }
            i -= 1
        }
        return false
    }
}

extension String {
    fileprivate var trimmingASCIIWhitespace: Substring {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { !MarkupScanner.isWhitespace($0) }),
            let last = utf8.lastIndex(where: { !MarkupScanner.isWhitespace($0) })
        else { return "" }
        return self[first...last]
    }
}
