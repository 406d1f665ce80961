import Foundation
import SluiceVM
import Testing
@testable import SluiceHost

/// The one-statement read paths (no BEGIN/COMMIT), the newest-first index of schema version 2,
/// and the CRM reads and writes built on them.
@Suite struct StorageStatementTests {
    @Test(arguments: [false, true]) func readStatementRunsOutsideATransaction(readsUseWriter: Bool) throws {
        let folder = TemporaryFolder()
        var options = SQLiteDatabase.Options()
        options.readsUseWriter = readsUseWriter
        let db = try SQLiteDatabase(path: folder.file("r.sqlite"), options: options)
        try db.write { (c) throws(SQLiteError) in
            try c.execute("CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER)")
            try c.execute("INSERT INTO kv VALUES (?, ?)", [.text("a"), .integer(7)])
        }
        let (value, inTransaction) = try db.readStatement { (c) throws(SQLiteError) in
            (try c.queryFirst("SELECT v FROM kv WHERE k = ?", [.text("a")])?.int(0), c.isInTransaction)
        }
        #expect(value == 7)
        #expect(!inTransaction)
        // The statement's implicit transaction ended with it: a write right after does not wait.
        try db.write { (c) throws(SQLiteError) in try c.execute("UPDATE kv SET v = 8") }
        #expect(try db.readStatement { (c) throws(SQLiteError) in try c.queryFirst("SELECT v FROM kv")?.int(0) } == 8)
        db.close()
        #expect(throws: SQLiteError.self) { try db.readStatement { (c) throws(SQLiteError) in c.changes } }
    }

    @Test func memoryStatisticsAreOffBeforeSQLiteIsFirstUsed() throws {
        let folder = TemporaryFolder()
        let db = try SQLiteDatabase(path: folder.file("m.sqlite"))
        // Every connection is opened by SQLiteDatabase, which turns the statistics off first; had
        // anything initialized SQLite earlier, sqlite3_config would have refused.
        #expect(SQLiteDatabase.memoryStatisticsDisabled)
        db.close()
    }

