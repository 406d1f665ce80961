import Foundation
import Testing

/// Every CRM function, its validation rules and the Schema messages, through a page served over
/// HTTP with a signed-in customer and a real SQLite file. (The detailed rules are unit-tested in
/// HostTests; this proves the wiring end to end.)
@Suite(.serialized) struct CRMOverHTTPTests {
    static let siteJSON = """
        { "name": "CRM Site",
          "crm": { "entities": [
            { "slug": "pattern-tracker", "name": "Pattern tracker",
              "fields": [ { "key": "current_weight", "type": "number" } ],
              "pipelines": [ { "slug": "sales", "name": "Sales",
                               "stages": [ { "slug": "new" }, { "slug": "qualified" }, { "slug": "proposal-sent" } ] } ] },
            { "slug": "quiz-tracker", "name": "Quiz", "fields": [ { "key": "quiz_email", "type": "text" } ] },
            { "slug": "sales-leads", "name": "Leads", "fields": [ { "key": "email", "type": "text" } ],
              "pipelines": [ { "slug": "leads", "name": "Leads", "stages": [ { "slug": "fresh" } ] } ] } ] } }
        """

    static let crmPage = """
        <script scope="backend">
        const out = {};
        function attempt(name, fn) { try { out[name] = fn(); } catch (e) { out[name] = e.name + ': ' + e.message; } }
        const s = 'pattern-tracker';
        attempt('set', () => setCrmField({ slug: s, fieldKey: 'current_weight', value: 182 }));
        attempt('setMany', () => setCrmFields({ slug: s, fields: [{ fieldKey: 'goal_weight', value: 170 }, { fieldKey: 'note', value: { a: 1 } }] }));
        attempt('get', () => getCrmField({ slug: s, fieldKey: 'current_weight' }));
        attempt('getMany', () => getCrmFields({ slug: s, fieldKeys: ['current_weight', 'goal_weight', 'missing'] }));
        attempt('add', () => addCrmFieldValue({ slug: s, fieldKey: 'current_weight', value: 181 }));
        attempt('values', () => getCrmFieldValues({ slug: s, fieldKey: 'current_weight' }).length);
        attempt('entries', () => getCrmEntries({ slug: s }).map(e => [typeof e.id, e.reference_type, typeof e.values_flat]));
        attempt('stage', () => moveCrmToStage({ slug: s, stageSlug: 'qualified' }).ok);
        attempt('pipeline', () => moveCrmToPipeline({ slug: s, pipelineSlug: 'sales', stageSlug: 'proposal-sent' }).stage_id);
        attempt('lead', () => moveCrmLead({ slug: s, pipelineSlug: 'sales', stageSlug: 'new' }).ok);
        attempt('order', () => setCrmField({ slug: s, referenceType: 'order', referenceId: '12345', fieldKey: 'followup', value: 'done' }));
        attempt('orderRead', () => getCrmField({ slug: s, referenceType: 'order', referenceId: '12345', fieldKey: 'followup' }));
        attempt('quiz', () => setCrmField({ slug: 'quiz-tracker', fieldKey: 'quiz_email', value: 'q@example.com' }));
        attempt('toEntity', () => moveCrmToEntity({ fromSlug: 'quiz-tracker', toSlug: 'sales-leads', fieldMap: { quiz_email: 'email' },
                                                    pipelineSlug: 'leads', stageSlug: 'fresh', removeFromOld: true }).ok);
        attempt('leadEmail', () => getCrmField({ slug: 'sales-leads', fieldKey: 'email' }));
        attempt('ensure', () => ensureCrmEntity({ slug: 'extra-entity', name: 'Extra', fields: [{ key: 'x', type: 'text' }] }).created);
        attempt('reassign', () => reassignCrmReference({ slug: s, fromReferenceType: 'quiz_visitor', fromReferenceId: 'nope' }));
        attempt('clear', () => clearCrmEntries({ slug: s, referenceType: 'order', referenceId: '12345' }));
        attempt('unknownSlug', () => setCrmField({ slug: 'nope', fieldKey: 'a', value: 1 }));
        attempt('missingSlug', () => getCrmField({ fieldKey: 'a' }));
        attempt('missingKey', () => setCrmField({ slug: s, value: 1 }));
        attempt('missingValue', () => setCrmField({ slug: s, fieldKey: 'a' }));
        attempt('badKey', () => setCrmField({ slug: s, fieldKey: 'bad key!', value: 1 }));
        attempt('nan', () => setCrmField({ slug: s, fieldKey: 'a', value: NaN }));
        attempt('long', () => setCrmField({ slug: s, fieldKey: 'a', value: 'x'.repeat(10001) }));
        attempt('badRef', () => setCrmField({ slug: s, referenceType: 'or der', referenceId: '1', fieldKey: 'a', value: 1 }));
        const schema = Schema.object({
          name: Schema.string().required().min(2).label('Name'),
          email: Schema.string().email(),
          age: Schema.number().integer().positive().max(150),
          tags: Schema.array().items(Schema.string().lowercase()).max(2),
        });
        attempt('schema', () => schema.validate({ name: 'A', email: 'nope', age: '1.5', tags: ['OK', 'b', 'c'] }).errors);
        attempt('schemaOk', () => schema.validate({ name: 'Ada', age: '36' }).value);
        response.json(out);
        </script>
        """

