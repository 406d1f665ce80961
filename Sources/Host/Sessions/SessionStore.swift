import Synchronization
import SluiceVM

/// Visitors' sessions, stored in the site database. Safe to use from many threads at once.
///
/// A new session lives only in memory until it is saved, so visitors who never store anything
/// cost no row. Sessions expire a fixed time after creation (3 hours, reference-notes §2.10);
/// expired rows are deleted by `deleteExpired()`, which `save` also runs at most every 10 minutes.
public final class SessionStore: Sendable {
    public static let defaultLifetimeMilliseconds: Int64 = 3 * 60 * 60 * 1000
    public let database: SQLiteDatabase
    public let lifetimeMilliseconds: Int64
    /// Sessions read recently (see `SessionCache`); used by `begin` when the customer store
    /// given to it reports its writes to the same cache.
    public let cache: SessionCache
    private let clock: @Sendable () -> Int64
    private let nextCleanup = Mutex<Int64>(0)
    private static let cleanupIntervalMilliseconds: Int64 = 10 * 60 * 1000

    /// - Parameter clock: milliseconds since 1970 (tests pass a fake clock).
    public init(database: SQLiteDatabase, lifetimeMilliseconds: Int64 = SessionStore.defaultLifetimeMilliseconds,
                cache: SessionCache = SessionCache(),
                clock: @escaping @Sendable () -> Int64 = { Timestamp.nowMilliseconds() }) {
        self.database = database
        self.cache = cache
        self.lifetimeMilliseconds = lifetimeMilliseconds
        self.clock = clock
    }

    /// A new, empty session with a random id (not stored until `save`).
    public func create() -> SessionRecord {
        let now = clock()
        return SessionRecord(id: SessionID.generate(), createdAt: now, expiresAt: now + lifetimeMilliseconds)
    }

    /// The session with this id, or nil when the id is malformed, unknown or expired.
    public func load(id: String) throws(SQLiteError) -> SessionRecord? {
        guard SessionID.isWellFormed(id) else { return nil }
        let now = clock()
        return try database.readStatement { (c) throws(SQLiteError) -> SessionRecord? in try Self.load(id: id, now: now, c) }
    }

    private static let loadSQL =
        "SELECT customer_id, data_json, created_at, expires_at FROM sessions WHERE id = ? AND expires_at > ?"

    static func load(id: String, now: Int64, _ c: SQLiteConnection) throws(SQLiteError) -> SessionRecord? {
        guard let row = try c.queryFirst(loadSQL, [.text(id), .integer(now)]) else { return nil }
        return record(id: id, row, now: now)
    }

    /// The session in columns 0…3 of `row` (`customer_id, data_json, created_at, expires_at`).
    private static func record(id: String, _ row: SQLiteRow, now: Int64) -> SessionRecord {
        SessionRecord(id: id, data: JSONText.objectProperties(row.text(1)), customerID: row.text(0),
                      createdAt: row.int64(2) ?? now, expiresAt: row.int64(3) ?? now)
    }

    /// The session and its customer in one statement: a single statement is its own snapshot, so
    /// no BEGIN/COMMIT is needed (the customer columns are NULL without a customer or its row).
    private static let loadWithCustomerSQL = """
        SELECT s.customer_id, s.data_json, s.created_at, s.expires_at, \(CustomerStore.columns(prefix: "c."))
        FROM sessions AS s LEFT JOIN customers AS c ON c.id = s.customer_id
        WHERE s.id = ? AND s.expires_at > ?
        """

    static func loadWithCustomer(id: String, now: Int64,
                                 _ c: SQLiteConnection) throws(SQLiteError) -> (SessionRecord, CustomerRecord?)? {
        guard let row = try c.queryFirst(loadWithCustomerSQL, [.text(id), .integer(now)]) else { return nil }
        let customer = row[4].isNull ? nil : CustomerStore.record(row, offset: 4)
        return (record(id: id, row, now: now), customer)
    }

    /// Stores the session (insert or replace). `replacing`, when given, is an older id of the same
    /// session (before a log-in rotated it) and is deleted in the same transaction.
    public func save(_ record: SessionRecord, replacing oldID: String? = nil) throws(SQLiteError) {
        let data = JSONText.serialize(.object(record.data.keys.sorted().map { ScriptProperty($0, record.data[$0]!) }))
        try database.write { (c) throws(SQLiteError) in
            if let oldID, oldID != record.id {
                try c.execute("DELETE FROM sessions WHERE id = ?", [.text(oldID)])
            }
            try c.execute("""
                INSERT INTO sessions (id, customer_id, data_json, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, data_json = excluded.data_json
                """, [.text(record.id), .text(record.customerID), .text(data), .integer(record.createdAt),
                      .integer(record.expiresAt)])
        }
        cache.sessionsWritten(record.id, oldID)
        let now = clock()
        let due = nextCleanup.withLock { next -> Bool in
            guard now >= next else { return false }
            next = now + Self.cleanupIntervalMilliseconds
            return true
        }
        if due { _ = try deleteExpired() }
    }

    /// Deletes a session (log-out).
    public func delete(id: String) throws(SQLiteError) {
        try database.write { (c) throws(SQLiteError) in try c.execute("DELETE FROM sessions WHERE id = ?", [.text(id)]) }
        cache.sessionsWritten(id)
    }

    /// Deletes every expired session; returns how many.
    @discardableResult
    public func deleteExpired() throws(SQLiteError) -> Int {
        let now = clock()
        let deleted = try database.write { (c) throws(SQLiteError) -> Int in
            try c.execute("DELETE FROM sessions WHERE expires_at <= ?", [.integer(now)])
            return c.changes
        }
        if deleted > 0 { cache.sessionsWrittenInBulk() }
        return deleted
    }

    // MARK: Per-request state

    /// The session for a request: the stored one for `cookieID` when it is valid and unexpired, else
    /// a new one. The customer record is loaded with it. Served from `cache` when `customers`
    /// reports its writes there (as a site's stores do).
    public func begin(cookieID: String?, customers: CustomerStore) throws(SQLiteError) -> SessionState {
        if let cookieID, customers.database === database, SessionID.isWellFormed(cookieID) {
            let now = clock()
            let cached = customers.sessionCache === cache
            if cached, let (record, customer) = cache.lookup(id: cookieID, now: now) {
                return SessionState(record: record, customer: customer, isNew: false)
            }
            let stamp = cache.writeStamp()
            let found = try database.readStatement { (c) throws(SQLiteError) in
                try Self.loadWithCustomer(id: cookieID, now: now, c)
            }
            if let (record, customer) = found {
                if cached { cache.store(record, customer: customer, loadedAt: now, ifNoWriteSince: stamp) }
                return SessionState(record: record, customer: customer, isNew: false)
            }
        } else if let cookieID, let record = try load(id: cookieID) {
            let customer = try record.customerID.flatMap { (id) throws(SQLiteError) in try customers.customer(id: id) }
            return SessionState(record: record, customer: customer, isNew: false)
        }
        return SessionState(record: create(), customer: nil, isNew: true)
    }

    /// Saves the request's session if a script changed it. Returns the id the visitor's cookie must
    /// now carry, or nil when the cookie needs no change.
    @discardableResult
    public func commit(_ state: SessionState) throws(SQLiteError) -> String? {
        guard state.isModified else { return nil }
        try save(state.record, replacing: state.replacedID)
        return state.isNew || state.replacedID != nil ? state.id : nil
    }
}
