import SluiceVM

/// A visitor's stored session: script data plus the logged-in customer, if any.
public struct SessionRecord: Sendable, Equatable {
    public let id: String
    /// Values scripts stored with `session.set` (JSON-like).
    public var data: [String: ScriptValue]
    /// The logged-in customer (`session.setCustomer`), or nil.
    public var customerID: String?
    /// Milliseconds since 1970 (UTC).
    public let createdAt: Int64
    /// The session ends here (3 hours after creation by default), whatever happens in between.
    public let expiresAt: Int64

    public init(id: String, data: [String: ScriptValue] = [:], customerID: String? = nil, createdAt: Int64,
                expiresAt: Int64) {
        self.id = id
        self.data = data
        self.customerID = customerID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// The same session under a new id (log-in rotates the id against session fixation).
    func withID(_ newID: String) -> SessionRecord {
        SessionRecord(id: newID, data: data, customerID: customerID, createdAt: createdAt, expiresAt: expiresAt)
    }
}
