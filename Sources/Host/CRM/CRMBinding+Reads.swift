import SluiceVM

extension CRMBinding {
    /// `getCrmEntries({ slug, referenceType?, referenceId?, limit = 50 (≤ 200) })` → entries, newest first.
    static func getEntries(_ call: CRMScriptCall) throws(VMError) -> ScriptValue {
        let entity = try call.entity()
        let limit = try call.limit()
        guard case .reference(let ref) = try call.reference() else { return .array([]) }
        let entries = try call.store { (s) throws(CRMError) in try s.entries(slug: entity.slug, reference: ref, limit: limit) }
        return .array(entries.map { $0.scriptValue(entityID: entity.id) })
    }

    /// `getCrmField({ slug, fieldKey, … })` → the value in the newest entry holding the key, or null.
    static func getField(_ call: CRMScriptCall) throws(VMError) -> ScriptValue {
        let entity = try call.entity()
        let key = try requiredFieldKey(call)
        guard case .value(let k) = key, CRMRules.isFieldKey(k),
              case .reference(let ref) = try call.reference() else { return .null }
        return try call.store { (s) throws(CRMError) in try s.fieldValue(slug: entity.slug, reference: ref, key: k) } ?? .null
    }

    /// `getCrmFields({ slug, fieldKeys: [...], … })` → `{ key: value }` with every requested key
    /// (null where there is no value).
    static func getFields(_ call: CRMScriptCall) throws(VMError) -> ScriptValue {
        let entity = try call.entity()
        let list = try call.value(["fieldKeys", "field_keys"])
        guard !list.isUndefined else {
            throw call.rt.typeError("\(call.function): fieldKeys is required (an array of field keys)")
        }
        var keys: [String] = []
        let isArray = try call.forEachElement(of: list) { (element) throws(VMError) in
            if element.isString { keys.append(element.string.swiftString) }
        }
        guard isArray else { throw call.rt.typeError("\(call.function): fieldKeys must be an array of field keys") }
        var unique: [String] = []
        for k in keys where !unique.contains(k) { unique.append(k) }
        var found: [String: ScriptValue] = [:]
        if case .reference(let ref) = try call.reference() {
            found = try call.store { (s) throws(CRMError) in
                try s.fieldValues(slug: entity.slug, reference: ref, keys: unique)
            }
        }
        return .object(unique.map { ScriptProperty($0, found[$0] ?? .null) })
    }

    /// `getCrmFieldValues({ slug, fieldKey, limit = 50 (≤ 200), … })` → every value of the key, newest first.
    static func getFieldValues(_ call: CRMScriptCall) throws(VMError) -> ScriptValue {
        let entity = try call.entity()
        let key = try requiredFieldKey(call)
        let limit = try call.limit()
        guard case .value(let k) = key, CRMRules.isFieldKey(k),
              case .reference(let ref) = try call.reference() else { return .array([]) }
        return .array(try call.store { (s) throws(CRMError) in
            try s.fieldValueHistory(slug: entity.slug, reference: ref, key: k, limit: limit)
        })
    }

    /// The `fieldKey` option: a TypeError when missing.
    static func requiredFieldKey(_ call: CRMScriptCall) throws(VMError) -> CRMScriptCall.StringOption {
        let key = try call.string(CRMScriptCall.fieldKeyNames)
        if key == .missing { throw call.rt.typeError("\(call.function): fieldKey is required") }
        return key
    }
}
