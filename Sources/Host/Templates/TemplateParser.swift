/// Compiles template source (UTF-8) into `TemplateNode`s: text, `{{ }}`, `{{-- --}}`, the
/// `@if`/`@foreach` directives, and `v-if` elements (see ConditionalElements.swift).
///
/// Things that look like template syntax but are not (an email `a@b.com`, CSS `@media`, Vue's
/// `@click`, a lone `}}`) stay literal text. A malformed or unclosed construct is a
/// `TemplateError` at its position, so `sluice check` can point at it.
struct TemplateParser {
    /// A directive that ends the sequence being parsed; the caller decides whether it fits.
    struct Stop {
        enum Kind { case elseIf(TemplateExpression), otherwise, endIf, endForeach }
        let kind: Kind
        let offset: Int
    }

    let bytes: [UInt8]
    let locator: SourceLocator
    /// Names of the enclosing `@foreach` items and `loop`s, innermost last.
    private(set) var scopes: [ScopeEntry] = []
    private var activeLoops = 0
    /// Slots needed at render time: the deepest `@foreach` nesting.
    private(set) var slotCount = 0
    /// Open blocks (`@if`, `@foreach`, `v-if` elements) around the current position. Bounded so
    /// that parsing and rendering recurse a bounded number of times.
    private var nesting = 0
    static let maximumNesting = 100

    init(bytes: [UInt8], locator: SourceLocator) {
        self.bytes = bytes
        self.locator = locator
    }

    mutating func parseDocument() throws(TemplateError) -> [TemplateNode] {
        ParseCounter.current?.templates += 1
        return try parseBalanced(0..<bytes.count, scanTags: true)
    }

    /// Parses a range that must not end inside a directive block.
    mutating func parseBalanced(_ range: Range<Int>, scanTags: Bool) throws(TemplateError) -> [TemplateNode] {
        var pos = range.lowerBound
        let (nodes, stop) = try parseSequence(&pos, end: range.upperBound, scanTags: scanTags)
        if let stop { throw unmatched(stop) }
        return nodes
    }

    private func unmatched(_ stop: Stop) -> TemplateError {
        switch stop.kind {
        case .elseIf: return locator.error(at: stop.offset, "@elseif without a matching @if")
        case .otherwise: return locator.error(at: stop.offset, "@else without a matching @if")
        case .endIf: return locator.error(at: stop.offset, "@endif without a matching @if")
        case .endForeach: return locator.error(at: stop.offset, "@endforeach without a matching @foreach")
        }
    }

    // MARK: Sequences

    /// Parses from `pos` until `end` or a closing directive (`@elseif`, `@else`, `@endif`,
    /// `@endforeach`), which is consumed and returned. `scanTags` is false inside a start tag
    /// being rebuilt, where `<` cannot open another element.
    mutating func parseSequence(_ pos: inout Int, end: Int, scanTags: Bool) throws(TemplateError) -> ([TemplateNode], Stop?) {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maximumNesting {
            throw locator.error(at: pos, "blocks nested too deeply (more than \(Self.maximumNesting) levels of @if, @foreach and v-if)")
        }
        var nodes: [TemplateNode] = []
        var textStart = pos
        var tagsResumeAt = pos  // inside an HTML comment, tags are not looked at
        var rawText: Range<Int>? = nil  // `<script>` content passes through untouched

        func appendText(_ range: Range<Int>) {
            if !range.isEmpty { nodes.append(.text(range)) }
        }

        while pos < end {
            if let raw = rawText, pos >= raw.lowerBound {
                pos = max(pos, raw.upperBound)
                rawText = nil
                continue
            }
            let b = bytes[pos]
            if b == 0x7B && pos + 1 < end && bytes[pos + 1] == 0x7B {  // {{
                let start = pos
                if MarkupScanner.hasPrefix(bytes, at: pos, "{{--", limit: end) {
                    guard let close = MarkupScanner.find("--}}", in: bytes, from: pos + 4, limit: end) else {
                        throw locator.error(at: pos, "unclosed template comment: '{{--' needs a closing '--}}'")
                    }
                    let (cut, after) = standaloneLine(start, close + 4, textStart: textStart, end: end)
                    appendText(textStart..<cut)
                    pos = after
                } else {
                    appendText(textStart..<pos)
                    nodes.append(try parseOutput(&pos, end: end))
                }
                textStart = pos
                continue
            }
            if b == 0x40, let directive = directiveName(at: pos, end: end) {  // @name
                if let stop = try parseDirective(directive, &pos, end: end, scanTags: scanTags, textStart: &textStart, nodes: &nodes) {
                    return (nodes, stop)
                }
                continue
            }
            if b == 0x3C && scanTags && pos >= tagsResumeAt {  // <
                if MarkupScanner.hasPrefix(bytes, at: pos, "<!--", limit: end) {
                    tagsResumeAt = MarkupScanner.find("-->", in: bytes, from: pos + 4, limit: end).map { $0 + 3 } ?? end
                    pos += 4
                    continue
                }
                if let tag = MarkupScanner.scanStartTag(bytes, at: pos, limit: end) {
                    if try conditionalAttribute(of: tag) != nil {
                        appendText(textStart..<pos)
                        nodes.append(try parseConditionalElements(first: tag, &pos, end: end))
                        textStart = pos
                        continue
                    }
                    if tag.name == "script" && !tag.isSelfClosing {
                        let close = MarkupScanner.findEndTag(Array("script".utf8), in: bytes, from: tag.end, limit: end)
                        rawText = tag.end..<(close?.lowerBound ?? end)
                    }
                }
            }
            pos += 1
        }
        appendText(textStart..<end)
        return (nodes, nil)
    }

