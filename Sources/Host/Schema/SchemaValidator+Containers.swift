import SluiceVM

// Arrays and objects: the output is always a new container, so the input is never shared with
// (or changed through) the result.

extension SchemaValidator {
    /// `Schema.array()`: item count rules, then each element through `.items(rule)` (or copied).
    mutating func checkArray(_ rules: SchemaRules, _ input: Value, depth: Int) throws(VMError) -> Value? {
        guard input.isObject, input.object.kind == .array else {
            try fail(rules.label, "must be an array")
            return nil
        }
        guard try isAllowed(rules, input) else { return nil }
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
        let itemNode = rules.itemSchema.flatMap { rt.schemaNode($0) }
        let output = try rt.newArray()
        let mark = rt.pushTemporaryRoot(Value(output))
        defer { rt.popTemporaryRoots(to: mark) }
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
    mutating func checkObject(_ rules: SchemaRules, _ input: Value, depth: Int) throws(VMError) -> Value? {
        guard input.isObject, SchemaValidator.isPlainObject(input.object) else {
            try fail(rules.label, "must be an object")
            return nil
        }
        guard try isAllowed(rules, input) else { return nil }
        let source = input.object
        let output = try rt.newObject()
        output.slots.reserveCapacity(rules.declaredKeys?.count ?? 0)
        let mark = rt.pushTemporaryRoot(Value(output))
        defer { rt.popTemporaryRoots(to: mark) }

        let declared = rules.declaredKeys ?? []
        for (key, schema) in declared {
            try rt.charge(1)
            // Own properties only: a declared key `toString` must not find Object.prototype's.
            let child = rt.hasOwnProperty(source, key) ? try rt.get(source, key) : .undefined
            guard let node = rt.schemaNode(schema) else { continue }
            path.append(.key(key))
            defer { path.removeLast() }
            if case .value(let v) = try validate(node, child, depth: depth + 1) {
                try rt.createDataProperty(output, key, v)
            }
        }

        let patternNode = rules.patternValueSchema.flatMap { rt.schemaNode($0) }
        guard patternNode != nil || rules.declaredKeys == nil else { return Value(output) }
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

    /// Objects a schema treats as records: not arrays, functions, dates, maps, errors, regexps …
    static func isPlainObject(_ o: JSObject) -> Bool {
        o.kind == .ordinary || o.kind == .host
    }
}
