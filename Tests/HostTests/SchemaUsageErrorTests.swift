// Mistakes in building or using a schema throw a TypeError that says what is wrong.

import SluiceVM
import Testing
@testable import SluiceHost

@Suite struct SchemaUsageErrorTests {
    /// The TypeError message a script throws (the test fails if it throws something else).
    func typeErrorMessage(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
        let h = try SchemaHarness()
        guard let e = try h.exception(source, sourceLocation: sourceLocation) else { return nil }
        #expect(e.name == "TypeError", "\(e)", sourceLocation: sourceLocation)
        return e.message
    }

    @Test func rulesOnTheWrongType() throws {
        #expect(try typeErrorMessage("Schema.number().email();")
                == ".email() does not apply to Schema.number(); it is a rule of Schema.string()")
        #expect(try typeErrorMessage("Schema.boolean().min(1);")
                == ".min() does not apply to Schema.boolean(); it is a rule of Schema.string(), Schema.number(), Schema.array()")
        #expect(try typeErrorMessage("Schema.string().items(Schema.string());")
                == ".items() does not apply to Schema.string(); it is a rule of Schema.array()")
        #expect(try typeErrorMessage("Schema.array().integer();")
                == ".integer() does not apply to Schema.array(); it is a rule of Schema.number()")
        #expect(try typeErrorMessage("Schema.string().pattern_values(Schema.string());")
                == ".pattern_values() does not apply to Schema.string(); it is a rule of Schema.object()")
        #expect(try typeErrorMessage("Schema.any().max(3);")?.hasPrefix(".max() does not apply to Schema.any()") == true)
    }

    @Test func badRuleArguments() throws {
        #expect(try typeErrorMessage("Schema.string().min('3');")
                == ".min(n) on Schema.string() expects a non-negative integer length, got \"3\"")
        #expect(try typeErrorMessage("Schema.array().max(-1);")
                == ".max(n) on Schema.array() expects a non-negative integer item count, got -1")
        #expect(try typeErrorMessage("Schema.string().max(2.5);")?.contains("non-negative integer") == true)
        #expect(try typeErrorMessage("Schema.number().min(NaN);")
                == ".min(n) on Schema.number() expects a finite number, got NaN")
        #expect(try typeErrorMessage("Schema.number().max();")?.hasPrefix(".max(n) on Schema.number() expects a finite number") == true)
        #expect(try typeErrorMessage("Schema.string().label(5);") == ".label(name) expects a non-empty string, got 5")
        #expect(try typeErrorMessage("Schema.string().label('');")?.hasPrefix(".label(name) expects") == true)
        #expect(try typeErrorMessage("Schema.string().valid();") == ".valid(...values) needs at least one allowed value")
        #expect(try typeErrorMessage("Schema.string().default();")?.hasPrefix(".default(value) needs") == true)
        #expect(try typeErrorMessage("Schema.string().custom('not a function');")?.hasPrefix(".custom(fn) expects a function") == true)
        #expect(try typeErrorMessage("Schema.string().pattern(42);")?.hasPrefix(".pattern(re) expects a RegExp") == true)
        #expect(try typeErrorMessage("Schema.array().items('string');")?.hasPrefix(".items(rule) expects a schema") == true)
        #expect(try typeErrorMessage("Schema.object({}).pattern_values({});")?.hasPrefix(".pattern_values(rule) expects a schema") == true)
    }

    @Test func badObjectKeys() throws {
        #expect(try typeErrorMessage("Schema.object({ name: Schema.string(), age: 42 });")
                == "Schema.object(): key \"age\" must be a schema such as Schema.string(), got 42")
        #expect(try typeErrorMessage("Schema.object({ name: Schema.string });")?
            .hasPrefix("Schema.object(): key \"name\" must be a schema") == true)
        #expect(try typeErrorMessage("Schema.object('name');")?.hasPrefix("Schema.object(keys) expects an object whose values are schemas") == true)
        #expect(try typeErrorMessage("Schema.object([Schema.string()]);")?.hasPrefix("Schema.object(keys) expects") == true)
        #expect(try typeErrorMessage("Schema.object(null);")?.hasPrefix("Schema.object(keys) expects") == true)
        #expect(try typeErrorMessage("Schema.object(Schema.string());")?.hasPrefix("Schema.object(keys) expects") == true)
    }

    @Test func methodsCalledWithoutASchema() throws {
        #expect(try typeErrorMessage("var v = Schema.string().validate; v('x');")
                == "validate() must be called on a schema, e.g. schema.validate(data); got undefined")
        #expect(try typeErrorMessage("Schema.string().min.call({}, 1);")
                == ".min() must be called on a schema such as Schema.string(); got object")
        #expect(try typeErrorMessage("Schema.string().required.call(null);")?.hasPrefix(".required() must be called on a schema") == true)
    }

    @Test func misspelledOrUnknownMethodsAreOrdinaryTypeErrors() throws {
        #expect(try typeErrorMessage("Schema.strings();") != nil)
        #expect(try typeErrorMessage("Schema.string().trim();") != nil)
        #expect(try typeErrorMessage("new Schema.string();") != nil)
    }

    @Test func aBadPatternStringIsASyntaxError() throws {
        let h = try SchemaHarness()
        let e = try h.exception("Schema.string().pattern('([a-z]');")
        #expect(e?.name == "SyntaxError")
    }
}
