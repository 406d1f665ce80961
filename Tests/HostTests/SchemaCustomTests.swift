// .custom(fn): arguments, messages, when it runs, exceptions, garbage collection and budgets.

import SluiceVM
import Testing
@testable import SluiceHost

@Suite struct SchemaCustomTests {
    @Test func receivesTheCoercedValueAndTheLabelAndReturnsTheMessage() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            var seen = [];
            var s = Schema.object({
              weight: Schema.number().custom(function (v, label) { seen.push([typeof v, v, label]); }),
              when: Schema.string().label('Date').custom(function (v, label) {
                if (isNaN(Date.parse(v))) return label + ' must be a valid date';
              })
            });
            var r = s.validate({ weight: '182', when: 'not a date' });
            return [seen, r.errors, s.validate({ when: '2024-05-01' }).valid];
            """)
        #expect(v == .array([.array([.array([.string("number"), .number(182), .string("weight")])]),
                             .array([.string("Date must be a valid date")]), .bool(true)]))
    }

    @Test func passwordRuleFromTheDocs() throws {
        let schema = """
            Schema.object({ password: Schema.string().required().min(8).custom(function (v) {
              if (!/[A-Z]/.test(v) || !/[0-9]/.test(v)) return 'Password needs an upper-case letter and a digit';
            }) })
            """
        #expect(try validate(schema, "{ password: 'Secret123' }").valid)
        #expect(try validate(schema, "{ password: 'secretpass' }").errors == ["Password needs an upper-case letter and a digit"])
        // Earlier rules failed: custom does not run, so only the min message appears.
        #expect(try validate(schema, "{ password: 'short' }").errors == ["password must be at least 8 characters"])
    }

    @Test func falseIsAFailureAndOtherAnswersPass() throws {
        #expect(try validate("Schema.number().custom(function () { return false; })", "1").errors == ["value is invalid"])
        for answer in ["undefined", "null", "true", "''", "0", "{}"] {
            #expect(try validate("Schema.number().custom(function () { return \(answer); })", "1").valid, "\(answer)")
        }
    }

    @Test func doesNotRunForMissingValuesOrWrongTypes() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            var calls = 0;
            var s = Schema.number().custom(function () { calls++; });
            s.validate(undefined); s.validate(null); s.validate(''); s.validate('abc');
            Schema.number().default(5).custom(function () { calls++; }).validate(undefined);
            return calls;
            """)
        #expect(v == .number(0))
    }

    @Test func severalChecksRunInOrderUntilOneFails() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            var order = [];
            var s = Schema.string()
              .custom(function (v) { order.push(1); })
              .custom(function (v) { order.push(2); return 'second failed'; })
              .custom(function (v) { order.push(3); return 'third failed'; });
            return [s.validate('x').errors, order];
            """)
        #expect(v == .array([.array([.string("second failed")]), .array([.number(1), .number(2)])]))
    }

    @Test func objectCustomSeesTheSanitisedObjectOnlyWhenChildrenPassed() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            var s = Schema.object({ password: Schema.string().min(3), confirm: Schema.string() })
              .custom(function (o) {
                if (o.password !== o.confirm) return 'passwords do not match';
              });
            return [s.validate({ password: 'abcd', confirm: 'abce' }).errors,
                    s.validate({ password: 'ab', confirm: 'abce' }).errors,
                    s.validate({ password: 'abcd', confirm: 'abcd' }).valid];
            """)
        #expect(v == .array([.array([.string("passwords do not match")]),
                             .array([.string("password must be at least 3 characters")]), .bool(true)]))
    }

    @Test func customMutatingItsArgumentDoesNotTouchTheInput() throws {
        let h = try SchemaHarness()
        let v = try h.value("""
            var input = { list: [1, 2] };
            var r = Schema.object({ list: Schema.array().custom(function (a) { a.push(3); }) }).validate(input);
            return [input.list.length, r.value.list.length];
            """)
        #expect(v == .array([.number(2), .number(3)]))
    }

    @Test func anExceptionInCustomPropagates() throws {
        let h = try SchemaHarness()
        let e = try h.exception("""
            Schema.string().custom(function () { throw new RangeError('boom'); }).validate('x');
            """)
        #expect(e?.name == "RangeError")
        #expect(e?.message == "boom")
        let caught = try h.value("""
            try { Schema.string().custom(function () { null.x; }).validate('x'); return 'no'; }
            catch (err) { return err instanceof TypeError; }
            """)
        #expect(caught == .bool(true))
    }

    @Test func valuesHeldAcrossCustomCallsSurviveCollection() throws {
        let h = try SchemaHarness(stressGC: true)
        let v = try h.value("""
            var input = { a: { x: '1' }, b: [{ y: 'two' }, { y: 'three' }], c: 'c' };
            var s = Schema.object({
              a: Schema.object({ x: Schema.number().custom(function () {
                   delete input.a;                 // only the validator still holds the object being walked
                   var g = []; for (var i = 0; i < 50; i++) g.push({ i: i }); }) }),
              b: Schema.array().items(Schema.object({ y: Schema.string().custom(function (v) {
                   delete input.b;
                   var g = []; for (var i = 0; i < 50; i++) g.push([i]);
                   return v.length > 3 ? v + ' is too long' : undefined; }) })),
              c: Schema.string().custom(function () { var g = []; for (var i = 0; i < 50; i++) g.push('' + i); })
            });
            var r = s.validate(input);
            return [r.value, r.errors];
            """)
        #expect(v == .array([
            obj(["a": obj(["x": .number(1)]), "b": .array([obj(["y": .string("two")]), obj(["y": .string("three")])]),
                 "c": .string("c")]),
            .array([.string("three is too long")]),
        ]))
        #expect(h.rt.heap.collectionCount > 0)
    }

    @Test func aRunawayCustomCheckIsStoppedByTheInstructionBudget() throws {
        let h = try SchemaHarness()
        let outcome = try h.run("Schema.string().custom(function () { for (;;) {} }).validate('x');",
                                limits: Limits(instructions: 200_000))
        guard case .failure(.budgetExceeded(.instructions)) = outcome else {
            Issue.record("expected the instruction budget to end the run, got \(outcome)")
            return
        }
    }

    @Test func validationWorkIsChargedToTheBudget() throws {
        let h = try SchemaHarness()
        let source = """
            var big = []; for (var i = 0; i < 2000; i++) big.push({ n: '' + i, pad: 'x' });
            var s = Schema.array().items(Schema.object({ n: Schema.number() }));
            var t = 0; for (var k = 0; k < 50; k++) t += s.validate(big).value.length;
            return t;
            """
        // The build-up and the loop alone fit the budget; fifty validations of 2,000 objects do not.
        guard case .failure(.budgetExceeded(.instructions)) = try h.run(source, limits: Limits(instructions: 300_000)) else {
            Issue.record("expected validation work to exhaust the instruction budget")
            return
        }
        let ok = try h.run("""
            var big = []; for (var i = 0; i < 2000; i++) big.push({ n: '' + i, pad: 'x' });
            var s = Schema.array().items(Schema.object({ n: Schema.number() }));
            var t = 0; for (var k = 0; k < 50; k++) t += s.validate([]).value.length;
            return big.length + t;
            """, limits: Limits(instructions: 300_000))
        #expect((try? ok.get()) == .number(2000))
    }

    @Test func bigOutputsAreChargedToTheHeapBudget() throws {
        let h = try SchemaHarness()
        let outcome = try h.run("""
            var big = []; for (var i = 0; i < 2000; i++) big.push({ a: i, b: [i, i], c: 'x' });
            var keep = [];
            for (var k = 0; k < 500; k++) keep.push(Schema.any().validate(big).value);
            return keep.length;
            """, limits: Limits(heapBytes: 4 << 20))
        guard case .failure(.budgetExceeded(.memory)) = outcome else {
            Issue.record("expected the heap budget to end the run, got \(outcome)")
            return
        }
    }
}
