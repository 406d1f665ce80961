import Foundation
import Synchronization
import SluiceVM
import Testing
@testable import SluiceHost

@Suite struct SQLiteDatabaseTests {
    static let kvSchema = SQLiteMigration(version: 1, name: "kv", sql: """
        CREATE TABLE kv (k TEXT PRIMARY KEY, v, n INTEGER NOT NULL DEFAULT 0);
        """)

    func open(_ folder: TemporaryFolder, _ name: String = "db/nested/test.sqlite",
              synchronous: SQLiteDatabase.Synchronous = .normal,
              migrations: [SQLiteMigration] = [kvSchema], readsUseWriter: Bool = false) throws -> SQLiteDatabase {
        var options = SQLiteDatabase.Options(synchronous: synchronous, migrations: migrations)
        options.readsUseWriter = readsUseWriter
        return try SQLiteDatabase(path: folder.file(name), options: options)
    }

    @Test func opensInWALModeCreatingFolders() throws {
        let folder = TemporaryFolder()
        let db = try open(folder)
        #expect(FileManager.default.fileExists(atPath: folder.file("db/nested/test.sqlite")))
        let mode = try db.read { (c) throws(SQLiteError) in try c.queryFirst("PRAGMA journal_mode")?.text(0) }
        #expect(mode == "wal")
        let sync = try db.write { (c) throws(SQLiteError) in try c.queryFirst("PRAGMA synchronous")?.int(0) }
        #expect(sync == 1)  // NORMAL
        let timeout = try db.write { (c) throws(SQLiteError) in try c.queryFirst("PRAGMA busy_timeout")?.int(0) }
        #expect(timeout == 5000)
    }

    @Test func fullSynchronousIsAnOption() throws {
        let folder = TemporaryFolder()
        let db = try open(folder, synchronous: .full)
        let sync = try db.write { (c) throws(SQLiteError) in try c.queryFirst("PRAGMA synchronous")?.int(0) }
        #expect(sync == 2)
    }

    /// A new file gets the requested page size; an existing one keeps the size it was made with
    /// (SQLite changes it only by rebuilding the file). Site databases are made with 1 KiB pages.
    @Test func pageSizeAppliesToNewFilesOnly() throws {
        let folder = TemporaryFolder()
        func pageSize(_ db: SQLiteDatabase) throws -> Int? {
            try db.read { (c) throws(SQLiteError) in try c.queryFirst("PRAGMA page_size")?.int(0) }
        }
        var options = SQLiteDatabase.Options(migrations: [Self.kvSchema])
        options.pageSize = 1024
        var small: SQLiteDatabase? = try SQLiteDatabase(path: folder.file("small.sqlite"), options: options)
        #expect(try pageSize(small!) == 1024)
        small?.close()
        small = nil
        #expect(try pageSize(SQLiteDatabase(path: folder.file("small.sqlite"), options: options)) == 1024)

        let big = try open(folder, "big.sqlite")
        #expect(try pageSize(big) == 4096)
        big.close()
        #expect(try pageSize(SQLiteDatabase(path: folder.file("big.sqlite"), options: options)) == 4096,
                "an existing file keeps its page size")

