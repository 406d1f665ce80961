import Foundation
import SluiceVM
import Testing
@testable import SluiceHost

/// Entry revisions come from memory (no index on `revision`): strictly increasing through the
/// store, after a restart, and above whatever another connection wrote in between.
@Suite struct CRMRevisionTests {
    func revisions(_ db: SQLiteDatabase) throws -> [Int64] {
        try db.read { (c) throws(SQLiteError) in
            try c.query("SELECT revision FROM crm_entries ORDER BY id").compactMap { $0.int64(0) }
        }
    }

    @Test func writesGetIncreasingRevisionsAcrossRestarts() throws {
        let h = try CRMHarness()
        let ref = try #require(CRMReference(type: "customer", id: "c1"))
        #expect(try h.store.addFieldValue(slug: "quiz", reference: ref, key: "a", value: .number(1)))
        #expect(try h.store.setFields(slug: "quiz", reference: ref, fields: [("a", .number(2))]))
        #expect(try revisions(h.storage.database) == [2])
        try h.reopen()
        #expect(try h.store.addFieldValue(slug: "quiz", reference: ref, key: "b", value: .number(3)))
        #expect(try revisions(h.storage.database) == [2, 3])
        #expect(try h.store.entries(slug: "quiz", reference: ref).map { $0.values["b"] } == [.number(3), nil])
    }

    @Test func aWriteByAnotherConnectionIsSeen() throws {
        let h = try CRMHarness()
        let ref = try #require(CRMReference(type: "customer", id: "c1"))
        #expect(try h.store.addFieldValue(slug: "quiz", reference: ref, key: "v", value: .string("ours")))
        // Another process (here: another connection to the same file) writes a high revision.
        let other = try SQLiteDatabase(path: h.path)
        try other.write { (c) throws(SQLiteError) in
            try c.execute("""
                INSERT INTO crm_entries (entity_slug, reference_type, reference_id, values_json, created_at,
                                         updated_at, revision) VALUES ('quiz', 'customer', 'c1', '{"v":"theirs"}', 0, 0, 50)
                """)
        }
        other.close()
        #expect(try h.store.fieldValue(slug: "quiz", reference: ref, key: "v") == .string("theirs"))
        #expect(try h.store.addFieldValue(slug: "quiz", reference: ref, key: "v", value: .string("after")))
        #expect(try revisions(h.storage.database) == [1, 50, 51])
        #expect(try h.store.fieldValue(slug: "quiz", reference: ref, key: "v") == .string("after"))
    }

    @Test func aRolledBackWriteLeavesAGapNotARepeat() throws {
        let h = try CRMHarness()
        let ref = try #require(CRMReference(type: "customer", id: "c1"))
        #expect(try h.store.addFieldValue(slug: "quiz", reference: ref, key: "a", value: .number(1)))
        var handedOut: Int64 = 0
        #expect(throws: SQLiteError.self) {
            try h.storage.database.write { (c) throws(SQLiteError) in
                handedOut = try h.store.revisions.next(on: c)
                throw SQLiteError(.transaction, code: 0, message: "rolled back")
            }
        }
        #expect(handedOut == 2)
        #expect(try h.store.addFieldValue(slug: "quiz", reference: ref, key: "c", value: .number(3)))
        #expect(try revisions(h.storage.database) == [1, 3])
    }
}
