import SluiceCompiler
import SluiceVM
import Testing
@testable import SluiceHost

/// The `session` global and the customer globals, driven through JavaScript.
@Suite struct SessionBindingTests {
    final class Page {
        let h: CRMHarness
        let state: SessionState
        let session: SessionRequestContext
        let crm: CRMRequestContext

        init(_ h: CRMHarness, state: SessionState = .detached()) {
            self.h = h
            self.state = state
            session = SessionRequestContext(state: state, customers: h.storage.customers)
            crm = CRMRequestContext(store: h.store, session: state, writeQueue: h.queue)
        }

        func run(_ source: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ScriptValue {
            switch try h.outcome(source, context: crm, sessionContext: session) {
            case .success(let v): return v
            case .failure(let e):
                Issue.record("script failed: \(e)", sourceLocation: sourceLocation)
                return .undefined
            }
        }
    }

    @Test func valuesRoundTripAndNullDeletes() throws {
        let page = Page(try CRMHarness())
        let out = try page.run("""
            var results = [session.set('quiz_visitor_id', 'v-1'), session.set('cart', { items: [1, 2], when: new Date(0) }),
                           session.set('n', 0), session.set('flag', false)];
            results.push(session.get('cart').items.length, session.get('quiz_visitor_id'), session.get('n'), session.get('flag'),
                         session.get('missing'));
            session.set('n', null);
            session.set('flag', undefined);
            results.push(session.get('n'), session.get('flag'));
            return results;
            """)
        #expect(out == .json(#"[true,true,true,true,2,"v-1",0,false,null,null,null]"#))
        #expect(page.state.value(forKey: "cart") == .json(#"{"items":[1,2],"when":"1970-01-01T00:00:00.000Z"}"#))
        #expect(page.state.value(forKey: "n") == nil)
        #expect(page.state.isModified)
    }

    @Test func reservedKeysReadNullAndIgnoreWrites() throws {
        let page = Page(try CRMHarness(), state: .detached(data: ["_internal": .string("secret"), "email": .string("x@y.z")]))
        let out = try page.run("""
            var keys = ['customer', 'customer_id', 'is_customer', 'email', '_internal', '_x'];
            var writes = keys.map(function (k) { return session.set(k, 'hacked'); });
            var reads = keys.map(function (k) { return session.get(k); });
            return [writes, reads];
            """)
        #expect(out == .json("[[false,false,false,false,false,false],[null,null,null,null,null,null]]"))
        #expect(page.state.value(forKey: "_internal") == .string("secret"))
        #expect(page.state.value(forKey: "customer") == nil)
        #expect(!page.state.isModified)
    }

    @Test func oversizedOrUnstorableValuesAreRefused() throws {
        let page = Page(try CRMHarness())
        let out = try page.run("""
            return [session.set('big', 'x'.repeat(65537)), session.set('ok', 'x'.repeat(65536)),
                    session.set('fn', function () {}), session.set('nan', NaN), session.set(42, 'v'), session.set('', 'v'),
                    session.get(42),
                    session.set('b', 'y'.repeat(65536)), session.set('c', 'y'.repeat(65536)), session.set('d', 'y'.repeat(65536)),
                    session.set('ok', 'small')];
            """)
        // The fourth 64 KB value would pass 256 KB in all; replacing a value counts only the new one.
        #expect(out == .json("[false,true,false,false,false,false,null,true,true,false,true]"))
    }

    @Test func theSessionObjectCannotBeReplacedOrChanged() throws {
        let page = Page(try CRMHarness())
        let out = try page.run("""
            'use strict';
            var errors = 0;
            try { session.get = function () { return 'forged'; }; } catch (e) { errors++; }
            try { session = {}; } catch (e) { errors++; }
            session.set('a', 1);
            return [errors, session.get('a')];
            """)
        #expect(out == .json("[2,1]"))
    }

    @Test func setCustomerLogsInAndTheGlobalsAndCRMFollow() throws {
        let h = try CRMHarness()
        let page = Page(h)
        let oldID = page.state.id
        let out = try page.run("""
            var before = [is_customer, customer, customer_id];
            var ok = session.setCustomer({ email: 'Member@Example.com', first_name: 'Mia', last_name: 'Berg' });
            setCrmField({ slug: 'pattern-tracker', fieldKey: 'joined', value: true });
            return { before: before, ok: ok, is: is_customer, name: customer.name, email: customer.email,
                     same: customer === customer, id: customer_id === customer.id,
                     joined: getCrmField({ slug: 'pattern-tracker', fieldKey: 'joined' }) };
            """)
        #expect(out == .json(#"{"before":[false,null,null],"ok":true,"is":true,"name":"Mia Berg","email":"Member@Example.com","same":true,"id":true,"joined":true}"#))
        let customerID = try #require(page.state.customerID)
        #expect(page.state.id != oldID)  // rotated at log-in
        #expect(try h.storage.customers.customer(email: "member@example.com")?.id == customerID)
        #expect(try h.entries("pattern-tracker", id: customerID).count == 1)
        // Logging in again by e-mail finds the same customer and merges the new details.
        let second = Page(h)
        #expect(try second.run("return session.setCustomer({ email: 'member@example.com', name: 'Mia B.' });") == .bool(true))
        #expect(second.state.customerID == customerID)
        #expect(second.state.customer?.name == "Mia B.")
        #expect(second.state.customer?.firstName == "Mia")
    }

    @Test func setCustomerWithAnIdUsesIt() throws {
        let page = Page(try CRMHarness())
        #expect(try page.run("return [session.setCustomer({ email: 'a@b.c', id: 1234 }), customer_id];") == .json(#"[true,"1234"]"#))
    }

    @Test(arguments: [
        "session.setCustomer()", "session.setCustomer('a@b.c')", "session.setCustomer({})",
        "session.setCustomer({ email: 'no-at' })", "session.setCustomer({ email: 42 })",
        "session.setCustomer({ email: 'a@b.c', name: {} })", "session.setCustomer({ email: 'a@b.c', id: '{bad}' })",
        "session.setCustomer({ email: 'a@b.c', id: true })",
    ])
    func invalidCustomersAreRefused(call: String) throws {
        let page = Page(try CRMHarness())
        #expect(try page.run("return [\(call), is_customer];") == .json("[false,false]"))
        #expect(page.state.customerID == nil)
    }

    @Test func setCustomerIsLimitedPerRun() throws {
        let page = Page(try CRMHarness())
        let out = try page.run("""
            var r = [];
            for (var i = 0; i < 7; i++) r.push(session.setCustomer({ email: 'u' + i + '@x.y' }));
            return [r, customer.email];
            """)
        #expect(out == .json(#"[[true,true,true,true,true,false,false],"u4@x.y"]"#))
    }

    @Test func sessionsPersistThroughTheStore() throws {
        let h = try CRMHarness()
        let store = h.storage.sessions
        let customers = h.storage.customers
        let state = try store.begin(cookieID: nil, customers: customers)
        _ = try Page(h, state: state).run("session.set('step', 2); session.setCustomer({ email: 'p@q.r' });")
        let cookie = try #require(try store.commit(state))
        try h.reopen()
        let next = try h.storage.sessions.begin(cookieID: cookie, customers: h.storage.customers)
        #expect(try Page(h, state: next).run("return [session.get('step'), customer.email, is_customer];") == .json(#"[2,"p@q.r",true]"#))
    }
}
