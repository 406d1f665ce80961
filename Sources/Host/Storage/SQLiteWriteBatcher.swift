import Foundation

/// Group commit: writes that arrive while another is being committed are committed together.
///
/// Every write transaction costs a `BEGIN IMMEDIATE` (file locks), a COMMIT (a WAL append per
/// changed page, more file locks) and the in-process write lock, which other writers queue on.
/// Here the first writer to find no batch in progress becomes the leader: it takes every write
/// queued so far and runs them in one transaction, each inside its own SAVEPOINT, so a write that
/// fails is undone alone and reports its own error, exactly as in a transaction of its own. No
/// caller returns before the COMMIT that holds its write has returned: durability is unchanged.
/// Writers that arrived meanwhile wait; one of them leads the next batch.
final class SQLiteWriteBatcher: @unchecked Sendable {
    /// One queued write. `execute` runs the caller's body and returns its error (nil on success);
    /// it is cleared once run, because it borrows a non-escaping closure of the waiting caller.
    final class Item {
        var execute: ((SQLiteConnection) -> SQLiteError?)?
        /// nil until committed or failed; then the write's outcome (nil error = committed).
        var outcome: SQLiteError??
        init(_ execute: @escaping (SQLiteConnection) -> SQLiteError?) { self.execute = execute }
    }

    private let condition = NSCondition()
    private var queued: [Item] = []
    private var leading = false
    /// Writes committed in a batch of more than one (for tests and tuning).
    private(set) var batchedWrites = 0

    /// Writes waiting for the next batch (for tests).
    var queuedCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return queued.count
    }

    /// Queues `item`, commits it (leading a batch or waiting for another leader) and returns its
    /// outcome. `commit` runs a batch in one transaction on the writer connection.
    func submit(_ item: Item, commit: ([Item]) -> [SQLiteError?]) -> SQLiteError? {
        condition.lock()
        defer { condition.unlock() }
        queued.append(item)
        while item.outcome == nil {
            if leading {
                condition.wait()
                continue
            }
            leading = true
            let batch = queued
            queued.removeAll()
            condition.unlock()
            let outcomes = commit(batch)
            condition.lock()
            for (member, outcome) in zip(batch, outcomes) {
                member.execute = nil
                member.outcome = .some(outcome)
            }
            if batch.count > 1 { batchedWrites += batch.count }
            leading = false
            condition.broadcast()
        }
        return item.outcome!
    }

    /// Runs `batch` on `writer`: one item as a plain transaction; several in one transaction,
    /// each in a SAVEPOINT. Returns each item's outcome, in order.
    static func commit(_ batch: [Item], on writer: SQLiteConnection) -> [SQLiteError?] {
        if batch.count == 1, let execute = batch[0].execute {
            do throws(SQLiteError) {
                try writer.transaction(.immediate) { () throws(SQLiteError) in
                    if let error = execute(writer) { throw error }
                }
                return [nil]
            } catch {
                return [error]
            }
        }
        var outcomes = [SQLiteError?](repeating: nil, count: batch.count)
        var committed: [Int] = []  // items whose writes the open transaction holds
        var open = false
        /// Marks the writes of the open transaction failed (it was rolled back).
        func lose(_ error: SQLiteError) {
            for i in committed { outcomes[i] = error }
            committed.removeAll()
            open = false
        }
        for (i, item) in batch.enumerated() {
            guard let execute = item.execute else { continue }
            do throws(SQLiteError) {
                if !open {
                    try writer.execute("BEGIN IMMEDIATE")
                    open = true
                }
                try writer.execute("SAVEPOINT queued_write")
            } catch {
                outcomes[i] = error
                if !writer.isInTransaction { lose(error) }
                continue
            }
            if let error = execute(writer) {
                outcomes[i] = error
                if writer.isInTransaction {
                    // Undo this write alone; the batch's other writes stay.
                    do throws(SQLiteError) {
                        try writer.execute("ROLLBACK TO queued_write")
                        try writer.execute("RELEASE queued_write")
                    } catch {
                        writer.rollbackQuietly()
                        lose(error)
                    }
                } else {
                    // SQLite rolled the whole transaction back (I/O error, disk full, ...).
                    lose(error)
                }
                continue
            }
            do throws(SQLiteError) {
                try writer.execute("RELEASE queued_write")
                committed.append(i)
            } catch {
                outcomes[i] = error
                writer.rollbackQuietly()
                lose(error)
            }
        }
        if open {
            do throws(SQLiteError) {
                try writer.execute("COMMIT")
            } catch {
                writer.rollbackQuietly()
                lose(error)
            }
        }
        return outcomes
    }
}
