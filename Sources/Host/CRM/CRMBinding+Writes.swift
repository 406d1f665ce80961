import SluiceVM

extension CRMBinding {
    /// `setCrmField({ slug, fieldKey, value, force?, referenceType?, referenceId?, async? })` → true/false.
    static func setField(_ call: CRMScriptCall) throws(VMError) -> ScriptValue {
        let entity = try call.entity()
        let key = try requiredFieldKey(call)
        let raw = try call.rt.get(call.options, call.rt.key("value"))
        guard !raw.isUndefined else { throw call.rt.typeError("\(call.function): value is required (0 and false are allowed)") }
        guard case .value(let k) = key, CRMRules.isFieldKey(k), let value = try call.storableValue(raw) else {
            return .bool(false)
        }
        return try write(call, entity: entity, fields: [(k, value)])
    }

    /// `setCrmFields({ slug, fields: [{ fieldKey | field_key, value }, …], force?, …, async? })` → true/false.
    /// `fields` missing, not an array or empty, or an element without a key or value, throws
    /// TypeError; any invalid key or value makes the whole call return false without writing.
    static func setFields(_ call: CRMScriptCall) throws(VMError) -> ScriptValue {
        let entity = try call.entity()
        let list = try call.value(["fields"])
        guard !list.isUndefined else {
            throw call.rt.typeError("\(call.function): fields is required (an array of { fieldKey, value })")
        }
        var fields: [(key: String, value: ScriptValue)] = []
        var valid = true
        let rt = call.rt
        let isArray = try call.forEachElement(of: list) { (element) throws(VMError) in
            guard element.isObject, !element.object.isCallable else { valid = false; return }
            let item = element.object
            var keyValue = Value.undefined
            for name in CRMScriptCall.fieldKeyNames {
                keyValue = try rt.get(item, rt.key(name))
                if !keyValue.isNullish { break }
            }
            guard !keyValue.isNullish else { throw rt.typeError("\(call.function): every field needs a fieldKey") }
            let key = keyValue.isString ? keyValue.string.swiftString : nil
            let raw = try rt.get(item, rt.key("value"))
            guard !raw.isUndefined else { throw rt.typeError("\(call.function): every field needs a value") }
            guard let key, CRMRules.isFieldKey(key), let value = try call.storableValue(raw) else { valid = false; return }
            fields.append((key, value))
        }
        guard isArray else { throw call.rt.typeError("\(call.function): fields must be an array of { fieldKey, value }") }
        guard valid else { return .bool(false) }
        guard !fields.isEmpty else { throw call.rt.typeError("\(call.function): fields must not be empty") }
        return try write(call, entity: entity, fields: fields)
    }

    private static func write(_ call: CRMScriptCall, entity: CRMStore.EntityInfo,
                              fields: [(key: String, value: ScriptValue)]) throws(VMError) -> ScriptValue {
        let force = try call.flag(["force"])
        let async = try call.flag(CRMScriptCall.asyncNames)
        guard case .reference(let ref) = try call.reference() else { return .bool(false) }
        let slug = entity.slug
        if async {
            let fieldsCopy = fields.map { CRMFieldWrite(key: $0.key, value: $0.value) }
            call.deferWrite("\(slug) \(ref)") { (s) throws(CRMError) in
                _ = try s.setFields(slug: slug, reference: ref, fields: fieldsCopy.map { ($0.key, $0.value) }, force: force)
            }
            return .bool(true)
        }
        return .bool(try call.store { (s) throws(CRMError) in
            try s.setFields(slug: slug, reference: ref, fields: fields, force: force)
        })
    }

    /// `addCrmFieldValue({ slug, fieldKey, value, …, async? })` → true/false; always a new entry.
    static func addFieldValue(_ call: CRMScriptCall) throws(VMError) -> ScriptValue {
        let entity = try call.entity()
        let key = try requiredFieldKey(call)
        let raw = try call.rt.get(call.options, call.rt.key("value"))
        guard !raw.isUndefined else { throw call.rt.typeError("\(call.function): value is required (0 and false are allowed)") }
        guard case .value(let k) = key, CRMRules.isFieldKey(k), let value = try call.storableValue(raw) else {
            return .bool(false)
        }
        let async = try call.flag(CRMScriptCall.asyncNames)
        guard case .reference(let ref) = try call.reference() else { return .bool(false) }
        let slug = entity.slug
        if async {
            call.deferWrite("\(slug) \(ref)") { (s) throws(CRMError) in
                _ = try s.addFieldValue(slug: slug, reference: ref, key: k, value: value)
            }
            return .bool(true)
        }
        return .bool(try call.store { (s) throws(CRMError) in
            try s.addFieldValue(slug: slug, reference: ref, key: k, value: value)
        })
    }

    /// `clearCrmEntries({ slug, …, async? })` → `{ ok, deleted }`.
    static func clearEntries(_ call: CRMScriptCall) throws(VMError) -> ScriptValue {
        let entity = try call.entity()
        let async = try call.flag(CRMScriptCall.asyncNames)
        guard case .reference(let ref) = try call.reference() else {
            return .object([ScriptProperty("ok", .bool(false)), ScriptProperty("deleted", .number(0))])
        }
        let slug = entity.slug
        if async {
            call.deferWrite("\(slug) \(ref)") { (s) throws(CRMError) in _ = try s.clearEntries(slug: slug, reference: ref) }
            return .object([ScriptProperty("ok", .bool(true)), ScriptProperty("deleted", .number(0)),
                            ScriptProperty("pending", .bool(true))])
        }
        let deleted = try call.store { (s) throws(CRMError) in try s.clearEntries(slug: slug, reference: ref) }
        return .object([ScriptProperty("ok", .bool(true)), ScriptProperty("deleted", .number(Double(deleted)))])
    }
}

/// A field to write later (a Sendable pair for deferred writes).
struct CRMFieldWrite: Sendable {
    let key: String
    let value: ScriptValue
}
