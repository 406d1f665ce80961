// Schema.object() and Schema.array(): nesting, paths in messages, key stripping, pattern_values,
// defaults, strip, labels, top-level missing input, non-mutation.

import SluiceVM
import Testing
@testable import SluiceHost

@Suite struct SchemaObjectArrayTests {
    @Test func unknownKeysAreDroppedAndDeclaredOrderKept() throws {
        let r = try validate("Schema.object({ a: Schema.number(), b: Schema.string() })",
                             "{ z: 1, b: 'x', extra: { deep: true }, a: '2' }")
        #expect(r.valid)
        #expect(r.value == obj(["a": .number(2), "b": .string("x")]))
    }

    @Test func everyFailingFieldIsReportedDepthFirstInDeclaredOrder() throws {
        let r = try validate("""
            Schema.object({
              name: Schema.string().required(),
              user: Schema.object({ email: Schema.string().email(), age: Schema.number().integer() }).required(),
              tags: Schema.array().items(Schema.string().max(3)),
              count: Schema.number()
            })
            """, "{ user: { email: 'nope', age: 1.5 }, tags: ['ok', 'toolong', 5], count: 'many' }")
        #expect(r.errors == ["name is required", "user.email must be a valid email", "user.age must be an integer",
                             "tags[1] must be at most 3 characters", "tags[2] must be a string",
                             "count must be a number"])
    }

    @Test func wrongContainerTypes() throws {
        #expect(try validate("Schema.object({})", "[]").errors == ["value must be an object"])
        #expect(try validate("Schema.object({})", "'x'").errors == ["value must be an object"])
        #expect(try validate("Schema.object({})", "new Date(0)").errors == ["value must be an object"])
        #expect(try validate("Schema.object({})", "function () {}").errors == ["value must be an object"])
        #expect(try validate("Schema.array()", "{ length: 1, 0: 'a' }").errors == ["value must be an array"])
        #expect(try validate("Schema.array()", "'abc'").errors == ["value must be an array"])
    }

    @Test func topLevelMissingObjectValidatesAsEmpty() throws {
        let schema = "Schema.object({ weight: Schema.number().required(), unit: Schema.string().default('lbs') })"
        for input in ["null", "undefined"] {
            let r = try validate(schema, input)
            #expect(r.errors == ["weight is required"], "\(input)")
            #expect(r.value == obj(["unit": .string("lbs")]), "\(input)")
        }
        #expect(try validate(schema + ".required()", "null").errors == ["value is required"])
        let optionalOnly = try validate("Schema.object({ a: Schema.string() })", "null")
        #expect(optionalOnly.valid)
        #expect(optionalOnly.value == obj([:]))
    }

    @Test func nestedMissingOptionalObjectIsOmitted() throws {
        let r = try validate("Schema.object({ user: Schema.object({ name: Schema.string().required() }) })", "{}")
        #expect(r.valid)
        #expect(r.value == obj([:]))
    }

    @Test func defaultsApplyToUndefinedNullAndEmptyStringAndAreFreshCopies() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            var s = Schema.object({
              unit: Schema.string().valid('lbs', 'kg').default('lbs'),
              prefs: Schema.object({ dark: Schema.boolean() }).default({ dark: false, nested: [1] }),
              tags: Schema.array().items(Schema.string()).max(20).default([])
            });
            var a = s.validate({ unit: '' }), b = s.validate({ unit: null, prefs: null });
            a.value.prefs.nested.push(2);
            a.value.tags.push('x');
            return [a.value, b.value, a.value.prefs !== b.value.prefs];
            """)
        #expect(v == .array([
            obj(["unit": .string("lbs"), "prefs": obj(["dark": .bool(false), "nested": .array([.number(1), .number(2)])]),
                 "tags": .array([.string("x")])]),
            obj(["unit": .string("lbs"), "prefs": obj(["dark": .bool(false), "nested": .array([.number(1)])]),
                 "tags": .array([])]),
            .bool(true),
        ]))
    }

    @Test func requiredWinsOverDefault() throws {
        #expect(try validate("Schema.string().default('x').required()", "undefined").errors == ["value is required"])
    }

    @Test func patternValuesValidatesAndKeepsUndeclaredKeys() throws {
        let r = try validate("Schema.object({}).pattern_values(Schema.string().max(5))",
                             "{ a: 'short', b: 'far too long', c: 3 }")
        #expect(r.errors == ["b must be at most 5 characters", "c must be a string"])
        #expect(r.value == obj(["a": .string("short"), "b": .string("far too long")]))

        let mixed = try validate("Schema.object({ id: Schema.number() }).pattern_values(Schema.number())",
                                 "{ id: '1', x: '2', y: '3' }")
        #expect(mixed.valid)
        #expect(mixed.value == obj(["id": .number(1), "x": .number(2), "y": .number(3)]))
    }

    @Test func objectWithoutKeysCopiesEveryKey() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            var input = { a: 1, b: { c: [1, { d: 2 }] } };
            var r = Schema.object().validate(input);
            return [r.valid, r.value, r.value !== input, r.value.b !== input.b, r.value.b.c[1] !== input.b.c[1]];
            """)
        #expect(v == .array([.bool(true), obj(["a": .number(1), "b": obj(["c": .array([.number(1), obj(["d": .number(2)])])])]),
                             .bool(true), .bool(true), .bool(true)]))
    }

    @Test func stripValidatesButOmits() throws {
        let r = try validate("""
            Schema.object({ password: Schema.string().min(8), confirm: Schema.string().strip(),
                            list: Schema.array().items(Schema.number().strip()) })
            """, "{ password: 'secret123', confirm: 'secret123', list: ['1', 2] }")
        #expect(r.valid)
        #expect(r.value == obj(["password": .string("secret123"), "list": .array([])]))
        let bad = try validate("Schema.object({ token: Schema.string().min(5).strip() })", "{ token: 'abc' }")
        #expect(bad.errors == ["token must be at least 5 characters"])
        #expect(bad.value == obj([:]))
    }

    @Test func labelsReplaceThePathInMessages() throws {
        let r = try validate("""
            Schema.object({ user: Schema.object({ email: Schema.string().email().label('Your email') }),
                            weight: Schema.number().required().label('Weight') })
            """, "{ user: { email: 'x' } }")
        #expect(r.errors == ["Your email must be a valid email", "Weight is required"])
    }

    @Test func arrayCountRulesAndItemCoercion() throws {
        #expect(try validate("Schema.array().min(2)", "[1]").errors == ["value must contain at least 2 items"])
        #expect(try validate("Schema.array().max(1)", "[1, 2]").errors == ["value must contain at most 1 item"])
        let r = try validate("Schema.array().items(Schema.number())", "['1', 2, ' 3 ']")
        #expect(r.value == .array([.number(1), .number(2), .number(3)]))
        let labelled = try validate("Schema.array().items(Schema.number()).label('scores')", "[1, 'x']")
        #expect(labelled.errors == ["scores[1] must be a number"])
        #expect(try validate("Schema.array().items(Schema.number())", "['x']").errors == ["value[0] must be a number"])
    }

    @Test func arrayOverMaxIsNotWalked() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            var big = []; for (var i = 0; i < 1000; i++) big.push('not a number');
            return Schema.array().items(Schema.number()).max(20).validate(big).errors;
            """)
        #expect(v == .array([.string("value must contain at most 20 items")]))
    }

    @Test func arrayItemsKeepTheirIndicesWhenMissingOrInvalid() throws {
        let r = try validate("Schema.array().items(Schema.object({ n: Schema.number() }))", "[{ n: '1', x: 0 }, null, 'str', { n: 2 }]")
        #expect(r.errors == ["value[2] must be an object"])
        #expect(r.value == .array([obj(["n": .number(1)]), .null, .string("str"), obj(["n": .number(2)])]))
    }

    @Test func itemsStripUnknownKeysOfNestedObjects() throws {
        let r = try validate("Schema.object({ people: Schema.array().items(Schema.object({ name: Schema.string().required() })) })",
                             "{ people: [{ name: 'a', admin: true }, { admin: true }] }")
        #expect(r.errors == ["people[1].name is required"])
        #expect(r.value == obj(["people": .array([obj(["name": .string("a")]), obj([:])])]))
    }

    @Test func ownPropertiesOnlyForDeclaredKeys() throws {
        let r = try validate("Schema.object({ toString: Schema.string(), constructor: Schema.any().required() })", "{}")
        #expect(r.errors == ["constructor is required"])
    }

    @Test func anyAcceptsEveryTypeAndCopiesContainers() throws {
        for input in ["1", "'s'", "true", "[1, 'a']", "{ a: { b: 1 } }"] {
            #expect(try validate("Schema.any()", input).valid, "\(input)")
        }
        let r = try validate("Schema.any().required().valid('draft', 42, true)", "42")
        #expect(r.valid)
        #expect(try validate("Schema.any().required().valid('draft', 42, true)", "'42'").errors
                == ["value must be one of draft, 42, true"])
        #expect(try validate("Schema.any().required()", "null").errors == ["value is required"])
    }

    @Test func cyclicAndTooDeepDataAreErrorsNotCrashes() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            var a = { name: 'a' }; a.self = a;
            var deep = {}; var cur = deep;
            for (var i = 0; i < 10000; i++) { cur.next = {}; cur = cur.next; }
            return [Schema.object({ meta: Schema.any() }).validate({ meta: a }).errors,
                    Schema.any().validate(deep).errors];
            """)
        #expect(v == .array([.array([.string("meta contains a circular reference")]),
                             .array([.string("value is nested too deeply")])]))
    }

    @Test func inputIsNeverMutated() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            var input = { weight: '182', unit: '', extra: 1, user: { email: 'A@B.CO', junk: [1, 2] },
                          tags: ['1', 2], list: [{ k: 'v', drop: 1 }] };
            var before = JSON.stringify(input);
            var r = Schema.object({
              weight: Schema.number(), unit: Schema.string().default('lbs'),
              user: Schema.object({ email: Schema.string().email() }),
              tags: Schema.array().items(Schema.number()),
              list: Schema.array().items(Schema.object({ k: Schema.string() })),
              added: Schema.object({}).default({ x: 1 })
            }).validate(input);
            r.value.user.email = 'changed';
            r.value.tags.push(99);
            r.value.list[0].k = 'changed';
            return [JSON.stringify(input) === before, r.value.user !== input.user, r.value.tags !== input.tags,
                    r.value.list[0] !== input.list[0], r.valid];
            """)
        #expect(v == .array([.bool(true), .bool(true), .bool(true), .bool(true), .bool(true)]))
    }

    @Test func frozenReadOnlyInputValidates() throws {
        let h = try SchemaHarness()
        try h.rt.defineReadOnlyGlobal("body", .object([ScriptProperty("weight", .string("182")),
                                                       ScriptProperty("tags", .array([.string("a")]))]))
        let v = try h.value("""
            var r = Schema.object({ weight: Schema.number(), tags: Schema.array() }).validate(body);
            r.value.tags.push('b');
            return [r.value, body.weight, Object.isFrozen(r.value)];
            """)
        #expect(v == .array([obj(["weight": .number(182), "tags": .array([.string("a"), .string("b")])]),
                             .string("182"), .bool(false)]))
    }
}
