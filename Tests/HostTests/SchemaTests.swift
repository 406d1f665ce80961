// The Schema global: the test harness shared by the Schema*Tests files, plus the basics
// (installation, result shape, immutable builders).

import SluiceCompiler
import SluiceVM
import Testing
@testable import SluiceHost

/// A fresh runtime with `Schema` installed, running scripts as page bodies.
struct SchemaHarness {
    let rt: Runtime

    init(stressGC: Bool = false) throws {
        rt = Runtime()
        try SchemaBinding.install(into: rt)
        rt.heap.stressMode = stressGC
    }

    func run(_ source: String, limits: Limits = .unlimited) throws -> Result<ScriptValue, ScriptError> {
        let program = try Compiler.compile(source: source, name: "page.js", options: .functionBody)
        return rt.run(program, limits: limits).map { rt.scriptValue(from: $0) }
    }

    /// The script's return value; records an issue when it throws.
    func value(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ScriptValue {
        switch try run(source) {
        case .success(let v): return v
        case .failure(let e):
            Issue.record("script failed: \(e)", sourceLocation: sourceLocation)
            return .undefined
        }
    }

    /// The uncaught exception of a script expected to throw.
    func exception(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ScriptException? {
        switch try run(source) {
        case .failure(.uncaught(let e)): return e
        case .failure(let other):
            Issue.record("expected an exception, got \(other)", sourceLocation: sourceLocation)
        case .success(let v):
            Issue.record("expected an exception, got \(v)", sourceLocation: sourceLocation)
        }
        return nil
    }
}

/// A `validate()` result copied out of the runtime.
struct Validation: CustomStringConvertible {
    var valid: Bool
    var value: ScriptValue
    var errors: [String]

    init(_ result: ScriptValue, sourceLocation: SourceLocation = #_sourceLocation) {
        guard case .object(let props) = result else {
            Issue.record("validate() did not return an object: \(result)", sourceLocation: sourceLocation)
            valid = false
            value = .undefined
            errors = []
            return
        }
        #expect(props.map(\.key) == ["valid", "value", "errors"], sourceLocation: sourceLocation)
        valid = result["valid"] == .bool(true)
        value = result["value"] ?? .undefined
        errors = []
        if case .array(let items)? = result["errors"] {
            for case .string(let s) in items { errors.append(s) }
        } else {
            Issue.record("errors is not an array: \(result)", sourceLocation: sourceLocation)
        }
    }

    var description: String { "valid: \(valid), value: \(value), errors: \(errors)" }
}

/// `(<schema>).validate(<input>)` in a fresh runtime.
func validate(_ schema: String, _ input: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Validation {
    let h = try SchemaHarness()
    return Validation(try h.value("return (\(schema)).validate(\(input));", sourceLocation: sourceLocation),
                      sourceLocation: sourceLocation)
}

/// Shorthand for building expected objects.
func obj(_ pairs: KeyValuePairs<String, ScriptValue>) -> ScriptValue {
    .object(pairs.map { ScriptProperty($0.key, $0.value) })
}

@Suite struct SchemaTests {
    @Test func installDefinesTheSchemaGlobalWithSixBuilders() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            return [typeof Schema, Object.getOwnPropertyNames(Schema).sort().join(),
                    typeof Schema.string(), Object.keys(Schema.string()).length];
            """)
        #expect(v == .array([.string("object"), .string("any,array,boolean,number,object,string"),
                             .string("object"), .number(0)]))
    }

    @Test func theGlobalIsMadeOnFirstReadAndThenIsAnOrdinaryProperty() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            var before = Object.getOwnPropertyDescriptor(globalThis, 'Schema');
            var first = Schema, second = globalThis.Schema;
            var after = Object.getOwnPropertyDescriptor(globalThis, 'Schema');
            function inner() { return Schema; }
            return [typeof before.get, first === second, inner() === first, 'value' in after,
                    after.value === first, after.writable, after.enumerable, after.configurable];
            """)
        #expect(v == .array([.string("function"), .bool(true), .bool(true), .bool(true),
                             .bool(true), .bool(true), .bool(false), .bool(true)]))
    }

    @Test func scriptsMayReplaceTheGlobalBeforeOrAfterUsingIt() throws {
        let before = try SchemaHarness()
        #expect(try before.value("Schema = 42; return Schema;") == .number(42))
        let after = try SchemaHarness()
        #expect(try after.value("Schema.any(); Schema = 'mine'; return Schema;") == .string("mine"))
        let freezing = try SchemaHarness()
        #expect(try freezing.value("""
            Object.freeze(globalThis);
            return [Schema === Schema, Schema.number().validate('3').value];
            """) == .array([.bool(true), .number(3)]))
    }

    @Test func installingTwiceInOneRuntimeStillWorks() throws {
        let h = try SchemaHarness()
        _ = try h.value("return Schema.string().validate('a').valid;")
        try SchemaBinding.install(into: h.rt)
        #expect(try h.value("return Schema.string().min(2).validate('a').errors;")
                == .array([.string("value must be at least 2 characters")]))
    }

    @Test func validResultHasEmptyErrorsAndTheValue() throws {
        let r = try validate("Schema.string()", "'hello'")
        #expect(r.valid)
        #expect(r.errors.isEmpty)
        #expect(r.value == .string("hello"))
    }

    @Test func builderMethodsReturnNewSchemasAndLeaveTheReceiverUnchanged() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            var base = Schema.number();
            var bounded = base.min(10);
            var required = bounded.required();
            return [base === bounded, bounded === required,
                    base.validate(5).valid, bounded.validate(5).valid,
                    bounded.validate(undefined).valid, required.validate(undefined).valid,
                    required.optional().validate(undefined).valid, required.validate(undefined).valid];
            """)
        #expect(v == .array([.bool(false), .bool(false), .bool(true), .bool(false),
                             .bool(true), .bool(false), .bool(true), .bool(false)]))
    }

    @Test func oneSchemaValidatesManyInputsIndependently() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            var s = Schema.object({ n: Schema.number().max(3) });
            var a = s.validate({ n: 9 }), b = s.validate({ n: 1 });
            return [a.valid, a.errors.length, b.valid, b.errors.length, a.value.n, b.value.n];
            """)
        #expect(v == .array([.bool(false), .number(1), .bool(true), .number(0), .number(9), .number(1)]))
    }

    @Test func schemasSurviveGarbageCollection() throws {
        let h = try SchemaHarness(stressGC: true)
        let v = try h.value("""
            var s = Schema.object({ user: Schema.object({ tags: Schema.array().items(Schema.string().valid('a', 'b')) }),
                                    meta: Schema.object({}).pattern_values(Schema.number().default(7)) });
            var junk = [];
            for (var i = 0; i < 200; i++) junk.push({ i: i, s: 'x' + i });
            return s.validate({ user: { tags: ['a', 'b', 'c'] }, meta: { x: null, y: '2' } });
            """)
        let r = Validation(v)
        #expect(r.errors == ["user.tags[2] must be one of a, b"])
        #expect(r.value == obj(["user": obj(["tags": .array([.string("a"), .string("b"), .string("c")])]),
                                "meta": obj(["x": .number(7), "y": .number(2)])]))
    }
}
