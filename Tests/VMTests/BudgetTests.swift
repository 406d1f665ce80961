// Budget tests: every budget ends a hostile script with the right error, the script cannot
// intercept it, and the same Runtime then runs a small script successfully.

import Foundation
import SluiceCompiler
import SluiceVM
import Testing

/// Helpers shared by the budget tests.
enum BudgetSupport {
    static func compile(_ source: String) throws -> Program {
        try Compiler.compile(source: source, name: "budget.js", options: .functionBody)
    }

    /// Runs `body` on a thread with a 64 MiB stack (deep recursion in debug builds needs it).
    static func onBigStack<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
            }
            thread.stackSize = 64 << 20
            thread.start()
        }
    }

    /// The runtime still works after a failed run: a small script gives the right result.
    static func expectRecovers(_ rt: Runtime, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let program = try compile("const a = [1, 2, 3].map(x => x * 2); return a.join(',') + ':' + typeof globalThis")
        switch rt.run(program, limits: Limits(instructions: 1_000_000, heapBytes: 8 << 20, wallClockMilliseconds: 5_000)) {
        case .success(let v):
            #expect(rt.scriptValue(from: v) == .string("2,4,6:object"), sourceLocation: sourceLocation)
        case .failure(let e):
            Issue.record("the runtime did not recover: \(e)", sourceLocation: sourceLocation)
        }
    }

    /// Runs `source` on a fresh runtime; returns the runtime and the outcome.
    static func run(_ source: String, _ limits: Limits) throws -> (Runtime, Result<Value, ScriptError>) {
        let rt = Runtime()
        let result = rt.run(try compile(source), limits: limits)
        return (rt, result)
    }

    static func budget(_ r: Result<Value, ScriptError>) -> BudgetKind? {
        if case .failure(.budgetExceeded(let k)) = r { return k }
        return nil
    }
}

/// Results cross from the big-stack thread as plain data.
struct BudgetOutcome: Sendable {
    var budget: BudgetKind? = nil
    var uncaughtName: String? = nil
    var value: ScriptValue? = nil
    var seconds = 0.0
    var collections = 0
}

extension BudgetOutcome {
    init(_ rt: Runtime, _ r: Result<Value, ScriptError>) {
        switch r {
        case .success(let v): value = rt.scriptValue(from: v)
        case .failure(.budgetExceeded(let k)): budget = k
        case .failure(.uncaught(let e)): uncaughtName = e.name
        }
    }
}

@Suite struct BudgetTests {
    typealias S = BudgetSupport

    @Test func infiniteLoopRunsOutOfInstructions() async throws {
        let out = try await S.onBigStack {
            let (rt, r) = try S.run("while (true) {}", Limits(instructions: 200_000))
            try S.expectRecovers(rt)
            return BudgetOutcome(rt, r)
        }
        #expect(out.budget == .instructions)
    }

    @Test func deepRecursionIsACatchableRangeError() async throws {
        let uncaught = try await S.onBigStack {
            let (rt, r) = try S.run("function f() { return f(); } f();", Limits(instructions: 100_000_000))
            try S.expectRecovers(rt)
            return BudgetOutcome(rt, r)
        }
        #expect(uncaught.uncaughtName == "RangeError")

        let caught = try await S.onBigStack {
            let (rt, r) = try S.run("""
                let depth = 0;
                function f() { depth++; return f(); }
                let kind;
                try { f(); } catch (e) { kind = e instanceof RangeError ? 'RangeError' : 'other'; }
                // The script goes on normally after catching it.
                let s = 0;
                for (let i = 0; i < 100; i++) s += i;
                return kind + ' ' + (depth > 100) + ' ' + s;
                """, Limits(instructions: 100_000_000))
            try S.expectRecovers(rt)
            return BudgetOutcome(rt, r)
        }
        #expect(caught.value == .string("RangeError true 4950"))
    }

    @Test func stringDoublingRunsOutOfMemory() async throws {
        let out = try await S.onBigStack {
            let (rt, r) = try S.run("let s = 'x'; while (true) s += s;", Limits(heapBytes: 8 << 20))
            try S.expectRecovers(rt)
            return BudgetOutcome(rt, r)
        }
        #expect(out.budget == .memory)
    }

    @Test func arrayGrowthRunsOutOfMemory() async throws {
        // 2 MiB rather than 8: the same failure, reached with a quarter of the pushes.
        let out = try await S.onBigStack {
            let (rt, r) = try S.run("let a = []; while (true) a.push(1);", Limits(heapBytes: 2 << 20))
            try S.expectRecovers(rt)
            return BudgetOutcome(rt, r)
        }
        #expect(out.budget == .memory)
    }

