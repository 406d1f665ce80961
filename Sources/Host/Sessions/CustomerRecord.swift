import SluiceVM

/// A site's customer: who `session.setCustomer` (or a purchase) logged in.
public struct CustomerRecord: Sendable, Equatable {
    public let id: String
    public var email: String
    public var name: String?
    public var firstName: String?
    public var lastName: String?
    /// Other documented customer keys (`phone`, `billing_city`, `order_ids` …) when known.
    public var extra: [String: ScriptValue]
    /// Milliseconds since 1970 (UTC).
    public let createdAt: Int64
    public var updatedAt: Int64

    public init(id: String, email: String, name: String? = nil, firstName: String? = nil, lastName: String? = nil,
                extra: [String: ScriptValue] = [:], createdAt: Int64, updatedAt: Int64) {
        self.id = id
        self.email = email
        self.name = name
        self.firstName = firstName
        self.lastName = lastName
        self.extra = extra
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The keys of the `customer` global (reference-notes §1.3), after `id`, in documented order.
    public static let documentedKeys = [
        "name", "email", "first_name", "last_name", "phone", "order_id", "order_ids", "order_item",
        "order_item_name", "conversion_code", "payment_provider",
        "billing_first_name", "billing_last_name", "billing_address", "billing_city", "billing_state",
        "billing_zip", "billing_country",
        "shipping_first_name", "shipping_last_name", "shipping_address", "shipping_city", "shipping_state",
        "shipping_zip", "shipping_country",
    ]

    /// The `customer` global: `id` and every documented key, `null` when unknown (`order_ids`: `[]`).
    public var scriptValue: ScriptValue {
        var props = [ScriptProperty("id", .string(id))]
        for key in Self.documentedKeys {
            let value: ScriptValue
            switch key {
            case "name": value = name.map { .string($0) } ?? .null
            case "email": value = .string(email)
            case "first_name": value = firstName.map { .string($0) } ?? .null
            case "last_name": value = lastName.map { .string($0) } ?? .null
            case "order_ids": value = extra[key] ?? .array([])
            default: value = extra[key] ?? .null
            }
            props.append(ScriptProperty(key, value))
        }
        return .object(props)
    }
}
