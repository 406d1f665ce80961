import SluiceVM

/// What expressions can see while a template renders: the context and the current `@foreach`
/// items, indexed by the slots the parser assigned.
struct RenderScope {
    let context: ScriptValue
    var items: [ScriptValue]
    var loops: [LoopState]

    init(context: ScriptValue, slotCount: Int) {
        self.context = context
        items = Array(repeating: .undefined, count: slotCount)
        loops = Array(repeating: LoopState(), count: slotCount)
    }
}

extension TemplateExpression {
    /// Evaluates the expression. Never fails: a missing value is `undefined`, as in JavaScript
    /// with optional chaining.
    func evaluate(in scope: RenderScope) -> ScriptValue {
        switch self {
        case .literal(let v):
            return v
        case .context(let name):
            return scope.context.member(name)
        case .loopItem(let slot):
            return scope.items[slot]
        case .loopInfo(let slot):
            return scope.loops[slot].object
        case .loopField(let slot, let field):
            return scope.loops[slot].value(field)
        case .member(let base, let key):
            return base.evaluate(in: scope).member(key)
        case .index(let base, let key):
            return base.evaluate(in: scope).member(computed: key.evaluate(in: scope))
        case .not(let e):
            return .bool(!e.evaluate(in: scope).isTruthy)
        case .negate(let e):
            return .number(-e.evaluate(in: scope).numberValue)
        case .and(let l, let r):
            let left = l.evaluate(in: scope)
            return left.isTruthy ? r.evaluate(in: scope) : left
        case .or(let l, let r):
            let left = l.evaluate(in: scope)
            return left.isTruthy ? left : r.evaluate(in: scope)
        case .binary(let op, let l, let r):
            return TemplateExpression.apply(op, l.evaluate(in: scope), r.evaluate(in: scope))
        case .filter(let filter, let input, let args):
            return filter.apply(input.evaluate(in: scope), args.map { $0.evaluate(in: scope) })
        case .dump(let e):
            return .string(e.evaluate(in: scope).templateJSON)
        }
    }

    private static func apply(_ op: BinaryOperator, _ a: ScriptValue, _ b: ScriptValue) -> ScriptValue {
        switch op {
        case .strictEqual: return .bool(a.strictEquals(b))
        case .strictNotEqual: return .bool(!a.strictEquals(b))
        case .looseEqual: return .bool(a.looselyEquals(b))
        case .looseNotEqual: return .bool(!a.looselyEquals(b))
        case .less: return .bool(a.isLess(than: b) ?? false)
        case .greater: return .bool(b.isLess(than: a) ?? false)
        case .lessOrEqual: return .bool(b.isLess(than: a).map { !$0 } ?? false)
        case .greaterOrEqual: return .bool(a.isLess(than: b).map { !$0 } ?? false)
        case .plus: return a.plus(b)
        }
    }
}
