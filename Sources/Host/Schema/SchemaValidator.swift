import SluiceVM

/// One step of the path from the validated value to the current one.
enum SchemaPathSegment {
    case key(PropertyKey)
    case index(Int)
}

/// What validating one value produced.
enum SchemaOutcome {
    /// The sanitised (coerced, copied) value for the output.
    case value(Value)
    /// The input was missing and no default replaces it: the key is left out.
    case absent
    /// Validated, but `.strip()` leaves it out of the output.
    case stripped
    /// Failed its type check (or a rule that leaves no usable value): nothing to output.
    case invalid
}

/// One `schema.validate(input)` call: walks the schema and the input together, building the
/// sanitised copy and collecting every error message (depth-first, in declared key order).
///
/// Rule order per value (reference-notes §3 Q4): missing/required/default, then the type check
/// and coercion, then `valid`, then the min/max/format rules (each failing rule adds its own
/// message), then `custom` (only when everything before it, children included, passed).
///
/// The input is only read, never written. Script code can run in the middle of a walk (custom
/// checks, getters, an overridden `RegExp.prototype.test`), so every value held here is rooted.
struct SchemaValidator {
    let rt: Runtime
    /// The `errors` array of the result: messages in the documented format `<label> <problem>`.
    /// A JavaScript array from the start, so it stays rooted while custom checks run.
    let errorList: JSObject
    private(set) var errorCount: UInt32 = 0
    /// Where the walk is: keys and indices from the top. Rendered (`user.tags[2]`) only when a
    /// message or a custom check needs it, so valid data costs no string building.
    var path: [SchemaPathSegment] = []
    /// The top-level schema's label (a string): names the items of a top-level array (`scores[1]`).
    var rootLabel: Value?
    /// Objects being copied by `copyValue` (to report cycles instead of recursing forever).
    var objectsBeingCopied: Set<ObjectIdentifier> = []

    /// Nesting (schema levels plus copied data levels) beyond which a value is rejected rather
    /// than recursed into, so the native stack stays small whatever the input.
    static let maxDepth = 128

    let realm: SchemaRealm

    /// A validation collecting its messages in `errorList` (a new, empty array).
    init(runtime: Runtime, realm: SchemaRealm, errorList: JSObject) {
        rt = runtime
        self.realm = realm
        self.errorList = errorList
    }

    /// Validates `input` against the schema `node` and returns `{ valid, value, errors }`.
    mutating func result(of node: SchemaNode, for input: Value) throws(VMError) -> Value {
        // The realm's path buffer, unless an outer validation (running a custom check) has it.
        if let spare = realm.sparePath {
            path = spare
            realm.sparePath = nil
        }
        defer {
            // The walk leaves the path empty, even when it throws.
            if realm.sparePath == nil && path.capacity <= 64 { realm.sparePath = path }
        }
        var input = input
        let rules = node.rules
        // A missing body validates as {} so the field-level errors surface (§3 Q4).
        if rules.kind == .object, !rules.isRequired, rules.defaultValue == nil, SchemaValidator.isMissing(input) {
            input = Value(try rt.newObject())
        }
        let mark = rt.pushTemporaryRoot(input)
        defer { rt.popTemporaryRoots(to: mark) }
        _ = rt.pushTemporaryRoot(Value(errorList))
        rootLabel = rules.label
        var value = Value.undefined
        if case .value(let v) = try validate(node, input, depth: 0) { value = v }
        _ = rt.pushTemporaryRoot(value)

        // No script code runs from here on: the new cells need no rooting.
        let result = try rt.newObject()
        result.slots.reserveCapacity(3)
        try rt.createDataProperty(result, realm.validKey, Value(errorCount == 0))
        try rt.createDataProperty(result, realm.valueKey, value)
        try rt.createDataProperty(result, realm.errorsKey, Value(errorList))
        return Value(result)
    }

    /// Validates one value, found at `path`.
    mutating func validate(_ node: SchemaNode, _ input: Value, depth: Int) throws(VMError) -> SchemaOutcome {
        try rt.charge(1)
        let rules = node.rules
        let lists = node.lists
        if depth > SchemaValidator.maxDepth {
            try fail(rules.label, "is nested too deeply")
            return .invalid
        }
        if SchemaValidator.isMissing(input) {
            return try missingOutcome(rules, input, depth: depth)
        }

        // Script code (getters, custom checks, an overridden RegExp test) may run below this
        // point and drop the last other reference to `input`. Plain scalar rules run none.
        let mayRunScript = rules.kind == .array || rules.kind == .object || rules.kind == .any
            || (lists?.mayRunScript ?? false)
        let mark = mayRunScript ? rt.pushTemporaryRoot(input) : -1
        defer { if mark >= 0 { rt.popTemporaryRoots(to: mark) } }
        let errorsBefore = errorCount
        let checked: Value?
        switch rules.kind {
        case .string: checked = try checkString(rules, lists, input)
        case .number: checked = try checkNumber(rules, lists, input)
        case .boolean: checked = try checkBoolean(rules, lists, input)
        case .array: checked = try checkArray(rules, lists, input, depth: depth)
        case .object: checked = try checkObject(rules, lists, input, depth: depth)
        case .any: checked = try isAllowed(rules, lists, input) ? try copyValue(input, label: rules.label, depth: depth) : nil
        }
        guard let value = checked else { return .invalid }
        if errorCount == errorsBefore, let checks = lists?.customChecks, !checks.isEmpty {
            try runCustomChecks(checks, value, label: rules.label)
        }
        return rules.isStripped ? .stripped : .value(value)
    }

