import SluiceVM

/// A site's CRM data: entities from site.json (and `ensureCrmEntity`), and their entries, in the
/// site's own database. Every method is one transaction, so each call is atomic, and every write
/// that returns has been committed (see `SQLiteDatabase` for durability).
///
/// "Newest first" means most recently written first: each insert or change of an entry gives it
/// the next `revision`, and lists are ordered by revision, highest first.
///
/// Safe to use from many threads at once.
public final class CRMStore: Sendable {
    public let database: SQLiteDatabase
    public let config: CRMConfig
    /// Revisions for entries written through this store (see `CRMRevisions`).
    let revisions = CRMRevisions()
    /// Entities created by `ensureCrmEntity` get ids above this, so they never collide with
    /// site.json's file-order ids (which may grow when the file is edited).
    public static let createdEntityIDBase = 1_000_000

    public init(database: SQLiteDatabase, config: CRMConfig) {
        self.database = database
        self.config = config
    }

    /// An entity as the store knows it: from site.json, or created by `ensureCrmEntity`.
    public struct EntityInfo: Sendable, Equatable {
        public let id: Int
        public let slug: String
        public let name: String
        /// The site.json definition (pipelines, stages, fields); nil for created entities.
        public let configured: CRMConfig.Entity?
    }

    /// Looks up an entity by slug.
    public func entity(slug: String) throws(CRMError) -> EntityInfo? {
        if let e = config.entity(slug: slug) { return EntityInfo(id: e.id, slug: e.slug, name: e.name, configured: e) }
        return try sql { () throws(SQLiteError) in try database.readStatement { (c) throws(SQLiteError) in try createdEntity(slug, c) } }
    }

    func createdEntity(_ slug: String, _ c: SQLiteConnection) throws(SQLiteError) -> EntityInfo? {
        guard let row = try c.queryFirst("SELECT rowid, name FROM crm_entities WHERE slug = ?", [.text(slug)]),
              let rowid = row.int(0) else { return nil }
        return EntityInfo(id: Self.createdEntityIDBase + rowid, slug: slug, name: row.text(1) ?? slug, configured: nil)
    }

    /// The entity, or `CRMError.unknownEntity`.
    func requireEntity(_ slug: String, _ c: SQLiteConnection) throws(CRMError) -> EntityInfo {
        if let e = config.entity(slug: slug) { return EntityInfo(id: e.id, slug: e.slug, name: e.name, configured: e) }
        let found: EntityInfo?
        do { found = try createdEntity(slug, c) } catch { throw .storage(error) }
        guard let found else { throw .unknownEntity(slug) }
        return found
    }

    // MARK: Reads

    /// Entries of `slug` for `reference`, newest first (`limit` clamped to 1…200).
    public func entries(slug: String, reference: CRMReference,
                        limit: Int = CRMRules.defaultListLimit) throws(CRMError) -> [CRMEntry] {
        let limit = Self.clampLimit(limit)
        return try readingOneStatement(entity: slug) { (c) throws(SQLiteError) in
            try Self.entries(c, slug, reference, limit: limit)
        }
    }

    /// The value of `key` in the newest entry that holds it, or nil.
    public func fieldValue(slug: String, reference: CRMReference, key: String) throws(CRMError) -> ScriptValue? {
        try readingOneStatement(entity: slug) { (c) throws(SQLiteError) in
            guard CRMRules.isFieldKey(key) else { return nil }
            return try Self.values(c, slug, reference, key: key, limit: 1).first
        }
    }

    /// For each key, its value in the newest entry that holds it; keys without a value are absent.
    public func fieldValues(slug: String, reference: CRMReference,
                            keys: [String]) throws(CRMError) -> [String: ScriptValue] {
        var wanted: [String] = []
        for key in keys where CRMRules.isFieldKey(key) && !wanted.contains(key) { wanted.append(key) }
        return try readingOneStatement(entity: slug) { (c) throws(SQLiteError) in
            switch wanted.count {
            case 0: return [:]
            case 1:
                guard let v = try Self.values(c, slug, reference, key: wanted[0], limit: 1).first else { return [:] }
                return [wanted[0]: v]
            default: return try Self.newestValues(c, slug, reference, keys: wanted)
            }
        }
    }

