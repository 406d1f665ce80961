import SluiceVM

// Arrays and objects: the output is always a new container, so the input is never shared with
// (or changed through) the result.

extension SchemaValidator {
    /// `Schema.array()`: item count rules, then each element through `.items(rule)` (or copied).
    mutating func checkArray(_ rules: SchemaRules, _ lists: SchemaRuleLists?, _ input: Value, depth: Int) throws(VMError) -> Value? {
        guard input.isObject, input.object.kind == .array else {
            try fail(rules.label, "must be an array")
            return nil
        }
        guard try isAllowed(rules, lists, input) else { return nil }
        let source = input.object
        let count = Int(source.arrayLength)
        if let min = rules.minimum, Double(count) < min {
            try fail(rules.label, "must contain at least \(SchemaValidator.count(min, "item"))")
        }
        if let max = rules.maximum, Double(count) > max {
            try fail(rules.label, "must contain at most \(SchemaValidator.count(max, "item"))")
            // Rejected anyway: do not spend the budget on (or report) every element of a huge array.
            return nil
        }
        let itemNode = rules.itemSchema?.node
        let output = try rt.newArray()
        // Popped by `validate`, which rooted the input (elements may run getters).
        _ = rt.pushTemporaryRoot(Value(output))
        var outputCount: UInt32 = 0
        for i in 0..<count {
            try rt.charge(1)
            let element = try rt.get(source, PropertyKey(index: UInt32(i)))
            path.append(.index(i))
            defer { path.removeLast() }
            var item: Value
            if let itemNode {
                switch try validate(itemNode, element, depth: depth + 1) {
                case .value(let v): item = v
                case .stripped: continue
                // Keep the indices of the other items; never hand out a reference into the input.
                case .absent, .invalid: item = element.isObject ? .undefined : element
                }
            } else {
                item = try copyValue(element, label: nil, depth: depth + 1) ?? .undefined
            }
            try rt.createDataProperty(output, PropertyKey(index: outputCount), item)
            outputCount += 1
        }
        return Value(output)
    }

    /// `Schema.object(keys)`: declared keys in declaration order; undeclared keys go through
    /// `.pattern_values(rule)` (and are kept), are copied (`Schema.object()` without keys), or are
    /// dropped silently.
    mutating func checkObject(_ rules: SchemaRules, _ lists: SchemaRuleLists?, _ input: Value, depth: Int) throws(VMError) -> Value? {
        guard input.isObject, SchemaValidator.isPlainObject(input.object) else {
            try fail(rules.label, "must be an object")
            return nil
        }
        guard try isAllowed(rules, lists, input) else { return nil }
        let source = input.object
        let declaredKeys = lists?.declaredKeys
        let output = try rt.newObject()
        output.slots.reserveCapacity(declaredKeys?.count ?? 0)
        // Popped by `validate`, which rooted the input (objects may run getters).
        _ = rt.pushTemporaryRoot(Value(output))

        let declared = declaredKeys ?? []
        for (key, schema) in declared {
            try rt.charge(1)
            let child = try ownValue(source, key)
            path.append(.key(key))
            defer { path.removeLast() }
            if case .value(let v) = try validate(schema.node, child, depth: depth + 1) {
                try rt.createDataProperty(output, key, v)
            }
        }

        let patternNode = rules.patternValueSchema?.node
        guard patternNode != nil || declaredKeys == nil else { return Value(output) }
        let declaredSet = Set(declared.map(\.key))
        for key in rt.ownEnumerableStringKeys(source) where !declaredSet.contains(key) {
            try rt.charge(1)
            let child = try rt.get(source, key)
            path.append(.key(key))
            defer { path.removeLast() }
            if let patternNode {
                if case .value(let v) = try validate(patternNode, child, depth: depth + 1) {
                    try rt.createDataProperty(output, key, v)
                }
            } else if let copy = try copyValue(child, label: nil, depth: depth + 1) {
                try rt.createDataProperty(output, key, copy)
            }
        }
        return Value(output)
    }

    /// The own property `key` of the plain object `source` (running its getter), or undefined
    /// when it has none: a declared key `toString` must not find Object.prototype's. One lookup
    /// instead of a has-own test and a get (a plain object's own properties are all in its shape).
    func ownValue(_ source: JSObject, _ key: PropertyKey) throws(VMError) -> Value {
        guard let property = rt.getOwnProperty(source, key) else { return .undefined }
        if property.isAccessor { return try rt.get(source, key) }
        return property.value ?? .undefined
    }

    /// Objects a schema treats as records: not arrays, functions, dates, maps, errors, regexps …
    static func isPlainObject(_ o: JSObject) -> Bool {
        o.kind == .ordinary || o.kind == .host
    }
}
