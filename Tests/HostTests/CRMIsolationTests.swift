import Foundation
import SluiceVM
import Testing
@testable import SluiceHost

/// Data is per site; concurrent requests; the script's budgets cover CRM work.
@Suite struct CRMIsolationTests {
    @Test func twoSitesNeverSeeEachOthersData() throws {
        let folder = TemporaryFolder()
        let siteA = try CRMHarness(folder: folder, file: "a/site.sqlite")
        let siteB = try CRMHarness(crm: #"{ "entities": [ { "slug": "pattern-tracker" }, { "slug": "only-b" } ] }"#,
                                   folder: folder, file: "b/site.sqlite")
        try siteA.run("""
            setCrmField({ slug: 'pattern-tracker', fieldKey: 'site', value: 'A' });
            setCrmField({ slug: 'pattern-tracker', referenceType: 'order', referenceId: '1', fieldKey: 'site', value: 'A' });
            """, customer: "c1")
        #expect(try siteB.json("""
            return [getCrmEntries({ slug: 'pattern-tracker' }), getCrmField({ slug: 'pattern-tracker', fieldKey: 'site' }),
                    getCrmEntries({ slug: 'pattern-tracker', referenceType: 'order', referenceId: '1' }),
                    clearCrmEntries({ slug: 'pattern-tracker' })];
            """, customer: "c1") == #"[[],null,[],{"ok":true,"deleted":0}]"#)
        // Entity slugs belong to their site too.
        #expect(try siteA.uncaught("getCrmEntries({ slug: 'only-b' });", customer: "c1")?.name == "TypeError")
        #expect(try siteB.uncaught("getCrmEntries({ slug: 'quiz' });", customer: "c1")?.name == "TypeError")
        try siteB.run("ensureCrmEntity({ slug: 'made-in-b' });")
        #expect(try siteA.uncaught("getCrmEntries({ slug: 'made-in-b' });")?.name == "TypeError")
        #expect(try siteA.json("return getCrmField({ slug: 'pattern-tracker', fieldKey: 'site' });", customer: "c1") == #""A""#)
        #expect(siteA.path != siteB.path)
    }

    /// Page scripts on many threads at once, each with its own Runtime, against one site database.
    @Test func concurrentScriptsLoseNothing() throws {
        let h = try CRMHarness()
        let threads = 8
        let perThread = 25
        let failures = LockedCounter()
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for i in 0..<perThread {
                do {
                    let out = try h.run("""
                        addCrmFieldValue({ slug: 'quiz', fieldKey: 'n', value: \(i) });
                        setCrmField({ slug: 'pattern-tracker', fieldKey: 'last', value: \(i) });
                        setCrmField({ slug: 'pattern-tracker', referenceType: 'thread', referenceId: 't\(t)', fieldKey: 'count', value: \(i + 1) });
                        return getCrmField({ slug: 'pattern-tracker', fieldKey: 'last' });
                        """, customer: "c\(t)")
                    if out != .number(Double(i)) { failures.add() }
                } catch {
                    failures.add()
                }
            }
        }
        #expect(failures.value == 0)
        for t in 0..<threads {
            #expect(try h.entries("quiz", id: "c\(t)").count == perThread)
            #expect(try h.entries("pattern-tracker", id: "c\(t)").count == 1)
            #expect(try h.store.fieldValue(slug: "pattern-tracker", reference: CRMReference(type: "thread", id: "t\(t)")!,
                                           key: "count") == .number(Double(perThread)))
        }
        // Shared reference, many writers: every add lands, every entry is distinct.
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            for _ in 0..<perThread { _ = try? h.run("addCrmFieldValue({ slug: 'quiz', fieldKey: 'shared', value: 1 });", customer: "shared") }
        }
        #expect(try h.store.fieldValueHistory(slug: "quiz", reference: .customer("shared")!, key: "shared", limit: 200).count == threads * perThread)
    }

    @Test func crmCallsAreChargedToTheInstructionBudget() throws {
        let h = try CRMHarness()
        let loop = "for (var i = 0; i < 300; i++) getCrmEntries({ slug: 'quiz' });"
        let tight = Limits(instructions: 200_000, heapBytes: 8 << 20, wallClockMilliseconds: 30_000)
        guard case .failure(.budgetExceeded(.instructions)) = try h.outcome(loop, context: h.context(customer: "c1"), limits: tight) else {
            Issue.record("300 CRM calls should exceed 200,000 instructions")
            return
        }
        // The same loop without CRM calls fits easily.
        guard case .success = try h.outcome("for (var i = 0; i < 300; i++) ({ slug: 'quiz' });", context: h.context(customer: "c1"),
                                           limits: tight) else {
            Issue.record("a plain loop should fit")
            return
        }
    }

    @Test func bigResultsAreRefusedByTheMemoryBudget() throws {
        let h = try CRMHarness()
        let ref = try #require(CRMReference.customer("c1"))
        let chunk = ScriptValue.string(String(repeating: "y", count: 10_000))
        for _ in 0..<200 { _ = try h.store.addFieldValue(slug: "quiz", reference: ref, key: "big", value: chunk) }
        let small = Limits(instructions: 100_000_000, heapBytes: 1 << 20, wallClockMilliseconds: 30_000)
        let result = try h.outcome("return getCrmEntries({ slug: 'quiz', limit: 200 }).length;", context: h.context(customer: "c1"),
                                   limits: small)
        guard case .failure(.budgetExceeded(.memory)) = result else {
            Issue.record("2 MB of entries should not fit a 1 MiB heap: \(result)")
            return
        }
        let roomy = Limits(instructions: 100_000_000, heapBytes: 16 << 20, wallClockMilliseconds: 30_000)
        guard case .success(.number(200)) = try h.outcome("return getCrmEntries({ slug: 'quiz', limit: 200 }).length;",
                                                          context: h.context(customer: "c1"), limits: roomy) else {
            Issue.record("with 16 MiB the entries fit")
            return
        }
    }
}
