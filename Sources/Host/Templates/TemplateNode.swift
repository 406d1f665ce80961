/// The compiled form of a template: text is a byte range of the source, everything else is
/// already parsed, so rendering only walks this tree.
enum TemplateNode: Sendable {
    /// Literal text, a range of UTF-8 offsets into the template source.
    case text(Range<Int>)
    /// `{{ expr }}`; `escaped` is false for `| raw`.
    case output(TemplateExpression, escaped: Bool)
    /// `@if`/`@elseif`/`@else` and `v-if`/`v-else-if`/`v-else`: the first branch whose condition
    /// is truthy renders; a nil condition is the `else` branch.
    case conditional([ConditionalBranch])
    /// `@foreach(item in list)`: the body renders once per array item or object value, with the
    /// item and its `loop` state in `slot`.
    case loop(slot: Int, list: TemplateExpression, body: [TemplateNode])
}

struct ConditionalBranch: Sendable {
    let condition: TemplateExpression?
    let body: [TemplateNode]
}
