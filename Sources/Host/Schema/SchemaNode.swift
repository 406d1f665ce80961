import SluiceVM

/// The type a schema checks, chosen by the builder (`Schema.string()` …).
enum SchemaKind: String, CaseIterable {
    case string, number, boolean, array, object, any

    /// How scripts spell the builder, for messages: `Schema.number()`.
    var builderName: String { "Schema.\(rawValue)()" }

    /// 0 ..< allCases.count, in declaration order.
    var index: Int {
        switch self {
        case .string: 0
        case .number: 1
        case .boolean: 2
        case .array: 3
        case .object: 4
        case .any: 5
        }
    }
}

/// A set of schema kinds: the types a rule method applies to (a bit set, so checking one costs
/// no allocation).
struct SchemaKinds: OptionSet {
    let rawValue: UInt8

    init(rawValue: UInt8) { self.rawValue = rawValue }

    init(_ kind: SchemaKind) { rawValue = 1 << UInt8(kind.index) }

    static let string = SchemaKinds(rawValue: 1 << 0)
    static let number = SchemaKinds(rawValue: 1 << 1)
    static let array = SchemaKinds(rawValue: 1 << 3)
    static let object = SchemaKinds(rawValue: 1 << 4)
    /// The kinds with a length, value or count for `min`/`max`.
    static let measured = SchemaKinds(rawValue: string.rawValue | number.rawValue | array.rawValue)

    /// The kinds in the set, in declaration order (the order messages list them in).
    var members: [SchemaKind] { SchemaKind.allCases.filter { contains(SchemaKinds($0)) } }
}

/// The yes/no rules of a schema.
struct SchemaFlags: OptionSet {
    let rawValue: UInt16

    static let required = SchemaFlags(rawValue: 1 << 0)
    /// `.strip()`: validated, then left out of the output.
    static let stripped = SchemaFlags(rawValue: 1 << 1)
    // string
    static let email = SchemaFlags(rawValue: 1 << 2)
    static let url = SchemaFlags(rawValue: 1 << 3)
    static let lowercase = SchemaFlags(rawValue: 1 << 4)
    // number
    static let integer = SchemaFlags(rawValue: 1 << 5)
    static let positive = SchemaFlags(rawValue: 1 << 6)
    static let negative = SchemaFlags(rawValue: 1 << 7)
}

/// A schema used inside another (`items`, `pattern_values`, a declared key): its JavaScript
/// object, which keeps it alive and is what the collector marks, and its rules, read without
/// going through the object. Plain data: copying it retains nothing.
struct SchemaChild {
    let schema: Value
    /// Owned by `schema`'s object, which lives as long as the parent schema marks it.
    unowned(unsafe) let node: SchemaNode
}

/// The list-valued rules of a schema, kept out of `SchemaRules` so that the rules are plain
/// data (copying them, as every builder call and every validated value does, is a memory copy)
/// and schemas without lists hold none. Never changed once made: a builder that changes a list
/// makes new lists, and a schema built from another shares its lists otherwise.
final class SchemaRuleLists {
    /// `.valid(...)`: the coerced value must be one of these (SameValueZero).
    let allowedValues: [Value]?
    /// `.custom(fn)` functions, run in order after every other rule passed.
    let customChecks: [Value]
    /// RegExp objects (private copies without the `g`/`y` flags, so `test` keeps no state).
    let patterns: [Value]
    /// Declared keys and their schemas, in declaration order; nil for `Schema.object()`
    /// without an argument, which accepts (and copies) any keys.
    let declaredKeys: [(key: PropertyKey, child: SchemaChild)]?

    init(allowedValues: [Value]? = nil, customChecks: [Value] = [], patterns: [Value] = [],
         declaredKeys: [(key: PropertyKey, child: SchemaChild)]? = nil) {
        self.allowedValues = allowedValues
        self.customChecks = customChecks
        self.patterns = patterns
        self.declaredKeys = declaredKeys
    }

    /// `lists` (which may be none) with the allowed values replaced.
    static func replacing(_ lists: SchemaRuleLists?, allowedValues: [Value]) -> SchemaRuleLists {
        SchemaRuleLists(allowedValues: allowedValues, customChecks: lists?.customChecks ?? [],
                        patterns: lists?.patterns ?? [], declaredKeys: lists?.declaredKeys)
    }

    /// `lists` (which may be none) with one more custom check.
    static func adding(_ lists: SchemaRuleLists?, customCheck: Value) -> SchemaRuleLists {
        SchemaRuleLists(allowedValues: lists?.allowedValues, customChecks: (lists?.customChecks ?? []) + [customCheck],
                        patterns: lists?.patterns ?? [], declaredKeys: lists?.declaredKeys)
    }

    /// `lists` (which may be none) with one more pattern.
    static func adding(_ lists: SchemaRuleLists?, pattern: Value) -> SchemaRuleLists {
        SchemaRuleLists(allowedValues: lists?.allowedValues, customChecks: lists?.customChecks ?? [],
                        patterns: (lists?.patterns ?? []) + [pattern], declaredKeys: lists?.declaredKeys)
    }

    /// True when validating may call script code (custom checks, a RegExp's `test`).
    var mayRunScript: Bool { !customChecks.isEmpty || !patterns.isEmpty }

    func trace(_ marker: inout GCMarker) {
        if let allowed = allowedValues { for v in allowed { marker.mark(v) } }
        for v in customChecks { marker.mark(v) }
        for v in patterns { marker.mark(v) }
        if let keys = declaredKeys {
            for entry in keys {
                if entry.key.isString { marker.mark(entry.key.atom) }
                marker.mark(entry.child.schema)
            }
        }
    }
}

/// The single-valued rules of a schema. Plain data: builder methods copy it, change one rule
/// and wrap the copy in a new schema object, so a schema never changes once a script holds it.
struct SchemaRules {
    let kind: SchemaKind
    var flags: SchemaFlags = []
    /// Copied into the output when the input is missing (nil: no default).
    var defaultValue: Value?
    /// Replaces the key path in messages (a string).
    var label: Value?

    /// String length, number value, or array item count.
    var minimum: Double?
    var maximum: Double?

    /// `Schema.array().items(rule)`: the schema every element must match.
    var itemSchema: SchemaChild?
    /// `.pattern_values(rule)`: the schema for every undeclared key (which is then kept).
    var patternValueSchema: SchemaChild?

    init(kind: SchemaKind) { self.kind = kind }

    var isRequired: Bool { flags.contains(.required) }
    var isStripped: Bool { flags.contains(.stripped) }
}

/// A schema's rules, stored in its JavaScript object's `internalStorage`.
///
/// Child schemas are held as their JavaScript objects (values), so the collector marks each
/// shared sub-schema once however often it is reused; `SchemaChild` also keeps the child's
/// node, so validation does not look it up through the object.
final class SchemaNode: GCTraceable {
    let rules: SchemaRules
    /// Allowed values, custom checks, patterns and declared keys (nil: none of them).
    let lists: SchemaRuleLists?

    init(_ rules: SchemaRules, lists: SchemaRuleLists?) {
        self.rules = rules
        self.lists = lists
    }

    func trace(_ marker: inout GCMarker) {
        if let v = rules.label { marker.mark(v) }
        if let v = rules.defaultValue { marker.mark(v) }
        if let child = rules.itemSchema { marker.mark(child.schema) }
        if let child = rules.patternValueSchema { marker.mark(child.schema) }
        lists?.trace(&marker)
    }
}
