import Logging
import SluiceVM

/// What the `session` functions of one script run need.
public final class SessionRequestContext {
    public let state: SessionState
    public let customers: CustomerStore
    public let logger: Logger
    /// `session.setCustomer` calls made so far in this run.
    public internal(set) var setCustomerCalls = 0
    /// The frozen `customer` object last handed out, so `customer === customer` holds.
    var publishedCustomer: CustomerRecord?

    public init(state: SessionState, customers: CustomerStore, logger: Logger = Logger(label: "sluice.session")) {
        self.state = state
        self.customers = customers
        self.logger = logger
    }
}

/// The `session` global (README §4, reference-notes §1.6 and §3 Q15):
///
/// - `session.get(key)` → the stored value (objects come back as objects), or `null`;
/// - `session.set(key, value)` → true when stored; `null`/`undefined` delete the key; values are
///   JSON-like (as `JSON.stringify` sees them), at most 64 KB each and 256 KB per session;
/// - reserved keys (`customer`, `customer_id`, `is_customer`, `email`, and any key starting with `_`)
///   read `null` and ignore writes (logged, returns false);
/// - `session.setCustomer({ email, name?, first_name?, last_name?, id? })` logs the visitor in as
///   that customer, creating the record by e-mail (or by `id`) when needed, and gives the session a
///   new id; false on invalid input or after 5 calls in a run.
public enum SessionBinding {
    public static let reservedKeys: Set<String> = ["customer", "customer_id", "is_customer", "email"]
    public static let maxValueBytes = 64 * 1024
    public static let maxSessionBytes = 256 * 1024
    public static let maxKeyLength = 256
    public static let setCustomerCallsPerRun = 5
    static let customerObjectKey = IntrinsicSlot()

    public static func isReserved(_ key: String) -> Bool { reservedKeys.contains(key) || key.hasPrefix("_") }

    /// Defines the `session` global in `rt` (a fresh runtime for one request).
    public static func install(into rt: Runtime, context: SessionRequestContext) throws(VMError) {
        try install(into: rt, handle: SessionBindingHandle(context: context))
    }

    /// Defines the `session` global so that it serves whatever context `handle` holds when called
    /// (a pooled runtime: install once, set `handle.context` for each request).
    public static func install(into rt: Runtime, handle: SessionBindingHandle) throws(VMError) {
        let session = try rt.newObject()
        try rt.defineMethod(session, "get", 1) { rt, _, args throws(VMError) in
            try rt.charge(CRMBinding.elementCost)
            guard let key = sessionKey(args[0]), !isReserved(key),
                  let value = handle.context.state.value(forKey: key) else { return .null }
            return try CRMBinding.makeValue(value, in: rt)
        }
        try rt.defineMethod(session, "set", 2) { rt, _, args throws(VMError) in
            try rt.charge(CRMBinding.elementCost)
            return Value(try set(rt, handle.context, key: args[0], value: args[1]))
        }
        try rt.defineMethod(session, "setCustomer", 1) { rt, _, args throws(VMError) in
            try rt.charge(CRMBinding.callCost)
            return Value(try setCustomer(rt, handle.context, args[0]))
        }
        try rt.setIntegrityLevel(session, frozen: true)
        try rt.defineDataProperty(rt.globalObject, rt.key("session"), Value(session), [])
    }

    /// Defines `customer`, `is_customer` and `customer_id` as read-only globals that follow the
    /// session: after `session.setCustomer` they show the new customer. `customer` is a frozen
    /// object (`CustomerRecord.scriptValue`) or `null`; `customer_id` a string or `null`.
    public static func installCustomerGlobals(into rt: Runtime, context: SessionRequestContext) throws(VMError) {
        try installCustomerGlobals(into: rt, handle: SessionBindingHandle(context: context))
    }

