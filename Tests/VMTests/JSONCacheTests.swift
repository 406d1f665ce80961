import Foundation
import Testing
@testable import SluiceVM

/// Tests of what JSON.parse and JSON.stringify remember between calls (`JSONCache`: keys, short
/// strings, shape transitions, quoted keys, shapes without `toJSON`) and of the short-decimal path
/// of Number::toString. Scripts run with the collector in stress mode, so cached strings that were
/// not traced would be freed and read back as garbage.
@Suite struct JSONCacheTests {
    func run(_ source: String) async -> String? {
        await BuiltinsBTests().run(source)
    }

    @Test func parsedObjectsReuseShapesAndKeepJSONSemantics() async {
        #expect(await run("""
            for (var round = 0; round < 3; round++) {
              var a = JSON.parse('{"x":1,"y":"yes","x":3,"z":[1,"yes",{"x":"no"}]}');
              eq(Object.keys(a).join(), "x,y,z"); eq(a.x, 3); eq(a.y, "yes"); eq(a.z[2].x, "no");
              var b = JSON.parse('{"y":2,"x":1}');
              eq(Object.keys(b).join(), "y,x");
              var c = JSON.parse('{"b":1,"2":"two","a":3,"0":"zero"}');
              eq(Object.keys(c).join(), "0,2,b,a"); eq(c[2], "two");
              var d = JSON.parse('{"__proto__":{"p":1},"q":2}');
              eq(Object.getPrototypeOf(d), Object.prototype); eq(d.__proto__.p, 1);
              var text = "{";
              for (var i = 0; i < 200; i++) text += (i ? "," : "") + '"k' + i + '":' + i;
              var big = JSON.parse(text + ',"k7":"again"}');
              eq(Object.keys(big).length, 200); eq(big.k199, 199); eq(big.k7, "again");
              eq(JSON.stringify(big).length, JSON.stringify(JSON.parse(JSON.stringify(big))).length);
            }
            // Short string values come from the cache: equal contents, still usable strings after
            // many collections.
            var keep = [];
            for (var j = 0; j < 50; j++) keep.push(JSON.parse('["short-" , "short-' + (j % 5) + '"]')[1]);
            for (var j = 0; j < 50; j++) eq(keep[j], "short-" + (j % 5));
            eq(keep[0] + keep[5], "short-0short-0");
            """) == nil)
    }

    @Test func toJSONChangesAreSeenAfterShapesWereCached() async {
        #expect(await run("""
            var o = { a: 1, b: { c: [1, 2] } };
            eq(JSON.stringify(o), '{"a":1,"b":{"c":[1,2]}}');
            Object.prototype.toJSON = function (k) { return "P" + k; };
            eq(JSON.stringify(o), '"P"'); eq(JSON.stringify([o]), '"P"');
            delete Object.prototype.toJSON;
            eq(JSON.stringify(o), '{"a":1,"b":{"c":[1,2]}}');
            Array.prototype.toJSON = function () { return "arr"; };
            eq(JSON.stringify(o), '{"a":1,"b":{"c":"arr"}}');
            delete Array.prototype.toJSON;
            Object.defineProperty(Object.prototype, "toJSON", {
              get: function () { return function () { return "got"; }; }, configurable: true });
            eq(JSON.stringify({ a: 1 }), '"got"');
            delete Object.prototype.toJSON;
            var p = { a: 1 }; eq(JSON.stringify(p), '{"a":1}');
            p.toJSON = function () { return 7; }; eq(JSON.stringify(p), "7");
            var g = { a: 1 }; Object.defineProperty(g, "b", { get: function () { return 2; }, enumerable: true });
            eq(JSON.stringify(g), '{"a":1,"b":2}');
            var inner = { toJSON: function () { return JSON.stringify({ q: [1, "x"] }, null, 1); } };
            eq(JSON.stringify({ n: inner, a: "\\u2028" }), '{"n":"{\\\\n \\\\"q\\\\": [\\\\n  1,\\\\n  \\\\"x\\\\"\\\\n ]\\\\n}","a":"\\u2028"}');
            eq(JSON.stringify({ "k\\"ey": 1, "k\\"ey2": { "k\\"ey": 2 } }), '{"k\\\\"ey":1,"k\\\\"ey2":{"k\\\\"ey":2}}');
            """) == nil)
    }

    /// Number::toString for short decimals matches the shortest round-trip digits laid out by
    /// the spec's rules (computed here from `shortestDigits`, the general path).
    @Test func shortDecimalsFormatLikeTheGeneralPath() {
        func expected(_ d: Double) -> String {
            let (digits, n) = NumberConversion.shortestDigits(Swift.abs(d))
            let sign = d < 0 ? "-" : ""
            let k = digits.count
            if k <= n { return sign + digits + String(repeating: "0", count: n - k) }
            if n > 0 { return sign + String(digits.prefix(n)) + "." + String(digits.dropFirst(n)) }
            return sign + "0." + String(repeating: "0", count: -n) + digits
        }
        var values: [Double] = [0.1, 0.2, 0.1 + 0.2, 12.25, 40.5, -74.25, 1e-6, 1.5e-6, 0.000123, 99.99,
                                19.990000000000002, 123412341234.5678, 4.35, 999999999999999.9, 1125899906842623.5]
        var seed: UInt64 = 12345
        for _ in 0..<20_000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let m = Double(seed >> 20 % 1_000_000_007)
            let p = Int(seed % 16)
            values.append(m / pow(10, Double(p)))
            values.append(Double(seed >> 11) * 0x1p-53 * pow(10, Double(p) - 5))
        }
        for v in values where v >= 1e-6 && v < 1e21 && v != v.rounded(.towardZero) {
            #expect(NumberConversion.toString(v) == expected(v), "\(v)")
            #expect(NumberConversion.toString(-v) == expected(-v), "\(-v)")
        }
    }
}
