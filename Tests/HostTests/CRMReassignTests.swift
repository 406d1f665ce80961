import SluiceCompiler
import SluiceVM
import Testing
@testable import SluiceHost

/// reassignCrmReference (reference-notes §1.7.4): the anonymous quiz → customer migration and its
/// security checks.
@Suite struct CRMReassignTests {
    static let visitor: [String: ScriptValue] = ["quiz_visitor_id": .string("v-123")]

    /// An anonymous visitor saves quiz answers under their visitor reference.
    func anonymousQuiz(_ h: CRMHarness) throws {
        try h.run("""
            var ref = { slug: 'quiz', referenceType: 'quiz_visitor', referenceId: session_visitor };
            setCrmFields(Object.assign({ fields: [{ fieldKey: 'q1', value: 'a' }, { fieldKey: 'email', value: 'v@x.y' }] }, ref));
            addCrmFieldValue(Object.assign({ fieldKey: 'q2', value: 'b' }, ref));
            """.replacingOccurrences(of: "session_visitor", with: "'v-123'"), session: Self.visitor)
    }

    @Test func entriesMoveToTheCustomerAndTheCallIsIdempotent() throws {
        let h = try CRMHarness()
        try anonymousQuiz(h)
        let call = """
            return reassignCrmReference({ slug: 'quiz', fromReferenceType: 'quiz_visitor', fromReferenceId: 'v-123' });
            """
        #expect(try h.json(call, customer: "c1", session: Self.visitor) == #"{"ok":true,"migrated":2,"merged":false}"#)
        let mine = try h.entries("quiz", id: "c1")
        #expect(mine.count == 2)
        #expect(mine.allSatisfy { $0.referenceType == "customer" && $0.referenceID == "c1" })
        #expect(try h.entries("quiz", "quiz_visitor", id: "v-123").isEmpty)
        #expect(try h.json(call, customer: "c1", session: Self.visitor) == #"{"ok":true,"migrated":0,"merged":false}"#)
        #expect(try h.json("return getCrmFields({ slug: 'quiz', fieldKeys: ['q1', 'q2', 'email'] });", customer: "c1") ==
                #"{"q1":"a","q2":"b","email":"v@x.y"}"#)
    }

