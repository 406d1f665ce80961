import Foundation
import Synchronization
import SluiceVM
import Testing
@testable import SluiceHost

/// A clock tests can move.
final class FakeClock: Sendable {
    private let now = Mutex<Int64>(1_800_000_000_000)
    func read() -> Int64 { now.withLock { $0 } }
    func advance(milliseconds: Int64) { now.withLock { $0 += milliseconds } }
}

@Suite struct SessionStoreTests {
    func makeStore(_ folder: TemporaryFolder, clock: FakeClock) throws -> (SessionStore, CustomerStore, SQLiteDatabase) {
        let db = try SQLiteDatabase(path: folder.file("site.sqlite"), options: .init(migrations: SiteSchema.migrations))
        let cache = SessionCache()
        return (SessionStore(database: db, cache: cache, clock: { clock.read() }), CustomerStore(database: db, sessionCache: cache), db)
    }

    @Test func idsAreRandomAndWellFormed() {
        var seen = Set<String>()
        for _ in 0..<2000 {
            let id = SessionID.generate()
            #expect(SessionID.isWellFormed(id))
            seen.insert(id)
        }
        #expect(seen.count == 2000)
        #expect(!SessionID.isWellFormed("short"))
        #expect(!SessionID.isWellFormed(String(repeating: "a", count: 42) + "="))
        #expect(!SessionID.isWellFormed("' OR 1=1 --" + String(repeating: "a", count: 32)))
    }

    @Test func newSessionsAreStoredOnlyWhenSaved() throws {
        let folder = TemporaryFolder()
        let clock = FakeClock()
        let (store, _, _) = try makeStore(folder, clock: clock)
        let session = store.create()
        #expect(session.expiresAt - session.createdAt == 3 * 60 * 60 * 1000)
        #expect(try store.load(id: session.id) == nil)
        var changed = session
        changed.data["quiz_visitor_id"] = .string("v-1")
        changed.data["cart"] = .json(#"{"items":[1,2],"total":9.5}"#)
        try store.save(changed)
        #expect(try store.load(id: session.id) == changed)
        try store.delete(id: session.id)
        #expect(try store.load(id: session.id) == nil)
    }

    @Test func sessionsExpireThreeHoursAfterCreation() throws {
        let folder = TemporaryFolder()
        let clock = FakeClock()
        let (store, _, _) = try makeStore(folder, clock: clock)
        let old = store.create()
        try store.save(old)
        clock.advance(milliseconds: 2 * 60 * 60 * 1000)
        let young = store.create()
        try store.save(young)
        try store.save(old)  // saving again does not extend it
        clock.advance(milliseconds: 60 * 60 * 1000 + 1)
        #expect(try store.load(id: old.id) == nil)
        #expect(try store.load(id: young.id) != nil)
        #expect(try store.deleteExpired() == 1)
        #expect(try store.deleteExpired() == 0)
        clock.advance(milliseconds: 2 * 60 * 60 * 1000)
        #expect(try store.load(id: young.id) == nil)
    }

    @Test func savingCleansUpExpiredSessionsNowAndThen() throws {
        let folder = TemporaryFolder()
        let clock = FakeClock()
        let (store, _, db) = try makeStore(folder, clock: clock)
        for _ in 0..<5 { try store.save(store.create()) }
        clock.advance(milliseconds: 4 * 60 * 60 * 1000)
        try store.save(store.create())
        let rows = try db.read { (c) throws(SQLiteError) in try c.queryFirst("SELECT count(*) FROM sessions")?.int(0) }
        #expect(rows == 1)
    }

    @Test func beginAndCommitFollowTheRequest() throws {
        let folder = TemporaryFolder()
        let clock = FakeClock()
        let (store, customers, _) = try makeStore(folder, clock: clock)
        // No cookie: a new session, not saved while untouched.
        let fresh = try store.begin(cookieID: nil, customers: customers)
        #expect(fresh.isNew)
        #expect(try store.commit(fresh) == nil)
        // Touched: saved, and the cookie must be set.
        fresh.setValue(.string("v"), forKey: "k")
        let cookie = try #require(try store.commit(fresh))
        #expect(cookie == fresh.id)
        // Next request with that cookie sees the data; an unchanged session needs no cookie.
        let next = try store.begin(cookieID: cookie, customers: customers)
        #expect(!next.isNew)
        #expect(next.value(forKey: "k") == .string("v"))
        next.setValue(.string("w"), forKey: "k")
        #expect(try store.commit(next) == nil)
        // Logging in rotates the id: the old one stops working.
        let customer = try customers.findOrCreateCustomer(email: "a@b.c")
        let login = try store.begin(cookieID: cookie, customers: customers)
        login.logIn(customer)
        let rotated = try #require(try store.commit(login))
        #expect(rotated != cookie)
        #expect(try store.load(id: cookie) == nil)
        let after = try store.begin(cookieID: rotated, customers: customers)
        #expect(after.customerID == customer.id)
        #expect(after.customer == customer)
        #expect(after.value(forKey: "k") == .string("w"))
        // A junk or unknown cookie starts over.
        #expect(try store.begin(cookieID: "junk", customers: customers).isNew)
        #expect(try store.begin(cookieID: SessionID.generate(), customers: customers).isNew)
    }
}

@Suite struct SessionCustomerTests {
    func makeStore(_ folder: TemporaryFolder) throws -> CustomerStore {
        CustomerStore(database: try SQLiteDatabase(path: folder.file("site.sqlite"), options: .init(migrations: SiteSchema.migrations)))
    }

