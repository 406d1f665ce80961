import Logging
import SluiceVM

/// What the CRM functions of one script run need: the site's store, the visitor's session (whose
/// customer the default reference points to, and whose `quiz_visitor_id` guards
/// `reassignCrmReference`), and where `async: true` writes go.
///
/// Confined to the request's thread, like the `Runtime` it is installed into.
public final class CRMRequestContext {
    public let store: CRMStore
    public var config: CRMConfig { store.config }
    /// The visitor's session; `session.setCustomer` during the run changes the customer seen here.
    public let session: SessionState
    /// The logged-in customer's id, or nil for an anonymous visitor.
    public var customerID: String? { session.customerID }
    public let writeQueue: CRMWriteQueue
    public let logger: Logger
    /// `async: true` writes accepted during the run, not yet submitted.
    public private(set) var deferredWrites: [CRMDeferredWrite] = []
    /// `ensureCrmEntity` calls made so far in this run (at most 5 are served).
    public internal(set) var ensureEntityCalls = 0

    public init(store: CRMStore, session: SessionState, writeQueue: CRMWriteQueue,
                logger: Logger = Logger(label: "sluice.crm")) {
        self.store = store
        self.session = session
        self.writeQueue = writeQueue
        self.logger = logger
    }

    /// A context without a stored session: `customerID` (nil for anonymous) and session values
    /// are fixed for the run.
    public convenience init(store: CRMStore, customerID: String?, sessionValues: [String: ScriptValue] = [:],
                            writeQueue: CRMWriteQueue, logger: Logger = Logger(label: "sluice.crm")) {
        let record = SessionRecord(id: SessionID.generate(), data: sessionValues, customerID: customerID,
                                   createdAt: 0, expiresAt: .max)
        self.init(store: store, session: SessionState(record: record, isNew: true), writeQueue: writeQueue,
                  logger: logger)
    }

    /// Hands the run's `async: true` writes to the write queue. Call once the response has been sent
    /// (whatever the script's outcome: writes accepted before an error still happen).
    public func submitDeferredWrites() {
        let writes = deferredWrites
        deferredWrites.removeAll()
        writeQueue.submit(writes)
    }

    func deferWrite(_ summary: String, _ perform: @escaping @Sendable () throws(CRMError) -> Void) {
        deferredWrites.append(CRMDeferredWrite(summary: summary, perform: perform))
    }
}
