import SluiceVM

/// The type a schema checks, chosen by the builder (`Schema.string()` …).
enum SchemaKind: String {
    case string, number, boolean, array, object, any

    /// How scripts spell the builder, for messages: `Schema.number()`.
    var builderName: String { "Schema.\(rawValue)()" }
}

/// Everything one schema checks. A value type: builder methods copy it, change one rule and wrap
/// the copy in a new schema object, so a schema never changes once a script holds it.
struct SchemaRules {
    let kind: SchemaKind
    var isRequired = false
    /// Copied into the output when the input is missing (nil: no default).
    var defaultValue: Value?
    /// Replaces the key path in messages.
    var label: JSString?
    /// `.valid(...)`: the coerced value must be one of these (SameValueZero).
    var allowedValues: [Value]?
    /// `.strip()`: validated, then left out of the output.
    var isStripped = false
    /// `.custom(fn)` functions, run in order after every other rule passed.
    var customChecks: [Value] = []

    /// String length, number value, or array item count.
    var minimum: Double?
    var maximum: Double?

    // string
    var requiresEmail = false
    var requiresURL = false
    var requiresLowercase = false
    /// RegExp objects (private copies without the `g`/`y` flags, so `test` keeps no state).
    var patterns: [Value] = []

    // number
    var requiresInteger = false
    var requiresPositive = false
    var requiresNegative = false

    // array
    /// The schema object every element must match.
    var itemSchema: Value?

    // object
    /// Declared keys and their schema objects, in declaration order; nil for `Schema.object()`
    /// without an argument, which accepts (and copies) any keys.
    var declaredKeys: [(key: PropertyKey, schema: Value)]?
    /// `.pattern_values(rule)`: the schema object for every undeclared key (which is then kept).
    var patternValueSchema: Value?

    init(kind: SchemaKind) { self.kind = kind }
}

/// A schema's rules, stored in its JavaScript object's `internalStorage`.
///
/// Child schemas are held as their JavaScript objects (values), not as Swift references, so the
/// collector marks each shared sub-schema once however often it is reused.
final class SchemaNode: GCTraceable {
    let rules: SchemaRules

    init(_ rules: SchemaRules) { self.rules = rules }

    func trace(_ marker: inout GCMarker) {
        marker.mark(rules.label)
        if let v = rules.defaultValue { marker.mark(v) }
        if let allowed = rules.allowedValues { for v in allowed { marker.mark(v) } }
        for v in rules.customChecks { marker.mark(v) }
        for v in rules.patterns { marker.mark(v) }
        if let v = rules.itemSchema { marker.mark(v) }
        if let keys = rules.declaredKeys {
            for entry in keys {
                if entry.key.isString { marker.mark(entry.key.atom) }
                marker.mark(entry.schema)
            }
        }
        if let v = rules.patternValueSchema { marker.mark(v) }
    }
}
