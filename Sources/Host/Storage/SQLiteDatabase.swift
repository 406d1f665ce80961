import CSQLite
import Foundation

/// One SQLite database file, safe to use from many threads at once.
///
/// **Threading.** There is one writer connection, used under a lock: SQLite allows one writer at a
/// time anyway, so serializing writers in-process costs nothing and means in-process writers never
/// see `SQLITE_BUSY`. Readers get their own connections from a small pool, so reads run in
/// parallel with each other and with the writer (WAL mode), unless `Options.readsUseWriter` puts
/// them on the writer connection (short reads and writes: one warm page cache beats parallelism).
/// A connection is only ever used by the thread inside a `read`/`write` closure. `busy_timeout`
/// covers other processes using the file.
///
/// **Durability.** `journal_mode=WAL` with `synchronous=NORMAL` (the default here): a commit
/// appends its pages to the WAL file with `write(2)` before `COMMIT` returns, and the WAL is
/// fsynced at checkpoints. After `write` returns, the data is in the operating system's page
/// cache, so it survives the *process* dying at any moment, `kill -9` included: the next open
/// replays the WAL. Only an operating-system crash or power loss can lose the most recent
/// commits (never corrupt the file). `Synchronous.full` fsyncs every commit and also survives
/// power loss, at about 10× the cost per write on this machine class (see swift-stack.md §3).
///
/// Never call `read` or `write` from inside another `write` closure on the same database: the
/// inner call would deadlock (write) or miss the outer transaction's changes (read).
public final class SQLiteDatabase: @unchecked Sendable {
    /// How commits reach the disk (see the type's documentation).
    public enum Synchronous: String, Sendable {
        /// Survives a process crash; an OS crash may lose the last commits.
        case normal = "NORMAL"
        /// Also survives an OS crash or power loss; fsync on every commit.
        case full = "FULL"
    }

    public struct Options: Sendable {
        public var synchronous: Synchronous
        /// How long a connection waits for another process's lock before failing with `SQLITE_BUSY`.
        public var busyTimeoutMilliseconds: Int32
        /// Idle reader connections kept open; more are opened under load and closed when returned.
        public var maxIdleReaders: Int
        /// Reads run on the writer connection, serialized with writes, instead of on pooled readers.
        /// Its page cache then survives commits (another connection's commit empties a reader's).
        public var readsUseWriter = false
        /// Page size of a newly created file (nil: SQLite's default, 4096). An existing file keeps
        /// its own. Every commit appends each page it changed to the WAL, and checkpoints fsync
        /// what accumulated, so small rows updated often cost less I/O with small pages.
        public var pageSize: Int?
        /// Applied in order on open (see `SQLiteMigration`).
        public var migrations: [SQLiteMigration]

        public init(synchronous: Synchronous = .normal, busyTimeoutMilliseconds: Int32 = 5_000,
                    maxIdleReaders: Int = 4, migrations: [SQLiteMigration] = []) {
            self.synchronous = synchronous
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            self.maxIdleReaders = maxIdleReaders
            self.migrations = migrations
        }
    }

    /// The database file.
    public let path: String
    public let options: Options

    /// nil once closed.
    private var writer: SQLiteConnection?
    private let writerLock = NSLock()
    let batcher = SQLiteWriteBatcher()
    private var idleReaders: [SQLiteConnection] = []
    private let readerLock = NSLock()
    private var closed = false

    /// SQLite counts every allocation under a process-wide mutex unless told not to before its
    /// first use; nothing here reads those statistics (`sqlite3_status`). Run once, before the
    /// first connection opens.
    static let memoryStatisticsDisabled: Bool = sluice_sqlite3_disable_memory_statistics() == SQLITE_OK

