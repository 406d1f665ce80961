import SluiceCompiler
import SluiceVM
import Testing

/// The O(1) reuse check: every path that can change a recorded builtin must mark the runtime
/// (`builtinsMayHaveChanged`) so that `isPristine` compares fully; scripts that change no builtin
/// must leave it unmarked (that is what makes the check cheap).
@Suite struct RuntimeReuseWriteHookTests {
    /// A runtime with a small host object (`config`, a plain transition shape shared with the
    /// literal `{ limit: 0 }`) and a replaceable `request`, recorded as pristine.
    func freshRuntime() throws -> Runtime {
        let rt = Runtime()
        let config = try rt.newObject()
        try rt.createDataProperty(config, rt.key("limit"), Value(1.0))
        try rt.defineGlobal("config", Value(config))
        try rt.defineReadOnlyGlobal("request", .object([ScriptProperty("n", .number(0))]))
        rt.recordPristineState(replaceableGlobals: ["request"])
        return rt
    }

    func compile(_ source: String) throws -> Program {
        try Compiler.compile(source: source, name: "hook.js", options: .functionBody)
    }

    func run(_ rt: Runtime, _ program: Program) {
        if case .failure(let e) = rt.run(program) { Issue.record("run failed: \(e)") }
    }

    @Test func scriptsThatChangeNoBuiltinLeaveTheRuntimeUnmarked() throws {
        let rt = try freshRuntime()
        run(rt, try compile("""
            const a = [3, 1, 2]; a.push(4); a.sort(); a[7] = 1; a.length = 2; delete a[0];
            const o = { x: 1 }; o.y = 2; delete o.x; Object.defineProperty(o, 'z', { value: 1 });
            Object.freeze(o); Object.setPrototypeOf({}, null); class K { constructor() { this.f = 1; } } new K();
            const f = () => 1; f.tag = 1; const b = Math.max.bind(null); b.tag = 2;
            const m = new Map([[1, 2]]); m.set(3, 4); JSON.parse('{"a":[1]}'); config.limit;
            leaked = 1; globalThis.other = 2; request = 5;
            return a.length;
            """))
        #expect(!rt.builtinsMayHaveChanged)
        #expect(rt.resetToPristine())
        #expect(rt.isPristineByFullComparison())
    }

    @Test(arguments: [
        // [[Set]] and the interpreter's slow store.
        "Math.max = Math.min;",
        "config.limit = 2;",
        "Object.assign(JSON, { extra: 1 });",
        // [[DefineOwnProperty]], accessors.
        "Object.defineProperty(Math, 'x', { value: 1 });",
        "Object.defineProperty(Object.prototype, 'toString', { enumerable: true });",
        "Object.defineProperty(Object.prototype, '__proto__', { set(v) {} });",
        "Object.defineProperties(Array.prototype, { last: { get() { return 1; } } });",
        // [[Delete]]
        "delete Math.max;",
        "delete config.limit;",
        // Prototypes.
        "Object.setPrototypeOf(Math, null);",
        "Object.setPrototypeOf(JSON, Array.prototype);",
        "Math.__proto__ = Array.prototype;",
        // Integrity.
        "Object.freeze(Math);",
        "Object.seal(JSON);",
        "Object.preventExtensions(config);",
        // Array.prototype is an array: element paths.
        "Array.prototype[0] = 'element';",
        "Array.prototype.push.call(Array.prototype, 1);",
        "Array.prototype.unshift.call(Array.prototype, 1, 2);",
        "Array.prototype.length = 3;",
        "[].splice.call(Array.prototype, 0, 0, 'x');",
        // Functions.
        "Array.prototype.push.extra = 1;",
        "Math.max.bind(null).tag = 1; Math.min.tag = 1;",
    ])
    func everyMutationPathMarksTheRuntime(_ source: String) throws {
        let rt = try freshRuntime()
        run(rt, try compile(source))
        #expect(rt.builtinsMayHaveChanged, "not marked: \(source)")
        #expect(!rt.isPristineByFullComparison(), "not changed: \(source)")
        #expect(!rt.resetToPristine(), "not detected: \(source)")
    }

    /// The setField inline cache: a cache entry made by a script object hits a builtin that has
    /// the same (transition) shape.
    @Test func aStoreThroughAnInlineCacheHitMarksTheRuntime() throws {
        let rt = try freshRuntime()
        run(rt, try compile("""
            function put(o, v) { o.limit = v; }
            const mine = { limit: 0 };
            put(mine, 1); put(mine, 2); put(mine, 3);
            put(config, 99);
            """))
        #expect(rt.builtinsMayHaveChanged)
        #expect(!rt.resetToPristine())
    }

    /// The adding form of the setField cache: a transition cached from script objects, then
    /// taken by a builtin of the same shape.
    @Test func anAddingStoreThroughAnInlineCacheMarksTheRuntime() throws {
        let rt = try freshRuntime()
        run(rt, try compile("""
            function tag(o) { o.tag = 1; }
            tag({ limit: 0 }); tag({ limit: 1 }); tag({ limit: 2 });
            tag(config);
            return config.tag;
            """))
        #expect(rt.builtinsMayHaveChanged)
        #expect(!rt.resetToPristine())
    }

    /// A cache entry made in one run on a builtin's own shape, hit in the next run.
    @Test func aCacheEntryFromAnEarlierRunCannotWriteABuiltinUnnoticed() throws {
        let rt = try freshRuntime()
        let program = try compile("""
            function put(o, v) { o.max = v; }
            put(Math, request.n ? Math.min : Math.max);
            """)
        run(rt, program)
        // Storing the value it already had: marked, but nothing changed, so the full comparison
        // clears the mark and the runtime is reused.
        #expect(rt.builtinsMayHaveChanged)
        #expect(rt.resetToPristine())
        #expect(!rt.builtinsMayHaveChanged)
        try #require(rt.replaceGlobalValue("request", try rt.value(from: .object([ScriptProperty("n", .number(1))]))))
        run(rt, program)
        #expect(rt.builtinsMayHaveChanged)
        #expect(!rt.resetToPristine())
    }

    /// Globals are compared on every check, whatever wrote them (the global store cache included).
    @Test(arguments: ["JSON = 1;", "for (let i = 0; i < 3; i++) Math = i;", "globalThis.config = {};",
                      "Object.defineProperty(globalThis, 'config', { enumerable: true });", "delete globalThis.config;"])
    func changedGlobalsAreDetected(_ source: String) throws {
        let rt = try freshRuntime()
        run(rt, try compile(source))
        #expect(!rt.resetToPristine(), "not detected: \(source)")
    }

    @Test func addedGlobalsAreRemovedRunAfterRun() throws {
        let rt = try freshRuntime()
        let program = try compile("const before = typeof leaked; leaked = 1; globalThis['g' + 1] = 2; return before;")
        for _ in 0..<3 {
            guard case .success(let v) = rt.run(program) else { Issue.record("run failed"); return }
            #expect(rt.scriptValue(from: v) == .string("undefined"))
            #expect(rt.resetToPristine())
            #expect(!rt.builtinsMayHaveChanged)
        }
    }
}
