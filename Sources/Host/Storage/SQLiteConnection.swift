import CSQLite

/// One SQLite connection with a prepared-statement cache.
///
/// A connection is used by one thread at a time (it is opened in SQLite's multi-thread mode,
/// `SQLITE_OPEN_NOMUTEX`); `SQLiteDatabase` hands connections out inside `read`/`write` closures and
/// guarantees that. Every value reaches SQL through a bound parameter: the SQL texts are constants.
public final class SQLiteConnection {
    let handle: OpaquePointer
    /// Prepared statements by SQL text, reset after each use.
    private var statements: [String: OpaquePointer] = [:]
    /// More distinct statements than this and the cache is emptied (SQL texts here are constants, so
    /// this only guards against a caller building SQL dynamically).
    private static let statementCacheLimit = 128

    /// Opens (creating if needed) the database file at `path`.
    init(path: String, readOnly: Bool, busyTimeoutMilliseconds: Int32) throws(SQLiteError) {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(.open, code: rc, message: "\(message): \(path)")
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    // MARK: Running statements

    /// Runs a statement that returns no rows (INSERT, UPDATE, DELETE, DDL).
    public func execute(_ sql: String, _ parameters: [SQLiteValue] = []) throws(SQLiteError) {
        let statement = try prepared(sql)
        defer { finish(statement) }
        try bind(parameters, to: statement, sql: sql)
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { return }
            if rc != SQLITE_ROW { throw error(.step, rc, sql) }
        }
    }

    /// Runs a query and returns every row.
    public func query(_ sql: String, _ parameters: [SQLiteValue] = []) throws(SQLiteError) -> [SQLiteRow] {
        let statement = try prepared(sql)
        defer { finish(statement) }
        try bind(parameters, to: statement, sql: sql)
        var rows: [SQLiteRow] = []
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { return rows }
            guard rc == SQLITE_ROW else { throw error(.step, rc, sql) }
            rows.append(readRow(statement))
        }
    }

    /// Runs a query and returns its first row, or nil.
    public func queryFirst(_ sql: String, _ parameters: [SQLiteValue] = []) throws(SQLiteError) -> SQLiteRow? {
        let statement = try prepared(sql)
        defer { finish(statement) }
        try bind(parameters, to: statement, sql: sql)
        let rc = sqlite3_step(statement)
        if rc == SQLITE_DONE { return nil }
        guard rc == SQLITE_ROW else { throw error(.step, rc, sql) }
        return readRow(statement)
    }

    /// Runs several `;`-separated statements without parameters (schema scripts and PRAGMAs only).
    public func executeScript(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? lastErrorMessage
            sqlite3_free(message)
            throw SQLiteError(.step, code: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// The rowid of the last successful INSERT on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// True while a transaction is open.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    // MARK: Transactions

    public enum TransactionKind: String, Sendable {
        /// Takes the write lock at BEGIN, so a read-then-write transaction never fails to upgrade.
        case immediate = "BEGIN IMMEDIATE"
        /// Takes locks on first use; for read-only transactions (a consistent snapshot).
        case deferred = "BEGIN DEFERRED"
    }

    /// Runs `body` inside a transaction: COMMIT when it returns, ROLLBACK when it throws.
    public func transaction<T>(_ kind: TransactionKind,
                               _ body: () throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        try execute(kind.rawValue)
        let result: T
        do {
            result = try body()
        } catch {
            rollbackQuietly()
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            rollbackQuietly()
            throw error
        }
        return result
    }

    func rollbackQuietly() {
        if isInTransaction { sqlite3_exec(handle, "ROLLBACK", nil, nil, nil) }
    }

    // MARK: Statement cache

    private func prepared(_ sql: String) throws(SQLiteError) -> OpaquePointer {
        if let cached = statements[sql] { return cached }
        if statements.count >= Self.statementCacheLimit {
            for statement in statements.values { sqlite3_finalize(statement) }
            statements.removeAll()
        }
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(.prepare, rc, sql) }
        statements[sql] = statement
        return statement
    }

    /// Makes a cached statement ready for its next use (and releases its read snapshot).
    private func finish(_ statement: OpaquePointer) {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    private func bind(_ parameters: [SQLiteValue], to statement: OpaquePointer, sql: String) throws(SQLiteError) {
        let expected = Int(sqlite3_bind_parameter_count(statement))
        guard expected == parameters.count else {
            throw SQLiteError(.bind, code: SQLITE_RANGE,
                              message: "statement has \(expected) parameters, \(parameters.count) given", sql: sql)
        }
        for (offset, value) in parameters.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(statement, index)
            case .integer(let i): rc = sqlite3_bind_int64(statement, index, i)
            case .real(let d): rc = sqlite3_bind_double(statement, index, d)
            case .text(let s): rc = Self.bindText(s, statement, index)
            case .blob(let bytes):
                rc = bytes.withUnsafeBytes { buffer in
                    sqlite3_bind_blob64(statement, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                                        sqlite3_uint64(buffer.count), Self.transient)
                }
            }
            if rc != SQLITE_OK { throw error(.bind, rc, sql) }
        }
    }

    /// Binds the exact UTF-8 bytes (an embedded NUL does not cut the text short; "" stays "", not NULL).
    private static func bindText(_ s: String, _ statement: OpaquePointer, _ index: Int32) -> Int32 {
        var text = s
        return text.withUTF8 { buffer in
            guard let base = buffer.baseAddress, buffer.count > 0 else {
                return sqlite3_bind_text(statement, index, "", 0, transient)
            }
            return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { chars in
                sqlite3_bind_text64(statement, index, chars, sqlite3_uint64(buffer.count), transient,
                                    UInt8(SQLITE_UTF8))
            }
        }
    }

    private func readRow(_ statement: OpaquePointer) -> SQLiteRow {
        let count = sqlite3_column_count(statement)
        var values: [SQLiteValue] = []
        values.reserveCapacity(Int(count))
        for column in 0..<count {
            switch sqlite3_column_type(statement, column) {
            case SQLITE_INTEGER: values.append(.integer(sqlite3_column_int64(statement, column)))
            case SQLITE_FLOAT: values.append(.real(sqlite3_column_double(statement, column)))
            case SQLITE_TEXT:
                let bytes = Int(sqlite3_column_bytes(statement, column))
                if let pointer = sqlite3_column_text(statement, column) {
                    let buffer = UnsafeBufferPointer(start: pointer, count: bytes)
                    values.append(.text(String(decoding: buffer, as: UTF8.self)))
                } else {
                    values.append(.text(""))
                }
            case SQLITE_BLOB:
                let bytes = Int(sqlite3_column_bytes(statement, column))
                if let pointer = sqlite3_column_blob(statement, column), bytes > 0 {
                    values.append(.blob(Array(UnsafeRawBufferPointer(start: pointer, count: bytes))))
                } else {
                    values.append(.blob([]))
                }
            default: values.append(.null)
            }
        }
        return SQLiteRow(values)
    }

    // MARK: Errors

    /// SQLite's `SQLITE_TRANSIENT`: the library copies bound text and blobs before the call returns.
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    var lastErrorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    private func error(_ operation: SQLiteError.Operation, _ rc: Int32, _ sql: String) -> SQLiteError {
        let extended = sqlite3_extended_errcode(handle)
        return SQLiteError(operation, code: extended != 0 ? extended : rc, message: lastErrorMessage, sql: sql)
    }
}