        let site = try SiteStorage(path: folder.file("site.sqlite"), crmConfig: .empty)
        #expect(try pageSize(site.database) == 1024)
    }

    @Test func valuesRoundTripThroughBoundParameters() throws {
        let folder = TemporaryFolder()
        let db = try open(folder)
        let values: [(String, SQLiteValue)] = [
            ("quote", .text("Robert'); DROP TABLE kv;--")),
            ("nul", .text("a\u{0}b")),
            ("empty", .text("")),
            ("emoji", .text("héllo 👋🏽")),
            ("int", .integer(Int64.min)),
            ("real", .real(3.25)),
            ("blob", .blob([0, 1, 2, 255])),
            ("emptyBlob", .blob([])),
            ("null", .null),
        ]
        try db.write { (c) throws(SQLiteError) in
            for (k, v) in values { try c.execute("INSERT INTO kv (k, v) VALUES (?, ?)", [.text(k), v]) }
        }
        for (k, v) in values {
            let back = try db.read { (c) throws(SQLiteError) in try c.queryFirst("SELECT v FROM kv WHERE k = ?", [.text(k)]) }
            #expect(back?[0] == v, "\(k)")
        }
        let tables = try db.read { (c) throws(SQLiteError) in try c.query("SELECT name FROM sqlite_master WHERE name = 'kv'") }
        #expect(tables.count == 1)
    }

    @Test func failingWriteRollsBackEverything() throws {
        let folder = TemporaryFolder()
        let db = try open(folder)
        #expect(throws: SQLiteError.self) {
            try db.write { (c) throws(SQLiteError) in
                try c.execute("INSERT INTO kv (k, v) VALUES ('a', 1)")
                try c.execute("INSERT INTO kv (k, v) VALUES ('a', 2)")  // primary key violation
            }
        }
        let count = try db.read { (c) throws(SQLiteError) in try c.queryFirst("SELECT count(*) FROM kv")?.int(0) }
        #expect(count == 0)
        // The writer connection is usable again afterwards.
        try db.write { (c) throws(SQLiteError) in try c.execute("INSERT INTO kv (k, v) VALUES ('a', 1)") }
        let after = try db.read { (c) throws(SQLiteError) in try c.queryFirst("SELECT count(*) FROM kv")?.int(0) }
        #expect(after == 1)
    }

    /// Writes arriving while another commits are committed together (group commit), each in its
    /// own savepoint: every call gets its own result or error, a failing write leaves no trace,
    /// and the others in its batch are all there.
    @Test func concurrentWritesAreBatchedAndStayAtomic() throws {
        let folder = TemporaryFolder()
        let db = try open(folder)
        let threads = 8, writesPerThread = 40
        let failures = Mutex<[String]>([])
        // Threads of their own, so writes queue behind commits even on a two-core machine.
        let group = DispatchGroup()
        for t in 0..<threads {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                for w in 0..<writesPerThread {
                    let key = "t\(t)-w\(w)"
                    let fails = w % 7 == 3
                    do {
                        let echoed = try db.write { (c) throws(SQLiteError) -> String in
                            try c.execute("INSERT INTO kv (k, v) VALUES (?, ?)", [.text(key), .integer(Int64(w))])
                            try c.execute("INSERT INTO kv (k, v) VALUES (?, 'second row of the same write')", [.text(key + "+")])
                            // Holding the transaction a moment lets other threads queue behind it.
                            if w == 0 { usleep(5_000) }
                            if fails { try c.execute("INSERT INTO kv (k, v) VALUES (?, 0)", [.text(key)]) }  // duplicate key
                            return key
                        }
                        if fails || echoed != key { failures.withLock { $0.append("\(key) returned \(echoed)") } }
                    } catch {
                        if !fails || (error as? SQLiteError).map({ $0.code & 0xff != 19 }) ?? true { failures.withLock { $0.append("\(key) failed: \(error)") } }
                    }
                }
            }
        }
        group.wait()
        #expect(failures.withLock { $0 } == [])
        let rows = try db.read { (c) throws(SQLiteError) in try c.query("SELECT k FROM kv").compactMap { $0.text(0) } }
        var expected: Set<String> = []
        for t in 0..<threads {
            for w in 0..<writesPerThread where w % 7 != 3 { expected.insert("t\(t)-w\(w)"); expected.insert("t\(t)-w\(w)+") }
        }
        #expect(Set(rows) == expected, "every successful write whole, no trace of a failed one")
        #expect(rows.count == expected.count)
    }

    /// Writes that queue while a commit is in progress go into the next transaction together.
    /// The first write is held open until two more are queued, so this does not depend on how
    /// many threads the machine runs at once.
    @Test func writesQueuedBehindACommitShareTheNextOne() throws {
        let folder = TemporaryFolder()
        let db = try open(folder)
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        // Threads of their own: a pool may not start a third worker while two block.
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            _ = try? db.write { (c) throws(SQLiteError) in
                try c.execute("INSERT INTO kv (k, v) VALUES ('first', 1)")
                holding.signal()
                release.wait()
            }
        }
        holding.wait()
        for key in ["second", "third"] {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                _ = try? db.write { (c) throws(SQLiteError) in try c.execute("INSERT INTO kv (k, v) VALUES (?, 2)", [.text(key)]) }
            }
        }
        let deadline = Date().addingTimeInterval(10)
        while db.batcher.queuedCount < 2 && Date() < deadline { usleep(1_000) }
        #expect(db.batcher.queuedCount == 2)
        #expect(db.batcher.batchedWrites == 0)
        release.signal()
        group.wait()
        #expect(db.batcher.batchedWrites == 2, "the two queued writes were committed as one batch")
        let keys = try db.read { (c) throws(SQLiteError) in try c.query("SELECT k FROM kv ORDER BY k").compactMap { $0.text(0) } }
        #expect(keys == ["first", "second", "third"])
    }

    @Test func errorsAreTyped() throws {
        let folder = TemporaryFolder()
        let db = try open(folder)
        do {
            _ = try db.read { (c) throws(SQLiteError) in try c.query("SELEKT 1") }
            Issue.record("expected a prepare error")
        } catch {
            #expect(error.operation == .prepare)
            #expect(error.message.contains("syntax"))
            #expect(error.sql == "SELEKT 1")
        }
        do {
            try db.write { (c) throws(SQLiteError) in
                try c.execute("INSERT INTO kv (k, v) VALUES (?, ?)", [.text("x")])
            }
            Issue.record("expected a bind error")
        } catch {
            #expect(error.operation == .bind)
        }
        do {
            try db.write { (c) throws(SQLiteError) in
                try c.execute("INSERT INTO kv (k, v) VALUES ('x', 1)")
                try c.execute("INSERT INTO kv (k, v) VALUES ('x', 1)")
            }
            Issue.record("expected a constraint error")
        } catch {
            #expect(error.operation == .step)
            #expect(error.isConstraintViolation)
            #expect(!error.isBusy)
        }
        do {
            _ = try db.read { (c) throws(SQLiteError) in try c.execute("INSERT INTO kv (k, v) VALUES ('r', 1)") }
            Issue.record("readers must not write")
        } catch {
            #expect(error.operation == .step)
        }
    }

    @Test func statementCacheSurvivesManyDistinctStatements() throws {
        let folder = TemporaryFolder()
        let db = try open(folder)
        try db.write { (c) throws(SQLiteError) in
            for i in 0..<300 {
                // 300 distinct texts (more than the cache keeps), each run twice.
                for _ in 0..<2 { try c.execute("INSERT OR REPLACE INTO kv (k, v, n) VALUES (?, ?, \(i % 150))", [.text("k\(i)"), .integer(Int64(i))]) }
            }
        }
        let sum = try db.read { (c) throws(SQLiteError) in try c.queryFirst("SELECT sum(v), count(*) FROM kv") }
        #expect(sum?.int(0) == (0..<300).reduce(0, +))
        #expect(sum?.int(1) == 300)
    }

    @Test func migrationsApplyOnceInOrderAndRecordTheirVersion() throws {
        let folder = TemporaryFolder()
        let path = folder.file("m.sqlite")
        let v1 = SQLiteMigration(version: 1, name: "one", sql: "CREATE TABLE a (x); INSERT INTO a VALUES (1);")
        let v2 = SQLiteMigration(version: 2, name: "two", sql: "CREATE TABLE b (y); INSERT INTO a VALUES (2);")
        do {
            let db = try SQLiteDatabase(path: path, options: .init(migrations: [v1]))
            #expect(try db.schemaVersion() == 1)
            db.close()
        }
        do {
            let db = try SQLiteDatabase(path: path, options: .init(migrations: [v1, v2]))
            #expect(try db.schemaVersion() == 2)
            let rows = try db.read { (c) throws(SQLiteError) in try c.query("SELECT x FROM a ORDER BY x").compactMap { $0.int(0) } }
            #expect(rows == [1, 2])  // v1 ran once, v2 once
            let userVersion = try db.read { (c) throws(SQLiteError) in try c.queryFirst("PRAGMA user_version")?.int(0) }
            #expect(userVersion == 2)
            let names = try db.read { (c) throws(SQLiteError) in
                try c.query("SELECT name FROM schema_migrations ORDER BY version").compactMap { $0.text(0) }
            }
            #expect(names == ["one", "two"])
            db.close()
        }
        // A build that knows only v1 refuses a database migrated further.
        #expect(throws: SQLiteError.self) { try SQLiteDatabase(path: path, options: .init(migrations: [v1])) }
    }

    @Test func failingMigrationLeavesNothingBehind() throws {
        let folder = TemporaryFolder()
        let path = folder.file("bad.sqlite")
        let good = SQLiteMigration(version: 1, name: "good", sql: "CREATE TABLE a (x);")
        let bad = SQLiteMigration(version: 2, name: "bad", sql: "CREATE TABLE b (y); CREATE TABLE a (x);")
        do {
            _ = try SQLiteDatabase(path: path, options: .init(migrations: [good, bad]))
            Issue.record("expected the migration to fail")
        } catch {
            #expect(error.operation == .migrate)
            #expect(error.message.contains("migration 2 (bad)"))
        }
        let db = try SQLiteDatabase(path: path, options: .init(migrations: [good]))
        #expect(try db.schemaVersion() == 1)
        let b = try db.read { (c) throws(SQLiteError) in try c.query("SELECT name FROM sqlite_master WHERE name = 'b'") }
        #expect(b.isEmpty)
    }

    @Test func migrationVersionsMustIncrease() throws {
        let folder = TemporaryFolder()
        let m = SQLiteMigration(version: 1, name: "x", sql: "CREATE TABLE a (x);")
        #expect(throws: SQLiteError.self) {
            try SQLiteDatabase(path: folder.file("x.sqlite"), options: .init(migrations: [m, m]))
        }
    }

    @Test func closedDatabaseThrows() throws {
        let folder = TemporaryFolder()
        let db = try open(folder)
        db.close()
        do {
            try db.write { (c) throws(SQLiteError) in try c.execute("INSERT INTO kv (k) VALUES ('a')") }
            Issue.record("expected an error")
        } catch {
            #expect(error.operation == .closed)
        }
        #expect(throws: SQLiteError.self) { try db.read { (c) throws(SQLiteError) in try c.query("SELECT 1") } }
    }

    /// Many threads doing read-modify-write at once: the writer lock serializes them, so no update
    /// is lost, and concurrent readers always see a consistent snapshot, on pooled readers or on
    /// the writer connection (as sites use it).
    @Test(arguments: [false, true]) func concurrentWritersAndReaders(readsUseWriter: Bool) throws {
        let folder = TemporaryFolder()
        let db = try open(folder, readsUseWriter: readsUseWriter)
        try db.write { (c) throws(SQLiteError) in
            try c.execute("INSERT INTO kv (k, v, n) VALUES ('a', 0, 0), ('b', 1000, 0)")
        }
        let writers = 6
        let perWriter = 150
        let readerFailures = LockedCounter()
        let writeFailures = LockedCounter()
        DispatchQueue.concurrentPerform(iterations: writers + 2) { worker in
            if worker < writers {
                for _ in 0..<perWriter {
                    do {
                        try db.write { (c) throws(SQLiteError) in
                            // Move one unit from b to a: a + b stays 1000 in every committed state.
                            let a = try c.queryFirst("SELECT v FROM kv WHERE k = 'a'")?.int64(0) ?? 0
                            let b = try c.queryFirst("SELECT v FROM kv WHERE k = 'b'")?.int64(0) ?? 0
                            try c.execute("UPDATE kv SET v = ? WHERE k = 'a'", [.integer(a + 1)])
                            try c.execute("UPDATE kv SET v = ? WHERE k = 'b'", [.integer(b - 1)])
                        }
                    } catch {
                        writeFailures.add()
                    }
                }
            } else {
                for _ in 0..<300 {
                    do {
                        let sum = try db.read { (c) throws(SQLiteError) -> Int64 in
                            let a = try c.queryFirst("SELECT v FROM kv WHERE k = 'a'")?.int64(0) ?? -1
                            let b = try c.queryFirst("SELECT v FROM kv WHERE k = 'b'")?.int64(0) ?? -1
                            return a + b
                        }
                        if sum != 1000 { readerFailures.add() }
                    } catch {
                        readerFailures.add()
                    }
                }
            }
        }
        #expect(writeFailures.value == 0)
        #expect(readerFailures.value == 0)
        let a = try db.read { (c) throws(SQLiteError) in try c.queryFirst("SELECT v FROM kv WHERE k = 'a'")?.int(0) }
        #expect(a == writers * perWriter)
    }

    /// Two handles on one file stand for two processes: the second waits for the first's write
    /// lock (busy_timeout) instead of failing.
    @Test func busyTimeoutWaitsForAnotherConnectionsLock() throws {
        let folder = TemporaryFolder()
        let first = try open(folder, "shared.sqlite")
        let second = try open(folder, "shared.sqlite")
        let started = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? first.write { (c) throws(SQLiteError) in
                try c.execute("INSERT INTO kv (k, v) VALUES ('first', 1)")
                started.signal()
                usleep(300_000)
            }
            done.signal()
        }
        started.wait()
        let began = Date()
        try second.write { (c) throws(SQLiteError) in try c.execute("INSERT INTO kv (k, v) VALUES ('second', 2)") }
        #expect(Date().timeIntervalSince(began) > 0.1)
        done.wait()
        let keys = try first.read { (c) throws(SQLiteError) in try c.query("SELECT k FROM kv ORDER BY k").compactMap { $0.text(0) } }
        #expect(keys == ["first", "second"])
    }

    /// A committed write survives the process dying without closing anything: copying the files as
    /// they are on disk right after the commit (the database and its WAL, no shared-memory index) and
    /// opening the copy is what the next start after `kill -9` sees.
    @Test func committedWriteSurvivesAProcessCrash() throws {
        let folder = TemporaryFolder()
        let db = try open(folder, "live.sqlite")
        try db.write { (c) throws(SQLiteError) in
            try c.execute("INSERT INTO kv (k, v) VALUES ('kept', 'yes')")
        }
        let wal = folder.file("live.sqlite-wal")
        let walSize = (try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
        #expect(walSize > 0, "the commit should still be in the WAL, not checkpointed")
        let crash = TemporaryFolder()
        try FileManager.default.copyItem(atPath: folder.file("live.sqlite"), toPath: crash.file("live.sqlite"))
        try FileManager.default.copyItem(atPath: wal, toPath: crash.file("live.sqlite-wal"))
        let reopened = try open(crash, "live.sqlite")
        let v = try reopened.read { (c) throws(SQLiteError) in try c.queryFirst("SELECT v FROM kv WHERE k = 'kept'")?.text(0) }
        #expect(v == "yes")
        _ = db  // the original stays open, as a crashed process would have left it
    }
}

