import SluiceVM

/// One call of a CRM function from a script: its options object (read with the documented
/// aliases), the request context, and the conversions every function shares.
struct CRMScriptCall {
    let rt: Runtime
    let options: JSObject
    let function: String
    let context: CRMRequestContext

    static let slugNames = ["slug", "crmEntitySlug", "crm_entity_slug"]
    static let fieldKeyNames = ["fieldKey", "field_key"]
    static let referenceTypeNames = ["referenceType", "reference_type"]
    static let referenceIDNames = ["referenceId", "reference_id", "referenceID"]
    static let asyncNames = ["async", "crm_async"]

    /// The single options object, or a TypeError (positional arguments, null, arrays, functions).
    init(rt: Runtime, arguments: Arguments, function: String, context: CRMRequestContext) throws(VMError) {
        let v = arguments[0]
        guard v.isObject, !v.object.isCallable, v.object.kind != .array else {
            throw rt.typeError("\(function) expects one options object, e.g. \(function)({ slug: 'my-entity', … })")
        }
        self.rt = rt
        self.options = v.object
        self.function = function
        self.context = context
    }

    // MARK: Options

    /// The first of `names` whose value is neither undefined nor null; undefined when none is set.
    /// A returned object is not rooted: convert it before reading another option, or root it.
    func value(_ names: [String]) throws(VMError) -> Value {
        for name in names {
            let v = try rt.get(options, rt.key(name))
            if !v.isNullish { return v }
        }
        return .undefined
    }

    /// ToBoolean of the first option set among `names` (false when none).
    func flag(_ names: [String]) throws(VMError) -> Bool { rt.toBoolean(try value(names)) }

    enum StringOption: Equatable {
        case missing
        case invalid
        case value(String)
    }

    /// A string option (missing when unset or null; invalid when not a string).
    func string(_ names: [String]) throws(VMError) -> StringOption {
        let v = try value(names)
        if v.isUndefined { return .missing }
        guard v.isString else { return .invalid }
        try rt.charge(v.string.count)
        return .value(v.string.swiftString)
    }

    /// A reference id: a string, or a finite number in its JavaScript string form.
    func referenceIDString(_ v: Value) throws(VMError) -> String? {
        if v.isString {
            guard v.string.count <= CRMRules.maxReferenceIDLength else { return nil }
            return v.string.swiftString
        }
        if v.isNumber && v.number.isFinite { return try rt.toSwiftString(v) }
        return nil
    }

    /// `limit` clamped to 1…200 (default 50 when unset or not a number).
    func limit() throws(VMError) -> Int {
        let v = try value(["limit"])
        guard v.isNumber, !v.number.isNaN else { return CRMRules.defaultListLimit }
        return Int(min(max(v.number.rounded(.down), 1), Double(CRMRules.maxListLimit)))
    }

    /// A pipeline or stage given by id (an integer, or a string of digits) or by slug.
    enum SelectorOption: Equatable {
        case missing
        case invalid
        case selector(CRMSelector)
    }

    func selector(idNames: [String], slugNames: [String]) throws(VMError) -> SelectorOption {
        let id = try value(idNames)
        if !id.isUndefined {
            if id.isNumber, id.number.rounded() == id.number, abs(id.number) < 1e15 { return .selector(.id(Int(id.number))) }
            if id.isString, let n = Int(id.string.swiftString), n >= 0 { return .selector(.id(n)) }
            return .invalid
        }
        switch try string(slugNames) {
        case .missing: return .missing
        case .invalid: return .invalid
        case .value(let s): return .selector(.slug(s))
        }
    }

