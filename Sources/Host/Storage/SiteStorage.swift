/// One site's database and the stores over it: CRM, sessions and customers. Each site has its
/// own file, so no call can read or change another site's data.
public final class SiteStorage: Sendable {
    /// The usual file name inside a site's data folder.
    public static let fileName = "site.sqlite"

    public let database: SQLiteDatabase
    public let crm: CRMStore
    public let sessions: SessionStore
    public let customers: CustomerStore

    /// Opens (creating and migrating as needed) the database at `path`.
    public init(path: String, crmConfig: CRMConfig,
                synchronous: SQLiteDatabase.Synchronous = .normal) throws(SQLiteError) {
        var options = SQLiteDatabase.Options(synchronous: synchronous, migrations: SiteSchema.migrations)
        // Pooled readers, so reads never queue behind a write or each other. (One shared
        // connection kept its page cache warm and saved 15% of a POST while requests ran 9
        // statements; at 2 per GET and 5 per POST the CPU per request is equal, and pooled
        // readers served 5-15% more requests per second under wrk on the example site.)
        options.readsUseWriter = false
        // A checkin POST changes two pages (the entry and an index leaf; three when this was
        // measured): 4 KiB pages append 8 KiB of WAL per commit, 1 KiB pages 2 KiB. Measured under wrk on the example site:
        // POST 15-25% more requests/s and half the p99 latency (checkpoints fsync a quarter of
        // the data); GET unchanged. CRM rows are small JSON; long ones use overflow pages.
        options.pageSize = 1024
        database = try SQLiteDatabase(path: path, options: options)
        crm = CRMStore(database: database, config: crmConfig)
        let sessionCache = SessionCache()
        sessions = SessionStore(database: database, cache: sessionCache)
        customers = CustomerStore(database: database, sessionCache: sessionCache)
    }

    /// Closes the database. Drain the CRM write queue first so no async write is lost.
    public func close() { database.close() }
}
