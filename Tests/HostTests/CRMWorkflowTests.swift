import SluiceVM
import Testing
@testable import SluiceHost

/// Pipelines and stages: moveCrmToStage, moveCrmToPipeline, moveCrmLead, moveCrmToEntity.
/// Ids in the test site: pattern-tracker/sales = 1 (stages new 1, qualified 2, proposal-sent 3);
/// sales-leads/sales = 2 (new 4, won 5), sales-leads/support = 3 (new 6, open 7).
@Suite struct CRMWorkflowTests {
    func seeded(entries: Int = 2, slug: String = "pattern-tracker") throws -> CRMHarness {
        let h = try CRMHarness()
        for i in 0..<entries {
            try h.run("addCrmFieldValue({ slug: '\(slug)', fieldKey: 'n', value: \(i) });", customer: "c1")
        }
        return h
    }

    func placements(_ h: CRMHarness, _ slug: String = "pattern-tracker") throws -> String {
        try h.json("return getCrmEntries({ slug: '\(slug)' }).map(function (e) { return [e.values_flat.n, e.pipeline_id, e.stage_id]; });",
                   customer: "c1")
    }

    @Test func moveToStageMovesTheNewestEntry() throws {
        let h = try seeded()
        #expect(try h.json("return moveCrmToStage({ slug: 'pattern-tracker', stageSlug: 'qualified' });", customer: "c1") ==
                #"{"ok":true,"moved":1,"totalMatched":2,"pipeline_id":1,"stage_id":2}"#)
        #expect(try placements(h) == "[[1,1,2],[0,null,null]]")
    }

    @Test func allEntriesMovesEveryEntryKeepingTheirOrder() throws {
        let h = try seeded(entries: 3)
        #expect(try h.json("return moveCrmToStage({ slug: 'pattern-tracker', stageId: 3, allEntries: true });", customer: "c1") ==
                #"{"ok":true,"moved":3,"totalMatched":3,"pipeline_id":1,"stage_id":3}"#)
        #expect(try placements(h) == "[[2,1,3],[1,1,3],[0,1,3]]")
    }

    @Test func moveToPipelineLandsOnTheFirstStageUnlessOneIsGiven() throws {
        let h = try seeded(slug: "sales-leads")
        #expect(try h.json("return moveCrmToPipeline({ slug: 'sales-leads', pipelineSlug: 'support' });", customer: "c1") ==
                #"{"ok":true,"moved":1,"totalMatched":2,"pipeline_id":3,"stage_id":6}"#)
        #expect(try h.json("return moveCrmToPipeline({ slug: 'sales-leads', pipelineId: 2, stageSlug: 'won' });", customer: "c1") ==
                #"{"ok":true,"moved":1,"totalMatched":2,"pipeline_id":2,"stage_id":5}"#)
        #expect(try h.json("return moveCrmToPipeline({ slug: 'sales-leads', pipeline_slug: 'support', stage_id: '7' });", customer: "c1") ==
                #"{"ok":true,"moved":1,"totalMatched":2,"pipeline_id":3,"stage_id":7}"#)
    }

