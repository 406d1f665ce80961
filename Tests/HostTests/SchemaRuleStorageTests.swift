// How schemas keep their rules and read their inputs: the keys object of Schema.object read
// straight from its slots when it is a plain data object (and through [[Get]] otherwise), list
// rules shared between a schema and the schemas built from it, declared keys read as own
// properties in one lookup, and the path buffer reused between validations.

import SluiceVM
import Testing
@testable import SluiceHost

@Suite struct SchemaRuleStorageTests {
    // MARK: Schema.object(keys)

    /// Declared keys in the order of `Object.keys`: integer keys first (ascending), then names in
    /// insertion order; symbols, non-enumerable and inherited keys are not declared.
    @Test func declaredKeysFollowObjectKeysOrder() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            var proto = { inherited: Schema.string().required() };
            var keys = Object.create(proto);
            keys.b = Schema.string().required();
            keys[10] = Schema.string().required();
            keys.a = Schema.string().required();
            keys[2] = Schema.string().required();
            keys[Symbol('s')] = Schema.string().required();
            Object.defineProperty(keys, 'hidden', { value: Schema.string().required(), enumerable: false });
            return Schema.object(keys).validate({}).errors;
            """)
        #expect(v == .array([.string("2 is required"), .string("10 is required"), .string("b is required"),
                             .string("a is required")]))
    }

    @Test func plainAndDeletedAndGetterKeyObjectsDeclareTheSame() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            function run(keys) {
                var r = Schema.object(keys).validate({ x: '1', y: 'two', z: 3 });
                return JSON.stringify([r.valid, r.value, r.errors]);
            }
            var plain = { x: Schema.number(), y: Schema.number(), z: Schema.string() };
            // A deleted key makes a dictionary-mode object.
            var deleted = { x: Schema.number(), gone: Schema.any(), y: Schema.number(), z: Schema.string() };
            delete deleted.gone;
            var reads = [];
            var getters = {
                get x() { reads.push('x'); return Schema.number(); },
                y: Schema.number(),
                get z() { reads.push('z'); return Schema.string(); },
            };
            return [run(plain), run(deleted), run(getters), reads.join()];
            """)
        let expected = ScriptValue.string(#"[false,{"x":1},["y must be a number","z must be a string"]]"#)
        #expect(v == .array([expected, expected, expected, .string("x,z")]))
    }

    @Test func aNonSchemaValueNamesTheFirstBadKey() throws {
        let h = try SchemaHarness()
        for keys in ["{ a: Schema.string(), b: 5, c: 'x' }", "{ a: Schema.string(), get b() { return 5; }, c: 'x' }"] {
            let e = try h.exception("Schema.object(\(keys));")
            #expect(e?.message == #"Schema.object(): key "b" must be a schema such as Schema.string(), got 5"#)
            #expect(e?.name == "TypeError")
        }
    }

    /// Keys are listed before any value is read: a key a getter adds is not declared, and one
    /// it deletes reads as undefined.
    @Test func aGetterOnTheKeysObjectMayChangeIt() throws {
        let h = try SchemaHarness(stressGC: true)
        let v = try h.value("""
            var keys = {
                get a() { keys.c = Schema.string(); return Schema.number(); },
                b: Schema.boolean(),
            };
            var s = Schema.object(keys);
            var junk = [];
            for (var i = 0; i < 100; i++) junk.push({ i: i });
            return JSON.stringify(s.validate({ a: '4', b: 'x', c: 'y' }));
            """)
        #expect(v == .string(#"{"valid":false,"value":{"a":4},"errors":["b must be a boolean"]}"#))
        #expect(try h.exception("""
            var keys = { get a() { delete keys.b; return Schema.number(); }, b: Schema.boolean() };
            Schema.object(keys);
            """)?.message == #"Schema.object(): key "b" must be a schema such as Schema.string(), got undefined"#)
    }

    @Test func declaredChildrenSurviveCollectionWhenOnlyTheParentIsKept() throws {
        let h = try SchemaHarness(stressGC: true)
        let v = try h.value("""
            function build() {
                return Schema.object({
                    n: Schema.number().min(1),
                    list: Schema.array().items(Schema.string().valid('a')),
                    rest: Schema.object({}).pattern_values(Schema.boolean()),
                });
            }
            var s = build();
            var junk = [];
            for (var i = 0; i < 300; i++) junk.push({ i: i, s: 'x' + i });
            return JSON.stringify(s.validate({ n: 0, list: ['a', 'b'], rest: { p: 'true', q: 2 } }));
            """)
        #expect(v == .string(#"{"valid":false,"value":{"n":0,"list":["a","b"],"rest":{"p":true}},"#
            + #""errors":["n must be greater than or equal to 1","list[1] must be one of a","rest.q must be a boolean"]}"#))
    }

    // MARK: Reading the input

    @Test func declaredKeysReadOwnDataAndGetterPropertiesOnly() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            var proto = { inherited: 'p' };
            var input = Object.create(proto);
            var seen = [];
            Object.defineProperty(input, 'viaGetter', {
                get: function () { seen.push(this === input); return 'g'; }, enumerable: false,
            });
            input[0] = 'zero';
            input.plain = 'd';
            var s = Schema.object({ inherited: Schema.string(), viaGetter: Schema.string(), plain: Schema.string(),
                                    0: Schema.string(), toString: Schema.any(), missing: Schema.string().default('m') });
            var r = s.validate(input);
            return [JSON.stringify(r.value), seen.join(), r.valid];
            """)
        #expect(v == .array([.string(#"{"0":"zero","viaGetter":"g","plain":"d","missing":"m"}"#),
                             .string("true"), .bool(true)]))
    }

    // MARK: Shared list rules

    @Test func listRulesAreNeverSharedBackIntoTheReceiver() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            var base = Schema.string().valid('a', 'b');
            var one = base.custom(function (v) { return v === 'a' ? 'one says no' : undefined; });
            var two = base.custom(function (v) { return v === 'b' ? 'two says no' : undefined; });
            var both = one.custom(function () { return 'both ran'; });
            var narrowed = both.valid('c');
            var patterned = base.pattern(/^a$/);
            var patternedTwice = patterned.pattern('^b$');
            function errs(s, v) { return s.validate(v).errors.join('|'); }
            return [errs(base, 'a'), errs(one, 'a'), errs(one, 'b'), errs(two, 'a'), errs(two, 'b'),
                    errs(both, 'b'), errs(narrowed, 'a'), errs(narrowed, 'c'), errs(base, 'z'),
                    errs(patterned, 'b'), errs(patternedTwice, 'a'), errs(base.label('L'), 'z'),
                    errs(base.strip().required(), '')];
            """)
        #expect(v == .array([
            .string(""), .string("one says no"), .string(""), .string(""), .string("two says no"),
            .string("both ran"), .string("value must be one of c"), .string("both ran"),
            .string("value must be one of a, b"),
            .string("value fails to match the required pattern"),
            .string("value fails to match the required pattern"),
            .string("L must be one of a, b"), .string("value is required"),
        ]))
    }

    @Test func flagsCombineAndOptionalClearsOnlyRequired() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            var s = Schema.number().integer().positive().required().strip();
            var o = s.optional();
            var str = Schema.string().email().lowercase();
            return [s.validate(-1.5).errors.join('|'), JSON.stringify(Schema.object({ n: s }).validate({ n: 2 }).value),
                    s.validate(undefined).errors.join('|'), o.validate(undefined).valid,
                    JSON.stringify(Schema.object({ n: o }).validate({ n: 3 }).value), o.validate(0.5).errors.join('|'),
                    str.validate('Ab@x.io').errors.join('|'),
                    Schema.string().url().email().validate('nope').errors.join('|')];
            """)
        #expect(v == .array([
            .string("value must be an integer|value must be a positive number"), .string("{}"),
            .string("value is required"), .bool(true), .string("{}"),
            .string("value must be an integer"),
            .string("value must be lowercase"),
            .string("value must be a valid email|value must be a valid URL"),
        ]))
    }

    @Test func labelsAreKeptAsTheStringsGiven() throws {
        let h = try SchemaHarness(stressGC: true)
        let v = try h.value("""
            var s = Schema.array().items(Schema.number()).label('Scores ' + 'é');
            var junk = [];
            for (var i = 0; i < 100; i++) junk.push('x' + i);
            return [s.validate([1, 'x']).errors.join('|'),
                    Schema.number().label('n' + 1).custom(function (v, label) { return label + '!'; }).validate(1).errors.join('|')];
            """)
        #expect(v == .array([.string("Scores é[1] must be a number"), .string("n1!")]))
    }

    // MARK: The path buffer

    @Test func pathsStayRightAcrossNestedAndFailedValidations() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            var inner = Schema.object({ deep: Schema.number() });
            var outer = Schema.object({
                a: Schema.object({
                    b: Schema.string().custom(function (v) {
                        // A validation inside a validation: its own paths, and the outer ones intact.
                        var r = inner.validate({ deep: 'x' });
                        return r.errors[0] + ' / inner';
                    }),
                }),
                c: Schema.array().items(Schema.number()),
            });
            var first = outer.validate({ a: { b: 'ok' }, c: [1, 'no'] }).errors.join('|');
            var thrower = Schema.object({ x: Schema.object({ y: Schema.string().custom(function () { throw new Error('boom'); }) }) });
            var caught;
            try { thrower.validate({ x: { y: 's' } }); } catch (e) { caught = e.message; }
            var after = outer.validate({ a: { b: 5 }, c: ['z'] }).errors.join('|');
            var top = Schema.array().items(Schema.string()).validate([1]).errors.join('|');
            return [first, caught, after, top];
            """)
        #expect(v == .array([
            .string("deep must be a number / inner|c[1] must be a number"),
            .string("boom"),
            .string("a.b must be a string|c[0] must be a number"),
            .string("value[0] must be a string"),
        ]))
    }

    @Test func manyValidationsInOneRuntimeGiveTheSameResults() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            var s = Schema.object({
                weight: Schema.number().required().min(50).max(500),
                unit: Schema.string().valid('lbs', 'kg').default('lbs'),
                notes: Schema.string().max(500).default(''),
            });
            var out = [];
            for (var i = 0; i < 50; i++) {
                out.push(JSON.stringify(s.validate(i % 2 ? { weight: '182', unit: 'kg', notes: 'ok' } : { weight: 20, unit: 'st' })));
            }
            return [out[0], out[1], out.every(function (t, i) { return t === out[i % 2]; })];
            """)
        #expect(v == .array([
            .string(#"{"valid":false,"value":{"weight":20,"unit":"st","notes":""},"errors":["weight must be greater than or equal to 50","unit must be one of lbs, kg"]}"#),
            .string(#"{"valid":true,"value":{"weight":182,"unit":"kg","notes":"ok"},"errors":[]}"#),
            .bool(true),
        ]))
    }
}
