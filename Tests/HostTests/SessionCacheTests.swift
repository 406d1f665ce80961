import Foundation
import SluiceVM
import Testing
@testable import SluiceHost

/// Sessions served from memory: every write through the stores is seen at once, writes from
/// elsewhere within the entry's maximum age, and a read that overlapped a write is not cached.
@Suite struct SessionCacheTests {
    struct Stores {
        let sessions: SessionStore
        let customers: CustomerStore
        let database: SQLiteDatabase
        let clock: FakeClock
        var cache: SessionCache { sessions.cache }
    }

    func makeStores(_ folder: TemporaryFolder) throws -> Stores {
        let db = try SQLiteDatabase(path: folder.file("site.sqlite"), options: .init(migrations: SiteSchema.migrations))
        let clock = FakeClock()
        let cache = SessionCache()
        return Stores(sessions: SessionStore(database: db, cache: cache, clock: { clock.read() }),
                      customers: CustomerStore(database: db, sessionCache: cache), database: db, clock: clock)
    }

    /// A logged-in session saved through the store; returns its id.
    func loggedIn(_ s: Stores, email: String = "ann@example.com") throws -> String {
        let state = try s.sessions.begin(cookieID: nil, customers: s.customers)
        state.logIn(try s.customers.findOrCreateCustomer(email: email, name: "Ann Lee"))
        state.setValue(.string("v1"), forKey: "k")
        return try #require(try s.sessions.commit(state))
    }

    @Test func aSecondRequestIsServedFromMemory() throws {
        let folder = TemporaryFolder()
        let s = try makeStores(folder)
        let id = try loggedIn(s)
        let first = try s.sessions.begin(cookieID: id, customers: s.customers)
        #expect(s.cache.hits == 0 && s.cache.count == 1)
        let second = try s.sessions.begin(cookieID: id, customers: s.customers)
        #expect(s.cache.hits == 1)
        #expect(second.record == first.record && second.customer == first.customer)
        #expect(second.customer?.name == "Ann Lee" && second.value(forKey: "k") == .string("v1"))
        // A script changing its copy does not change the cached one.
        second.setValue(.string("changed"), forKey: "k")
        #expect(try s.sessions.begin(cookieID: id, customers: s.customers).value(forKey: "k") == .string("v1"))
    }

    @Test func savingLoggingOutAndRotatingAreSeenAtOnce() throws {
        let folder = TemporaryFolder()
        let s = try makeStores(folder)
        let id = try loggedIn(s)
        let state = try s.sessions.begin(cookieID: id, customers: s.customers)
        state.setValue(.string("v2"), forKey: "k")
        #expect(try s.sessions.commit(state) == nil)
        #expect(try s.sessions.begin(cookieID: id, customers: s.customers).value(forKey: "k") == .string("v2"))
        // Logging in again rotates the id: the old one is gone from memory too.
        let again = try s.sessions.begin(cookieID: id, customers: s.customers)
        again.logIn(try s.customers.findOrCreateCustomer(email: "bob@example.com"))
        let rotated = try #require(try s.sessions.commit(again))
        #expect(try s.sessions.begin(cookieID: id, customers: s.customers).isNew)
        #expect(try s.sessions.begin(cookieID: rotated, customers: s.customers).customer?.email == "bob@example.com")
        // Logging out.
        try s.sessions.delete(id: rotated)
        #expect(try s.sessions.begin(cookieID: rotated, customers: s.customers).isNew)
    }

    @Test func customerChangesAreSeenAtOnce() throws {
        let folder = TemporaryFolder()
        let s = try makeStores(folder)
        let id = try loggedIn(s)
        let before = try #require(try s.sessions.begin(cookieID: id, customers: s.customers).customer)
        _ = try s.sessions.begin(cookieID: id, customers: s.customers)
        #expect(s.cache.hits == 1)
        try s.customers.updateDetails(id: before.id, ["phone": .string("555")])
        #expect(try s.sessions.begin(cookieID: id, customers: s.customers).customer?.extra["phone"] == .string("555"))
        _ = try s.customers.findOrCreateCustomer(email: "ANN@example.com", name: "Ann Smith")
        #expect(try s.sessions.begin(cookieID: id, customers: s.customers).customer?.name == "Ann Smith")
        // Another customer's change leaves this entry cached.
        let hits = s.cache.hits
        _ = try s.customers.findOrCreateCustomer(email: "carl@example.com")
        _ = try s.sessions.begin(cookieID: id, customers: s.customers)
        #expect(s.cache.hits == hits + 1)
    }

