import SluiceCompiler
import SluiceVM
import Testing

/// `recordPristineState`/`isPristine`: a runtime may serve another run only if the last run
/// changed no builtin and added no global.
@Suite struct RuntimeReuseTests {
    func freshRuntime() throws -> Runtime {
        let rt = Runtime()
        try rt.defineReadOnlyGlobal("request", .object([ScriptProperty("path", .string("/"))]))
        rt.recordPristineState(replaceableGlobals: ["request"])
        return rt
    }

    func run(_ rt: Runtime, _ source: String) throws {
        let program = try Compiler.compile(source: source, name: "reuse.js", options: .functionBody)
        _ = rt.run(program)
    }

    @Test func benignScriptsKeepTheRuntimePristine() throws {
        let rt = try freshRuntime()
        #expect(rt.isPristine())
        try run(rt, """
            const a = [3, 1, 2].sort().map(x => x * 2);
            const o = { a, s: JSON.stringify({ x: 1 }), m: new Map([[1, 2]]), r: /a+/g.exec('caaa') };
            let total = 0; for (const x of a) total += x;
            class Point { constructor(x) { this.x = x; } }
            new Point(1); String(new Date(0)); Math.max(1, 2); Object.keys(o);
            return total;
            """)
        #expect(rt.isPristine())
        rt.replaceGlobalValue("request", .null)
        #expect(rt.isPristine())
    }

    @Test(arguments: [
        "Array.prototype.sum = function () { return 1; };",
        "Object.prototype.leak = 'x';",
        "Object.defineProperty(globalThis, 'pinned', { value: 1 });",
        "delete Array.prototype.map;",
        "Object.freeze(Array.prototype);",
        "Object.setPrototypeOf(Array.prototype, null);",
        "JSON.stringify = function () { return 'x'; };",
        "Math.random = () => 4;",
        "Array.prototype.push.extra = 1;",
        "Object.defineProperty(String.prototype, 'trim', { get() { return 1; } });",
        "Array.prototype[0] = 'element';",
    ])
    func changesToBuiltinsAreDetected(_ source: String) throws {
        let rt = try freshRuntime()
        try run(rt, source)
        #expect(!rt.resetToPristine(), "not detected: \(source)")
    }

    @Test func globalsAddedByARunAreRemoved() throws {
        let rt = try freshRuntime()
        try run(rt, "leaked = 5; globalThis.other = { secret: 'x' }; this_is_fine = 1;")
        #expect(!rt.isPristine())
        #expect(rt.resetToPristine())
        let program = try Compiler.compile(source: "return typeof leaked + ' ' + typeof other;", name: "next.js",
                                           options: .functionBody)
        guard case .success(let v) = rt.run(program) else { Issue.record("run failed"); return }
        #expect(rt.scriptValue(from: v) == .string("undefined undefined"))
        #expect(rt.resetToPristine())
    }
}
