import SluiceCompiler
import SluiceVM
import Testing
@testable import SluiceHost

/// A pooled runtime: bindings installed once through handles, the request swapped between runs.
@Suite struct CRMRuntimeReuseTests {
    @Test func handlesServeOneRequestAfterAnother() throws {
        let h = try CRMHarness()
        let rt = Runtime()
        let first = SessionState.detached()
        let crmHandle = CRMBindingHandle(context: CRMRequestContext(store: h.store, session: first, writeQueue: h.queue))
        let sessionHandle = SessionBindingHandle(context: SessionRequestContext(state: first, customers: h.storage.customers))
        try CRMBinding.install(into: rt, handle: crmHandle)
        try SessionBinding.install(into: rt, handle: sessionHandle)
        try SessionBinding.installCustomerGlobals(into: rt, handle: sessionHandle)
        rt.recordPristineState()

        let program = try Compiler.compile(source: """
            if (!is_customer) session.setCustomer({ email: request_email });
            setCrmField({ slug: 'pattern-tracker', fieldKey: 'visits', value: (getCrmField({ slug: 'pattern-tracker', fieldKey: 'visits' }) || 0) + 1 });
            return [customer.email, getCrmField({ slug: 'pattern-tracker', fieldKey: 'visits' })];
            """, name: "page.js", options: .functionBody)

        func serve(_ state: SessionState, email: String) throws -> ScriptValue {
            crmHandle.context = CRMRequestContext(store: h.store, session: state, writeQueue: h.queue)
            sessionHandle.context = SessionRequestContext(state: state, customers: h.storage.customers)
            try rt.defineGlobal("request_email", try rt.string(email))
            defer { _ = rt.replaceGlobalValue("request_email", .undefined) }
            guard case .success(let v) = rt.run(program, limits: .pageDefaults) else {
                Issue.record("run failed")
                return .undefined
            }
            return rt.scriptValue(from: v)
        }

        #expect(try serve(first, email: "one@example.com") == .json(#"["one@example.com",1]"#))
        #expect(try serve(SessionState.detached(), email: "two@example.com") == .json(#"["two@example.com",1]"#))
        #expect(try serve(first, email: "ignored@example.com") == .json(#"["one@example.com",2]"#))
        let one = try #require(first.customerID)
        #expect(try h.entries("pattern-tracker", id: one).first?.values["visits"] == .number(2))
    }

    @Test func theBindingsLeaveAPooledRuntimePristine() throws {
        let h = try CRMHarness()
        let rt = Runtime()
        let handle = CRMBindingHandle(context: h.context(customer: "c1"))
        try CRMBinding.install(into: rt, handle: handle)
        rt.recordPristineState()
        let program = try Compiler.compile(source: """
            setCrmField({ slug: 'quiz', fieldKey: 'd', value: new Date(0) });
            return getCrmEntries({ slug: 'quiz' }).length;
            """, name: "page.js", options: .functionBody)
        guard case .success(let v) = rt.run(program, limits: .pageDefaults) else { Issue.record("run failed"); return }
        #expect(rt.scriptValue(from: v) == .number(1))
        #expect(rt.isPristine())
        // A script that replaces JSON dirties the runtime, but cannot change what the CRM stores.
        let patch = try Compiler.compile(source: """
            JSON.stringify = function () { return '"forged"'; };
            setCrmField({ slug: 'quiz', fieldKey: 'd', value: new Date(0) });
            return getCrmField({ slug: 'quiz', fieldKey: 'd' });
            """, name: "page.js", options: .functionBody)
        guard case .success(let p) = rt.run(patch, limits: .pageDefaults) else { Issue.record("run failed"); return }
        #expect(rt.scriptValue(from: p) == .string("1970-01-01T00:00:00.000Z"))
        #expect(!rt.isPristine())
    }
}
