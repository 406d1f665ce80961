import Synchronization

/// Hands out CRM entry revisions ("newest first" order) from memory.
///
/// A revision used to be computed in SQL as `max(revision) + 1`, which needed an index on
/// `revision` that every write also had to update: a third page (and WAL frame) per checkin.
/// Writes are serialized on the writer connection, so a counter in memory gives the same
/// strictly increasing values. It is loaded from the table on first use and again whenever
/// `PRAGMA data_version` says another connection (another process, say) committed since: that
/// pragma ignores the connection's own commits, so it changes only for writes the counter did
/// not hand out. Revisions of rolled-back writes are skipped, which leaves gaps and no repeats.
/// Two `CRMStore`s writing through the same `SQLiteDatabase` would each count on their own, so a
/// database has one store (`SiteStorage` makes it).
final class CRMRevisions: Sendable {
    private struct State {
        var next: Int64 = 0
        /// `PRAGMA data_version` when `next` was last known right; nil before the first load.
        var dataVersion: Int64?

        mutating func take() -> Int64 {
            defer { next += 1 }
            return next
        }
    }

    private let state = Mutex(State())

    /// The next revision, for a write running in a transaction on `writer`.
    func next(on writer: SQLiteConnection) throws(SQLiteError) -> Int64 {
        let version = try writer.queryFirst("PRAGMA data_version")?.int64(0) ?? 0
        if let next = state.withLock({ s in s.dataVersion == version ? s.take() : nil }) { return next }
        // Loaded once per process start or foreign write (a table scan: no index on revision).
        let highest = try writer.queryFirst("SELECT coalesce(max(revision), 0) FROM crm_entries")?.int64(0) ?? 0
        return state.withLock { s in
            s.next = max(s.next, highest + 1)
            s.dataVersion = version
            return s.take()
        }
    }
}