    /// Opens (creating the file and its folders if needed) and migrates the database at `path`.
    public init(path: String, options: Options = Options()) throws(SQLiteError) {
        _ = Self.memoryStatisticsDisabled
        self.path = path
        self.options = options
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw SQLiteError(.open, code: 0, message: "cannot create folder \(folder): \(error)")
            }
        }
        let writer = try SQLiteConnection(path: path, readOnly: false,
                                          busyTimeoutMilliseconds: options.busyTimeoutMilliseconds)
        self.writer = writer
        do throws(SQLiteError) {
            // Only takes effect while the file is still empty (a new database).
            if let pageSize = options.pageSize { try writer.executeScript("PRAGMA page_size = \(pageSize)") }
            let mode = try writer.queryFirst("PRAGMA journal_mode = WAL")?.text(0)?.lowercased()
            guard mode == "wal" else {
                throw SQLiteError(.configure, code: 0, message: "cannot enable WAL mode (got \(mode ?? "nothing"))")
            }
            try writer.executeScript("PRAGMA synchronous = \(options.synchronous.rawValue)")
        } catch {
            throw SQLiteError(.configure, code: error.code, message: error.message, sql: error.sql)
        }
        try SQLiteMigrator.apply(options.migrations, on: writer, now: Timestamp.nowMilliseconds())
    }

    // MARK: Transactions

    /// Runs `body` in a write transaction (`BEGIN IMMEDIATE` … `COMMIT`) on the writer connection.
    /// Writers are serialized. When `body` throws, the transaction is rolled back and nothing is written.
    /// When this returns, the commit is durable against a process crash (see the type's documentation).
    /// Writes that arrive while another commits are committed with it, each in its own savepoint
    /// (`SQLiteWriteBatcher`): every write stays atomic and is durable when this returns.
    public func write<T>(_ body: (SQLiteConnection) throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        var result: T?
        let failure: SQLiteError? = withoutActuallyEscaping(body) { body in
            let item = SQLiteWriteBatcher.Item { connection in
                do throws(SQLiteError) {
                    result = try body(connection)
                    return nil
                } catch {
                    return error
                }
            }
            return batcher.submit(item) { batch in
                writerLock.lock()
                defer { writerLock.unlock() }
                guard let writer else { return batch.map { _ in Self.closedError(path) } }
                return SQLiteWriteBatcher.commit(batch, on: writer)
            }
        }
        if let failure { throw failure }
        return result!
    }

    /// Runs `body` in a read transaction on a pooled reader: every query inside sees one consistent
    /// snapshot. Runs in parallel with other reads and with a write (with `readsUseWriter`, one at
    /// a time on the writer connection).
    public func read<T>(_ body: (SQLiteConnection) throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        if options.readsUseWriter {
            writerLock.lock()
            defer { writerLock.unlock() }
            guard let writer else { throw Self.closedError(path) }
            return try writer.transaction(.deferred) { () throws(SQLiteError) -> T in try body(writer) }
        }
        let connection = try checkOutReader()
        defer { checkIn(connection) }
        return try connection.transaction(.deferred) { () throws(SQLiteError) -> T in try body(connection) }
    }

    /// Runs `body`, which must run exactly one statement, without an explicit transaction: in
    /// autocommit mode a single statement is its own read transaction (one consistent snapshot),
    /// so BEGIN and COMMIT would only add two statements and their locking. Like `read`, it runs
    /// on a pooled reader, or on the writer connection with `readsUseWriter`. Use `read` when
    /// `body` runs more than one statement.
    public func readStatement<T>(_ body: (SQLiteConnection) throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        if options.readsUseWriter {
            writerLock.lock()
            defer { writerLock.unlock() }
            guard let writer else { throw Self.closedError(path) }
            return try body(writer)
        }
        let connection = try checkOutReader()
        defer { checkIn(connection) }
        return try body(connection)
    }

    /// Closes every connection (the writer and idle readers now, busy readers when returned).
    /// Later calls throw. Closing the last connection checkpoints the WAL into the main file.
    public func close() {
        writerLock.lock()
        readerLock.lock()
        closed = true
        writer = nil
        idleReaders.removeAll()
        readerLock.unlock()
        writerLock.unlock()
    }

    /// The latest applied migration version.
    public func schemaVersion() throws(SQLiteError) -> Int {
        try read { (c) throws(SQLiteError) in try SQLiteMigrator.currentVersion(c) }
    }

    // MARK: Reader pool

    private func checkOutReader() throws(SQLiteError) -> SQLiteConnection {
        readerLock.lock()
        if closed {
            readerLock.unlock()
            throw Self.closedError(path)
        }
        if let idle = idleReaders.popLast() {
            readerLock.unlock()
            return idle
        }
        readerLock.unlock()
        let connection = try SQLiteConnection(path: path, readOnly: false,
                                              busyTimeoutMilliseconds: options.busyTimeoutMilliseconds)
        // Readers never write: query_only turns an accidental write into an error.
        try connection.executeScript("PRAGMA query_only = ON")
        return connection
    }

    private func checkIn(_ connection: SQLiteConnection) {
        readerLock.lock()
        defer { readerLock.unlock() }
        if !closed && idleReaders.count < options.maxIdleReaders && !connection.isInTransaction {
            idleReaders.append(connection)
        }
    }

    private static func closedError(_ path: String) -> SQLiteError {
        SQLiteError(.closed, code: SQLITE_MISUSE, message: "database is closed: \(path)")
    }
}