    @Test func moveCrmLeadNeedsAPipelineAndAStage() throws {
        let h = try seeded()
        #expect(try h.json("return moveCrmLead({ slug: 'pattern-tracker', stageSlug: 'new' });", customer: "c1") ==
                #"{"ok":false,"moved":0,"error":"pipeline_required"}"#)
        #expect(try h.json("return moveCrmLead({ slug: 'pattern-tracker', pipelineSlug: 'sales' });", customer: "c1") ==
                #"{"ok":false,"moved":0,"error":"stage_required"}"#)
        #expect(try h.json("return moveCrmLead({ slug: 'pattern-tracker', pipelineSlug: 'sales', stageSlug: 'proposal-sent', allEntries: true });",
                           customer: "c1") == #"{"ok":true,"moved":2,"totalMatched":2,"pipeline_id":1,"stage_id":3}"#)
    }

    @Test(arguments: [
        ("moveCrmToStage({ slug: 'pattern-tracker' })", "stage_required"),
        ("moveCrmToPipeline({ slug: 'pattern-tracker', stageSlug: 'new' })", "pipeline_required"),
        ("moveCrmToStage({ slug: 'pattern-tracker', stageSlug: 'won' })", "unknown_stage"),
        ("moveCrmToStage({ slug: 'pattern-tracker', stageId: 5 })", "unknown_stage"),
        ("moveCrmToStage({ slug: 'pattern-tracker', stageId: 'x' })", "unknown_stage"),
        ("moveCrmToStage({ slug: 'pattern-tracker', stageId: 1.5 })", "unknown_stage"),
        ("moveCrmToPipeline({ slug: 'pattern-tracker', pipelineSlug: 'support' })", "unknown_pipeline"),
        ("moveCrmToPipeline({ slug: 'pattern-tracker', pipelineId: 2 })", "unknown_pipeline"),
        ("moveCrmToPipeline({ slug: 'pattern-tracker', pipelineSlug: 42 })", "unknown_pipeline"),
        ("moveCrmToStage({ slug: 'sales-leads', stageSlug: 'new' })", "ambiguous_stage"),
        ("moveCrmToStage({ slug: 'sales-leads', pipelineSlug: 'sales', stageSlug: 'open' })", "unknown_stage"),
        ("moveCrmToStage({ slug: 'quiz', stageSlug: 'new' })", "unknown_stage"),
        ("moveCrmToStage({ slug: 'pattern-tracker', stageSlug: 'new', referenceType: 'x y', referenceId: '1' })", "invalid_reference"),
    ])
    func badTargetsFailWithACode(call: String, code: String) throws {
        let h = try seeded(slug: "pattern-tracker")
        let result = try h.run("return " + call + ";", customer: "c1")
        #expect(result["ok"] == .bool(false))
        #expect(result["moved"] == .number(0))
        #expect(result["error"] == .string(code))
        #expect(try placements(h) == "[[1,null,null],[0,null,null]]")
    }

    @Test func ambiguousStageSlugsResolveWithAPipeline() throws {
        let h = try seeded(slug: "sales-leads")
        #expect(try h.json("return moveCrmToStage({ slug: 'sales-leads', pipelineSlug: 'support', stageSlug: 'new' }).stage_id;",
                           customer: "c1") == "6")
        #expect(try h.json("return moveCrmToStage({ slug: 'sales-leads', stageSlug: 'open' }).stage_id;", customer: "c1") == "7")
    }

    @Test func movingWithoutEntriesReportsNotFound() throws {
        let h = try CRMHarness()
        #expect(try h.json("return moveCrmToStage({ slug: 'pattern-tracker', stageSlug: 'new' });", customer: "c1") ==
                #"{"ok":false,"moved":0,"totalMatched":0,"pipeline_id":1,"stage_id":1,"error":"not_found"}"#)
    }

    @Test func movesOnlyChangePlacementNotValues() throws {
        let h = try CRMHarness()
        try h.run("setCrmFields({ slug: 'pattern-tracker', fields: [{ fieldKey: 'quiz_email', value: 'a@b.c' }] });", customer: "c1")
        try h.run("moveCrmToPipeline({ slug: 'pattern-tracker', pipelineSlug: 'sales', stageSlug: 'proposal-sent' });", customer: "c1")
        let e = try #require(try h.entries("pattern-tracker", id: "c1").first)
        #expect(e.values == CRMValues([ScriptProperty("quiz_email", .string("a@b.c"))]))
        #expect(e.pipelineID == 1 && e.stageID == 3)
    }

    @Test func explicitIDsFromSiteJSONAreUsed() throws {
        let h = try CRMHarness(crm: """
            { "entities": [ { "slug": "deals", "id": 7, "pipelines": [
                { "slug": "main", "id": 40, "stages": [ { "slug": "a", "id": 100 }, { "slug": "b" } ] } ] } ] }
            """)
        try h.run("addCrmFieldValue({ slug: 'deals', fieldKey: 'x', value: 1 });", customer: "c1")
        #expect(try h.json("return moveCrmToStage({ slug: 'deals', stageSlug: 'b' });", customer: "c1") ==
                #"{"ok":true,"moved":1,"totalMatched":1,"pipeline_id":40,"stage_id":101}"#)
        #expect(try h.json("return getCrmEntries({ slug: 'deals' })[0].crm_entity_id;", customer: "c1") == "7")
    }

    // MARK: moveCrmToEntity

    @Test func moveToEntityCopiesMappedFieldsAndPlacesTheTarget() throws {
        let h = try CRMHarness()
        try h.run("""
            setCrmFields({ slug: 'quiz-tracker', fields: [{ fieldKey: 'quiz_email', value: 'a@b.c' },
                                                         { fieldKey: 'quiz_score', value: 7 }, { fieldKey: 'other', value: 'kept' }] });
            addCrmFieldValue({ slug: 'quiz-tracker', fieldKey: 'quiz_score', value: 9 });
            """, customer: "c1")
        let result = try h.json("""
            return moveCrmToEntity({ fromSlug: 'quiz-tracker', toSlug: 'sales-leads',
                                     fieldMap: { quiz_email: 'email', quiz_score: 'lead_score' },
                                     pipelineSlug: 'sales', stageSlug: 'new', removeFromOld: true });
            """, customer: "c1")
        #expect(result == #"{"ok":true,"moved":2,"removed_from_old":true}"#)
        let target = try h.entries("sales-leads", id: "c1")
        #expect(target.count == 1)
        #expect(target.first?.values == CRMValues([ScriptProperty("email", .string("a@b.c")), ScriptProperty("lead_score", .number(9))]))
        #expect(target.first?.pipelineID == 2 && target.first?.stageID == 4)
        // The copied keys left the old entity; the entry that held only them is gone, the rest stays.
        let source = try h.entries("quiz-tracker", id: "c1")
        #expect(source.map(\.values) == [CRMValues([ScriptProperty("other", .string("kept"))])])
    }

    @Test func moveToEntityWithoutRemoveKeepsTheSource() throws {
        let h = try CRMHarness()
        try h.run("setCrmField({ slug: 'quiz-tracker', fieldKey: 'quiz_email', value: 'a@b.c' });", customer: "c1")
        #expect(try h.json("return moveCrmToEntity({ fromSlug: 'quiz-tracker', toSlug: 'sales-leads', fieldMap: { quiz_email: 'email', missing: 'm' } });",
                           customer: "c1") == #"{"ok":true,"moved":1,"removed_from_old":false}"#)
        #expect(try h.entries("quiz-tracker", id: "c1").count == 1)
        #expect(try h.entries("sales-leads", id: "c1").first?.pipelineID == nil)
        // Again: the target entry holding `email` is updated, not duplicated.
        try h.run("setCrmField({ slug: 'quiz-tracker', fieldKey: 'quiz_email', value: 'new@b.c' });", customer: "c1")
        try h.run("moveCrmToEntity({ fromSlug: 'quiz-tracker', toSlug: 'sales-leads', fieldMap: { quiz_email: 'email' } });", customer: "c1")
        #expect(try h.entries("sales-leads", id: "c1").map(\.values) == [CRMValues([ScriptProperty("email", .string("new@b.c"))])])
    }

    @Test(arguments: [
        ("{ fromSlug: 'quiz-tracker', toSlug: 'quiz-tracker', fieldMap: { a: 'b' } }", #"{"ok":false,"moved":0,"removed_from_old":false,"error":"same_entity"}"#),
        ("{ fromSlug: 'quiz-tracker', toSlug: 'sales-leads' }", #"{"ok":false,"moved":0,"removed_from_old":false,"error":"invalid_field_map"}"#),
        ("{ fromSlug: 'quiz-tracker', toSlug: 'sales-leads', fieldMap: {} }", #"{"ok":false,"moved":0,"removed_from_old":false,"error":"invalid_field_map"}"#),
        ("{ fromSlug: 'quiz-tracker', toSlug: 'sales-leads', fieldMap: { a: 3 } }", #"{"ok":false,"moved":0,"removed_from_old":false,"error":"invalid_field_map"}"#),
        ("{ fromSlug: 'quiz-tracker', toSlug: 'sales-leads', fieldMap: { 'a b': 'c' } }", #"{"ok":false,"moved":0,"removed_from_old":false,"error":"invalid_field_map"}"#),
        ("{ fromSlug: 'quiz-tracker', toSlug: 'sales-leads', fieldMap: ['a'] }", #"{"ok":false,"moved":0,"removed_from_old":false,"error":"invalid_field_map"}"#),
        ("{ fromSlug: 'quiz-tracker', toSlug: 'sales-leads', fieldMap: { a: 'b' }, stageSlug: 'new' }", #"{"ok":false,"moved":0,"removed_from_old":false,"error":"ambiguous_stage"}"#),
        ("{ fromSlug: 'quiz-tracker', toSlug: 'sales-leads', fieldMap: { a: 'b' }, pipelineSlug: 'nope' }", #"{"ok":false,"moved":0,"removed_from_old":false,"error":"unknown_pipeline"}"#),
        ("{ from_slug: 'quiz-tracker', to_slug: 'sales-leads', field_map: { zzz: 'b' } }", #"{"ok":true,"moved":0,"removed_from_old":false}"#),
    ])
    func moveToEntityRejectsBadInput(options: String, expected: String) throws {
        let h = try CRMHarness()
        try h.run("setCrmField({ slug: 'quiz-tracker', fieldKey: 'a', value: 1 });", customer: "c1")
        #expect(try h.json("return moveCrmToEntity(\(options));", customer: "c1") == expected)
        #expect(try h.entries("sales-leads", id: "c1").isEmpty)
        #expect(try h.entries("quiz-tracker", id: "c1").count == 1)
    }
}
