import Foundation
import SluiceVM
import Testing
@testable import SluiceHost

/// `async: true` writes: accepted at once, performed after the response, in order; failures are
/// logged, never thrown into the script.
@Suite struct CRMAsyncTests {
    @Test func asyncWritesWaitForTheResponseThenHappenInOrder() throws {
        let h = try CRMHarness()
        let context = h.context(customer: "c1")
        let rt = Runtime()
        try CRMBinding.install(into: rt, context: context)
        let program = try SluiceCompilerShim.compile("""
            var s = 'pattern-tracker';
            return [setCrmField({ slug: s, fieldKey: 'a', value: 1, async: true }),
                    setCrmFields({ slug: s, fields: [{ fieldKey: 'a', value: 2 }], crm_async: true }),
                    addCrmFieldValue({ slug: s, fieldKey: 'h', value: 'x', async: true }),
                    getCrmField({ slug: s, fieldKey: 'a' }),
                    moveCrmToStage({ slug: s, stageSlug: 'qualified', async: true }),
                    clearCrmEntries({ slug: 'quiz', async: true })];
            """)
        guard case .success(let v) = rt.run(program, limits: .unlimited) else { Issue.record("script failed"); return }
        #expect(rt.scriptValue(from: v).jsonText ==
                #"[true,true,true,null,{"ok":true,"moved":0,"totalMatched":0,"pipeline_id":1,"stage_id":2,"pending":true},{"ok":true,"deleted":0,"pending":true}]"#)
        #expect(context.deferredWrites.count == 5)
        #expect(try h.totalEntries() == 0)
        context.submitDeferredWrites()
        #expect(context.deferredWrites.isEmpty)
        h.queue.drain()
        #expect(h.queue.pendingCount == 0)
        let entries = try h.entries("pattern-tracker", id: "c1")
        #expect(entries.map(\.values) == [CRMValues([ScriptProperty("h", .string("x"))]),
                                          CRMValues([ScriptProperty("a", .number(2))])])
        #expect(entries.first?.stageID == 2)  // the move ran after the add: it moved the newest entry
    }

    @Test func asyncValidationStillHappensAtCallTime() throws {
        let h = try CRMHarness()
        #expect(try h.json("return setCrmField({ slug: 'pattern-tracker', fieldKey: 'a b', value: 1, async: true });", customer: "c1") == "false")
        let e = try h.uncaught("setCrmField({ slug: 'nope', fieldKey: 'a', value: 1, async: true });", customer: "c1")
        #expect(e?.name == "TypeError")
        h.queue.drain()
        #expect(try h.totalEntries() == 0)
    }

    @Test func aFailedAsyncWriteIsCountedAndLoggedNotThrown() throws {
        let h = try CRMHarness()
        let context = h.context(customer: "c1")
        let rt = Runtime()
        try CRMBinding.install(into: rt, context: context)
        let program = try SluiceCompilerShim.compile("return setCrmField({ slug: 'quiz', fieldKey: 'a', value: 1, async: true });")
        guard case .success(let v) = rt.run(program, limits: .unlimited) else { Issue.record("script failed"); return }
        #expect(rt.scriptValue(from: v) == .bool(true))
        h.storage.close()  // the database goes away before the write runs
        context.submitDeferredWrites()
        h.queue.drain()
        #expect(h.queue.failedCount == 1)
    }

    @Test func drainWaitsForEveryQueuedWrite() throws {
        let h = try CRMHarness()
        let ref = try #require(CRMReference.customer("c1"))
        let store = h.store
        let writes = (0..<200).map { i in
            CRMDeferredWrite(summary: "add \(i)") { () throws(CRMError) in
                _ = try store.addFieldValue(slug: "quiz", reference: ref, key: "n", value: .number(Double(i)))
            }
        }
        h.queue.submit(writes)
        #expect(h.queue.drain(timeoutMilliseconds: 60_000))
        #expect(h.queue.pendingCount == 0)
        let values = try store.fieldValueHistory(slug: "quiz", reference: ref, key: "n", limit: 200)
        #expect(values == (0..<200).reversed().map { .number(Double($0)) })  // submission order kept
    }
}
