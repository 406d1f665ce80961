import SluiceVM

/// Why a customer could not be found or created.
public enum CustomerStoreError: Error, Sendable, CustomStringConvertible {
    /// The e-mail address is empty, longer than 254 characters, or has no `@`.
    case invalidEmail
    /// The id is empty, longer than 512 characters, or contains `{ } [ ] " \`.
    case invalidID
    case storage(SQLiteError)

    public var description: String {
        switch self {
        case .invalidEmail: return "invalid customer e-mail address"
        case .invalidID: return "invalid customer id"
        case .storage(let e): return "customer storage error: \(e)"
        }
    }
}

/// A site's customers, in the site database. Safe to use from many threads at once.
///
/// Customers are found by id, or by e-mail address compared case-insensitively. Generated ids are
/// random (`cus_` and 20 hex digits), so they reveal nothing about how many customers a site has.
public final class CustomerStore: Sendable {
    public let database: SQLiteDatabase
    /// Told of every customer this store writes, so cached sessions never show an old record.
    public let sessionCache: SessionCache?

    public init(database: SQLiteDatabase, sessionCache: SessionCache? = nil) {
        self.database = database
        self.sessionCache = sessionCache
    }

    /// The customer with this id, or nil.
    public func customer(id: String) throws(SQLiteError) -> CustomerRecord? {
        try database.readStatement { (c) throws(SQLiteError) in try Self.customer(id: id, c) }
    }

    /// The most recently updated customer with this e-mail address (any case), or nil.
    public func customer(email: String) throws(SQLiteError) -> CustomerRecord? {
        try database.readStatement { (c) throws(SQLiteError) in try Self.customer(emailKey: Self.emailKey(email), c) }
    }

    /// The customer for a log-in, created if needed, with the given details merged over the stored ones.
    ///
    /// With `id`: the customer with that id (created with it when there is none). Without: the
    /// customer with that e-mail address (created with a random id when there is none). Details that
    /// are nil keep their stored values. A name without first/last names fills them from its first
    /// word and the rest; first/last names without a name make the name.
    public func findOrCreateCustomer(email: String, name: String? = nil, firstName: String? = nil,
                                     lastName: String? = nil, id: String? = nil) throws(CustomerStoreError) -> CustomerRecord {
        let email = email.trimmingSpaces
        guard email.contains("@"), email.utf16.count <= 254, !email.hasPrefix("@"), !email.hasSuffix("@") else {
            throw .invalidEmail
        }
        if let id, !CRMRules.isReferenceID(id) { throw .invalidID }
        let now = Timestamp.nowMilliseconds()
        do {
            let record = try database.write { (c) throws(SQLiteError) -> CustomerRecord in
                let existing: CustomerRecord?
                if let id {
                    existing = try Self.customer(id: id, c)
                } else {
                    existing = try Self.customer(emailKey: Self.emailKey(email), c)
                }
                var record = existing ?? CustomerRecord(id: id ?? Self.generateID(), email: email, createdAt: now,
                                                        updatedAt: now)
                record.email = email
                if let name { record.name = name }
                if let firstName { record.firstName = firstName }
                if let lastName { record.lastName = lastName }
                Self.fillNames(&record, nameGiven: name != nil, partsGiven: firstName != nil || lastName != nil)
                record.updatedAt = now
                try c.execute("""
                    INSERT INTO customers (id, email, email_key, name, first_name, last_name, data_json, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET email = excluded.email, email_key = excluded.email_key,
                      name = excluded.name, first_name = excluded.first_name, last_name = excluded.last_name,
                      updated_at = excluded.updated_at
                    """, [.text(record.id), .text(record.email), .text(Self.emailKey(record.email)), .text(record.name),
                          .text(record.firstName), .text(record.lastName), .text(Self.extraJSON(record.extra)),
                          .integer(record.createdAt), .integer(record.updatedAt)])
                return record
            }
            sessionCache?.customerWritten(id: record.id)
            return record
        } catch {
            throw .storage(error)
        }
    }

    /// Stores other documented details (`phone`, `billing_*` …) for a customer; nil removes a key.
    public func updateDetails(id: String, _ details: [String: ScriptValue?]) throws(SQLiteError) {
        let now = Timestamp.nowMilliseconds()
        try database.write { (c) throws(SQLiteError) in
            guard var record = try Self.customer(id: id, c) else { return }
            for (key, value) in details { record.extra[key] = value ?? nil }
            try c.execute("UPDATE customers SET data_json = ?, updated_at = ? WHERE id = ?",
                          [.text(Self.extraJSON(record.extra)), .integer(now), .text(id)])
        }
        sessionCache?.customerWritten(id: id)
    }

    // MARK: Rows

    /// The columns `record(_:offset:)` reads, in order; `prefix` qualifies them (`"c."`).
    static func columns(prefix: String = "") -> String {
        ["id", "email", "name", "first_name", "last_name", "data_json", "created_at", "updated_at"]
            .map { prefix + $0 }.joined(separator: ", ")
    }

    private static let byIDSQL = "SELECT \(columns()) FROM customers WHERE id = ?"
    private static let byEmailSQL =
        "SELECT \(columns()) FROM customers WHERE email_key = ? ORDER BY updated_at DESC, rowid DESC LIMIT 1"

    static func customer(id: String, _ c: SQLiteConnection) throws(SQLiteError) -> CustomerRecord? {
        try c.queryFirst(byIDSQL, [.text(id)]).map { record($0) }
    }

    static func customer(emailKey: String, _ c: SQLiteConnection) throws(SQLiteError) -> CustomerRecord? {
        try c.queryFirst(byEmailSQL, [.text(emailKey)]).map { record($0) }
    }

    /// The customer in the `columns()` of `row`, starting at column `offset`.
    static func record(_ row: SQLiteRow, offset o: Int = 0) -> CustomerRecord {
        CustomerRecord(id: row.text(o) ?? "", email: row.text(o + 1) ?? "", name: row.text(o + 2),
                       firstName: row.text(o + 3), lastName: row.text(o + 4),
                       extra: JSONText.objectProperties(row.text(o + 5)), createdAt: row.int64(o + 6) ?? 0,
                       updatedAt: row.int64(o + 7) ?? 0)
    }

    private static func extraJSON(_ extra: [String: ScriptValue]) -> String {
        JSONText.serialize(.object(extra.keys.sorted().map { ScriptProperty($0, extra[$0]!) }))
    }

    static func emailKey(_ email: String) -> String { email.trimmingSpaces.lowercased() }

    private static func fillNames(_ r: inout CustomerRecord, nameGiven: Bool, partsGiven: Bool) {
        if partsGiven && !nameGiven {
            let joined = [r.firstName, r.lastName].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            if !joined.isEmpty { r.name = joined }
        } else if nameGiven && !partsGiven, let name = r.name?.trimmingSpaces, !name.isEmpty,
                  r.firstName == nil && r.lastName == nil {
            let parts = name.split(separator: " ", maxSplits: 1)
            r.firstName = String(parts[0])
            r.lastName = parts.count > 1 ? String(parts[1]).trimmingSpaces : nil
        }
    }

    static func generateID() -> String {
        var rng = SystemRandomNumberGenerator()
        func hex(_ value: UInt64, digits: Int) -> String {
            let s = String(value, radix: 16)
            return String(repeating: "0", count: max(0, digits - s.count)) + s
        }
        return "cus_" + hex(rng.next(), digits: 16) + hex(rng.next() & 0xFFFF, digits: 4)
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