    @Test func everyCRMFunctionAndValidationRuleOverHTTP() throws {
        let site = TestServer.makeSite(["site.json": CRMOverHTTPTests.siteJSON, "pages/crm.html": CRMOverHTTPTests.crmPage,
                                        "pages/login.html": #"<script scope="backend">response.json(session.setCustomer({ email: query.email }))</script>"#])
        let server = try TestServer(sites: [site])
        defer { server.stop() }
        let c = server.client()

        // Anonymous: writes refused, reads empty, validation still throws.
        let anonymous = json(try c.get("/crm")) ?? [:]
        #expect(anonymous["set"] as? Bool == false)
        #expect(anonymous["get"] is NSNull)
        #expect((anonymous["entries"] as? [Any])?.isEmpty == true)
        #expect((anonymous["unknownSlug"] as? String)?.hasPrefix("TypeError") == true)

        #expect(try c.get("/login?email=crm%40example.com").text == "true")
        let r = json(try c.get("/crm")) ?? [:]
        #expect(r["set"] as? Bool == true)
        #expect(r["setMany"] as? Bool == true)
        #expect(r["get"] as? Double == 182)
        let many = r["getMany"] as? [String: Any]
        #expect(many?["goal_weight"] as? Double == 170)
        #expect(many?["missing"] is NSNull)
        #expect(r["add"] as? Bool == true)
        #expect((r["values"] as? Int ?? 0) >= 2)
        #expect((r["entries"] as? [[Any]])?.first?[1] as? String == "customer")
        #expect(r["stage"] as? Bool == true)
        #expect(r["pipeline"] as? Int == 3)
        #expect(r["lead"] as? Bool == true)
        #expect(r["order"] as? Bool == true)
        #expect(r["orderRead"] as? String == "done")
        #expect(r["quiz"] as? Bool == true)
        #expect(r["toEntity"] as? Bool == true)
        #expect(r["leadEmail"] as? String == "q@example.com")
        #expect(anonymous["ensure"] as? Bool == true)     // created on the first call...
        #expect(r["ensure"] as? Bool == false)            // ...and found on the next
        #expect((r["reassign"] as? [String: Any])?["ok"] as? Bool == false)
        #expect(r["clear"] != nil && !(r["clear"] is String))
        for key in ["unknownSlug", "missingSlug", "missingKey", "missingValue"] {
            #expect((r[key] as? String)?.hasPrefix("TypeError") == true, "\(key): \(String(describing: r[key]))")
        }
        for key in ["badKey", "nan", "long", "badRef"] {
            #expect(r[key] as? Bool == false, "\(key): \(String(describing: r[key]))")
        }
        let errors = r["schema"] as? [String] ?? []
        #expect(errors.count >= 4, "\(errors)")
        #expect(errors.contains { $0.hasPrefix("Name") && $0.contains("2") })
        #expect(errors.contains { $0.contains("email") })
        #expect(errors.contains { $0.contains("age") && $0.contains("integer") })
        #expect(errors.contains { $0.contains("tags") })
        let ok = r["schemaOk"] as? [String: Any]
        #expect(ok?["age"] as? Double == 36)
        #expect(ok?["name"] as? String == "Ada")
    }
}
