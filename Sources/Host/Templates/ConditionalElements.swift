/// `v-if="expr"` on an element (the origin page's `<p v-if="var.on_track">`), evaluated on the
/// server like `@if`: a falsy condition removes the element and its content; a truthy one keeps
/// it without the attribute. `v-else-if` / `v-else` on the directly following sibling element
/// (only whitespace between) complete the chain. `<template v-if>` renders only its content.
extension TemplateParser {
    enum ConditionalAttribute {
        case vIf(MarkupScanner.Attribute)
        case vElseIf(MarkupScanner.Attribute)
        case vElse(MarkupScanner.Attribute)

        var attribute: MarkupScanner.Attribute {
            switch self {
            case .vIf(let a), .vElseIf(let a), .vElse(let a): return a
            }
        }
    }

    /// The element's `v-if` / `v-else-if` / `v-else`, or nil. Two of them on one element is an error.
    func conditionalAttribute(of tag: MarkupScanner.StartTag) throws(TemplateError) -> ConditionalAttribute? {
        var found: ConditionalAttribute? = nil
        for attribute in tag.attributes {
            let kind: ConditionalAttribute
            switch attribute.name {
            case "v-if": kind = .vIf(attribute)
            case "v-else-if": kind = .vElseIf(attribute)
            case "v-else": kind = .vElse(attribute)
            default: continue
            }
            if found != nil {
                throw locator.error(at: tag.start, "<\(tag.name)> can carry only one of v-if, v-else-if and v-else")
            }
            found = kind
        }
        return found
    }

    /// Parses the `v-if` element at `first` and its `v-else-if` / `v-else` siblings; leaves `pos`
    /// after the last of them.
    mutating func parseConditionalElements(first: MarkupScanner.StartTag, _ pos: inout Int, end: Int) throws(TemplateError) -> TemplateNode {
        guard case .vIf = try conditionalAttribute(of: first) else {
            let name = try conditionalAttribute(of: first)!.attribute.name
            throw locator.error(at: first.start, "\(name) must be on the element right after one with v-if or v-else-if")
        }
        var branches: [ConditionalBranch] = []
        var tag = first
        while true {
            let directive = try conditionalAttribute(of: tag)!
            let condition: TemplateExpression?
            switch directive {
            case .vIf(let a), .vElseIf(let a):
                condition = try parseAttributeCondition(a, in: tag)
            case .vElse(let a):
                if let value = a.valueRange, !value.isEmpty {
                    throw locator.error(at: value.lowerBound, "v-else takes no condition; use v-else-if=\"...\"")
                }
                condition = nil
            }
            let (body, elementEnd) = try parseElement(tag, removing: directive.attribute, end: end)
            branches.append(ConditionalBranch(condition: condition, body: body))
            pos = elementEnd
            guard condition != nil else { break }
            var next = elementEnd
            while next < end && MarkupScanner.isWhitespace(bytes[next]) { next += 1 }
            guard let sibling = MarkupScanner.scanStartTag(bytes, at: next, limit: end),
                let siblingDirective = try conditionalAttribute(of: sibling)
            else { break }
            if case .vIf = siblingDirective { break }
            tag = sibling
        }
        return .conditional(branches)
    }

    /// The element's nodes without the conditional attribute, and the offset after its end tag.
    private mutating func parseElement(
        _ tag: MarkupScanner.StartTag, removing attribute: MarkupScanner.Attribute, end: Int
    ) throws(TemplateError) -> ([TemplateNode], Int) {
        let cut = attribute.removalRange
        let isWrapper = tag.name == "template"
        let startTag = isWrapper ? [] :
            try parseBalanced(tag.start..<cut.lowerBound, scanTags: false) + parseBalanced(cut.upperBound..<tag.end, scanTags: false)
        if tag.isSelfClosing || MarkupScanner.voidElements.contains(tag.name) {
            return (startTag, tag.end)
        }
        let endTag: Range<Int>?
        if tag.name == "script" {
            endTag = MarkupScanner.findEndTag(Array("script".utf8), in: bytes, from: tag.end, limit: end)
        } else {
            endTag = MarkupScanner.findMatchingEndTag(tag.name, in: bytes, from: tag.end, limit: end)
        }
        guard let endTag else {
            throw locator.error(at: tag.start, "<\(tag.name) \(attribute.name)> is never closed: add </\(tag.name)>")
        }
        let content = tag.name == "script"
            ? [TemplateNode.text(tag.end..<endTag.lowerBound)]
            : try parseBalanced(tag.end..<endTag.lowerBound, scanTags: true)
        let nodes = isWrapper ? content : startTag + content + [.text(endTag)]
        return (nodes.filter { if case .text(let r) = $0 { !r.isEmpty } else { true } }, endTag.upperBound)
    }

    /// Parses the attribute's value as an expression, decoding the HTML entities an author may
    /// have used (`&amp;&amp;`, `&quot;`, `&lt;`).
    private func parseAttributeCondition(_ attribute: MarkupScanner.Attribute, in tag: MarkupScanner.StartTag) throws(TemplateError) -> TemplateExpression {
        guard let range = attribute.valueRange, !range.isEmpty else {
            var nameStart = attribute.removalRange.lowerBound
            while MarkupScanner.isWhitespace(bytes[nameStart]) { nameStart += 1 }
            throw locator.error(at: nameStart, "\(attribute.name) needs a condition, e.g. \(attribute.name)=\"var.show\"")
        }
        if bytes[range].starts(with: [0x7B, 0x7B]) {
            throw locator.error(at: range.lowerBound, "\(attribute.name) takes a bare expression: write \(attribute.name)=\"var.show\", not {{ }}")
        }
        let (decoded, offsets) = Self.decodeEntities(bytes[range])
        var parser = ExpressionParser(bytes: decoded, from: 0, limit: decoded.count, offsetMap: offsets, locator: locator, scopes: scopes)
        let expression = try parser.parseExpression()
        guard parser.token == .end else {
            throw parser.error("unexpected \(ExpressionParser.describe(parser.token)) in \(attribute.name) condition")
        }
        return expression
    }

    private static let entities: [(String, UInt8)] = [
        ("&amp;", 0x26), ("&lt;", 0x3C), ("&gt;", 0x3E), ("&quot;", 0x22), ("&#34;", 0x22), ("&#39;", 0x27), ("&apos;", 0x27),
    ]

    /// Decodes the common character references; returns the bytes and, for each, its offset in
    /// the source (a slice keeps the source's indices).
    static func decodeEntities(_ raw: ArraySlice<UInt8>) -> ([UInt8], [Int]) {
        var out: [UInt8] = []
        var offsets: [Int] = []
        out.reserveCapacity(raw.count)
        offsets.reserveCapacity(raw.count)
        var i = raw.startIndex
        outer: while i < raw.endIndex {
            if raw[i] == 0x26 {
                for (name, byte) in entities {
                    let n = Array(name.utf8)
                    if raw[i...].starts(with: n) {
                        out.append(byte)
                        offsets.append(i)
                        i += n.count
                        continue outer
                    }
                }
            }
            out.append(raw[i])
            offsets.append(i)
            i += 1
        }
        return (out, offsets)
    }
}