    /// `{{ expr }}` at `pos`; leaves `pos` after the closing `}}`.
    private mutating func parseOutput(_ pos: inout Int, end: Int) throws(TemplateError) -> TemplateNode {
        let open = pos
        guard MarkupScanner.find("}}", in: bytes, from: pos + 2, limit: end) != nil else {
            throw locator.error(at: open, "'{{' is never closed: add '}}'")
        }
        var parser = ExpressionParser(bytes: bytes, from: pos + 2, limit: end, locator: locator, scopes: scopes)
        if parser.isPunctuator("}}") { throw locator.error(at: open, "empty '{{ }}': write a value inside, e.g. {{ var.title }}") }
        let expression: TemplateExpression
        do {
            expression = try parser.parseExpression()
        } catch {
            throw error.message.hasPrefix("unknown") || error.message.hasPrefix("filter") ? error : Self.withLiteralHint(error)
        }
        guard parser.isPunctuator("}}") else {
            throw Self.withLiteralHint(parser.error(
                "expected '}}' to close the '{{' at \(locator.describe(open)), found \(ExpressionParser.describe(parser.token))"))
        }
        pos = parser.tokenEnd
        return .output(expression, escaped: !expression.isRaw)
    }

    /// Syntax errors in `{{ }}` often come from client-side templates (Vue, Alpine) in the page.
    private static func withLiteralHint(_ e: TemplateError) -> TemplateError {
        TemplateError(name: e.name, line: e.line, column: e.column,
                      message: e.message + " (to keep '{{' for the browser, write '@{{')")
    }

    // MARK: Directives

    private struct Directive {
        let name: String
        let start: Int
        /// Just past the name.
        let nameEnd: Int
    }

    private static let blockDirectives: Set<String> = ["if", "elseif", "foreach"]
    private static let bareDirectives: Set<String> = ["else", "endif", "endforeach"]
    /// Documented ElasticFunnels directives Sluice does not implement: a clear error beats
    /// shipping them to the browser as text.
    private static let unsupportedDirectives: Set<String> = [
        "set", "component", "extends", "block", "endblock", "yield", "setSessionItem", "clearSessionItem",
    ]

