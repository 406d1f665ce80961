import SluiceVM

extension CRMBinding {
    /// `ensureCrmEntity({ slug, name?, singularName?, pluralName?, icon?, color?, fields? })` →
    /// `{ id, slug, created, fields_added, fields_skipped }`; after 5 calls in a run,
    /// `{ id: null, created: false, error: 'rate_limited' }`.
    static func ensureEntity(_ call: CRMScriptCall) throws(VMError) -> ScriptValue {
        let slugValue = try call.value(CRMScriptCall.slugNames)
        guard !slugValue.isUndefined else {
            throw call.rt.typeError("\(call.function): slug is required (the entity slug to create, e.g. 'quiz-results')")
        }
        guard slugValue.isString else { throw call.rt.typeError("\(call.function): slug must be a string") }
        let slug = slugValue.string.swiftString
        call.context.ensureEntityCalls += 1
        guard call.context.ensureEntityCalls <= CRMRules.ensureEntityCallsPerRun else {
            return CRMEnsureEntityResult.failure("rate_limited", slug: slug).scriptValue
        }
        var definition = CRMEntityDefinition(slug: slug)
        definition.name = try optionalString(call, ["name"])
        definition.singularName = try optionalString(call, ["singularName", "singular_name"])
        definition.pluralName = try optionalString(call, ["pluralName", "plural_name"])
        definition.icon = try optionalString(call, ["icon"])
        definition.color = try optionalString(call, ["color"])
        let list = try call.value(["fields"])
        if !list.isUndefined {
            var valid = true
            let isArray = try call.forEachElement(of: list) { (element) throws(VMError) in
                guard valid else { return }
                guard let field = try readFieldDefinition(call, element) else { valid = false; return }
                definition.fields.append(field)
            }
            guard isArray, valid else { return CRMEnsureEntityResult.failure("invalid_fields", slug: slug).scriptValue }
        }
        return try call.store { (s) throws(CRMError) in try s.ensureEntity(definition) }.scriptValue
    }

    /// `{ key, label?, type?, options?, validation_rules?, visible_to_team_ids? }`, or nil.
    private static func readFieldDefinition(_ call: CRMScriptCall, _ v: Value) throws(VMError) -> CRMEntityDefinition.Field? {
        let rt = call.rt
        guard v.isObject, !v.object.isCallable, v.object.kind != .array else { return nil }
        let o = v.object
        func read(_ names: [String]) throws(VMError) -> Value {
            for name in names {
                let x = try rt.get(o, rt.key(name))
                if !x.isNullish { return x }
            }
            return .undefined
        }
        func text(_ names: [String]) throws(VMError) -> String?? {
            let x = try read(names)
            if x.isUndefined { return .some(nil) }
            return x.isString ? .some(x.string.swiftString) : nil
        }
        func data(_ names: [String]) throws(VMError) -> ScriptValue?? {
            let x = try read(names)
            if x.isUndefined { return .some(nil) }
            guard let value = try StorableValueReader.read(x, in: rt, maxStringLength: CRMRules.maxStringLength,
                                                           maxJSONBytes: CRMRules.maxJSONBytes) else { return nil }
            return .some(value)
        }
        guard case .some(.some(let key)) = try text(["key", "fieldKey", "field_key"]),
              case .some(let label) = try text(["label"]),
              case .some(let type) = try text(["type"]),
              case .some(let options) = try data(["options"]),
              case .some(let rules) = try data(["validation_rules", "validationRules"]),
              case .some(let teams) = try data(["visible_to_team_ids", "visibleToTeamIds"])
        else { return nil }
        return CRMEntityDefinition.Field(key: key, label: label, type: type ?? "text", options: options,
                                         validationRules: rules, visibleToTeamIDs: teams)
    }

    private static func optionalString(_ call: CRMScriptCall, _ names: [String]) throws(VMError) -> String? {
        if case .value(let s) = try call.string(names) { return s }
        return nil
    }
}