    /// Missing means `undefined`, `null` or `""` (what `.required()` rejects and `.default()` replaces).
    static func isMissing(_ v: Value) -> Bool {
        v.isNullish || (v.isString && v.string.count == 0)
    }

    /// A missing input: required error, a copy of the default, or nothing. An optional string
    /// (or any) keeps an empty string as it came, since `""` is a string.
    private mutating func missingOutcome(_ rules: SchemaRules, _ input: Value, depth: Int) throws(VMError) -> SchemaOutcome {
        if rules.isRequired {
            try fail(rules.label, "is required")
            return .invalid
        }
        var value: Value
        if let defaultValue = rules.defaultValue {
            // Not re-validated; copied so every result gets its own object.
            guard let copy = try copyValue(defaultValue, label: rules.label, depth: depth) else { return .invalid }
            value = copy
        } else if input.isString && (rules.kind == .string || rules.kind == .any) {
            value = input
        } else {
            return .absent
        }
        return rules.isStripped ? .stripped : .value(value)
    }

    /// `.valid(...)`: records "must be one of …" and returns false when `value` is not allowed.
    mutating func isAllowed(_ rules: SchemaRules, _ lists: SchemaRuleLists?, _ value: Value) throws(VMError) -> Bool {
        guard let allowed = lists?.allowedValues else { return true }
        if allowed.contains(where: { rt.sameValueZero($0, value) }) { return true }
        var list = ContiguousArray<UInt16>()
        for (i, v) in allowed.enumerated() {
            if i > 0 { list.append(contentsOf: ", ".utf16) }
            appendAllowed(v, to: &list)
        }
        try fail(rules.label, "must be one of ", list)
        return false
    }

    /// `.custom(fn)`: `fn(value, label)` returns an error message, or nothing when the value is fine
    /// (`false` is taken as a failure without a message). The first failing check wins.
    private mutating func runCustomChecks(_ checks: [Value], _ value: Value, label: Value?) throws(VMError) {
        var labelUnits = ContiguousArray<UInt16>()
        appendLabel(label, to: &labelUnits)
        let labelValue = Value(try rt.newString(labelUnits))
        for check in checks {
            let answer = try rt.call(check, this: .undefined, arguments: [value, labelValue])
            if answer.isString && answer.string.count > 0 {
                try record(answer)
                return
            }
            if answer.isBoolean && !answer.boolean {
                try fail(label, "is invalid")
                return
            }
        }
    }

    /// Records `<label> <problem><detail>`, the label being `.label()` or the current path.
    /// Messages are assembled in UTF-16, the form JavaScript strings take.
    mutating func fail(_ label: Value?, _ problem: String,
                       _ detail: ContiguousArray<UInt16> = []) throws(VMError) {
        var units = ContiguousArray<UInt16>()
        appendLabel(label, to: &units)
        units.append(0x20)
        units.append(contentsOf: problem.utf16)
        units.append(contentsOf: detail)
        try record(Value(try rt.newString(units)))
    }

    private mutating func record(_ message: Value) throws(VMError) {
        try rt.createDataProperty(errorList, PropertyKey(index: errorCount), message)
        errorCount += 1
    }

    /// `.label()` when set, else the current path (`user.email`, `tags[2]`), else `value`.
    func appendLabel(_ explicit: Value?, to units: inout ContiguousArray<UInt16>) {
        if let explicit {
            units.append(contentsOf: explicit.string.units)
            return
        }
        guard !path.isEmpty else {
            units.append(contentsOf: "value".utf16)
            return
        }
        for (i, segment) in path.enumerated() {
            switch segment {
            case .key(let key):
                if i > 0 { units.append(0x2E) }  // .
                if key.isIndex { units.append(contentsOf: String(key.index).utf16) } else { units.append(contentsOf: key.atom.units) }
            case .index(let n):
                if i == 0 { units.append(contentsOf: rootLabel?.string.units ?? ContiguousArray("value".utf16)) }
                units.append(0x5B)  // [
                units.append(contentsOf: String(n).utf16)
                units.append(0x5D)  // ]
            }
        }
    }

    /// An allowed value as listed in a message: strings as they are, other values briefly.
    private func appendAllowed(_ v: Value, to units: inout ContiguousArray<UInt16>) {
        if v.isString {
            units.append(contentsOf: v.string.units)
        } else if v.isNumber {
            units.append(contentsOf: SchemaValidator.format(v.number).utf16)
        } else if v.isObject {
            units.append(contentsOf: rt.describeForError(v).utf16)
        } else {
            units.append(contentsOf: v.debugDescription.utf16)
        }
    }

    /// A number as JavaScript prints it (`500`, `0.5`).
    static func format(_ d: Double) -> String { NumberConversion.toString(d) }

    /// `n character(s)` / `n item(s)`.
    static func count(_ n: Double, _ noun: String) -> String {
        "\(format(n)) \(noun)\(n == 1 ? "" : "s")"
    }
}