/// A thread-safe counter for concurrency tests.
final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add(_ n: Int = 1) { lock.lock(); count += n; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

@Suite struct JSONTextTests {
    @Test(arguments: [
        #"{"a":[1,"two",{"b":true,"c":null}],"d":-0.5,"e":"x\"y\\z\n\t\u0001é👋"}"#,
        #"[]"#, #"{}"#, #""""#, #"1e+21"#, #"[null,false]"#,
    ])
    func parseThenSerializeGivesTheSameTextAsJavaScript(text: String) throws {
        let value = try JSONText.parse(text)
        #expect(JSONText.serialize(value) == value.jsonText)
        #expect(try JSONText.parse(JSONText.serialize(value)) == value)
    }

    @Test func parsesEscapesAndSurrogatePairs() throws {
        #expect(try JSONText.parse(#""\ud83d\udc4b \u00e9 \/""#) == .string("👋 é /"))
        #expect(try JSONText.parse(#" {"a":1,"a":2} "#) == .object([ScriptProperty("a", .number(2))]))
        #expect(try JSONText.parse("12.5e-1") == .number(1.25))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "tru", "\"\\x\"", "\"a\nb\"", "1 2", "NaN"])
    func rejectsInvalidJSON(text: String) {
        #expect(throws: JSONText.ParseError.self) { try JSONText.parse(text) }
    }

    @Test func rejectsExcessiveNesting() {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(throws: JSONText.ParseError.self) { try JSONText.parse(deep) }
    }
}

@Suite struct TimestampTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (Int64(951_782_400_123), "2000-02-29T00:00:00.123Z"),
        (Int64(1_767_225_599_999), "2025-12-31T23:59:59.999Z"),
        (Int64(-1), "1969-12-31T23:59:59.999Z"),
        (Int64(-62_167_219_200_000), "0000-01-01T00:00:00.000Z"),
    ])
    func formatsLikeToISOString(ms: Int64, text: String) {
        #expect(Timestamp.iso8601(milliseconds: ms) == text)
    }

    @Test func nowIsTheWallClock() {
        let now = Timestamp.nowMilliseconds()
        let reference = Int64(Date().timeIntervalSince1970 * 1000)
        #expect(abs(now - reference) < 5_000)
    }
}
