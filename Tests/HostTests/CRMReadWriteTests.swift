import Foundation
import SluiceVM
import Testing
@testable import SluiceHost

@Suite struct CRMReadWriteTests {
    @Test func valuesRoundTripWithTheirJSONType() throws {
        let h = try CRMHarness()
        let out = try h.json("""
            var s = 'pattern-tracker';
            setCrmField({ slug: s, fieldKey: 'str', value: 'hi' });
            setCrmField({ slug: s, fieldKey: 'num', value: 182.5 });
            setCrmField({ slug: s, fieldKey: 'zero', value: 0 });
            setCrmField({ slug: s, fieldKey: 'no', value: false });
            setCrmField({ slug: s, fieldKey: 'obj', value: { a: [1, 'two', { b: true }], f: function () {} } });
            setCrmField({ slug: s, fieldKey: 'arr', value: [3, 2, 1] });
            setCrmField({ slug: s, fieldKey: 'when', value: new Date(Date.UTC(2026, 2, 15)) });
            return ['str', 'num', 'zero', 'no', 'obj', 'arr', 'when', 'missing'].map(function (k) {
              return getCrmField({ slug: s, fieldKey: k });
            });
            """, customer: "c1")
        #expect(out == #"["hi",182.5,0,false,{"a":[1,"two",{"b":true}]},[3,2,1],"2026-03-15T00:00:00.000Z",null]"#)
    }

    @Test func setReturnsTrueAndEntriesCarryTheDocumentedKeys() throws {
        let h = try CRMHarness()
        let result = try h.run("""
            var ok = setCrmField({ slug: 'pattern-tracker', fieldKey: 'score', value: 85 });
            var e = getCrmEntries({ slug: 'pattern-tracker' });
            return { ok: ok, count: e.length, entry: e[0], keys: Object.keys(e[0]).sort() };
            """, customer: "c1")
        #expect(result["ok"] == .bool(true))
        #expect(result["count"] == .number(1))
        #expect(result["keys"] == .json(#"["created_at","crm_entity_id","id","pipeline_id","reference_id","reference_type","stage_id","title","updated_at","values_flat"]"#))
        let entry = try #require(result["entry"])
        #expect(entry["reference_type"] == .string("customer"))
        #expect(entry["reference_id"] == .string("c1"))
        #expect(entry["values_flat"] == .json(#"{"score":85}"#))
        #expect(entry["pipeline_id"] == .null)
        #expect(entry["stage_id"] == .null)
        #expect(entry["crm_entity_id"] == .number(1))
        guard case .string(let created)? = entry["created_at"], case .number(let id)? = entry["id"] else {
            Issue.record("created_at must be a string and id a number")
            return
        }
        #expect(id >= 1)
        #expect(created.count == 24 && created.hasSuffix("Z") && created.contains("T"))
        #expect(entry["updated_at"] == entry["created_at"])
    }

    @Test func getCrmFieldsReturnsEveryRequestedKey() throws {
        let h = try CRMHarness()
        let out = try h.json("""
            setCrmFields({ slug: 'pattern-tracker', fields: [{ fieldKey: 'current_weight', value: 182 }] });
            return getCrmFields({ slug: 'pattern-tracker', fieldKeys: ['current_weight', 'goal_weight', 'bad key', 'current_weight'] });
            """, customer: "c1")
        #expect(out == #"{"current_weight":182,"goal_weight":null,"bad key":null}"#)
    }

    @Test func addCrmFieldValueKeepsHistoryNewestFirst() throws {
        let h = try CRMHarness()
        let out = try h.run("""
            [180, 179, 178].forEach(function (w) { addCrmFieldValue({ slug: 'pattern-tracker', fieldKey: 'weight', value: w }); });
            addCrmFieldValue({ slug: 'pattern-tracker', fieldKey: 'note', value: 'x' });
            return {
              history: getCrmFieldValues({ slug: 'pattern-tracker', fieldKey: 'weight' }),
              limited: getCrmFieldValues({ slug: 'pattern-tracker', fieldKey: 'weight', limit: 2 }),
              latest: getCrmField({ slug: 'pattern-tracker', fieldKey: 'weight' }),
              entries: getCrmEntries({ slug: 'pattern-tracker' }).map(function (e) { return e.values_flat; })
            };
            """, customer: "c1")
        #expect(out["history"] == .json("[178,179,180]"))
        #expect(out["limited"] == .json("[178,179]"))
        #expect(out["latest"] == .number(178))
        #expect(out["entries"] == .json(#"[{"note":"x"},{"weight":178},{"weight":179},{"weight":180}]"#))
    }

