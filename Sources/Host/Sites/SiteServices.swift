import Logging
import SluiceVM

/// A site's data services: its SQLite database (CRM, sessions, customers) and the queue that
/// performs `async: true` CRM writes after responses.
final class SiteServices: @unchecked Sendable {
    /// The session cookie's name (reserved: scripts cannot set or delete it).
    static let sessionCookie = "sluice_session"
    static let sessionMaxAgeSeconds = 3 * 60 * 60

    let storage: SiteStorage
    let writeQueue: CRMWriteQueue
    let logger = Logger(label: "sluice.site")

    init(config: SiteConfig, configFile: String, dataDirectory: String) throws(Diagnostic) {
        let crmConfig: CRMConfig
        do {
            crmConfig = config.crm == .null ? try CRMConfig(entities: []) : try CRMConfig(json: config.crm)
        } catch {
            throw Diagnostic(file: configFile, line: 1, column: 1, message: "crm: \(error)")
        }
        let path = dataDirectory + "/" + SiteStorage.fileName
        do {
            storage = try SiteStorage(path: path, crmConfig: crmConfig)
        } catch {
            throw Diagnostic(file: path, line: 1, column: 1, message: "cannot open the site database: \(error)")
        }
        writeQueue = CRMWriteQueue(label: "sluice.crm.\(config.name)")
    }

    /// Installs Schema, CRM, session and customer bindings into a page runtime.
    func installBindings(into rt: Runtime, context: PageContext) throws(VMError) {
        try SchemaBinding.installEagerly(into: rt)
        try CRMBinding.install(into: rt, handle: context.crm)
        try SessionBinding.install(into: rt, handle: context.session)
        try SessionBinding.installCustomerGlobals(into: rt, handle: context.session)
    }

    /// The visitor's session for this request (a new, unsaved one when the cookie is missing,
    /// unknown or expired, or the database cannot be read).
    func beginSession(cookie: String?) -> SessionState {
        do {
            return try storage.sessions.begin(cookieID: cookie, customers: storage.customers)
        } catch {
            logger.error("session load failed: \(error)")
            return SessionState.detached()
        }
    }

    /// Saves a changed session; returns the Set-Cookie line when the visitor's cookie must change.
    func commitSession(_ session: SessionState) -> String? {
        do {
            guard let id = try storage.sessions.commit(session) else { return nil }
            return "\(SiteServices.sessionCookie)=\(id); Path=/; HttpOnly; SameSite=Lax; Max-Age=\(SiteServices.sessionMaxAgeSeconds)"
        } catch {
            logger.error("session save failed: \(error)")
            return nil
        }
    }

    /// After a run: its `async: true` writes go to the queue (performed after the response).
    func afterRun(context: PageContext) {
        context.crm.context.submitDeferredWrites()
    }

    /// Waits for queued async writes (clean shutdown).
    func drain() { writeQueue.drain() }

    func close() { storage.close() }
}
