import SluiceVM

/// Walks a compiled node tree, appending UTF-8 into one byte buffer: text is copied from the
/// source, values are written (and HTML-escaped) straight into the buffer.
struct TemplateRenderer {
    let source: [UInt8]
    var scope: RenderScope
    var output: [UInt8] = []

    init(source: [UInt8], context: ScriptValue, slotCount: Int, capacity: Int) {
        self.source = source
        scope = RenderScope(context: context, slotCount: slotCount)
        output.reserveCapacity(capacity)
    }

    mutating func render(_ nodes: [TemplateNode]) {
        for node in nodes {
            switch node {
            case .text(let range):
                output.append(contentsOf: source[range])
            case .output(let expression, let escaped):
                write(expression.evaluate(in: scope), escaped: escaped)
            case .conditional(let branches):
                for branch in branches where branch.condition?.evaluate(in: scope).isTruthy ?? true {
                    render(branch.body)
                    break
                }
            case .loop(let slot, let list, let body):
                renderLoop(slot: slot, list: list.evaluate(in: scope), body: body)
            }
        }
    }

    /// Arrays give their items, objects their values (with the key in `loop.key`); anything else
    /// gives no iterations.
    private mutating func renderLoop(slot: Int, list: ScriptValue, body: [TemplateNode]) {
        switch list {
        case .array(let items):
            for (i, item) in items.enumerated() {
                scope.items[slot] = item
                scope.loops[slot] = LoopState(index: i, count: items.count, key: .number(Double(i)))
                render(body)
            }
        case .object(let properties):
            for (i, property) in properties.enumerated() {
                scope.items[slot] = property.value
                scope.loops[slot] = LoopState(index: i, count: properties.count, key: .string(property.key))
                render(body)
            }
        default:
            return
        }
        scope.items[slot] = .undefined
    }

    private mutating func write(_ value: ScriptValue, escaped: Bool) {
        switch value {
        case .undefined, .null:
            return
        case .string(let s):
            escaped ? appendEscaped(s) : output.append(contentsOf: s.utf8)
        case .bool, .number:
            output.append(contentsOf: value.displayText.utf8)  // never needs escaping
        case .array, .object:
            let json = value.jsonText
            escaped ? appendEscaped(json) : output.append(contentsOf: json.utf8)
        }
    }

    private mutating func appendEscaped(_ s: String) {
        HTMLEscaping.append(s, to: &output)
    }
}
