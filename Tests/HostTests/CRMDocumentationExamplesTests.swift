import SluiceCompiler
import SluiceVM
import Testing
@testable import SluiceHost

/// The CRM code of building-custom-workflows.md (the origin page), verbatim. Only what belongs to
/// other bindings is stood in for: `setVariable` records its calls, and the Schema result of the
/// check-in page is given as `result`.
@Suite struct CRMDocumentationExamplesTests {
    /// Runs `source` with the CRM installed and a recording `setVariable`; returns the variables.
    func run(_ h: CRMHarness, _ source: String, customer: String = "42") throws -> [String: ScriptValue] {
        let program = try Compiler.compile(source: source, name: "page.js", options: .functionBody)
        let rt = Runtime()
        let context = h.context(customer: customer)
        try CRMBinding.install(into: rt, context: context)
        final class Variables { var values: [String: ScriptValue] = [:] }
        let variables = Variables()
        try rt.defineHostFunction("setVariable", length: 2) { args in
            if case .string(let key)? = args.first { variables.values[key] = args.count > 1 ? args[1] : .undefined }
            return .undefined
        }
        let outcome = rt.run(program, limits: .pageDefaults)
        context.submitDeferredWrites()
        h.queue.drain()
        if case .failure(let e) = outcome { Issue.record("example failed: \(e)") }
        return variables.values
    }

    @Test func weightCheckinThenDashboard() throws {
        let h = try CRMHarness()
        _ = try run(h, """
            var result = { valid: true, value: { weight: 182, unit: 'lbs', notes: 'felt good' } };
                var data = result.value;

                var entitySlug = 'pattern-tracker'; // your CRM entity slug from settings
                var fields = [
                  { fieldKey: 'current_weight', value: data.weight },
                  { fieldKey: 'weight_unit', value: data.unit },
                  { fieldKey: 'last_checkin', value: new Date().toISOString() }
                ];

                if (data.notes) {
                  fields.push({ fieldKey: 'checkin_notes', value: data.notes });
                }

                setCrmFields({ slug: entitySlug, fields: fields });
            """)
        let entry = try #require(try h.entries("pattern-tracker", id: "42").first)
        #expect(entry.values.keys == ["current_weight", "weight_unit", "last_checkin", "checkin_notes"])
        #expect(entry.values["current_weight"] == .number(182))
        #expect(entry.values["checkin_notes"] == .string("felt good"))

        let dashboard = """
              var entitySlug = 'pattern-tracker';
              var fields = getCrmFields({ slug: entitySlug, fieldKeys: ['current_weight', 'goal_weight'] });
              var weight = fields.current_weight;
              var goal   = fields.goal_weight;
              setVariable('current_weight', weight || 'Not logged yet');
              setVariable('goal_weight', goal || 'Not set');
              setVariable('on_track', weight && goal && Number(weight) <= Number(goal));
            """
        var vars = try run(h, dashboard)
        #expect(vars["current_weight"] == .number(182))
        #expect(vars["goal_weight"] == .string("Not set"))
        #expect(vars["on_track"] == .null)
        try h.run("setCrmField({ slug: 'pattern-tracker', fieldKey: 'goal_weight', value: 185 });", customer: "42")
        vars = try run(h, dashboard)
        #expect(vars["on_track"] == .bool(true))
        // Another visitor has nothing logged.
        vars = try run(h, dashboard, customer: "43")
        #expect(vars["current_weight"] == .string("Not logged yet"))
    }

    @Test func slugVersusReferenceExamples() throws {
        let h = try CRMHarness()
        _ = try run(h, """
            setCrmField({ slug: 'pattern-tracker', fieldKey: 'score', value: 85 });

            setCrmField({
              slug: 'pattern-tracker',
              referenceType: 'order',
              referenceId: '12345',
              fieldKey: 'followup',
              value: 'done',
            });
            """)
        #expect(try h.entries("pattern-tracker", id: "42").first?.values["score"] == .number(85))
        #expect(try h.entries("pattern-tracker", "order", id: "12345").first?.values["followup"] == .string("done"))
    }

    @Test func workflowMoveExamples() throws {
        let h = try CRMHarness()
        try h.run("setCrmField({ slug: 'pattern-tracker', fieldKey: 'quiz_email', value: 'lead@example.com' });", customer: "42")
        _ = try run(h, """
            moveCrmToStage({
              slug: 'pattern-tracker',
              stageSlug: 'qualified'
            });
            """)
        #expect(try h.entries("pattern-tracker", id: "42").first?.stageID == 2)
        _ = try run(h, """
            moveCrmToPipeline({
              slug: 'pattern-tracker',
              pipelineSlug: 'sales',
              stageSlug: 'proposal-sent'
            });
            """)
        #expect(try h.entries("pattern-tracker", id: "42").first?.stageID == 3)
        try h.run("moveCrmToStage({ slug: 'pattern-tracker', stageSlug: 'new' });", customer: "42")
        _ = try run(h, """
            moveCrmToPipeline({
              slug: 'pattern-tracker',
              pipelineSlug: 'sales',
              stageSlug: 'proposal-sent',
              async: true
            });
            """)
        let entry = try #require(try h.entries("pattern-tracker", id: "42").first)
        #expect(entry.pipelineID == 1 && entry.stageID == 3)

        _ = try run(h, """
            var quizEmail = getCrmField({ slug: 'pattern-tracker', fieldKey: 'quiz_email' });
            if (quizEmail) {
              setCrmField({ slug: 'pattern-tracker', fieldKey: 'email', value: quizEmail, force: true });
            }
            """)
        #expect(try h.entries("pattern-tracker", id: "42").first?.values["email"] == .string("lead@example.com"))
    }

    @Test func moveAcrossEntitiesExamples() throws {
        let h = try CRMHarness()
        try h.run("setCrmFields({ slug: 'quiz-tracker', fields: [{ fieldKey: 'quiz_email', value: 'q@example.com' }, { fieldKey: 'quiz_score', value: 8 }] });",
                  customer: "42")
        _ = try run(h, """
            moveCrmToEntity({
              fromSlug: 'quiz-tracker',
              toSlug: 'sales-leads',
              fieldMap: {
                quiz_email: 'email',
                quiz_score: 'lead_score'
              },
              pipelineSlug: 'sales',
              stageSlug: 'new',
              removeFromOld: true
            });
            """)
        let lead = try #require(try h.entries("sales-leads", id: "42").first)
        #expect(lead.values == CRMValues([ScriptProperty("email", .string("q@example.com")), ScriptProperty("lead_score", .number(8))]))
        #expect(lead.pipelineID == 2 && lead.stageID == 4)
        #expect(try h.entries("quiz-tracker", id: "42").isEmpty)

        try h.run("setCrmField({ slug: 'quiz-tracker', fieldKey: 'quiz_email', value: 'again@example.com' });", customer: "7")
        _ = try run(h, """
            moveCrmToEntity({
              fromSlug: 'quiz-tracker',
              toSlug: 'sales-leads',
              fieldMap: { quiz_email: 'email' },
              async: true
            });
            """, customer: "7")
        #expect(try h.entries("sales-leads", id: "7").first?.values["email"] == .string("again@example.com"))
        #expect(try h.entries("quiz-tracker", id: "7").count == 1)
    }
}
