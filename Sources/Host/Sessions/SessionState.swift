import SluiceVM

/// One request's view of the visitor's session: what scripts read and write while the request
/// runs. Confined to the request's thread; `SessionStore.commit` saves it afterwards.
public final class SessionState {
    public private(set) var record: SessionRecord
    /// The logged-in customer's record, or nil.
    public private(set) var customer: CustomerRecord?
    /// The session was created for this request (the visitor had no valid session cookie).
    public let isNew: Bool
    /// Something changed: the session must be saved.
    public private(set) var isModified = false
    /// The id before a log-in rotated it (that row is deleted on save), or nil.
    public private(set) var replacedID: String?

    public init(record: SessionRecord, customer: CustomerRecord? = nil, isNew: Bool = false) {
        self.record = record
        self.customer = customer
        self.isNew = isNew
    }

    /// A session that is never stored (scripts outside a request, tests).
    public static func detached(customer: CustomerRecord? = nil, data: [String: ScriptValue] = [:]) -> SessionState {
        let record = SessionRecord(id: SessionID.generate(), data: data, customerID: customer?.id, createdAt: 0,
                                   expiresAt: .max)
        return SessionState(record: record, customer: customer, isNew: true)
    }

    public var id: String { record.id }
    /// The logged-in customer's id, or nil for an anonymous visitor.
    public var customerID: String? { record.customerID }
    public var isCustomer: Bool { record.customerID != nil }

    /// A stored value, or nil.
    public func value(forKey key: String) -> ScriptValue? { record.data[key] }

    /// Stores a value; nil removes the key.
    public func setValue(_ value: ScriptValue?, forKey key: String) {
        guard record.data[key] != value else { return }
        record.data[key] = value
        isModified = true
    }

    /// Logs the visitor in as `customer` and gives the session a new id (so an id known before the
    /// log-in, e.g. planted by an attacker, does not carry the logged-in session).
    public func logIn(_ customer: CustomerRecord) {
        if replacedID == nil && !isNew { replacedID = record.id }
        record = record.withID(SessionID.generate())
        record.customerID = customer.id
        self.customer = customer
        isModified = true
    }
}
