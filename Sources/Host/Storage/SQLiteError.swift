import CSQLite

/// A failure reported by SQLite (or by the wrapper around it), with the statement that caused it.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// What the wrapper was doing when SQLite failed.
    public enum Operation: String, Sendable {
        case open, configure, prepare, bind, step, transaction, migrate, closed
    }

    public let operation: Operation
    /// SQLite's extended result code (`SQLITE_BUSY`, `SQLITE_CONSTRAINT_UNIQUE`, …); 0 for wrapper errors.
    public let code: Int32
    public let message: String
    /// The SQL text involved, when there was one (never contains values: they are always bound).
    public let sql: String?

    public init(_ operation: Operation, code: Int32, message: String, sql: String? = nil) {
        self.operation = operation
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code (`code & 0xff`).
    public var primaryCode: Int32 { code & 0xff }
    /// Another connection held a lock for longer than the busy timeout.
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }
    /// A UNIQUE, NOT NULL, CHECK … constraint failed.
    public var isConstraintViolation: Bool { primaryCode == SQLITE_CONSTRAINT }

    public var description: String {
        var text = "SQLite \(operation) failed"
        if code != 0 { text += " (code \(code))" }
        text += ": \(message)"
        if let sql { text += " [\(sql.prefix(200))]" }
        return text
    }
}
