import SluiceVM

// Type checks, coercions and rules of string, number and boolean schemas. Each returns the
// coerced value, or nil after recording why the value has the wrong type. A value that has the
// right type but breaks rules is still returned (best-effort output), with one message per rule.

extension SchemaValidator {
    /// Strings are never coerced: a number given to `Schema.string()` fails (§3 Q4).
    mutating func checkString(_ rules: SchemaRules, _ lists: SchemaRuleLists?, _ input: Value) throws(VMError) -> Value? {
        guard input.isString else {
            try fail(rules.label, "must be a string")
            return nil
        }
        guard try isAllowed(rules, lists, input) else { return input }
        let s = input.string
        let length = Double(s.count)
        if let min = rules.minimum, length < min {
            try fail(rules.label, "must be at least \(SchemaValidator.count(min, "character"))")
        }
        if let max = rules.maximum, length > max {
            try fail(rules.label, "must be at most \(SchemaValidator.count(max, "character"))")
        }
        if !rules.flags.isDisjoint(with: [.email, .url, .lowercase]) { try rt.charge(s.count) }
        if rules.flags.contains(.email) && !SchemaTextFormats.isEmail(s.units) {
            try fail(rules.label, "must be a valid email")
        }
        if rules.flags.contains(.url) && !SchemaTextFormats.isHTTPURL(s.units) {
            try fail(rules.label, "must be a valid URL")
        }
        for pattern in lists?.patterns ?? [] {
            let test = try rt.get(pattern.object, realm.testKey)
            if !rt.toBoolean(try rt.call(test, this: pattern, arguments: [input])) {
                try fail(rules.label, "fails to match the required pattern")
                break
            }
        }
        if rules.flags.contains(.lowercase) && !SchemaTextFormats.isLowercase(s) {
            try fail(rules.label, "must be lowercase")
        }
        return input
    }

    /// Numbers must be finite; decimal strings (`"42"`, `" 3.14 "`) are coerced.
    mutating func checkNumber(_ rules: SchemaRules, _ lists: SchemaRuleLists?, _ input: Value) throws(VMError) -> Value? {
        var parsed: Double?
        if input.isNumber {
            parsed = input.number
        } else if input.isString {
            try rt.charge(input.string.count)
            parsed = SchemaTextFormats.decimalValue(input.string.units)
        }
        guard let d = parsed else {
            try fail(rules.label, "must be a number")
            return nil
        }
        guard d.isFinite else {
            try fail(rules.label, "must be a finite number")
            return nil
        }
        let value = Value(d)
        guard try isAllowed(rules, lists, value) else { return value }
        if rules.flags.contains(.integer) && d.rounded(.towardZero) != d {
            try fail(rules.label, "must be an integer")
        }
        if let min = rules.minimum, d < min {
            try fail(rules.label, "must be greater than or equal to \(SchemaValidator.format(min))")
        }
        if let max = rules.maximum, d > max {
            try fail(rules.label, "must be less than or equal to \(SchemaValidator.format(max))")
        }
        if rules.flags.contains(.positive) && !(d > 0) {
            try fail(rules.label, "must be a positive number")
        }
        if rules.flags.contains(.negative) && !(d < 0) {
            try fail(rules.label, "must be a negative number")
        }
        return value
    }

    /// Booleans, plus the strings `"true"`/`"1"` and `"false"`/`"0"`.
    mutating func checkBoolean(_ rules: SchemaRules, _ lists: SchemaRuleLists?, _ input: Value) throws(VMError) -> Value? {
        var value: Value?
        if input.isBoolean {
            value = input
        } else if input.isString && input.string.count <= 5 {
            switch input.string.swiftString {
            case "true", "1": value = .true
            case "false", "0": value = .false
            default: value = nil
            }
        }
        guard let value else {
            try fail(rules.label, "must be a boolean")
            return nil
        }
        _ = try isAllowed(rules, lists, value)
        return value
    }
}
