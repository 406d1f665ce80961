import Logging
import SluiceVM

/// The per-request state a pooled runtime's bindings read at call time. Bindings are installed
/// once per runtime and capture this object (or the session and CRM handles it owns); the host
/// points it at each new request before the run.
final class PageContext {
    var state = PageState()
    /// The request the `request` and `query` globals show (see `ContextBindings.setRequest`).
    var request: ScriptValue = .null
    let session: SessionBindingHandle
    let crm: CRMBindingHandle
    private let storage: SiteStorage
    private let writeQueue: CRMWriteQueue
    /// Console lines and binding warnings of the current request.
    var log: (String, String) -> Void = { _, _ in }
    var consoleLines = 0
    var consoleBytes = 0

    init(storage: SiteStorage, writeQueue: CRMWriteQueue) {
        self.storage = storage
        self.writeQueue = writeQueue
        let placeholder = SessionState.detached()
        session = SessionBindingHandle(context: SessionRequestContext(state: placeholder, customers: storage.customers))
        crm = CRMBindingHandle(context: CRMRequestContext(store: storage.crm, session: placeholder, writeQueue: writeQueue))
    }

    /// Points the context at a new request.
    func begin(session sessionState: SessionState, logger: Logger, log: @escaping (String, String) -> Void) {
        state = PageState()
        session.context = SessionRequestContext(state: sessionState, customers: storage.customers, logger: logger)
        crm.context = CRMRequestContext(store: storage.crm, session: sessionState, writeQueue: writeQueue, logger: logger)
        self.log = log
        consoleLines = 0
        consoleBytes = 0
    }
}
