// Schema.number() and Schema.boolean(): coercion table and rules.

import SluiceVM
import Testing
@testable import SluiceHost

@Suite struct SchemaNumberBooleanTests {
    @Test func numericStringsAreCoerced() throws {
        let cases: [(String, Double)] = [("'182'", 182), ("'3.14'", 3.14), ("' 42 '", 42), ("'-7'", -7),
                                         ("'+5'", 5), ("'.5'", 0.5), ("'1e3'", 1000), ("'10.'", 10)]
        for (input, expected) in cases {
            let r = try validate("Schema.number()", input)
            #expect(r.valid, "\(input)")
            #expect(r.value == .number(expected), "\(input)")
        }
    }

    @Test func nonNumericInputFails() throws {
        for input in ["'hello'", "'12abc'", "'0x10'", "'Infinity'", "'1 2'", "'.'", "'1e'", "'  '", "true", "[]", "{}"] {
            let r = try validate("Schema.number()", input)
            #expect(r.errors == ["value must be a number"], "\(input)")
            #expect(r.value == .undefined, "\(input)")
        }
    }

    @Test func numbersMustBeFinite() throws {
        for input in ["NaN", "Infinity", "-Infinity", "'1e400'"] {
            #expect(try validate("Schema.number()", input).errors == ["value must be a finite number"], "\(input)")
        }
    }

    @Test func emptyStringCountsAsMissing() throws {
        let optional = try validate("Schema.object({ n: Schema.number() })", "{ n: '' }")
        #expect(optional.valid)
        #expect(optional.value == obj([:]))
        #expect(try validate("Schema.number().required()", "''").errors == ["value is required"])
    }

    @Test func rules() throws {
        #expect(try validate("Schema.number().min(50)", "50").valid)
        #expect(try validate("Schema.number().min(50)", "49.9").errors == ["value must be greater than or equal to 50"])
        #expect(try validate("Schema.number().max(500)", "500").valid)
        #expect(try validate("Schema.number().max(500)", "'501'").errors == ["value must be less than or equal to 500"])
        #expect(try validate("Schema.number().max(0.5)", "1").errors == ["value must be less than or equal to 0.5"])
        #expect(try validate("Schema.number().integer()", "'4'").valid)
        #expect(try validate("Schema.number().integer()", "4.5").errors == ["value must be an integer"])
        #expect(try validate("Schema.number().positive()", "0").errors == ["value must be a positive number"])
        #expect(try validate("Schema.number().positive()", "0.1").valid)
        #expect(try validate("Schema.number().negative()", "0").errors == ["value must be a negative number"])
        #expect(try validate("Schema.number().negative()", "'-1'").valid)
    }

    @Test func severalNumberRulesFailTogether() throws {
        let r = try validate("Schema.number().integer().min(10).positive().label('Age')", "'-2.5'")
        #expect(r.errors == ["Age must be an integer", "Age must be greater than or equal to 10",
                             "Age must be a positive number"])
        #expect(r.value == .number(-2.5))
    }

    @Test func validComparesTheCoercedNumber() throws {
        #expect(try validate("Schema.number().valid(1, 2, 3)", "'2'").value == .number(2))
        #expect(try validate("Schema.number().valid(1, 2, 3)", "4").errors == ["value must be one of 1, 2, 3"])
    }

    @Test func booleanCoercion() throws {
        let cases: [(String, Bool)] = [("true", true), ("false", false), ("'true'", true), ("'1'", true),
                                       ("'false'", false), ("'0'", false)]
        for (input, expected) in cases {
            let r = try validate("Schema.boolean()", input)
            #expect(r.valid, "\(input)")
            #expect(r.value == .bool(expected), "\(input)")
        }
        for input in ["1", "0", "'yes'", "'TRUE'", "'true '", "{}"] {
            #expect(try validate("Schema.boolean()", input).errors == ["value must be a boolean"], "\(input)")
        }
    }

    @Test func booleanValidAndDefault() throws {
        #expect(try validate("Schema.boolean().valid(true)", "'0'").errors == ["value must be one of true"])
        let r = try validate("Schema.object({ news: Schema.boolean().default(false) })", "{}")
        #expect(r.value == obj(["news": .bool(false)]))
    }
}