    /// The directive at the `@` at `pos`, or nil when this `@` is ordinary text: an email address
    /// (`help@example.com`, `me@if.org`), a CSS at-rule, Vue's `@click`, an unknown word, `@if`
    /// without parentheses, or a bare `@else`/`@endif` glued to more word characters
    /// (`@else-where`, `x@endif.com`).
    private func directiveName(at pos: Int, end: Int) -> Directive? {
        if pos + 2 < end && bytes[pos + 1] == 0x7B && bytes[pos + 2] == 0x7B {
            return Directive(name: "{{", start: pos, nameEnd: pos + 1)
        }
        var i = pos + 1
        while i < end && MarkupScanner.isASCIILetter(bytes[i]) { i += 1 }
        guard i > pos + 1 else { return nil }
        let name = String(decoding: bytes[(pos + 1)..<i], as: UTF8.self)
        if Self.blockDirectives.contains(name) || Self.unsupportedDirectives.contains(name) {
            guard openParenthesis(after: i, end: end) != nil else { return nil }
        } else if Self.bareDirectives.contains(name) || name == "endblock" {
            if i < end {
                let next = bytes[i]
                let isWordLike = (next >= 0x30 && next <= 0x39) || next == 0x5F || next == 0x2D || next == 0x2E
                if isWordLike { return nil }
            }
        } else {
            return nil
        }
        return Directive(name: name, start: pos, nameEnd: i)
    }

    private func openParenthesis(after i: Int, end: Int) -> Int? {
        var j = i
        while j < end && (bytes[j] == 0x20 || bytes[j] == 0x09) { j += 1 }
        return j < end && bytes[j] == 0x28 ? j : nil
    }

    /// Handles one directive. Returns a `Stop` for the closing directives; otherwise appends the
    /// parsed block to `nodes` and returns nil.
    private mutating func parseDirective(
        _ d: Directive, _ pos: inout Int, end: Int, scanTags: Bool, textStart: inout Int, nodes: inout [TemplateNode]
    ) throws(TemplateError) -> Stop? {
        func appendText(_ range: Range<Int>) {
            if !range.isEmpty { nodes.append(.text(range)) }
        }
        if d.name == "{{" {  // `@{{ x }}` writes `{{ x }}` literally
            appendText(textStart..<pos)
            textStart = pos + 1
            pos = MarkupScanner.skipMustache(bytes, at: pos + 1, limit: end) ?? end
            return nil
        }
        if Self.unsupportedDirectives.contains(d.name) || d.name == "endblock" {
            throw locator.error(at: d.start, "@\(d.name) is not supported by Sluice templates (supported: @if, @elseif, @else, @endif, @foreach, @endforeach)")
        }
        var condition: TemplateExpression? = nil
        var headerEnd = d.nameEnd
        var loopHeader: (name: String, list: TemplateExpression)? = nil
        switch d.name {
        case "if", "elseif":
            let paren = openParenthesis(after: d.nameEnd, end: end)!
            (condition, headerEnd) = try parseCondition(from: paren + 1, end: end, directive: d)
        case "foreach":
            let paren = openParenthesis(after: d.nameEnd, end: end)!
            let header = try parseLoopHeader(from: paren + 1, end: end, directive: d)
            loopHeader = (header.name, header.list)
            headerEnd = header.end
        default:
            break
        }
        let (cut, after) = standaloneLine(d.start, headerEnd, textStart: textStart, end: end)
        appendText(textStart..<cut)
        pos = after
        defer { textStart = pos }

        switch d.name {
        case "elseif": return Stop(kind: .elseIf(condition!), offset: d.start)
        case "else": return Stop(kind: .otherwise, offset: d.start)
        case "endif": return Stop(kind: .endIf, offset: d.start)
        case "endforeach": return Stop(kind: .endForeach, offset: d.start)
        case "if":
            nodes.append(try parseIfBlock(condition: condition!, at: d.start, &pos, end: end, scanTags: scanTags))
        default:
            nodes.append(try parseLoopBody(loopHeader!, at: d.start, &pos, end: end, scanTags: scanTags))
        }
        return nil
    }

    /// `(expr)` after `@if` / `@elseif`; returns the expression and the offset after `)`.
    private func parseCondition(from start: Int, end: Int, directive d: Directive) throws(TemplateError) -> (TemplateExpression, Int) {
        var parser = ExpressionParser(bytes: bytes, from: start, limit: end, locator: locator, scopes: scopes)
        if parser.isPunctuator(")") { throw locator.error(at: d.start, "@\(d.name)() needs a condition, e.g. @\(d.name)(var.show)") }
        let expression = try parser.parseExpression()
        guard parser.isPunctuator(")") else {
            throw parser.error("expected ')' to close @\(d.name)(, found \(ExpressionParser.describe(parser.token))")
        }
        return (expression, parser.tokenEnd)
    }

