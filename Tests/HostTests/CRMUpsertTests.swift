import SluiceVM
import Testing
@testable import SluiceHost

/// Reference-notes §2.6 upsert algorithm for setCrmField / setCrmFields, and `force`.
@Suite struct CRMUpsertTests {
    /// Three entries, oldest first: {a:1}, {b:2}, {c:3}.
    func seeded() throws -> CRMHarness {
        let h = try CRMHarness()
        try h.run("""
            addCrmFieldValue({ slug: 'quiz', fieldKey: 'a', value: 1 });
            addCrmFieldValue({ slug: 'quiz', fieldKey: 'b', value: 2 });
            addCrmFieldValue({ slug: 'quiz', fieldKey: 'c', value: 3 });
            """, customer: "c1")
        return h
    }

    func flats(_ h: CRMHarness) throws -> String {
        try h.json("return getCrmEntries({ slug: 'quiz' }).map(function (e) { return e.values_flat; });", customer: "c1")
    }

    @Test func withoutForceTheEntryHoldingTheKeyIsUpdated() throws {
        let h = try seeded()
        #expect(try h.json("return setCrmField({ slug: 'quiz', fieldKey: 'a', value: 10 });", customer: "c1") == "true")
        // The oldest entry held `a`: it was updated and is now the newest.
        #expect(try flats(h) == #"[{"a":10},{"c":3},{"b":2}]"#)
    }

    @Test func withoutForceANewKeyGoesIntoTheNewestEntry() throws {
        let h = try seeded()
        try h.run("setCrmField({ slug: 'quiz', fieldKey: 'd', value: 4 });", customer: "c1")
        #expect(try flats(h) == #"[{"c":3,"d":4},{"b":2},{"a":1}]"#)
    }

    @Test func withoutEntriesANewOneIsCreated() throws {
        let h = try CRMHarness()
        try h.run("setCrmField({ slug: 'quiz', fieldKey: 'a', value: 1 }); setCrmField({ slug: 'quiz', fieldKey: 'b', value: 2 });",
                  customer: "c1")
        #expect(try flats(h) == #"[{"a":1,"b":2}]"#)
    }

    @Test func forceMergesIntoTheNewestEntry() throws {
        let h = try seeded()
        let out = try h.json("""
            setCrmField({ slug: 'quiz', fieldKey: 'a', value: 10, force: true });
            return getCrmField({ slug: 'quiz', fieldKey: 'a' });
            """, customer: "c1")
        #expect(out == "10")  // the newest entry holding `a` is now the forced one
        #expect(try flats(h) == #"[{"c":3,"a":10},{"b":2},{"a":1}]"#)
    }

    @Test func setCrmFieldsUpdatesTheNewestEntryHoldingAnyKey() throws {
        let h = try seeded()
        try h.run("""
            setCrmFields({ slug: 'quiz', fields: [{ fieldKey: 'b', value: 20 }, { field_key: 'x', value: 'new' },
                                                 { fieldKey: 'b', value: 21 }] });
            """, customer: "c1")
        #expect(try flats(h) == #"[{"b":21,"x":"new"},{"c":3},{"a":1}]"#)
        try h.run("setCrmFields({ slug: 'quiz', fields: [{ fieldKey: 'a', value: 0 }, { fieldKey: 'c', value: false }] });",
                  customer: "c1")
        // `c` is held by a newer entry than `a`: that one is chosen.
        #expect(try flats(h) == #"[{"c":false,"a":0},{"b":21,"x":"new"},{"a":1}]"#)
        #expect(try h.json("return getCrmFields({ slug: 'quiz', fieldKeys: ['a', 'b', 'c'] });", customer: "c1") ==
                #"{"a":0,"b":21,"c":false}"#)
    }

    @Test func theKeyScanLooksAtThe100NewestEntriesOnly() throws {
        let h = try CRMHarness()
        let ref = try #require(CRMReference.customer("c1"))
        _ = try h.store.addFieldValue(slug: "quiz", reference: ref, key: "old", value: .number(1))
        for i in 0..<100 { _ = try h.store.addFieldValue(slug: "quiz", reference: ref, key: "n", value: .number(Double(i))) }
        try h.run("setCrmField({ slug: 'quiz', fieldKey: 'old', value: 2 });", customer: "c1")
        let entries = try h.entries("quiz", id: "c1")
        #expect(entries.count == 101)
        #expect(entries.first?.values == CRMValues([ScriptProperty("n", .number(99)), ScriptProperty("old", .number(2))]))
        #expect(entries.last?.values == CRMValues([ScriptProperty("old", .number(1))]))
        // Within reach (after one more entry goes away), the holder is found again.
        _ = try h.store.clearEntries(slug: "quiz", reference: ref)
        _ = try h.store.addFieldValue(slug: "quiz", reference: ref, key: "old", value: .number(1))
        for i in 0..<99 { _ = try h.store.addFieldValue(slug: "quiz", reference: ref, key: "n", value: .number(Double(i))) }
        try h.run("setCrmField({ slug: 'quiz', fieldKey: 'old', value: 3 });", customer: "c1")
        #expect(try h.entries("quiz", id: "c1").first?.values == CRMValues([ScriptProperty("old", .number(3))]))
    }

    @Test func anEntryCannotGrowPastOneMegabyte() throws {
        let h = try CRMHarness()
        let out = try h.json("""
            function fields(n) {
              var list = [];
              for (var i = 0; i < n; i++) list.push({ fieldKey: 'k' + i, value: 'x'.repeat(10000) });
              return list;
            }
            return [setCrmFields({ slug: 'quiz', fields: fields(104) }),                  // about 1,041,000 bytes
                    setCrmField({ slug: 'quiz', fieldKey: 'k104', value: 'x'.repeat(10000) }),  // would pass 1 MiB
                    setCrmField({ slug: 'quiz', fieldKey: 'k0', value: 'short' }),
                    setCrmFields({ slug: 'quiz', referenceType: 'order', referenceId: '1', fields: fields(105) })];
            """, customer: "c1")
        #expect(out == "[true,false,true,false]")
        #expect(try h.totalEntries() == 1)
    }
}