    /// Every value of `key` across the reference's entries, newest first (`limit` clamped to 1…200).
    public func fieldValueHistory(slug: String, reference: CRMReference, key: String,
                                  limit: Int = CRMRules.defaultListLimit) throws(CRMError) -> [ScriptValue] {
        let limit = Self.clampLimit(limit)
        return try readingOneStatement(entity: slug) { (c) throws(SQLiteError) in
            guard CRMRules.isFieldKey(key) else { return [] }
            return try Self.values(c, slug, reference, key: key, limit: limit)
        }
    }

    // MARK: Shared SQL

    static let entryColumns =
        "id, entity_slug, reference_type, reference_id, pipeline_id, stage_id, values_json, created_at, updated_at"

    static func clampLimit(_ limit: Int) -> Int { min(max(limit, 1), CRMRules.maxListLimit) }

    /// A JSON path naming one top-level key. Field keys are `[A-Za-z0-9_.-]+`, so the quoted form
    /// needs no escaping; it is passed as a bound parameter like any other value.
    static func jsonPath(_ key: String) -> String { "$.\"\(key)\"" }

    private static let entriesSQL = """
        SELECT \(entryColumns) FROM crm_entries
        WHERE entity_slug = ? AND reference_type = ? AND reference_id = ?
        ORDER BY revision DESC, id DESC LIMIT ?
        """

    static func entries(_ c: SQLiteConnection, _ slug: String, _ ref: CRMReference,
                        limit: Int) throws(SQLiteError) -> [CRMEntry] {
        try c.query(entriesSQL, [.text(slug), .text(ref.type), .text(ref.id), .integer(Int64(limit))]).map(entry)
    }

    static func entry(_ row: SQLiteRow) -> CRMEntry {
        CRMEntry(id: row.int64(0) ?? 0, entitySlug: row.text(1) ?? "", referenceType: row.text(2) ?? "",
                 referenceID: row.text(3) ?? "", values: CRMValues(json: row.text(6) ?? "{}"),
                 pipelineID: row.int(4), stageID: row.int(5), createdAt: row.int64(7) ?? 0,
                 updatedAt: row.int64(8) ?? 0)
    }

    /// Values of `key` in the entries holding it, newest first.
    static func values(_ c: SQLiteConnection, _ slug: String, _ ref: CRMReference, key: String,
                       limit: Int) throws(SQLiteError) -> [ScriptValue] {
        let path = jsonPath(key)
        return try c.query("""
            SELECT values_json -> ? FROM crm_entries
            WHERE entity_slug = ? AND reference_type = ? AND reference_id = ? AND json_type(values_json, ?) IS NOT NULL
            ORDER BY revision DESC, id DESC LIMIT ?
            """, [.text(path), .text(slug), .text(ref.type), .text(ref.id), .text(path), .integer(Int64(limit))])
            .compactMap { row in row.text(0).flatMap { try? JSONText.parse($0) } }
    }

    private static let newestValuesSQL = """
        SELECT wanted.key, (
          SELECT values_json -> wanted.value FROM crm_entries
          WHERE entity_slug = ? AND reference_type = ? AND reference_id = ? AND json_type(values_json, wanted.value) IS NOT NULL
          ORDER BY revision DESC, id DESC LIMIT 1)
        FROM json_each(?) AS wanted
        """

    /// For each of `keys` (valid field keys, no repeats), its value in the newest entry holding it,
    /// all in one statement; keys without a value are absent.
    static func newestValues(_ c: SQLiteConnection, _ slug: String, _ ref: CRMReference,
                             keys: [String]) throws(SQLiteError) -> [String: ScriptValue] {
        let paths = JSONText.serialize(.array(keys.map { .string(jsonPath($0)) }))
        var found: [String: ScriptValue] = [:]
        for row in try c.query(newestValuesSQL, [.text(slug), .text(ref.type), .text(ref.id), .text(paths)]) {
            guard let index = row.int(0), keys.indices.contains(index),
                  let json = row.text(1), let value = try? JSONText.parse(json) else { continue }
            found[keys[index]] = value
        }
        return found
    }