    /// `(item in list)` after `@foreach`.
    private func parseLoopHeader(from start: Int, end: Int, directive d: Directive) throws(TemplateError) -> (name: String, list: TemplateExpression, end: Int) {
        var parser = ExpressionParser(bytes: bytes, from: start, limit: end, locator: locator, scopes: scopes)
        guard case .identifier(let name) = parser.token, name != "in" else {
            throw parser.error("expected a variable name, as in @foreach(item in var.items)")
        }
        parser.advance()
        guard parser.token == .identifier("in") else {
            throw parser.error("expected 'in' after '\(name)', as in @foreach(\(name) in var.items)")
        }
        parser.advance()
        let list = try parser.parseExpression()
        guard parser.isPunctuator(")") else {
            throw parser.error("expected ')' to close @foreach(, found \(ExpressionParser.describe(parser.token))")
        }
        return (name, list, parser.tokenEnd)
    }

    private mutating func parseIfBlock(
        condition first: TemplateExpression, at start: Int, _ pos: inout Int, end: Int, scanTags: Bool
    ) throws(TemplateError) -> TemplateNode {
        var branches: [ConditionalBranch] = []
        var condition: TemplateExpression? = first
        var sawElse = false
        while true {
            let (body, stop) = try parseSequence(&pos, end: end, scanTags: scanTags)
            branches.append(ConditionalBranch(condition: condition, body: body))
            guard let stop else {
                throw locator.error(at: start, "@if is never closed: add @endif")
            }
            switch stop.kind {
            case .endIf:
                return .conditional(branches)
            case .elseIf(let next):
                if sawElse { throw locator.error(at: stop.offset, "@elseif after @else (the @else must come last)") }
                condition = next
            case .otherwise:
                if sawElse { throw locator.error(at: stop.offset, "a second @else in the same @if") }
                sawElse = true
                condition = nil
            case .endForeach:
                throw locator.error(at: stop.offset, "@endforeach found while the @if at \(locator.describe(start)) is still open: add @endif first")
            }
        }
    }

    private mutating func parseLoopBody(
        _ header: (name: String, list: TemplateExpression), at start: Int, _ pos: inout Int, end: Int, scanTags: Bool
    ) throws(TemplateError) -> TemplateNode {
        let slot = activeLoops
        activeLoops += 1
        slotCount = max(slotCount, activeLoops)
        scopes.append(ScopeEntry(name: "loop", kind: .loop, slot: slot))
        scopes.append(ScopeEntry(name: header.name, kind: .item, slot: slot))
        defer {
            scopes.removeLast(2)
            activeLoops -= 1
        }
        let (body, stop) = try parseSequence(&pos, end: end, scanTags: scanTags)
        guard let stop else { throw locator.error(at: start, "@foreach is never closed: add @endforeach") }
        guard case .endForeach = stop.kind else {
            throw locator.error(at: stop.offset, "\(unmatched(stop).message) inside the @foreach at \(locator.describe(start))")
        }
        return .loop(slot: slot, list: header.list, body: body)
    }

    /// A directive or comment alone on its line (only spaces or tabs around it) takes the whole
    /// line with it, so `@if` / `@endif` lines leave no blank lines behind. Returns where the text
    /// before it ends and where parsing resumes.
    private func standaloneLine(_ start: Int, _ end: Int, textStart: Int, end limit: Int) -> (cut: Int, resume: Int) {
        var lineStart = start
        while lineStart > textStart && (bytes[lineStart - 1] == 0x20 || bytes[lineStart - 1] == 0x09) { lineStart -= 1 }
        guard lineStart == 0 || bytes[lineStart - 1] == 0x0A || bytes[lineStart - 1] == 0x0D else { return (start, end) }
        var j = end
        while j < limit && (bytes[j] == 0x20 || bytes[j] == 0x09) { j += 1 }
        if j == limit { return (lineStart, j) }
        if bytes[j] == 0x0A { return (lineStart, j + 1) }
        if bytes[j] == 0x0D { return (lineStart, j + 1 < limit && bytes[j + 1] == 0x0A ? j + 2 : j + 1) }
        return (start, end)
    }
}
