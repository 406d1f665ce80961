import Testing
@testable import SluiceVM
import SluiceCompiler

/// End-to-end tests of the Object/Array/Map/Set/… builtins with script callbacks, run with the
/// collector in stress mode (a collection at every safe point) to catch unrooted values.
@Suite struct BuiltinsAScriptTests {
    /// Runs `source` (global script code) with GC stress; returns the thrown error text, or nil.
    func run(_ source: String, stress: Bool = true) -> String? {
        let prelude = """
            function check(c, m) { if (!c) throw new Error("check failed: " + m); }
            function eq(a, b, m) { if (a !== b) throw new Error((m || "") + " expected " + String(b) + " got " + String(a)); }

            """
        let program: Program
        do {
            program = try Compiler.compile(source: prelude + source, name: "test.js", options: .script)
        } catch {
            return "SyntaxError: \(error)"
        }
        let rt = Runtime()
        rt.heap.stressMode = stress
        switch rt.run(program) {
        case .success: return nil
        case .failure(let e): return "\(e)"
        }
    }

    @Test func callbacksUnderGCStress() {
        #expect(run("""
            var a = [];
            for (var i = 0; i < 50; i++) a.push({ v: i, s: "x" + i });
            var m = a.map(function (o) { return { w: o.v * 2, t: o.s + "!" }; });
            eq(m[49].t, "x49!");
            var f = a.filter(function (o) { return o.v % 7 === 0; }).map(function (o) { return [o.s]; });
            eq(f.length, 8); eq(f[7][0], "x49");
            var r = a.reduce(function (acc, o) { return acc.concat([o.s]); }, []);
            eq(r.join("").length, 140);
            var sorted = a.slice().sort(function (p, q) { return { valueOf: function () { return q.v - p.v; } }; });
            eq(sorted[0].v, 49);
            var strs = a.map(function (o) { return { toString: function () { return "k" + (100 - o.v); } }; });
            strs.sort();
            eq(String(strs[0]), "k100");
            var flat = a.flatMap(function (o) { return [[o.v], { n: o.v }]; });
            eq(flat.length, 100);
            eq(Array.from({ length: 5 }, function (_, i) { return { i: i }; })[4].i, 4);
            var keys = Object.entries({ a: {}, b: [] });
            eq(keys[1][0], "b");
            var desc = {};
            Object.defineProperty(desc, "value", { get: function () { return { fresh: true }; }, enumerable: true });
            Object.defineProperty(desc, "writable", { get: function () { var junk = []; for (var i = 0; i < 10; i++) junk.push({}); return true; }, enumerable: true });
            var target = {};
            Object.defineProperty(target, "p", desc);
            eq(target.p.fresh, true);
            var g = Object.groupBy(a, function (o) { return o.v % 2 ? "odd" : "even"; });
            eq(g.odd.length, 25);
            """) == nil)
    }

    @Test func mapSetUnderGCStress() {
        #expect(run("""
            var m = new Map();
            for (var i = 0; i < 100; i++) m.set({ k: i }, "v" + i);
            var n = 0;
            m.forEach(function (v, k, map) { if (k.k % 2) map.delete(k); n++; });
            eq(n, 100); eq(m.size, 50);
            var s = new Set(["a", "b", "a", { }]);
            eq(s.size, 3);
            var out = [];
            for (var [k, v] of m) { out.push(v); if (out.length === 2) m.clear(); }
            eq(out.length, 2);
            m.set(-0, "z");
            eq(m.get(0), "z");
            eq(Object.is([...m.keys()][0], 0), true);
            var grouped = Map.groupBy([1, 2, 3, 4], function (x) { return x % 2 ? "o" : "e"; });
            eq(grouped.get("o").join(), "1,3");
            """) == nil)
    }

    @Test func arrayLanguageInterplay() {
        #expect(run("""
            class MyArray extends Array {}
            var ma = new MyArray(1, 2, 3);
            check(ma.map(function (x) { return x; }) instanceof MyArray, "species map");
            check(ma.filter(function () { return true; }) instanceof MyArray, "species filter");
            eq(MyArray.from([1, 2]).constructor, MyArray);
            eq([1, [2, [3, [4]]]].flat(Infinity).join(), "1,2,3,4");
            eq([3, 1, 2].toSorted().join(), "1,2,3");
            eq([1, 2, 3].toSpliced(1, 1, "x", "y").join(), "1,x,y,3");
            eq([1, 2, 3].with(-1, 9).join(), "1,2,9");
            eq([1, 2, 3].at(-1), 3);
            eq([1, 2, 3].findLastIndex(function (x) { return x < 3; }), 1);
            eq([, 1].includes(undefined), true);
            eq([, 1].indexOf(undefined), -1);
            var arr = [1, 2, 3, 4, 5];
            eq(arr.copyWithin(0, 3).join(), "4,5,3,4,5");
            eq([1, 2, 3].fill(0, 1).join(), "1,0,0");
            eq(Array.prototype.concat.call(1, 2).length, 2);
            eq(String([1, [2, 3], null, undefined]), "1,2,3,,");
            eq([..."a\\uD83D\\uDE00b"].length, 3);
            var it = [1, 2][Symbol.iterator]();
            eq(Object.prototype.toString.call(it), "[object Array Iterator]");
            eq(Object.getPrototypeOf(Object.getPrototypeOf(it))[Symbol.iterator].call(it), it);
            function f(a, b) { return this.x + a + b; }
            var b = f.bind({ x: 1 }, 2);
            eq(b(3), 6); eq(b.name, "bound f"); eq(b.length, 1);
            eq(f.apply({ x: 1 }, [1, 1]), 3);
            check(new b(1) instanceof f, "bound construct");
            eq(typeof Function.prototype.toString.call(f), "string");
            eq(Object.prototype.toString.call(null), "[object Null]");
            eq(Object.prototype.toString.call(function () {}), "[object Function]");
            var o = Object.create({ inherited: 1 }, { own: { value: 2, enumerable: true } });
            eq(Object.keys(o).join(), "own");
            eq(o.inherited, 1);
            check(Object.isFrozen(Object.freeze({ a: 1 })), "frozen");
            eq(Symbol("d").description, "d");
            eq(Symbol.for("q"), Symbol.for("q"));
            eq(parseInt("08"), 8); eq(parseFloat("1e3"), 1000);
            eq(encodeURIComponent("a b"), "a%20b");
            eq(decodeURI("%41%2f"), "A%2f");
            eq(new Boolean(false).valueOf(), false);
            """) == nil)
    }

    @Test func budgetsApply() {
        let program = try! Compiler.compile(source: """
            var a = new Array(5000000); a.fill(1); a.join("-");
            """, name: "b.js", options: .script)
        let rt = Runtime()
        var limits = Limits.unlimited
        limits.heapBytes = 4 << 20
        switch rt.run(program, limits: limits) {
        case .failure(.budgetExceeded(.memory)): break
        default: Issue.record("expected a memory budget failure")
        }
        let loop = try! Compiler.compile(source: "var a = []; a.length = 100000000; a.find(function (x) { return x === 1; });", name: "c.js", options: .script)
        var l2 = Limits.unlimited
        l2.instructions = 1_000_000
        switch rt.run(loop, limits: l2) {
        case .failure(.budgetExceeded(.instructions)): break
        default: Issue.record("expected an instruction budget failure")
        }
    }
}