    @Test func version2ListsNewestEntriesStraightFromTheIndex() throws {
        let folder = TemporaryFolder()
        let path = folder.file("site.sqlite")
        // A version-1 database with entries, two of them on the same revision (id breaks the tie).
        do {
            let v1 = try SQLiteDatabase(path: path, options: .init(migrations: [SiteSchema.migrations[0]]))
            try v1.write { (c) throws(SQLiteError) in
                for (revision, value) in [(1, "oldest"), (3, "tie-low-id"), (3, "tie-high-id"), (2, "middle")] {
                    try c.execute("""
                        INSERT INTO crm_entries (entity_slug, reference_type, reference_id, values_json, created_at,
                                                 updated_at, revision) VALUES ('quiz', 'customer', 'c1', ?, 0, 0, ?)
                        """, [.text(#"{"v":"\#(value)"}"#), .integer(Int64(revision))])
                }
            }
            v1.close()
        }
        let storage = try SiteStorage(path: path, crmConfig: CRMConfig(json: JSONText.parse(testSiteCRM)))
        #expect(try storage.database.schemaVersion() == SiteSchema.migrations.count)
        let indexes = try storage.database.read { (c) throws(SQLiteError) in
            try c.query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'crm_entries' ORDER BY name")
                .compactMap { $0.text(0) }
        }
        #expect(indexes == ["crm_entries_by_reference_newest"])
        let plan = try storage.database.read { (c) throws(SQLiteError) in
            try c.query("""
                EXPLAIN QUERY PLAN SELECT id FROM crm_entries WHERE entity_slug = ? AND reference_type = ? AND reference_id = ?
                ORDER BY revision DESC, id DESC LIMIT 1
                """, [.text("quiz"), .text("customer"), .text("c1")]).compactMap { $0.text(3) }
        }
        #expect(plan.contains { $0.contains("crm_entries_by_reference_newest") })
        #expect(!plan.contains { $0.contains("TEMP B-TREE") })
        let ref = try #require(CRMReference(type: "customer", id: "c1"))
        let order = try storage.crm.entries(slug: "quiz", reference: ref).map { $0.values["v"] }
        #expect(order == [.string("tie-high-id"), .string("tie-low-id"), .string("middle"), .string("oldest")])
        #expect(try storage.crm.fieldValue(slug: "quiz", reference: ref, key: "v") == .string("tie-high-id"))
        // New writes go above every existing revision.
        #expect(try storage.crm.addFieldValue(slug: "quiz", reference: ref, key: "v", value: .string("newest")))
        #expect(try storage.crm.fieldValueHistory(slug: "quiz", reference: ref, key: "v", limit: 2)
                == [.string("newest"), .string("tie-high-id")])
        storage.close()
    }

    @Test func fieldValuesFindEachKeyInTheNewestEntryHoldingIt() throws {
        let h = try CRMHarness()
        let store = h.store
        let ref = try #require(CRMReference(type: "customer", id: "c1"))
        let other = try #require(CRMReference(type: "customer", id: "c2"))
        #expect(try store.addFieldValue(slug: "quiz", reference: ref, key: "a", value: .number(1)))
        #expect(try store.addFieldValue(slug: "quiz", reference: ref, key: "b", value: .json(#"{"x":[1,"y"]}"#)))
        #expect(try store.addFieldValue(slug: "quiz", reference: ref, key: "a", value: .number(2)))
        #expect(try store.addFieldValue(slug: "quiz", reference: other, key: "c", value: .string("other")))
        #expect(try store.addFieldValue(slug: "quiz-tracker", reference: ref, key: "c", value: .string("other entity")))
        let found = try store.fieldValues(slug: "quiz", reference: ref, keys: ["a", "missing", "b", "bad key", "a", "c"])
        #expect(found == ["a": .number(2), "b": .json(#"{"x":[1,"y"]}"#)])
        #expect(try store.fieldValues(slug: "quiz", reference: ref, keys: ["b"]) == ["b": .json(#"{"x":[1,"y"]}"#)])
        #expect(try store.fieldValues(slug: "quiz", reference: ref, keys: ["bad key"]) == [:])
        #expect(try store.fieldValues(slug: "quiz", reference: ref, keys: []) == [:])
        // A falsy value is still a value.
        #expect(try store.setFields(slug: "quiz", reference: ref, fields: [("b", .bool(false))]))
        #expect(try store.fieldValues(slug: "quiz", reference: ref, keys: ["a", "b"]) == ["a": .number(2), "b": .bool(false)])
        // Unknown entities fail whatever the keys.
        for keys in [[], ["a"], ["a", "b"], ["bad key"]] {
            #expect(throws: CRMError.self) { try store.fieldValues(slug: "nope", reference: ref, keys: keys) }
        }
        #expect(throws: CRMError.self) { try store.fieldValue(slug: "nope", reference: ref, key: "bad key") }
        #expect(throws: CRMError.self) { try store.entries(slug: "nope", reference: ref) }
    }

    @Test func createdEntitiesAreReadInOneTransactionWithTheirLookup() throws {
        let h = try CRMHarness()
        let store = h.store
        let ref = try #require(CRMReference(type: "customer", id: "c1"))
        _ = try store.ensureEntity(CRMEntityDefinition(slug: "made-later", fields: [.init(key: "a")]))
        #expect(try store.setFields(slug: "made-later", reference: ref, fields: [("a", .number(1)), ("b", .bool(true))]))
        #expect(try store.fieldValues(slug: "made-later", reference: ref, keys: ["a", "b", "c"])
                == ["a": .number(1), "b": .bool(true)])
        #expect(try store.fieldValue(slug: "made-later", reference: ref, key: "b") == .bool(true))
        #expect(try store.entries(slug: "made-later", reference: ref).count == 1)
        #expect(try store.entity(slug: "made-later")?.id ?? 0 > CRMStore.createdEntityIDBase)
    }

    @Test func upsertsPickTheEntryHoldingAKeyElseTheNewest() throws {
        let h = try CRMHarness()
        let store = h.store
        let ref = try #require(CRMReference(type: "customer", id: "c1"))
        // No entry yet: a new one.
        #expect(try store.setFields(slug: "quiz", reference: ref, fields: [("a", .number(1))]))
        #expect(try store.addFieldValue(slug: "quiz", reference: ref, key: "b", value: .number(2)))
        // "a" is held by the older entry: it is updated there (and becomes the newest).
        #expect(try store.setFields(slug: "quiz", reference: ref, fields: [("a", .number(3))]))
        var entries = try store.entries(slug: "quiz", reference: ref)
        #expect(entries.map(\.values) == [CRMValues([ScriptProperty("a", .number(3))]),
                                          CRMValues([ScriptProperty("b", .number(2))])])
        // No entry holds "c": it goes into the newest entry.
        #expect(try store.setFields(slug: "quiz", reference: ref, fields: [("c", .number(4))]))
        entries = try store.entries(slug: "quiz", reference: ref)
        #expect(entries.count == 2)
        #expect(entries[0].values == CRMValues([ScriptProperty("a", .number(3)), ScriptProperty("c", .number(4))]))
        // Revisions stay unique and increasing: every write made its entry the newest.
        let revisions = try h.storage.database.read { (c) throws(SQLiteError) in
            try c.query("SELECT revision FROM crm_entries ORDER BY revision").compactMap { $0.int(0) }
        }
        #expect(revisions == [2, 4])
    }

    @Test func beginLoadsSessionAndCustomerInOneStatement() throws {
        let folder = TemporaryFolder()
        let clock = FakeClock()
        let db = try SQLiteDatabase(path: folder.file("site.sqlite"), options: .init(migrations: SiteSchema.migrations))
        let sessions = SessionStore(database: db, clock: { clock.read() })
        let customers = CustomerStore(database: db)
        let customer = try customers.findOrCreateCustomer(email: "a@b.c", name: "Ann Lee")
        try customers.updateDetails(id: customer.id, ["phone": .string("123")])
        let stored = try #require(try customers.customer(id: customer.id))
        var record = sessions.create()
        record.customerID = customer.id
        record.data = ["k": .json(#"{"n":[1]}"#)]
        try sessions.save(record)
        let state = try sessions.begin(cookieID: record.id, customers: customers)
        #expect(!state.isNew)
        #expect(state.record == record)
        #expect(state.customer == stored)
        #expect(state.customer?.extra["phone"] == .string("123"))
        // A session whose customer row is gone still loads, without a customer.
        try db.write { (c) throws(SQLiteError) in try c.execute("DELETE FROM customers") }
        let orphan = try sessions.begin(cookieID: record.id, customers: customers)
        #expect(!orphan.isNew)
        #expect(orphan.customerID == customer.id)
        #expect(orphan.customer == nil)
        // Anonymous sessions have no customer; expired ones are not loaded.
        let anonymous = sessions.create()
        try sessions.save(anonymous)
        let anonymousState = try sessions.begin(cookieID: anonymous.id, customers: customers)
        #expect(!anonymousState.isNew && anonymousState.customer == nil && anonymousState.record == anonymous)
        clock.advance(milliseconds: SessionStore.defaultLifetimeMilliseconds)
        #expect(try sessions.begin(cookieID: record.id, customers: customers).isNew)
    }
}

@Suite struct JSONTextRepeatedKeyTests {
    /// Small objects find repeated keys by scanning, large ones through a dictionary: both keep
    /// the first position and the last value, as `JSON.parse` does.
    @Test(arguments: [3, 15, 16, 17, 40]) func repeatedKeysKeepFirstPositionAndLastValue(keyCount: Int) throws {
        let keys = (0..<keyCount).map { "k\($0)" }
        var members = keys.map { "\"\($0)\":1" }
        members.append("\"k0\":2")
        members.append("\"\(keys[keyCount - 1])\":3")
        members.append("\"new\":4")
        members.append("\"k0\":5")
        let value = try JSONText.parse("{" + members.joined(separator: ",") + "}")
        guard case .object(let props) = value else {
            Issue.record("expected an object")
            return
        }
        #expect(props.map(\.key) == keys + ["new"])
        #expect(props.first?.value == .number(5))
        #expect(props[keyCount - 1].value == .number(keyCount == 1 ? 5 : 3))
        #expect(props.last?.value == .number(4))
        #expect(props.dropFirst().dropLast(2).allSatisfy { $0.value == .number(1) })
        // CRM values read from such text hold each key once.
        #expect(CRMValues(json: JSONText.serialize(value)).keys == keys + ["new"])
        #expect(CRMValues(json: "{" + members.joined(separator: ",") + "}").keys == keys + ["new"])
    }
}