    /// map and filter append to their own result arrays directly; the elements still count.
    @Test func mapAndFilterResultsCountAgainstTheHeap() async throws {
        let out = try await S.onBigStack {
            let (rt, r) = try S.run("""
                let a = []; for (let i = 0; i < 20000; i++) a.push(i);
                const kept = []; while (true) { kept.push(a.map(x => x), a.filter(x => true)); }
                """, Limits(heapBytes: 2 << 20))
            try S.expectRecovers(rt)
            return BudgetOutcome(rt, r)
        }
        #expect(out.budget == .memory)
    }

    @Test func shortLivedObjectsFitASmallHeap() async throws {
        // Each iteration allocates two objects, two arrays and a string (about 400 bytes), so
        // 300k iterations allocate over 100 MB in total; the collector must keep the live heap
        // inside 8 MiB.
        let out = try await S.onBigStack {
            let (rt, r) = try S.run("""
                let sum = 0;
                for (let i = 0; i < 300000; i++) {
                  const o = { a: i, b: [i, i, i, i], c: { d: i, e: [i, i] }, s: 'k' + i };
                  sum += o.b[3] + o.c.e[1] - o.c.d + (o.s.length > 0 ? 0 : 1);
                }
                return sum;
                """, Limits(heapBytes: 8 << 20))
            var o = BudgetOutcome(rt, r)
            o.collections = rt.heap.collectionCount
            try S.expectRecovers(rt)
            return o
        }
        #expect(out.budget == nil)
        #expect(out.value == .number(44_999_850_000))
        #expect(out.collections >= 10, "100 MB through an 8 MiB heap needs many collections, saw \(out.collections)")
    }

    @Test func catastrophicRegexRunsOutOfInstructions() async throws {
        let out = try await S.onBigStack {
            let (rt, r) = try S.run("return /(a+)+$/.test('a'.repeat(30) + '!');", Limits(instructions: 2_000_000))
            try S.expectRecovers(rt)
            return BudgetOutcome(rt, r)
        }
        #expect(out.budget == .instructions)
    }

    @Test func wallClockStopsALoop() async throws {
        let out = try await S.onBigStack {
            let start = Date()
            let (rt, r) = try S.run("while (true) {}", Limits(wallClockMilliseconds: 200))
            var o = BudgetOutcome(rt, r)
            o.seconds = Date().timeIntervalSince(start)
            try S.expectRecovers(rt)
            return o
        }
        #expect(out.budget == .time)
        #expect(out.seconds < 5, "a 200 ms budget took \(out.seconds) s")
    }

    @Test func finallyAndCatchDoNotInterceptBudgets() async throws {
        let out = try await S.onBigStack {
            let rt = Runtime()
            let limits = Limits(instructions: 200_000)
            var kinds: [BudgetKind?] = []
            for source in [
                "try { while (true) {} } finally { globalThis.x = 1; }",
                "try { while (true) {} } catch (e) { globalThis.x = 2; }",
                "try { throw new Error('e'); } catch (e) { while (true) {} } finally { globalThis.x = 3; }",
                "try { try { while (true) {} } finally { globalThis.x = 4; } } catch (e) { globalThis.x = 5; }",
            ] {
                kinds.append(S.budget(rt.run(try S.compile(source), limits: limits)))
            }
            let check = rt.run(try S.compile("return typeof globalThis.x;"), limits: limits)
            var o = BudgetOutcome(rt, check)
            o.budget = kinds.allSatisfy { $0 == .instructions } ? .instructions : nil
            try S.expectRecovers(rt)
            return o
        }
        #expect(out.budget == .instructions, "every run must end with the instruction budget")
        #expect(out.value == .string("undefined"), "no catch or finally block may run")
    }

    @Test func cancelFromAnotherThread() async throws {
        let out = try await S.onBigStack {
            let rt = Runtime()
            let program = try S.compile("while (true) {}")
            final class Box: @unchecked Sendable { let rt: Runtime; init(_ rt: Runtime) { self.rt = rt } }
            let box = Box(rt)
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.1) { box.rt.cancel() }
            let start = Date()
            // The wall-clock limit is only a safety net, so a lost cancel fails instead of hanging.
            var o = BudgetOutcome(rt, rt.run(program, limits: Limits(wallClockMilliseconds: 20_000)))
            o.seconds = Date().timeIntervalSince(start)
            try S.expectRecovers(rt)
            return o
        }
        #expect(out.budget == .cancelled)
        #expect(out.seconds < 5)
    }
}
