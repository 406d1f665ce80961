import SluiceVM

/// JavaScript-like value semantics for templates: truthiness, conversions, comparisons, and the
/// text a value renders as.
extension ScriptValue {
    /// JavaScript truthiness: `undefined`, `null`, `false`, `0`, `NaN` and `""` are falsy; every
    /// array and object (even empty) is truthy.
    var isTruthy: Bool {
        switch self {
        case .undefined, .null: return false
        case .bool(let b): return b
        case .number(let d): return d != 0 && !d.isNaN
        case .string(let s): return !s.isEmpty
        case .array, .object: return true
        }
    }

    var isNullish: Bool {
        switch self {
        case .undefined, .null: return true
        default: return false
        }
    }

    /// The text `{{ }}` shows: nothing for `null`/`undefined`, `String(n)` for numbers, JSON for
    /// arrays and objects.
    var displayText: String {
        switch self {
        case .undefined, .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .number(let d): return NumberConversion.toString(d)
        case .string(let s): return s
        case .array, .object: return jsonText
        }
    }

    /// JSON for `| json` and `dump()`; `undefined` becomes `null` so the output is always JSON.
    var templateJSON: String { self == .undefined ? "null" : jsonText }

    /// JavaScript ToPrimitive for the comparison operators: arrays join like `String([1,2])`,
    /// objects become `"[object Object]"`.
    var primitive: ScriptValue {
        switch self {
        case .array(let items):
            return .string(items.map { $0.isNullish ? "" : $0.primitive.jsString }.joined(separator: ","))
        case .object: return .string("[object Object]")
        default: return self
        }
    }

    /// JavaScript ToString of a primitive.
    private var jsString: String {
        switch self {
        case .undefined: return "undefined"
        case .null: return "null"
        default: return primitive.displayText
        }
    }

    /// JavaScript ToNumber.
    var numberValue: Double {
        switch self {
        case .undefined: return .nan
        case .null: return 0
        case .bool(let b): return b ? 1 : 0
        case .number(let d): return d
        case .string(let s): return NumberConversion.stringToNumber(Array(s.utf16))
        case .array, .object: return primitive.numberValue
        }
    }

    /// `===`. Arrays and objects compare by content (a template has no object identity).
    func strictEquals(_ other: ScriptValue) -> Bool {
        switch (self, other) {
        case (.number(let a), .number(let b)): return a == b
        default: return self == other
        }
    }

    /// `==` with JavaScript's coercions: `null == undefined`, `"2" == 2`, `true == 1`, `[5] == 5`.
    func looselyEquals(_ other: ScriptValue) -> Bool {
        switch (self, other) {
        case (.undefined, .undefined), (.null, .null), (.undefined, .null), (.null, .undefined):
            return true
        case (.undefined, _), (.null, _), (_, .undefined), (_, .null):
            return false
        case (.number, .number), (.string, .string), (.bool, .bool), (.array, .array), (.object, .object),
            (.array, .object), (.object, .array):
            return strictEquals(other)
        case (.bool, _): return ScriptValue.number(numberValue).looselyEquals(other)
        case (_, .bool): return looselyEquals(.number(other.numberValue))
        case (.number(let a), .string): return a == other.numberValue
        case (.string, .number(let b)): return numberValue == b
        case (.array, _), (.object, _): return primitive.looselyEquals(other)
        case (_, .array), (_, .object): return looselyEquals(other.primitive)
        }
    }

    /// JavaScript's abstract relational comparison `self < other`; nil when undefined (NaN).
    func isLess(than other: ScriptValue) -> Bool? {
        let a = primitive, b = other.primitive
        if case .string(let x) = a, case .string(let y) = b {
            return x.utf16.lexicographicallyPrecedes(y.utf16)
        }
        let x = a.numberValue, y = b.numberValue
        if x.isNaN || y.isNaN { return nil }
        return x < y
    }

    /// `+`: concatenation when either side is a string (with `null`/`undefined` as empty text, as
    /// they render), else numeric addition.
    func plus(_ other: ScriptValue) -> ScriptValue {
        let a = primitive, b = other.primitive
        if case .string = a { return .string(a.displayText + b.displayText) }
        if case .string = b { return .string(a.displayText + b.displayText) }
        return .number(a.numberValue + b.numberValue)
    }

    /// Property access `self.key` / `self[key]`, JavaScript-like: objects by key, arrays and
    /// strings by index and `length`; anything else is `undefined`.
    func member(_ key: String) -> ScriptValue {
        switch self {
        case .object(let props):
            for p in props where p.key == key { return p.value }
            return .undefined
        case .array(let items):
            if key == "length" { return .number(Double(items.count)) }
            if let i = ScriptValue.arrayIndex(key), i < items.count { return items[i] }
            return .undefined
        case .string(let s):
            if key == "length" { return .number(Double(s.utf16.count)) }
            if let i = ScriptValue.arrayIndex(key) { return ScriptValue.character(of: s, at: i) }
            return .undefined
        default:
            return .undefined
        }
    }

    /// `self[key]` where the key is any value (numbers index arrays and strings).
    func member(computed key: ScriptValue) -> ScriptValue {
        if case .number(let d) = key {
            if d >= 0, d == d.rounded(.towardZero), d < Double(Int32.max) {
                let i = Int(d)
                switch self {
                case .array(let items): return i < items.count ? items[i] : .undefined
                case .string(let s): return ScriptValue.character(of: s, at: i)
                default: break
                }
            }
            return member(NumberConversion.toString(d))
        }
        return member(key.primitive.displayText)
    }

    private static func arrayIndex(_ key: String) -> Int? {
        guard let first = key.utf8.first, first >= 0x30 && first <= 0x39 else { return nil }
        guard key == "0" || first != 0x30, let i = Int(key) else { return nil }
        return i
    }

    /// `s[i]` as JavaScript does it: one UTF-16 code unit.
    private static func character(of s: String, at i: Int) -> ScriptValue {
        let units = s.utf16
        guard i < units.count else { return .undefined }
        let unit = units[units.index(units.startIndex, offsetBy: i)]
        return .string(String(decoding: [unit], as: UTF16.self))
    }
}
