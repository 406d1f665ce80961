// `response.json(value)`: the response text is exactly what the engine's own JSON.stringify
// gives (byte for byte), "null" when that is undefined, and its errors are JSON.stringify's.

import SluiceCompiler
import SluiceVM
import Testing
@testable import SluiceHost

/// A runtime with the response bindings, running scripts as page bodies.
struct ResponseHarness {
    let crm: CRMHarness
    let context: PageContext
    let rt = Runtime()

    init() throws {
        crm = try CRMHarness()
        context = PageContext(storage: crm.storage, writeQueue: crm.queue)
        try ResponseBindings.install(into: rt, context: context)
    }

    /// Runs `source` (with the request's state reset first) and returns the JSON text the page
    /// answered with, or nil when it did not call `response.json`.
    func jsonAnswer(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
        context.state = PageState()
        let program = try Compiler.compile(source: source, name: "page.js", options: .functionBody)
        if case .failure(.uncaught(let e)) = rt.run(program, limits: .unlimited) {
            Issue.record("script failed: \(e)", sourceLocation: sourceLocation)
        }
        guard case .json(let text)? = context.state.terminal else { return nil }
        return text
    }

    /// A global the script set, copied out.
    func global(_ name: String) throws -> ScriptValue {
        rt.scriptValue(from: try rt.get(rt.globalObject, rt.key(name)))
    }

    /// Answers with `expression` and checks the text against `JSON.stringify(expression)` run
    /// just before (the expression is evaluated once).
    func expectSameAsStringify(_ expression: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let answer = try jsonAnswer("""
            var value = (\(expression));
            var text = JSON.stringify(value);
            globalThis.expected = text === undefined ? 'null' : text;
            response.json(value);
            """, sourceLocation: sourceLocation)
        guard case .string(let expected) = try global("expected") else {
            Issue.record("no expected text", sourceLocation: sourceLocation)
            return
        }
        #expect(answer == expected, "\(expression)", sourceLocation: sourceLocation)
        #expect(answer.map { Array($0.utf8) } == Array(expected.utf8), sourceLocation: sourceLocation)
    }
}