    @Test func listLimitsDefaultTo50AndCapAt200() throws {
        let h = try CRMHarness()
        let ref = try #require(CRMReference.customer("c1"))
        for i in 0..<230 {
            _ = try h.store.addFieldValue(slug: "quiz", reference: ref, key: "n", value: .number(Double(i)))
        }
        let out = try h.run("""
            return [getCrmEntries({ slug: 'quiz' }).length, getCrmEntries({ slug: 'quiz', limit: 500 }).length,
                    getCrmEntries({ slug: 'quiz', limit: 3 }).length, getCrmEntries({ slug: 'quiz', limit: 0 }).length,
                    getCrmEntries({ slug: 'quiz', limit: 'x' }).length,
                    getCrmFieldValues({ slug: 'quiz', fieldKey: 'n' }).length,
                    getCrmFieldValues({ slug: 'quiz', fieldKey: 'n', limit: 1000 }).length,
                    getCrmEntries({ slug: 'quiz', limit: 2 })[0].values_flat.n];
            """, customer: "c1")
        #expect(out == .json("[50,200,3,1,50,50,200,229]"))
    }

    @Test func clearCrmEntriesDeletesOnlyThatSlugAndReference() throws {
        let h = try CRMHarness()
        try h.run("""
            addCrmFieldValue({ slug: 'quiz', fieldKey: 'a', value: 1 });
            addCrmFieldValue({ slug: 'quiz', fieldKey: 'a', value: 2 });
            addCrmFieldValue({ slug: 'quiz-tracker', fieldKey: 'a', value: 3 });
            addCrmFieldValue({ slug: 'quiz', referenceType: 'order', referenceId: '9', fieldKey: 'a', value: 4 });
            """, customer: "c1")
        try h.run("addCrmFieldValue({ slug: 'quiz', fieldKey: 'a', value: 5 });", customer: "c2")
        #expect(try h.json("return clearCrmEntries({ slug: 'quiz' });", customer: "c1") == #"{"ok":true,"deleted":2}"#)
        #expect(try h.json("return clearCrmEntries({ slug: 'quiz' });", customer: "c1") == #"{"ok":true,"deleted":0}"#)
        #expect(try h.entries("quiz-tracker", id: "c1").count == 1)
        #expect(try h.entries("quiz", "order", id: "9").count == 1)
        #expect(try h.entries("quiz", id: "c2").count == 1)
    }

    @Test func explicitReferencesAreSeparateFromTheCustomer() throws {
        let h = try CRMHarness()
        let out = try h.run("""
            setCrmField({ slug: 'pattern-tracker', fieldKey: 'score', value: 85 });
            setCrmField({ slug: 'pattern-tracker', referenceType: 'order', referenceId: '12345',
                          fieldKey: 'followup', value: 'done' });
            return [getCrmField({ slug: 'pattern-tracker', fieldKey: 'followup' }),
                    getCrmField({ slug: 'pattern-tracker', referenceType: 'order', referenceId: '12345', fieldKey: 'followup' }),
                    getCrmField({ slug: 'pattern-tracker', referenceType: 'order', referenceId: 12345, fieldKey: 'followup' }),
                    getCrmEntries({ slug: 'pattern-tracker', referenceType: 'order', referenceId: '12345' })[0].reference_type];
            """, customer: "c1")
        #expect(out == .json(#"[null,"done","done","order"]"#))
    }

    @Test func differentCustomersSeeOnlyTheirOwnEntries() throws {
        let h = try CRMHarness()
        try h.run("setCrmField({ slug: 'pattern-tracker', fieldKey: 'secret', value: 'c1 only' });", customer: "c1")
        #expect(try h.json("return getCrmField({ slug: 'pattern-tracker', fieldKey: 'secret' });", customer: "c2") == "null")
        #expect(try h.json("return getCrmEntries({ slug: 'pattern-tracker' }).length;", customer: "c2") == "0")
        #expect(try h.json("return getCrmField({ slug: 'pattern-tracker', fieldKey: 'secret' });", customer: "c1") == #""c1 only""#)
    }

    @Test func valuesPersistAcrossReopen() throws {
        let h = try CRMHarness()
        try h.run("""
            setCrmFields({ slug: 'pattern-tracker', fields: [{ fieldKey: 'a', value: { deep: [1, 2] } }, { fieldKey: 'b', value: 'x' }] });
            addCrmFieldValue({ slug: 'pattern-tracker', fieldKey: 'h', value: 1 });
            addCrmFieldValue({ slug: 'pattern-tracker', fieldKey: 'h', value: 2 });
            moveCrmToStage({ slug: 'pattern-tracker', stageSlug: 'qualified', allEntries: true });
            """, customer: "c1")
        let before = try h.entries("pattern-tracker", id: "c1")
        try h.reopen()
        let after = try h.entries("pattern-tracker", id: "c1")
        #expect(before == after)
        #expect(after.count == 3)
        #expect(try h.json("""
            return [getCrmField({ slug: 'pattern-tracker', fieldKey: 'a' }), getCrmFieldValues({ slug: 'pattern-tracker', fieldKey: 'h' }),
                    getCrmEntries({ slug: 'pattern-tracker' })[2].stage_id];
            """, customer: "c1") == #"[{"deep":[1,2]},[2,1],2]"#)
    }
}