    @Test func writesFromElsewhereAreSeenAfterTheMaximumAge() throws {
        let folder = TemporaryFolder()
        let s = try makeStores(folder)
        let id = try loggedIn(s)
        _ = try s.sessions.begin(cookieID: id, customers: s.customers)
        // Another process logs the visitor out (the same file, not through these stores).
        try s.database.write { (c) throws(SQLiteError) in try c.execute("DELETE FROM sessions WHERE id = ?", [.text(id)]) }
        #expect(try !s.sessions.begin(cookieID: id, customers: s.customers).isNew)
        s.clock.advance(milliseconds: SessionCache.defaultMaximumAgeMilliseconds)
        #expect(try s.sessions.begin(cookieID: id, customers: s.customers).isNew)
    }

    @Test func expiredSessionsAreNotServed() throws {
        let folder = TemporaryFolder()
        let db = try SQLiteDatabase(path: folder.file("site.sqlite"), options: .init(migrations: SiteSchema.migrations))
        let clock = FakeClock()
        // Entries trusted far longer than the session lives: expiry alone must end it.
        let cache = SessionCache(maximumAgeMilliseconds: .max / 4)
        let sessions = SessionStore(database: db, lifetimeMilliseconds: 1_000, cache: cache, clock: { clock.read() })
        let customers = CustomerStore(database: db, sessionCache: cache)
        let state = try sessions.begin(cookieID: nil, customers: customers)
        state.setValue(.bool(true), forKey: "seen")
        let id = try #require(try sessions.commit(state))
        #expect(try !sessions.begin(cookieID: id, customers: customers).isNew)
        #expect(try !sessions.begin(cookieID: id, customers: customers).isNew)
        #expect(cache.hits == 1)
        clock.advance(milliseconds: 1_000)
        #expect(try sessions.begin(cookieID: id, customers: customers).isNew)
    }

    @Test func aReadOverlappingAWriteIsNotCached() throws {
        let cache = SessionCache()
        let record = SessionRecord(id: SessionID.generate(), customerID: "cus_1", createdAt: 0, expiresAt: 10_000)
        let stamp = cache.writeStamp()
        cache.sessionsWritten(SessionID.generate())  // any write in between
        cache.store(record, customer: nil, loadedAt: 0, ifNoWriteSince: stamp)
        #expect(cache.count == 0)
        cache.store(record, customer: nil, loadedAt: 0, ifNoWriteSince: cache.writeStamp())
        #expect(cache.lookup(id: record.id, now: 1)?.0 == record)
        cache.customerWritten(id: "cus_1")
        #expect(cache.lookup(id: record.id, now: 1) == nil)
    }

    @Test func theCacheStaysWithinItsCapacity() {
        let cache = SessionCache(capacity: 3)
        var ids: [String] = []
        for i in 0..<10 {
            let record = SessionRecord(id: SessionID.generate(), customerID: "cus_\(i % 2)", createdAt: 0, expiresAt: 10_000)
            ids.append(record.id)
            cache.store(record, customer: nil, loadedAt: 0, ifNoWriteSince: cache.writeStamp())
            #expect(cache.count == min(i + 1, 3))
        }
        #expect(cache.lookup(id: ids[9], now: 1) != nil)
        cache.customerWritten(id: "cus_1")
        #expect(cache.lookup(id: ids[9], now: 1) == nil)
    }

    @Test func aFullCacheDropsEntriesTooOldToUseFirst() {
        let cache = SessionCache(maximumAgeMilliseconds: 1_000, capacity: 4)
        func store(_ id: String, at time: Int64) {
            let record = SessionRecord(id: id, createdAt: 0, expiresAt: 1_000_000)
            cache.store(record, customer: nil, loadedAt: time, ifNoWriteSince: cache.writeStamp())
        }
        let ids = (0..<6).map { _ in SessionID.generate() }
        for i in 0..<3 { store(ids[i], at: 0) }        // old by time 1,500
        store(ids[3], at: 1_200)                        // young
        #expect(cache.count == 4)
        store(ids[4], at: 1_500)                        // full: the three old ones go
        #expect(cache.count == 2)
        #expect(cache.lookup(id: ids[3], now: 1_500) != nil)
        #expect(cache.lookup(id: ids[4], now: 1_500) != nil)
        for i in 0..<3 { #expect(cache.lookup(id: ids[i], now: 1_500) == nil) }
        store(ids[5], at: 1_600)
        #expect(cache.count == 3)
    }
}
