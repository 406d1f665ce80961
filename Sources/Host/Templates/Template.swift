import SluiceVM

/// A page template compiled once into an immutable node tree, then rendered any number of times
/// (from any thread) against a context such as `{ var, query, request, customer, is_customer,
/// brand }`.
///
/// Syntax: `{{ path | filter:arg }}` (HTML-escaped unless `| raw`), `{{-- comment --}}`,
/// `@if(expr)` / `@elseif(expr)` / `@else` / `@endif`, `@foreach(item in list)` / `@endforeach`
/// (with `loop.index`, `loop.iteration`, `loop.first`, `loop.last`, `loop.count`,
/// `loop.remaining`, `loop.key`), `v-if` / `v-else-if` / `v-else` on elements, and `@{{ x }}` for
/// literal braces. Browser `<script>` content is passed through untouched.
public struct Template: Sendable {
    /// The name errors are reported under, e.g. `pages/dashboard.html`.
    public let name: String
    private let source: [UInt8]
    private let nodes: [TemplateNode]
    private let slotCount: Int

    /// Compiles `source`. Throws a `TemplateError` at the first malformed construct.
    public init(source: String, name: String) throws(TemplateError) {
        let bytes = Array(source.utf8)
        try self.init(bytes: bytes, locator: SourceLocator(name: name, originalText: bytes, removedRanges: []))
    }

    /// Compiles a page's HTML after its backend blocks were removed; errors carry line and column
    /// in the original page file.
    public init(page: ExtractedPage, name: String) throws(TemplateError) {
        let locator = SourceLocator(name: name, originalText: page.originalBytes,
                                    removedRanges: page.blocks.map(\.elementRange))
        try self.init(bytes: Array(page.html.utf8), locator: locator)
    }

    private init(bytes: [UInt8], locator: SourceLocator) throws(TemplateError) {
        var parser = TemplateParser(bytes: bytes, locator: locator)
        nodes = try parser.parseDocument()
        slotCount = parser.slotCount
        source = bytes
        name = locator.name
    }

    /// Renders the template. `context` is normally an object; its keys are the top-level names
    /// (`var`, `query`, ...). Missing values render as nothing.
    public func render(context: ScriptValue) -> String {
        var renderer = TemplateRenderer(source: source, context: context, slotCount: slotCount,
                                        capacity: source.count + source.count / 4 + 64)
        renderer.render(nodes)
        return String(decoding: renderer.output, as: UTF8.self)
    }
}