    @Test func findOrCreateByEmailIgnoresCase() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        let a = try store.findOrCreateCustomer(email: " Ann@Example.com ", name: "Ann Lee")
        #expect(a.id.hasPrefix("cus_") && a.id.count == 24)
        #expect(a.email == "Ann@Example.com")
        #expect(a.firstName == "Ann" && a.lastName == "Lee")
        let again = try store.findOrCreateCustomer(email: "ann@example.COM", lastName: "Smith")
        #expect(again.id == a.id)
        #expect(again.firstName == "Ann" && again.lastName == "Smith")
        #expect(again.name == "Ann Smith")
        #expect(try store.customer(id: a.id) == again)
        #expect(try store.customer(email: "ANN@example.com")?.id == a.id)
        let other = try store.findOrCreateCustomer(email: "bob@example.com")
        #expect(other.id != a.id)
        #expect(other.name == nil)
    }

    @Test func anExplicitIdIsUsed() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        let c = try store.findOrCreateCustomer(email: "x@y.z", firstName: "X", id: "ext-77")
        #expect(c.id == "ext-77")
        #expect(c.name == "X")
        let moved = try store.findOrCreateCustomer(email: "new@y.z", id: "ext-77")
        #expect(moved.email == "new@y.z")
        #expect(moved.firstName == "X")
        #expect(moved.createdAt == c.createdAt)
    }

    @Test(arguments: ["", "no-at-sign", "@example.com", "a@", String(repeating: "a", count: 250) + "@b.cd"])
    func invalidEmailsAreRefused(email: String) throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        #expect(throws: CustomerStoreError.self) { try store.findOrCreateCustomer(email: email) }
    }

    @Test func invalidIdsAreRefused() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        #expect(throws: CustomerStoreError.self) { try store.findOrCreateCustomer(email: "a@b.c", id: "{x}") }
        #expect(throws: CustomerStoreError.self) { try store.findOrCreateCustomer(email: "a@b.c", id: "") }
    }

    @Test func theCustomerGlobalHasEveryDocumentedKey() throws {
        let folder = TemporaryFolder()
        let store = try makeStore(folder)
        let c = try store.findOrCreateCustomer(email: "a@b.c", name: "Ann")
        try store.updateDetails(id: c.id, ["billing_city": .string("Oslo"), "order_ids": .json("[1]")])
        let value = try #require(try store.customer(id: c.id)).scriptValue
        guard case .object(let props) = value else { Issue.record("not an object"); return }
        #expect(props.map(\.key) == ["id"] + CustomerRecord.documentedKeys)
        #expect(value["email"] == .string("a@b.c"))
        #expect(value["first_name"] == .string("Ann"))
        #expect(value["last_name"] == .null)
        #expect(value["billing_city"] == .string("Oslo"))
        #expect(value["order_ids"] == .json("[1]"))
        #expect(value["shipping_zip"] == .null)
        #expect(c.scriptValue["order_ids"] == .json("[]"))
    }
}