    /// `installCustomerGlobals` for a pooled runtime (see `install(into:handle:)`).
    public static func installCustomerGlobals(into rt: Runtime, handle: SessionBindingHandle) throws(VMError) {
        let customer = try rt.newNativeFunction(name: "get customer", length: 0) { rt, _, _ throws(VMError) in
            let context = handle.context
            guard let record = context.state.customer else { return .null }
            if context.publishedCustomer == record, let cached = rt.intrinsics[customerObjectKey] {
                return Value(cached)
            }
            let value = try rt.readOnlyValue(from: record.scriptValue)
            rt.intrinsics[customerObjectKey] = value.object
            context.publishedCustomer = record
            return value
        }
        let isCustomer = try rt.newNativeFunction(name: "get is_customer", length: 0) { _, _, _ throws(VMError) in
            Value(handle.context.state.isCustomer)
        }
        let customerID = try rt.newNativeFunction(name: "get customer_id", length: 0) { rt, _, _ throws(VMError) in
            guard let id = handle.context.state.customerID else { return .null }
            return try rt.string(id)
        }
        for (name, getter) in [("customer", customer), ("is_customer", isCustomer), ("customer_id", customerID)] {
            try rt.defineAccessorProperty(rt.globalObject, rt.key(name), getter: Value(getter), setter: .undefined,
                                          [.enumerable])
        }
    }

    // MARK: Functions

    private static func sessionKey(_ v: Value) -> String? {
        guard v.isString, v.string.count >= 1, v.string.count <= maxKeyLength else { return nil }
        return v.string.swiftString
    }

    private static func set(_ rt: Runtime, _ context: SessionRequestContext, key keyValue: Value,
                            value: Value) throws(VMError) -> Bool {
        guard let key = sessionKey(keyValue) else { return false }
        guard !isReserved(key) else {
            context.logger.warning("session.set('\(key)') ignored: the key is reserved")
            return false
        }
        if value.isNullish {
            context.state.setValue(nil, forKey: key)
            return true
        }
        guard let stored = try StorableValueReader.read(value, in: rt, maxStringLength: maxValueBytes,
                                                        maxJSONBytes: maxValueBytes) else { return false }
        let others = context.state.record.data.reduce(0) { total, item in
            item.key == key ? total : total + item.key.utf8.count + JSONText.serialize(item.value).utf8.count
        }
        guard others + key.utf8.count + JSONText.serialize(stored).utf8.count <= maxSessionBytes else {
            context.logger.warning("session.set('\(key)') ignored: the session would exceed \(maxSessionBytes) bytes")
            return false
        }
        context.state.setValue(stored, forKey: key)
        return true
    }

    private static func setCustomer(_ rt: Runtime, _ context: SessionRequestContext, _ arg: Value) throws(VMError) -> Bool {
        context.setCustomerCalls += 1
        guard context.setCustomerCalls <= setCustomerCallsPerRun else { return false }
        guard arg.isObject, !arg.object.isCallable, arg.object.kind != .array else { return false }
        let o = arg.object
        func text(_ name: String, max: Int) throws(VMError) -> String?? {
            let v = try rt.get(o, rt.key(name))
            if v.isNullish { return .some(nil) }
            guard v.isString, v.string.count <= max else { return nil }
            return .some(v.string.swiftString)
        }
        guard case .some(.some(let email)) = try text("email", max: 254),
              case .some(let name) = try text("name", max: 200),
              case .some(let firstName) = try text("first_name", max: 200),
              case .some(let lastName) = try text("last_name", max: 200)
        else { return false }
        let idValue = try rt.get(o, rt.key("id"))
        var id: String?
        if idValue.isString {
            id = idValue.string.swiftString
        } else if idValue.isNumber && idValue.number.isFinite {
            id = try rt.toSwiftString(idValue)
        } else if !idValue.isNullish {
            return false
        }
        let customer: CustomerRecord
        do {
            customer = try context.customers.findOrCreateCustomer(email: email, name: name, firstName: firstName,
                                                                  lastName: lastName, id: id)
        } catch {
            switch error {
            case .invalidEmail, .invalidID: return false
            case .storage(let e):
                context.logger.error("session.setCustomer failed: \(e)")
                throw rt.error(.error, "session.setCustomer: storage error: \(e.message)")
            }
        }
        try rt.checkBudget()
        context.state.logIn(customer)
        return true
    }
}

/// The request a runtime's `session` functions currently serve (see `SessionBinding.install(into:handle:)`).
public final class SessionBindingHandle {
    public var context: SessionRequestContext

    public init(context: SessionRequestContext) { self.context = context }
}
