import SluiceVM
import Testing
@testable import SluiceHost

@Suite struct CRMEnsureEntityTests {
    @Test func createsOnceThenOnlyAddsMissingFields() throws {
        let h = try CRMHarness()
        let first = try h.run("""
            return ensureCrmEntity({ slug: 'quiz-results', name: 'Quiz results', singular_name: 'Result',
                                     fields: [{ key: 'score', type: 'number', label: 'Score' },
                                              { key: 'answers', type: 'json', options: { multi: true } }] });
            """, customer: "c1")
        #expect(first["created"] == .bool(true))
        #expect(first["slug"] == .string("quiz-results"))
        #expect(first["fields_added"] == .number(2))
        #expect(first["fields_skipped"] == .number(0))
        guard case .number(let id)? = first["id"] else { Issue.record("id must be a number"); return }
        #expect(id > Double(CRMStore.createdEntityIDBase))
        // The new slug works with every function at once.
        #expect(try h.json("""
            setCrmField({ slug: 'quiz-results', fieldKey: 'score', value: 9 });
            return getCrmEntries({ slug: 'quiz-results' })[0].crm_entity_id;
            """, customer: "c1") == JSONText.serialize(.number(id)))
        let again = try h.json("""
            return ensureCrmEntity({ slug: 'quiz-results', name: 'Renamed', fields: [{ key: 'score', type: 'text' }, { key: 'level' }, { key: 'level' }] });
            """, customer: "c1")
        #expect(again == #"{"id":\#(JSONText.serialize(.number(id))),"slug":"quiz-results","created":false,"fields_added":1,"fields_skipped":2}"#)
        let fields = try h.store.fields(slug: "quiz-results")
        #expect(fields.map(\.key) == ["score", "answers", "level"])
        #expect(fields.first?.type == "number")  // never overwritten
        #expect(fields[1].options == .json(#"{"multi":true}"#))
        // It persists.
        try h.reopen()
        #expect(try h.json("return getCrmField({ slug: 'quiz-results', fieldKey: 'score' });", customer: "c1") == "9")
        #expect(try h.store.entity(slug: "quiz-results")?.name == "Quiz results")
    }

    @Test func aSiteJSONEntityIsNeverCreated() throws {
        let h = try CRMHarness()
        #expect(try h.json("return ensureCrmEntity({ slug: 'pattern-tracker', fields: [{ key: 'current_weight' }, { key: 'goal_weight', type: 'number' }] });") ==
                #"{"id":1,"slug":"pattern-tracker","created":false,"fields_added":1,"fields_skipped":1}"#)
        #expect(try h.store.fields(slug: "pattern-tracker").map(\.key) == ["current_weight", "goal_weight"])
    }

    @Test(arguments: [
        ("{ slug: 'Bad Slug' }", "invalid_slug"),
        ("{ slug: '-x' }", "invalid_slug"),
        ("{ slug: 'ok', fields: [{ key: 'a b' }] }", "invalid_field_key"),
        ("{ slug: 'ok', fields: [{ key: 'a', type: 'blob' }] }", "invalid_field_type"),
        ("{ slug: 'ok', fields: [{ label: 'no key' }] }", "invalid_fields"),
        ("{ slug: 'ok', fields: 'a' }", "invalid_fields"),
        ("{ slug: 'ok', fields: [{ key: 'a', options: function () {} }] }", "invalid_fields"),
    ])
    func invalidDefinitionsCreateNothing(options: String, error: String) throws {
        let h = try CRMHarness()
        let result = try h.run("return ensureCrmEntity(\(options));")
        #expect(result["id"] == .null)
        #expect(result["created"] == .bool(false))
        #expect(result["error"] == .string(error))
        #expect(try h.store.entity(slug: "ok") == nil)
    }

    @Test func atMostFiveCallsPerRun() throws {
        let h = try CRMHarness()
        let out = try h.run("""
            var r = [];
            for (var i = 0; i < 7; i++) r.push(ensureCrmEntity({ slug: 'e' + i }));
            return r.map(function (x) { return x.error || x.created; });
            """)
        #expect(out == .json(#"[true,true,true,true,true,"rate_limited","rate_limited"]"#))
        #expect(try h.store.entity(slug: "e5") == nil)
        // The limit is per run.
        #expect(try h.run("return ensureCrmEntity({ slug: 'e5' }).created;") == .bool(true))
    }
}
