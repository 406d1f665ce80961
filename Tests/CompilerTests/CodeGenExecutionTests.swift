import Testing
@testable import SluiceCompiler
import SluiceVM

// End-to-end tests: compile + run on the interpreter + compare with results computed by node.

enum CodeGenExecutionSupport {
    /// Runs `body` (a function body returning a value) and returns JSON.stringify of its result,
    /// or "Name: message" of an uncaught error.
    static func runJSON(_ body: String) throws -> String {
        try run("return JSON.stringify((function () {\n" + body + "\n})())")
    }

    /// Runs a program and returns its completion value as a string (or the uncaught error).
    static func run(_ src: String, _ options: CompileOptions = .functionBody) throws -> String {
        let p = try Compiler.compile(source: src, name: "exec.js", options: options)
        let rt = Runtime()
        switch rt.run(p) {
        case .success(let v): return (try? rt.toSwiftString(v)) ?? "?"
        case .failure(let e):
            if case .uncaught(let x) = e { return "\(x.name): \(x.message)" }
            return "\(e)"
        }
    }
}

private typealias X = CodeGenExecutionSupport

@Suite struct CodeGenExecutionTests {
    @Test func scriptModeGlobals() throws {
        let src = """
            var a = 1;
            function g() { return a + 1 }
            b = g();
            { function blk() { return 'blk' } }
            let lex = 5;
            var __result = [typeof a, globalThis.a, globalThis.b, typeof globalThis.g, globalThis.blk === blk,
              this === globalThis, globalThis.lex, delete globalThis.b, typeof b, lex].join();
            """
        let rt = Runtime()
        let p = try Compiler.compile(source: src, name: "s.js", options: .script)
        guard case .success = rt.run(p) else { Issue.record("run failed"); return }
        let q = try Compiler.compile(source: "return __result", name: "q.js")
        guard case .success(let v) = rt.run(q) else { Issue.record("run failed"); return }
        #expect(try rt.toSwiftString(v) == "number,1,2,function,true,true,,true,undefined,5")
    }

    /// for-in/of with let/const evaluate their expression with the loop's names in TDZ.
    @Test func forInOfHeadExpressionSeesTheLoopNamesUninitialised() throws {
        #expect(try X.runJSON("let x = 1; for (let x of [x]) {} return 'ran';") == "ReferenceError: Cannot access 'x' before initialization")
        #expect(try X.runJSON("let y = 1; for (const y in { a: y }) {} return 'ran';") == "ReferenceError: Cannot access 'y' before initialization")
        #expect(try X.runJSON("""
            let z = 'outside', probe, seen = [];
            for (let [z] of (probe = function () { return typeof z; }, [['inside']])) seen.push(z);
            try { probe(); } catch (e) { seen.push(e.name); }
            for (const v of [1, 2]) seen.push(v);
            return seen;
            """) == #"["inside","ReferenceError",1,2]"#)
    }

    /// `super[k]`: `this` is checked before the key is evaluated, and the key is converted where
    /// the value is read or written (after the right-hand side), never for `delete`.
    @Test func superPropertyKeyOrder() throws {
        #expect(try X.runJSON("""
            class Base { constructor() { throw new Error('base ran'); } }
            class Derived extends Base { constructor() { super[super()] = 0; } }
            try { new Derived(); } catch (e) { return e.name; }
            """) == #""ReferenceError""#)
        #expect(try X.runJSON("""
            var log = [];
            var key = { toString() { log.push('key'); return 'p'; } };
            class A { set p(v) { log.push('set ' + v); } }
            class B extends A { m() { super[key] = (log.push('rhs'), 1); } n() { try { delete super[key]; } catch (e) { log.push(e.name); } } }
            new B().m(); new B().n();
            var o = { __proto__: { q: 1 }, m() { super[key] += 1; return log.length; } };
            return log;
            """) == #"["rhs","key","set 1","ReferenceError"]"#)
    }

    /// A parenthesized optional chain called as a function keeps its base as `this`.
    @Test func parenthesizedOptionalChainCallKeepsThis() throws {
        #expect(try X.runJSON("""
            const a = { b() { return this.v; }, v: 7 }, n = null;
            var out = [(a?.b)(), (a?.b)?.(), (n?.b)?.()];
            try { (n?.b)(); } catch (e) { out.push(e.name); }
            return out;
            """) == #"[7,7,null,"TypeError"]"#)
    }

    @Test func functionBodyThisIsUndefined() throws {
        #expect(try X.run("return String(this)") == "undefined")
        #expect(try X.run("return (() => typeof this)()") == "undefined")
    }

    @Test func exportsAreStoredAsGlobals() throws {
        let rt = Runtime()
        let p = try Compiler.compile(source: "export const x = 41 + 1; export default 'd'; export { x as y }",
                                     name: "m.js", options: .functionBody)
        #expect(p.exports.count == 3)
        guard case .success = rt.run(p) else { Issue.record("run failed"); return }
        let q = try Compiler.compile(source: "return __export__x + __export__default + __export__y", name: "q.js")
        guard case .success(let v) = rt.run(q) else { Issue.record("run failed"); return }
        #expect(try rt.toSwiftString(v) == "42d42")
    }

    @Test func errorPositions() throws {
        let p = try Compiler.compile(source: "let a = 1;\nlet b = a.x.y;", name: "pos.js")
        let rt = Runtime()
        guard case .failure(.uncaught(let e)) = rt.run(p) else { Issue.record("expected an error"); return }
        #expect(e.name == "TypeError")
        #expect(e.line == 2)
    }

    @Test func deepRecursionInCodeGen() throws {
        let depth = 300
        let src = "return " + String(repeating: "(1 + ", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(try X.run(src) == String(depth + 1))
        let blocks = String(repeating: "{ let x = 1; ", count: 200) + "return x" + String(repeating: " }", count: 200)
        #expect(try X.run(blocks) == "1")
    }

    @Test func iteratorClosing() throws {
        let src = """
            const log = [];
            function it(n) { let i = 0; return { [Symbol.iterator]() { return this },
              next() { return i < n ? { value: i++, done: false } : { value: undefined, done: true } },
              return() { log.push('R'); return {} } } }
            for (const v of it(3)) { if (v === 1) break }
            for (const v of it(3)) { }
            const [a] = it(3);
            const [b, c, d, e] = it(3);
            try { for (const v of it(3)) { throw 0 } } catch (x) { log.push('C') }
            (function () { for (const v of it(3)) { return } })();
            return log.join('');
            """
        #expect(try X.run(src) == "RRRCR")
    }
}