    /// Calls `body` with each element of an array value (rooted while it runs).
    /// Returns false without calling it when `v` is not an array.
    func forEachElement(of v: Value, _ body: (Value) throws(VMError) -> Void) throws(VMError) -> Bool {
        guard v.isObject, v.object.kind == .array else { return false }
        let array = v.object
        let mark = rt.pushTemporaryRoot(v)
        defer { rt.popTemporaryRoots(to: mark) }
        let length = try rt.toLength(try rt.get(array, rt.names.length))
        var i = 0
        while i < length {
            try rt.charge(CRMBinding.elementCost)
            let element = try rt.get(array, PropertyKey(index: UInt32(i)))
            let elementMark = rt.pushTemporaryRoot(element)
            try body(element)
            rt.popTemporaryRoots(to: elementMark)
            i += 1
        }
        return true
    }

    // MARK: Entities and references

    /// The entity named by the slug option (or `names`): a TypeError when it is missing, not a
    /// string, or names no entity of this site.
    func entity(_ names: [String] = slugNames, label: String = "slug") throws(VMError) -> CRMStore.EntityInfo {
        let v = try value(names)
        guard !v.isUndefined else {
            throw rt.typeError("\(function): \(label) is required (the CRM entity slug, e.g. \(label): 'pattern-tracker')")
        }
        guard v.isString else { throw rt.typeError("\(function): \(label) must be a string") }
        let slug = v.string.swiftString
        guard let entity = try store({ (s) throws(CRMError) in try s.entity(slug: slug) }) else {
            throw rt.typeError("\(function): unknown CRM entity slug '\(slug)'")
        }
        return entity
    }

    enum ReferenceOption {
        case reference(CRMReference)
        /// The default reference with no customer logged in.
        case noCustomer
        case invalid
    }

    /// `referenceType` (default `customer`) and `referenceId` (default: the logged-in customer's id,
    /// for the `customer` type only).
    func reference(typeNames: [String] = referenceTypeNames,
                   idNames: [String] = referenceIDNames) throws(VMError) -> ReferenceOption {
        let typeValue = try value(typeNames)
        let type: String
        if typeValue.isUndefined {
            type = "customer"
        } else {
            guard typeValue.isString else { return .invalid }
            type = typeValue.string.swiftString
        }
        let idValue = try value(idNames)
        let id: String
        if idValue.isUndefined {
            guard type == "customer" else { return .invalid }
            guard let customer = context.customerID else { return .noCustomer }
            id = customer
        } else {
            guard let given = try referenceIDString(idValue) else { return .invalid }
            id = given
        }
        guard let reference = CRMReference(type: type, id: id) else { return .invalid }
        return .reference(reference)
    }

    /// A field value to store, or nil when it breaks the rules (see `CRMRules.isStorableValue`).
    func storableValue(_ v: Value) throws(VMError) -> ScriptValue? {
        guard let value = try StorableValueReader.read(v, in: rt, maxStringLength: CRMRules.maxStringLength,
                                                       maxJSONBytes: CRMRules.maxJSONBytes) else { return nil }
        return CRMRules.isStorableValue(value) ? value : nil
    }

    // MARK: Store access

    /// Runs a store operation; an unknown entity becomes a TypeError, a storage failure an `Error`
    /// (logged), and the run's time budget is checked afterwards (the database may have waited).
    func store<T>(_ body: (CRMStore) throws(CRMError) -> T) throws(VMError) -> T {
        let result: T
        do {
            result = try body(context.store)
        } catch {
            switch error {
            case .unknownEntity(let slug):
                throw rt.typeError("\(function): unknown CRM entity slug '\(slug)'")
            case .storage(let e):
                context.logger.error("\(function) failed: \(e)")
                throw rt.error(.error, "\(function): CRM storage error: \(e.message)")
            }
        }
        try rt.checkBudget()
        return result
    }

    /// Queues a write for after the response (`async: true`).
    func deferWrite(_ summary: String, _ perform: @escaping @Sendable (CRMStore) throws(CRMError) -> Void) {
        let store = context.store
        context.deferWrite("\(function) \(summary)") { () throws(CRMError) in try perform(store) }
    }
}
