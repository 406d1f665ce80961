import Synchronization

/// Sessions (with their customer) recently read from a site's database, so a visitor's next
/// request does not read them again.
///
/// Reading the session was a read transaction of its own on every request, and after each commit
/// it re-read its pages from the WAL (five `pread`s and four file locks per POST on the example
/// site). Every write to the `sessions` and `customers` tables goes through `SessionStore` and
/// `CustomerStore`, which report it here, so within this process an entry is never stale: saving
/// or deleting a session drops its entry, writing a customer drops the entries showing that
/// customer. Writes by another process on the same file are not seen; entries are therefore
/// trusted for `maximumAgeMilliseconds` only, which bounds how long such a write can go unnoticed.
public final class SessionCache: Sendable {
    /// How long an entry is used after it was read from the database.
    public static let defaultMaximumAgeMilliseconds: Int64 = 2_000
    /// Entries kept at most; when full, entries too old to use are dropped, then arbitrary ones.
    public static let defaultCapacity = 20_000

    struct Entry {
        var record: SessionRecord
        var customer: CustomerRecord?
        var loadedAt: Int64
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Cached session ids by the customer they show, so writing a customer finds them.
        var sessionsByCustomer: [String: Set<String>] = [:]
        /// Counts writes to sessions and customers, so a read that overlapped one is not cached.
        var writes: UInt64 = 0
        var hits = 0
        /// When entries too old to use were last dropped (milliseconds, the store's clock).
        var lastPurge: Int64 = .min / 2

        mutating func remove(_ id: String) {
            guard let entry = entries.removeValue(forKey: id), let customerID = entry.record.customerID else { return }
            sessionsByCustomer[customerID]?.remove(id)
            if sessionsByCustomer[customerID]?.isEmpty == true { sessionsByCustomer[customerID] = nil }
        }

        mutating func insert(_ entry: Entry) {
            remove(entry.record.id)
            entries[entry.record.id] = entry
            if let customerID = entry.record.customerID { sessionsByCustomer[customerID, default: []].insert(entry.record.id) }
        }
    }

    private let state = Mutex(State())
    let maximumAgeMilliseconds: Int64
    let capacity: Int

    public init(maximumAgeMilliseconds: Int64 = SessionCache.defaultMaximumAgeMilliseconds,
                capacity: Int = SessionCache.defaultCapacity) {
        self.maximumAgeMilliseconds = maximumAgeMilliseconds
        self.capacity = max(1, capacity)
    }

    /// The cached session `id` and its customer, if cached, unexpired and young enough.
    func lookup(id: String, now: Int64) -> (SessionRecord, CustomerRecord?)? {
        state.withLock { s -> (SessionRecord, CustomerRecord?)? in
            guard let entry = s.entries[id] else { return nil }
            guard now < entry.record.expiresAt, now - entry.loadedAt < maximumAgeMilliseconds, now >= entry.loadedAt else {
                s.remove(id)
                return nil
            }
            s.hits += 1
            return (entry.record, entry.customer)
        }
    }

    /// Take this before reading a session from the database; pass it to `store` afterwards.
    func writeStamp() -> UInt64 { state.withLock { $0.writes } }

    /// Caches a session read from the database, unless a session or customer was written since
    /// `stamp` was taken (the read may then predate that write).
    func store(_ record: SessionRecord, customer: CustomerRecord?, loadedAt: Int64, ifNoWriteSince stamp: UInt64) {
        state.withLock { s in
            guard s.writes == stamp else { return }
            if s.entries.count >= capacity, s.entries[record.id] == nil {
                // Full: first drop every entry too old to be used (at most once per maximum age,
                // so a cache full of young entries does not rescan on every store), then, if
                // still full, an arbitrary one.
                if loadedAt - s.lastPurge >= maximumAgeMilliseconds || loadedAt < s.lastPurge {
                    s.lastPurge = loadedAt
                    let old = s.entries.compactMap { loadedAt - $0.value.loadedAt >= maximumAgeMilliseconds ? $0.key : nil }
                    for id in old { s.remove(id) }
                }
                if s.entries.count >= capacity { s.remove(s.entries[s.entries.startIndex].key) }
            }
            s.insert(Entry(record: record, customer: customer, loadedAt: loadedAt))
        }
    }

    /// Call after a write to these sessions committed (saved, deleted, replaced).
    func sessionsWritten(_ ids: String?...) {
        state.withLock { s in
            s.writes &+= 1
            for case let id? in ids { s.remove(id) }
        }
    }

    /// Call after a write to this customer committed.
    func customerWritten(id: String) {
        state.withLock { s in
            s.writes &+= 1
            for sessionID in s.sessionsByCustomer[id] ?? [] { s.remove(sessionID) }
        }
    }

    /// Call after sessions were deleted in bulk (expired ones).
    func sessionsWrittenInBulk() {
        state.withLock { s in
            s.writes &+= 1
            s.entries.removeAll(keepingCapacity: true)
            s.sessionsByCustomer.removeAll()
        }
    }

    /// How many lookups were answered from the cache (tests and tuning).
    public var hits: Int { state.withLock { $0.hits } }
    /// How many sessions are cached now.
    public var count: Int { state.withLock { $0.entries.count } }
}