    static func count(_ c: SQLiteConnection, _ slug: String, _ ref: CRMReference) throws(SQLiteError) -> Int {
        try c.queryFirst("""
            SELECT count(*) FROM crm_entries WHERE entity_slug = ? AND reference_type = ? AND reference_id = ?
            """, [.text(slug), .text(ref.type), .text(ref.id)])?.int(0) ?? 0
    }

    private static let insertEntrySQL = """
        INSERT INTO crm_entries (entity_slug, reference_type, reference_id, pipeline_id, stage_id, values_json,
                                 created_at, updated_at, revision)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Inserts an entry as the newest. Call inside a write transaction.
    func insertEntry(_ c: SQLiteConnection, _ slug: String, _ ref: CRMReference, values: CRMValues,
                     valuesJSON: String? = nil, placement: CRMPlacement?, now: Int64) throws(SQLiteError) -> Int64 {
        let revision = try revisions.next(on: c)
        try c.execute(Self.insertEntrySQL,
                      [.text(slug), .text(ref.type), .text(ref.id), .integer(placement?.pipelineID),
                       .integer(placement?.stageID), .text(valuesJSON ?? values.jsonText), .integer(now), .integer(now),
                       .integer(revision)])
        return c.lastInsertRowID
    }

    private static let updateEntrySQL = """
        UPDATE crm_entries SET values_json = ?, pipeline_id = ?, stage_id = ?, updated_at = ?, revision = ?
        WHERE id = ?
        """

    /// Writes an entry's values and placement back and makes it the newest. Call inside a write
    /// transaction. `valuesJSON`, when given, is `entry.values.jsonText` already computed by the caller.
    func updateEntry(_ c: SQLiteConnection, _ entry: CRMEntry, valuesJSON: String? = nil,
                     now: Int64) throws(SQLiteError) {
        let revision = try revisions.next(on: c)
        try c.execute(Self.updateEntrySQL,
                      [.text(valuesJSON ?? entry.values.jsonText), .integer(entry.pipelineID), .integer(entry.stageID),
                       .integer(now), .integer(revision), .integer(entry.id)])
    }

    // MARK: Transactions with CRM errors

    func reading<T>(_ body: (SQLiteConnection) throws(CRMError) -> T) throws(CRMError) -> T {
        try inTransaction(write: false, body)
    }

    func writing<T>(_ body: (SQLiteConnection) throws(CRMError) -> T) throws(CRMError) -> T {
        try inTransaction(write: true, body)
    }

    /// Runs `body` in a transaction; a CRM error thrown by `body` rolls it back and is rethrown as is.
    private func inTransaction<T>(write: Bool,
                                  _ body: (SQLiteConnection) throws(CRMError) -> T) throws(CRMError) -> T {
        var failure: CRMError?
        var result: T?
        do throws(SQLiteError) {
            try withoutActuallyEscaping(body) { (body) throws(SQLiteError) in
                let run = { (c: SQLiteConnection) throws(SQLiteError) -> Void in
                    do throws(CRMError) {
                        result = try body(c)
                    } catch {
                        failure = error
                        // Any error rolls the transaction back; the real one is reported below.
                        throw SQLiteError(.transaction, code: 0, message: "rolled back")
                    }
                }
                if write { try database.write(run) } else { try database.read(run) }
            }
        } catch {
            throw failure ?? .storage(error)
        }
        return result!
    }

    /// A read of `slug`'s entries that runs at most one statement. When site.json defines the
    /// entity, it is known without SQL and the statement runs alone, outside BEGIN/COMMIT (one
    /// statement is its own snapshot). An entity created by `ensureCrmEntity` is looked up first,
    /// in one read transaction with `body`. Throws `CRMError.unknownEntity` when there is none.
    func readingOneStatement<T>(entity slug: String,
                                _ body: (SQLiteConnection) throws(SQLiteError) -> T) throws(CRMError) -> T {
        if config.entity(slug: slug) != nil {
            return try sql { () throws(SQLiteError) in try database.readStatement(body) }
        }
        return try reading { (c) throws(CRMError) in
            _ = try requireEntity(slug, c)
            return try sql { () throws(SQLiteError) in try body(c) }
        }
    }

    /// Runs SQL, reporting a failure as `CRMError.storage`.
    func sql<T>(_ body: () throws(SQLiteError) -> T) throws(CRMError) -> T {
        do { return try body() } catch { throw .storage(error) }
    }
}
