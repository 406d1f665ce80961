import SluiceVM

/// A compiled template expression: the inside of `{{ }}`, `@if(...)`, `@foreach(x in ...)` and
/// `v-if="..."`. Names are resolved at compile time: loop variables become slots, everything else
/// a key of the render context.
indirect enum TemplateExpression: Sendable {
    case literal(ScriptValue)
    /// A top-level key of the render context, e.g. `var` in `var.title`.
    case context(String)
    /// The item of the `@foreach` whose slot this is.
    case loopItem(slot: Int)
    /// `loop` as a whole (an object built on demand).
    case loopInfo(slot: Int)
    /// `loop.index`, `loop.first`, ... read without building an object.
    case loopField(slot: Int, LoopField)
    case member(TemplateExpression, String)
    case index(TemplateExpression, TemplateExpression)
    case not(TemplateExpression)
    case negate(TemplateExpression)
    /// `a && b` / `a and b`: JavaScript semantics, the result is one of the operands.
    case and(TemplateExpression, TemplateExpression)
    /// `a || b` / `a or b`: JavaScript semantics, the result is one of the operands.
    case or(TemplateExpression, TemplateExpression)
    case binary(BinaryOperator, TemplateExpression, TemplateExpression)
    case filter(TemplateFilter, TemplateExpression, [TemplateExpression])
    /// `dump(x)`: the value as JSON.
    case dump(TemplateExpression)

    /// True when the outermost filter chain contains `| raw`, so `{{ }}` must not escape.
    var isRaw: Bool {
        var e = self
        while case .filter(let f, let input, _) = e {
            if f == .raw { return true }
            e = input
        }
        return false
    }
}

enum BinaryOperator: Sendable {
    case strictEqual, strictNotEqual, looseEqual, looseNotEqual
    case less, lessOrEqual, greater, greaterOrEqual
    case plus
}

/// Loop metadata available as `loop.*` inside `@foreach`.
enum LoopField: String, Sendable, CaseIterable {
    case index, iteration, count, first, last, remaining, key
}

/// Per-iteration state of a `@foreach`.
struct LoopState: Sendable {
    var index = 0
    var count = 0
    /// The array index (as a number) or the object key (as a string).
    var key: ScriptValue = .undefined

    func value(_ field: LoopField) -> ScriptValue {
        switch field {
        case .index: return .number(Double(index))
        case .iteration: return .number(Double(index + 1))
        case .count: return .number(Double(count))
        case .first: return .bool(index == 0)
        case .last: return .bool(index == count - 1)
        case .remaining: return .number(Double(count - index - 1))
        case .key: return key
        }
    }

    var object: ScriptValue {
        .object(LoopField.allCases.map { ScriptProperty($0.rawValue, value($0)) })
    }
}
