import Foundation
import Testing
@testable import SluiceVM
import SluiceCompiler

/// Tests of the String, Number, Math, JSON and Date builtins: end-to-end scripts run with the
/// collector in stress mode (a collection at every safe point, to catch unrooted values), and
/// Swift-driven checks of the exact number formatting.
@Suite struct BuiltinsBTests {
    /// Runs `source` (global script code) on a thread with a big stack (debug builds recurse deeply);
    /// returns the error text, or nil on success.
    func run(_ source: String, stress: Bool = true, limits: Limits = .unlimited) async -> String? {
        await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let thread = Thread {
                let r = BuiltinsBTests.runNow(source, stress: stress, limits: limits)
                if let r, limits.heapBytes == nil { print("BuiltinsBTests script failed: \(r)") }
                continuation.resume(returning: r)
            }
            thread.stackSize = 64 << 20
            thread.start()
        }
    }

    static func runNow(_ source: String, stress: Bool, limits: Limits) -> String? {
        let prelude = """
            function eq(a, b, m) {
              if (a !== b && !(a !== a && b !== b)) throw new Error((m || "") + " expected " + String(b) + " got " + String(a));
              if (a === 0 && b === 0 && 1 / a !== 1 / b) throw new Error((m || "") + " sign of zero");
            }
            function throws(C, f, m) {
              try { f(); } catch (e) { if (!(e instanceof C)) throw new Error((m || "") + " wrong error " + e); return; }
              throw new Error((m || "") + " did not throw");
            }

            """
        let program: Program
        do {
            program = try Compiler.compile(source: prelude + source, name: "test.js", options: .script)
        } catch {
            return "SyntaxError: \(error)"
        }
        let rt = Runtime()
        rt.heap.stressMode = stress
        switch rt.run(program, limits: limits) {
        case .success: return nil
        case .failure(let e): return "\(e)"
        }
    }

    // MARK: Error stacks

    /// `stack` is formatted when first read: the header shows the error's name and message then,
    /// reading it leaves an own property, assigning replaces it, and a frozen error keeps it.
    @Test func errorStacksAreFormattedWhenRead() async {
        #expect(await run("""
            function thrower() { null.x; }
            var caught; try { thrower(); } catch (e) { caught = e; }
            eq(caught.stack.split("\\n")[0], "TypeError: Cannot read properties of null (reading 'x')");
            eq(caught.stack.split("\\n")[1].indexOf("at thrower ("), 4);
            eq(caught.hasOwnProperty("stack"), true);
            var late = new RangeError("first"); late.message = "second";
            eq(late.stack.split("\\n")[0], "RangeError: second");
            var set = new Error("x"); set.stack = "custom"; eq(set.stack, "custom");
            var frozen = Object.freeze(new Error("f"));
            eq(frozen.stack.split("\\n")[0], "Error: f"); eq(frozen.stack.split("\\n")[0], "Error: f");
            eq(typeof Object.getOwnPropertyDescriptor(Error.prototype, "stack").get, "function");
            """) == nil)
    }

    // MARK: String

    @Test func stringMethods() async {
        #expect(await run("""
            eq("hello world".slice(-5), "world"); eq("hello".slice(1, -1), "ell");
            eq("hello".substring(4, 1), "ell"); eq("hello".substr(-3, 2), "ll");
            eq("hello".indexOf("l"), 2); eq("hello".indexOf("", 10), 5); eq("canal".lastIndexOf("a"), 3);
            eq("canal".lastIndexOf("a", 0), -1); eq("abc".at(-1), "c"); eq("abc".at(5), undefined);
            eq("abc".charAt(1), "b"); eq("abc".charCodeAt(9) !== "abc".charCodeAt(9), true);
            eq("😀".codePointAt(0), 0x1F600); eq("😀".codePointAt(1), 0xDE00);
            eq("a".concat(1, null, undefined), "a1nullundefined");
            eq("5".padStart(3, "0"), "005"); eq("abc".padEnd(10, "123"), "abc1231231"); eq("x".padEnd(5, ""), "x");
            eq("ab".repeat(3), "ababab"); throws(RangeError, function () { "ab".repeat(-1); });
            throws(RangeError, function () { "ab".repeat(Infinity); }); eq("".repeat(1e9), "");
            eq("hello".startsWith("ell", 1), true); eq("hello".endsWith("ell", 4), true); eq("hello".includes("lo"), true);
            throws(TypeError, function () { "a".startsWith(/a/); });
            var re = /a/; re[Symbol.match] = false; eq("/a/".startsWith(re), true);
            eq("\\uFEFF\\u2028 ab \\n".trim(), "ab"); eq(" a ".trimStart(), "a "); eq(" a ".trimEnd(), " a");
            eq(String.prototype.trimLeft, String.prototype.trimStart);
            throws(TypeError, function () { String.prototype.trim.call(null); });
            throws(TypeError, function () { String.prototype.at.call(undefined); });
            eq(String.fromCharCode(65, 66 + 65536), "AB"); eq(String.fromCodePoint(0x1F600), "😀");
            throws(RangeError, function () { String.fromCodePoint(1.5); });
            eq(String.raw({ raw: ["a", "b", "c"] }, 1, 2, 3), "a1b2c");
            eq(String(Symbol("x")), "Symbol(x)"); throws(TypeError, function () { new String(Symbol()); });
            var w = new String("ab"); eq(typeof w, "object"); eq(w.length, 2); eq(w[1], "b");
            eq("a\\uD800".toWellFormed(), "a\\uFFFD"); eq("a\\uD800".isWellFormed(), false);
            eq("a\\uD83D\\uDE00".isWellFormed(), true);
            eq("x".anchor('a"b'), '<a name="a&quot;b">x</a>');
            """) == nil)
    }

    @Test func stringCaseMappingAndNormalization() async {
        #expect(await run("""
            eq("straße".toUpperCase(), "STRASSE"); eq("ΑΣ ΣΑ Σ".toLowerCase(), "ας σα σ");
            eq("A\\u180E\\u03A3\\u180E".toLowerCase(), "a\\u180E\\u03C2\\u180E");
            eq("İ".toLowerCase(), "i\\u0307"); eq("ŉ".toUpperCase(), "ʼN"); eq("abc".toUpperCase(), "ABC");
            eq("\\uD801\\uDC00".toLowerCase(), "\\uD801\\uDC28"); eq("a\\uD800".toUpperCase(), "A\\uD800");
            var s = "\\u00C5\\u2ADC\\u0958\\u2126\\u0344";
            eq(s.normalize(), "\\xC5\\u2ADD\\u0338\\u0915\\u093C\\u03A9\\u0308\\u0301");
            eq(s.normalize("NFD"), "A\\u030A\\u2ADD\\u0338\\u0915\\u093C\\u03A9\\u0308\\u0301");
            eq("\\uFB01".normalize("NFKC"), "fi"); eq("\\u00BD".normalize("NFKD"), "1\\u20442");
            eq("e\\u0301".normalize("NFC"), "\\u00E9"); eq("a\\uD800\\u0301".normalize("NFC"), "a\\uD800\\u0301");
            throws(RangeError, function () { "a".normalize("nfc"); });
            eq("a".localeCompare("b") < 0, true); eq("o\\u0308".localeCompare("ö"), 0);
            eq("a".localeCompare("A") < 0, true); eq("a".localeCompare("B") < 0, true);
            """) == nil)
    }

    @Test func stringArgumentCoercionRootsValues() async {
        // Receivers and arguments converted by script code must survive collections in later conversions.
        #expect(await run("""
            var o = { toString: function () { return "abc" + "def"; } };
            var p = { valueOf: function () { var junk = []; for (var i = 0; i < 20; i++) junk.push({ i: i }); return 1; } };
            eq(String.prototype.slice.call(o, p), "bcdef");
            eq(String.prototype.indexOf.call(o, { toString: function () { return "d" + "e"; } }, p), 3);
            eq(String.prototype.padStart.call(o, { valueOf: function () { return 8; } }, { toString: function () { return "x" + "y"; } }), "xyabcdef");
            eq("a".concat(o, { toString: function () { return "z" + "z"; } }, o), "aabcdefzzabcdef");
            """) == nil)
    }

    @Test func repeatChecksTheHeapBudget() async {
        let r = await run("'x'.repeat(2 ** 28);", stress: false, limits: Limits(heapBytes: 8 << 20))
        #expect(r == "budget exceeded: memory")
    }

    // MARK: Number and Math

    @Test func numberFormatting() {
        #expect(NumberConversion.toFixed(1.005, fractionDigits: 2) == "1.00")
        #expect(NumberConversion.toFixed(0.5, fractionDigits: 0) == "1")
        #expect(NumberConversion.toFixed(-1.5, fractionDigits: 0) == "-2")
        #expect(NumberConversion.toFixed(0.1, fractionDigits: 20) == "0.10000000000000000555")
        #expect(NumberConversion.toFixed(1000000000000000128, fractionDigits: 0) == "1000000000000000128")
        #expect(NumberConversion.toPrecision(0.000001, precision: 2) == "0.0000010")
        #expect(NumberConversion.toPrecision(99.99, precision: 3) == "100")
        #expect(NumberConversion.toPrecision(123, precision: 2) == "1.2e+2")
        #expect(NumberConversion.toExponential(123456, fractionDigits: 2) == "1.23e+5")
        #expect(NumberConversion.toExponential(123456, fractionDigits: nil) == "1.23456e+5")
        #expect(NumberConversion.toExponential(0, fractionDigits: nil) == "0e+0")
        #expect(NumberConversion.toString(255, radix: 16) == "ff")
        #expect(NumberConversion.toString(-255.5, radix: 16) == "-ff.8")
        #expect(NumberConversion.toString(3.14159, radix: 8) == "3.11037476006703156")
        #expect(NumberConversion.toString(1.2345e-7) == "1.2345e-7")
        #expect(NumberConversion.toString(1e21) == "1e+21")
        #expect(NumberConversion.toString(123456789012345680000) == "123456789012345680000")
        #expect(NumberConversion.toString(0.000001) == "0.000001")
        #expect(NumberConversion.toString(-5e-324) == "-5e-324")
        var buf = ContiguousArray<UInt16>()
        NumberConversion.append(-12.5, to: &buf)
        NumberConversion.append(1e300, to: &buf)
        #expect(String(decoding: buf, as: UTF16.self) == "-12.51e+300")
    }

    @Test func numberAndMathScripts() async {
        #expect(await run("""
            eq((1.005).toFixed(2), "1.00"); eq((1e21).toFixed(2), "1e+21"); eq((0.000001).toPrecision(2), "0.0000010");
            throws(RangeError, function () { (1).toFixed(101); }); throws(RangeError, function () { (1).toString(37); });
            throws(TypeError, function () { Number.prototype.toFixed.call("1", 1); });
            eq((255).toString(16), "ff"); eq(new Number(5).toString(2), "101");
            eq(Number("  0x1F  "), 31); eq(Number(""), 0); eq(Number("1_0"), NaN); eq(Number(" 1e3 "), 1000);
            eq(Number.parseFloat, parseFloat); eq(Number.parseInt, parseInt);
            eq(Number.isInteger(5), true); eq(Number.isSafeInteger(2 ** 53), false); eq(Number.isNaN("x"), false);
            eq(Math.round(-0.5), -0); eq(Math.round(0.49999999999999994), 0); eq(Math.round(2.5), 3); eq(Math.round(-2.5), -2);
            eq(Math.max(0, -0), 0); eq(Math.min(0, -0), -0); eq(Math.max(), -Infinity); eq(Math.max(1, NaN, 3), NaN);
            var order = []; Math.max({ valueOf: function () { order.push(1); return NaN; } }, { valueOf: function () { order.push(2); return 1; } });
            eq(order.join(), "1,2");
            eq(Math.hypot(3, 4), 5); eq(Math.hypot(NaN, Infinity), Infinity); eq(Math.hypot(), 0);
            eq(Math.cbrt(27), 3); eq(Math.clz32(1), 31); eq(Math.imul(0xffffffff, 5), -5); eq(Math.sign(-0), -0);
            eq(Math.pow(1, Infinity), NaN); eq(Math.fround(5.5), 5.5); eq(Math.trunc(-0.5), -0); eq(Math.ceil(-0.5), -0);
            var r = Math.random(); eq(r >= 0 && r < 1, true);
            eq(Object.prototype.toString.call(Math), "[object Math]");
            """) == nil)
    }

    // MARK: JSON

    @Test func jsonParse() async {
        #expect(await run("""
            var v = JSON.parse('{"a":1,"b":[1,2,{"c":null}],"d":"x\\\\ny\\\\u0041","e":true,"f":-0.5e-3}');
            eq(v.b[2].c, null); eq(v.d, "x\\nyA"); eq(v.f, -0.0005);
            eq(JSON.parse("-0"), -0); eq(JSON.parse("1e400"), Infinity); eq(JSON.parse(" [ ] ").length, 0);
            eq(JSON.parse('{"__proto__":1}').__proto__, 1); eq(JSON.parse('{"a":1,"a":2}').a, 2);
            ["{a:1}", "[1,]", "01", "1.", "\\"\\\\x\\"", "", "[", '{"a" 1}', '"\\t"', "tru", "1 2", "\\u00a01"].forEach(function (t) {
              throws(SyntaxError, function () { JSON.parse(t); }, t);
            });
            var deep = "[".repeat(20000) + "]".repeat(20000);
            eq(JSON.parse(deep).length, 1);
            var log = [];
            var r = JSON.parse('{"a":1,"b":{"c":[1,2]},"d":4}', function (k, x) {
              log.push(k);
              if (k === "d") return undefined;
              return typeof x === "number" ? x * 10 : x;
            });
            eq(log.join(), "a,0,1,c,b,d,"); eq(r.a, 10); eq(r.b.c[1], 20); eq("d" in r, false);
            var r2 = JSON.parse('[{"k":"v"}]', function (k, x) { return typeof x === "string" ? { fresh: x + "!" } : x; });
            eq(r2[0].k.fresh, "v!");
            """) == nil)
    }

    @Test func jsonStringify() async {
        #expect(await run("""
            eq(JSON.stringify({ a: [1, "x", null], b: undefined, c: function () {} }), '{"a":[1,"x",null]}');
            eq(JSON.stringify([undefined, function () {}, Symbol()]), "[null,null,null]");
            eq(JSON.stringify(undefined), undefined); eq(JSON.stringify("\\u2028\\ud800"), '"\\u2028\\\\ud800"');
            eq(JSON.stringify("\\u0000\\u001f\\"\\\\"), '"\\\\u0000\\\\u001f\\\\"\\\\\\\\"');
            eq(JSON.stringify({ a: [1, {}], b: {} }, null, 2), '{\\n  "a": [\\n    1,\\n    {}\\n  ],\\n  "b": {}\\n}');
            eq(JSON.stringify([1], null, "abcdefghijklmnop"), '[\\nabcdefghij1\\n]');
            eq(JSON.stringify([new Number(1), new String("s"), new Boolean(false)]), '[1,"s",false]');
            eq(JSON.stringify({ 1: 1, 0: 0, b: 2, a: 1 }), '{"0":0,"1":1,"b":2,"a":1}');
            eq(JSON.stringify({ a: 1, b: 2, c: 3 }, ["c", "a", "c"]), '{"c":3,"a":1}');
            eq(JSON.stringify({ a: 1, b: "x" }, function (k, v) { return k === "a" ? { n: v + 1 } : v; }), '{"a":{"n":2},"b":"x"}');
            eq(JSON.stringify({ d: new Date(0) }), '{"d":"1970-01-01T00:00:00.000Z"}');
            eq(JSON.stringify({ toJSON: function (k) { return { made: "for " + k }; } }), '{"made":"for "}');
            eq(JSON.stringify([-0, NaN, Infinity, 1e21, 0.1]), "[0,null,null,1e+21,0.1]");
            var a = []; a.push(a); throws(TypeError, function () { JSON.stringify(a); });
            var o = {}; o.x = { y: o };
            try { JSON.stringify(o); throw new Error("no throw"); } catch (e) { eq(e.message, "Converting circular structure to JSON"); }
            var x = { a: 1 }; eq(JSON.stringify([x, x]), '[{"a":1},{"a":1}]');
            var m = { a: 1, b: { toJSON: function () { delete m.c; return 2; } }, c: 3 };
            eq(JSON.stringify(m), '{"a":1,"b":2}');
            eq(JSON.stringify({ get g() { return [1]; } }), '{"g":[1]}');
            Object.prototype.toJSON = function (k) { return "k" + k; };
            eq(JSON.stringify({ a: { b: 1 } }), '"k"');
            delete Object.prototype.toJSON;
            """) == nil)
    }

    // MARK: Date

    @Test func dates() async {
        #expect(await run("""
            eq(Date.UTC(2024, 2, 5, 14, 3), 1709647380000); eq(Date.UTC(2024), 1704067200000); eq(Date.UTC(), NaN);
            eq(Date.parse("2024-03-05T14:03:00.000Z"), 1709647380000); eq(Date.parse("1970-01-01"), 0);
            eq(Date.parse("1970-01-01T00:00:00"), 0); eq(Date.parse("+275760-09-13T00:00:00.000Z"), 8.64e15);
            eq(Date.parse("-271821-04-19T23:59:59.999Z"), NaN); eq(Date.parse("-000000-01-01T00:00:00Z"), NaN);
            eq(Date.parse("Tue Mar 05 2024 14:03:00 GMT+0000 (Coordinated Universal Time)"), 1709647380000);
            eq(Date.parse("Tue, 05 Mar 2024 14:03:00 GMT"), 1709647380000); eq(Date.parse("garbage"), NaN);
            var d = new Date(1709647380000);
            eq(d.toString(), "Tue Mar 05 2024 14:03:00 GMT+0000 (Coordinated Universal Time)");
            eq(d.toISOString(), "2024-03-05T14:03:00.000Z"); eq(d.toUTCString(), "Tue, 05 Mar 2024 14:03:00 GMT");
            eq(d.toDateString(), "Tue Mar 05 2024"); eq(d.getDay(), 2); eq(d.getTimezoneOffset(), 0);
            eq(new Date(-8.64e15).toISOString(), "-271821-04-20T00:00:00.000Z");
            eq(new Date(8.64e15).toISOString(), "+275760-09-13T00:00:00.000Z");
            throws(RangeError, function () { new Date(NaN).toISOString(); });
            eq(String(new Date(NaN)), "Invalid Date"); eq(new Date(8.64e15 + 1).getTime(), NaN);
            eq(new Date(2024, 0, 31).getTime(), 1706659200000); eq(new Date(99, 0).getFullYear(), 1999);
            eq(d.setMonth(0, 31), 1706709780000); eq(d.getMonth(), 0);
            var nd = new Date(NaN); eq(nd.setFullYear(2000), 946684800000);
            var order = [];
            var dd = new Date(0);
            dd.setHours({ valueOf: function () { order.push("h"); return 1; } }, { valueOf: function () { order.push("m"); return 2; } });
            eq(order.join(), "h,m"); eq(dd.getTime(), 3720000);
            eq(typeof Date(), "string"); eq(new Date(0) + 1, "Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)1");
            eq(new Date(5) - 1, 4); eq(JSON.stringify(new Date(NaN)), "null");
            throws(TypeError, function () { Date.prototype.getTime.call({}); });
            throws(TypeError, function () { new Date(0)[Symbol.toPrimitive]("bogus"); });
            eq(Date.prototype.toGMTString, Date.prototype.toUTCString);
            eq(new Date(new Date(7)).getTime(), 7);
            """) == nil)
    }
}