@Suite struct ResponseJSONTests {
    @Test func theCheckinAnswer() throws {
        let h = try ResponseHarness()
        #expect(try h.jsonAnswer("""
            var data = { weight: 182, unit: 'lbs', notes: 'ok' };
            response.json({ ok: true, data: data });
            """) == #"{"ok":true,"data":{"weight":182,"unit":"lbs","notes":"ok"}}"#)
    }

    @Test func textIsJSONStringifyByteForByte() throws {
        let h = try ResponseHarness()
        let expressions = [
            "{ ok: true, data: { weight: 182, unit: 'lbs', notes: 'ok' } }",
            // Numbers as Number::toString writes them; non-finite ones as null.
            "[0, -0, 1.5, -2.25, 1e21, 1e-7, 123456789012345680000, 0.1 + 0.2, 2 ** 53, NaN, Infinity, -Infinity]",
            // Escapes, non-ASCII text (2-, 3- and 4-byte UTF-8) and lone surrogates.
            #"'q\"b\\s/\n\r\t\b\f\u0001\u001f\u007f é € 😀 \ud800 x\udc00 \u2028'"#,
            "{ 'ü': 'ä', 'key \"q\"': 1, '\\n': 2 }",
            // Key order: integer keys ascending, then insertion order.
            "{ b: 1, a: 2, 10: 3, 2: 4, [Symbol('s')]: 5 }",
            "{ d: new Date(0), t: { toJSON: function (k) { return 'key=' + k; } }, n: { toJSON: function () { return undefined; } } }",
            "[{ toJSON: function (k) { return 'index=' + k; } }]",
            "{ u: undefined, f: function () {}, s: Symbol('x'), arr: [undefined, function () {}, Symbol('y')], nul: null }",
            "[new Number(3), new String('s'), new Boolean(false), Object(true)]",
            "{ get g() { return 5; }, h: [[], {}, [[{}]]] }",
            "Object.defineProperty({ shown: 1 }, 'hidden', { value: 2, enumerable: false })",
            "Object.assign(Object.create({ inherited: 1 }), { own: 2 })",
            "(function () { var o = { a: 1, b: 2, c: 3 }; delete o.b; o.d = 4; return o; })()",
            "(function () { var a = [1, 2, 3]; a[10] = 'x'; a.extra = 'not written'; return a; })()",
            "new Map([[1, 2]])",
            "'x'.repeat(5000) + 'é'",
            "Array.from({ length: 1000 }, function (_, i) { return { i: i, s: 'v' + i }; })",
            "'plain'", "42", "true", "null",
            "undefined", "function () {}", "Symbol('top')",
        ]
        for e in expressions { try h.expectSameAsStringify(e) }
    }

    @Test func topLevelUndefinedAnswersNull() throws {
        let h = try ResponseHarness()
        #expect(try h.jsonAnswer("response.json(undefined);") == "null")
        #expect(try h.jsonAnswer("response.json();") == "null")
        #expect(try h.jsonAnswer("response.json(function () {});") == "null")
    }

    @Test func aScriptCannotChangeTheSerializer() throws {
        let h = try ResponseHarness()
        #expect(try h.jsonAnswer("""
            JSON.stringify = function () { return '"forged"'; };
            response.json({ a: [1] });
            """) == #"{"a":[1]}"#)
        #expect(try h.jsonAnswer("""
            JSON = { stringify: function () { return 'no'; } };
            response.json('text');
            """) == #""text""#)
    }

    @Test func errorsAreJSONStringifysAndCatchable() throws {
        let h = try ResponseHarness()
        #expect(try h.jsonAnswer("""
            var expected;
            var a = { name: 'a' }; a.self = a;
            try { JSON.stringify(a); } catch (e) { expected = e.name + ': ' + e.message; }
            try { response.json(a); } catch (e) { globalThis.got = e.name + ': ' + e.message; }
            globalThis.expected = expected;
            """) == nil)
        #expect(try h.global("got") == .string("TypeError: Converting circular structure to JSON"))
        #expect(try h.global("expected") == h.global("got"))

        #expect(try h.jsonAnswer("""
            try { response.json({ toJSON: function () { throw new RangeError('from toJSON'); } }); }
            catch (e) { globalThis.got = e.name + ': ' + e.message; }
            """) == nil)
        #expect(try h.global("got") == .string("RangeError: from toJSON"))

    }

    @Test func aToJSONThatStringifiesAgainWorks() throws {
        let h = try ResponseHarness()
        #expect(try h.jsonAnswer("""
            var inner = { toJSON: function () { return JSON.stringify({ nested: [1, 'two'] }); } };
            response.json({ inner: inner, after: 'x'.repeat(300) });
            """) == #"{"inner":"{\"nested\":[1,\"two\"]}","after":""# + String(repeating: "x", count: 300) + #""}"#)
    }

    @Test func oneRuntimeAnswersManyRequests() throws {
        let h = try ResponseHarness()
        for i in 0..<20 {
            let big = i % 3 == 0 ? "'é'.repeat(\(i * 100))" : "\(i)"
            try h.expectSameAsStringify("{ i: \(i), big: \(big), list: [\(i), 'a\(i)'] }")
        }
    }

    @Test func deepNestingFailsLikeJSONStringify() throws {
        let h = try ResponseHarness()
        _ = try h.jsonAnswer("""
            var v = [];
            for (var i = 0; i < 100000; i++) v = [v];
            try { JSON.stringify(v); globalThis.expected = 'no error'; } catch (e) { globalThis.expected = e.name + ': ' + e.message; }
            try { response.json(v); globalThis.got = 'no error'; } catch (e) { globalThis.got = e.name + ': ' + e.message; }
            """)
        #expect(try h.global("got") == h.global("expected"))
        #expect(try h.global("got") == .string("RangeError: Maximum call stack size exceeded"))
    }

    /// The serializer runs one native frame below `response.json`, as the builtin did: in the
    /// frame below the deepest one, `response.json` may run but its serializer may not. (In the
    /// deepest frame even recording the failure exceeds the depth.)
    @Test func callDepthLimitIsTheBuiltinCalls() throws {
        let h = try ResponseHarness()
        let answer = try h.jsonAnswer("""
            globalThis.failures = [];
            function f(n) {
                try { f(n + 1); } catch (e) { }
                try { response.json({ n: n }); } catch (e) { failures.push([n, e.name + ': ' + e.message]); }
            }
            f(0);
            """)
        guard case .array(let failures) = try h.global("failures"), failures.count == 1,
              case .array(let failure) = failures[0], case .number(let n)? = failure.first else {
            Issue.record("unexpected failures: \(try h.global("failures"))")
            return
        }
        #expect(failure.last == .string("RangeError: Maximum call stack size exceeded"))
        #expect(answer == "{\"n\":\(Int(n) - 1)}")
    }
}