    @Test func existingCustomerEntriesWinOnDuplicateKeys() throws {
        let h = try CRMHarness()
        try anonymousQuiz(h)
        try h.run("setCrmFields({ slug: 'quiz', fields: [{ fieldKey: 'email', value: 'me@x.y' }, { fieldKey: 'own', value: 1 }] });",
                  customer: "c1")
        #expect(try h.json("""
            return reassignCrmReference({ slug: 'quiz', fromReferenceType: 'quiz_visitor', fromReferenceId: 'v-123',
                                          toReferenceType: 'customer', toReferenceId: 'c1' });
            """, customer: "c1", session: Self.visitor) == #"{"ok":true,"migrated":2,"merged":true}"#)
        let mine = try h.entries("quiz", id: "c1")
        #expect(mine.count == 1)  // consolidated
        #expect(mine.first?.values == CRMValues([
            ScriptProperty("email", .string("me@x.y")), ScriptProperty("own", .number(1)),
            ScriptProperty("q1", .string("a")), ScriptProperty("q2", .string("b")),
        ]))
        #expect(try h.totalEntries() == 1)
    }

    @Test func onlyTheSlugGivenIsMigrated() throws {
        let h = try CRMHarness()
        try anonymousQuiz(h)
        try h.run("setCrmField({ slug: 'quiz-tracker', referenceType: 'quiz_visitor', referenceId: 'v-123', fieldKey: 'x', value: 1 });")
        _ = try h.run("return reassignCrmReference({ slug: 'quiz', fromReferenceType: 'quiz_visitor', fromReferenceId: 'v-123' });",
                      customer: "c1", session: Self.visitor)
        #expect(try h.entries("quiz-tracker", "quiz_visitor", id: "v-123").count == 1)
    }

    @Test(arguments: [
        // Not logged in.
        (nil as String?, "{ slug: 'quiz', fromReferenceType: 'quiz_visitor', fromReferenceId: 'v-123' }", "forbidden"),
        // The visitor id must be the session's.
        ("c1", "{ slug: 'quiz', fromReferenceType: 'quiz_visitor', fromReferenceId: 'v-999' }", "forbidden"),
        ("c1", "{ slug: 'quiz', fromReferenceType: 'quiz_visitor' }", "forbidden"),
        // Nobody takes over a customer's entries.
        ("c1", "{ slug: 'quiz', fromReferenceType: 'customer', fromReferenceId: 'v-123' }", "forbidden"),
        // The target is always the logged-in customer.
        ("c1", "{ slug: 'quiz', fromReferenceType: 'quiz_visitor', fromReferenceId: 'v-123', toReferenceId: 'c2' }", "forbidden_target"),
        ("c1", "{ slug: 'quiz', fromReferenceType: 'quiz_visitor', fromReferenceId: 'v-123', toReferenceType: 'order' }", "forbidden_target"),
        ("c1", "{ slug: 'quiz', fromReferenceType: 'quiz_visitor', fromReferenceId: 'v-123', toReferenceId: 42 }", "forbidden_target"),
        // Malformed references.
        ("c1", "{ slug: 'quiz', fromReferenceId: 'v-123' }", "invalid_reference"),
        ("c1", "{ slug: 'quiz', fromReferenceType: 'quiz visitor', fromReferenceId: 'v-123' }", "invalid_reference"),
        ("c1", "{ slug: 'quiz', fromReferenceType: 'quiz_visitor', fromReferenceId: ['v-123'] }", "invalid_reference"),
    ])
    func securityChecksRefuseAndMoveNothing(customer: String?, options: String, error: String) throws {
        let h = try CRMHarness()
        try anonymousQuiz(h)
        #expect(try h.json("return reassignCrmReference(\(options));", customer: customer, session: Self.visitor) ==
                #"{"ok":false,"migrated":0,"merged":false,"error":"\#(error)"}"#)
        #expect(try h.entries("quiz", "quiz_visitor", id: "v-123").count == 2)
    }

    @Test func withoutAVisitorIdInTheSessionNothingMoves() throws {
        let h = try CRMHarness()
        try anonymousQuiz(h)
        #expect(try h.run("return reassignCrmReference({ slug: 'quiz', fromReferenceType: 'quiz_visitor', fromReferenceId: 'v-123' });",
                          customer: "c1")["error"] == .string("forbidden"))
    }

    @Test func asyncReassignIsPendingThenDone() throws {
        let h = try CRMHarness()
        try anonymousQuiz(h)
        let context = h.context(customer: "c1", session: Self.visitor)
        let program = """
            return reassignCrmReference({ slug: 'quiz', fromReferenceType: 'quiz_visitor', fromReferenceId: 'v-123', async: true });
            """
        // Before the response is sent the entries have not moved…
        let rt = Runtime()
        try CRMBinding.install(into: rt, context: context)
        let result = rt.run(try SluiceCompilerShim.compile(program), limits: .unlimited)
        guard case .success(let v) = result else { Issue.record("script failed"); return }
        #expect(rt.scriptValue(from: v).jsonText == #"{"ok":true,"pending":true,"migrated":0,"merged":false}"#)
        #expect(context.deferredWrites.count == 1)
        #expect(try h.entries("quiz", id: "c1").isEmpty)
        // …and after it, they have.
        context.submitDeferredWrites()
        h.queue.drain()
        #expect(try h.entries("quiz", id: "c1").count == 2)
    }

    /// The documented snippet, with the real session binding: the visitor id is cleared after success.
    @Test func documentedSnippetClearsTheVisitorId() throws {
        let h = try CRMHarness()
        try anonymousQuiz(h)
        let state = SessionState.detached(data: Self.visitor)
        let customers = h.storage.customers
        let sessionContext = SessionRequestContext(state: state, customers: customers)
        let crm = CRMRequestContext(store: h.store, session: state, writeQueue: h.queue)
        let out = try h.outcome("""
            session.setCustomer({ email: 'member@example.com' });
            var r = reassignCrmReference({ slug: 'quiz', fromReferenceType: 'quiz_visitor',
                                           fromReferenceId: session.get('quiz_visitor_id') });
            if (r.ok && r.migrated > 0) session.set('quiz_visitor_id', null);
            return [r.migrated, session.get('quiz_visitor_id'), is_customer];
            """, context: crm, sessionContext: sessionContext)
        guard case .success(let v) = out else { Issue.record("script failed: \(out)"); return }
        #expect(v == .json("[2,null,true]"))
        let customerID = try #require(state.customerID)
        #expect(try h.entries("quiz", id: customerID).count == 2)
        #expect(state.value(forKey: "quiz_visitor_id") == nil)
    }
}

/// Compiles page scripts for tests that drive a Runtime themselves.
enum SluiceCompilerShim {
    static func compile(_ source: String) throws -> Program {
        try Compiler.compile(source: source, name: "page.js", options: .functionBody)
    }
}
