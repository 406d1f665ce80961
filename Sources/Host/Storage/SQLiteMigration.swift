/// One step of a database schema, applied once, in version order, when a database is opened.
public struct SQLiteMigration: Sendable {
    /// Positive and strictly increasing within a migration list.
    public let version: Int
    /// A short description, recorded with the version.
    public let name: String
    /// The schema script (DDL only; no values).
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

/// Applies migrations and records them in the `schema_migrations` table.
///
/// The table (rather than only `PRAGMA user_version`) keeps a history and lets the version be
/// written as a bound parameter. `user_version` is kept equal to the latest version as well, so
/// the `sqlite3` shell shows it.
enum SQLiteMigrator {
    static func apply(_ migrations: [SQLiteMigration], on connection: SQLiteConnection,
                      now: Int64) throws(SQLiteError) {
        var previous = 0
        for m in migrations {
            guard m.version > previous else {
                throw SQLiteError(.migrate, code: 0,
                                  message: "migration versions must increase: \(m.version) after \(previous)")
            }
            previous = m.version
        }
        try connection.transaction(.immediate) { () throws(SQLiteError) in
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                  version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)
                """)
        }
        let current = try currentVersion(connection)
        if let newest = migrations.last?.version, current > newest {
            throw SQLiteError(.migrate, code: 0, message:
                "database schema version \(current) is newer than this build supports (\(newest))")
        }
        for m in migrations where m.version > current {
            do {
                try connection.transaction(.immediate) { () throws(SQLiteError) in
                    // Re-check under the write lock: another process may have migrated meanwhile.
                    if try currentVersion(connection) >= m.version { return }
                    try connection.executeScript(m.sql)
                    try connection.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                                           [.integer(Int64(m.version)), .text(m.name), .integer(now)])
                    // PRAGMA takes no parameters; the version is a constant from code, not input.
                    try connection.executeScript("PRAGMA user_version = \(m.version)")
                }
            } catch {
                throw SQLiteError(.migrate, code: error.code,
                                  message: "migration \(m.version) (\(m.name)) failed: \(error.message)", sql: error.sql)
            }
        }
    }

    static func currentVersion(_ connection: SQLiteConnection) throws(SQLiteError) -> Int {
        try connection.queryFirst("SELECT coalesce(max(version), 0) FROM schema_migrations")?.int(0) ?? 0
    }
}
