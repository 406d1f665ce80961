import SluiceVM

/// Reads and checks site.json's `crm` object (see `CRMConfig`).
enum CRMConfigParser {
    /// Field types a field may declare (the union of the two lists in the reference notes).
    static let fieldTypes: Set<String> = [
        "text", "textarea", "email", "tel", "phone", "url", "number", "integer", "decimal", "currency", "date",
        "datetime", "time", "select", "multiselect", "checkbox", "boolean", "radio", "json", "rich_text",
        "wysiwyg", "color", "image", "file", "reference", "multi_reference",
    ]

    static func parse(_ json: ScriptValue) throws(CRMConfigError) -> [CRMConfig.Entity] {
        var ids = IDAllocator()
        switch json {
        case .undefined, .null: return []
        case .object: break
        default: throw CRMConfigError(path: "crm", message: "must be an object like { \"entities\": [ … ] }")
        }
        let list: [ScriptValue]
        switch json["entities"] ?? .undefined {
        case .undefined, .null: list = []
        case .array(let items): list = items
        default: throw CRMConfigError(path: "crm.entities", message: "must be an array of entities")
        }
        var entities: [CRMConfig.Entity] = []
        for (i, item) in list.enumerated() {
            entities.append(try parseEntity(item, path: "crm.entities[\(i)]", ids: &ids))
        }
        try check(entities)
        return entities
    }

    private static func parseEntity(_ v: ScriptValue, path: String,
                                    ids: inout IDAllocator) throws(CRMConfigError) -> CRMConfig.Entity {
        guard case .object = v else { throw CRMConfigError(path: path, message: "must be an object") }
        let slug = try requiredString(v, "slug", path)
        guard CRMRules.isEntitySlug(slug) else {
            throw CRMConfigError(path: path + ".slug", message:
                "\"\(slug)\" is not a valid entity slug (lower-case letters, digits, '-' and '_', starting with a letter or digit)")
        }
        let id = ids.next(.entity, explicit: try optionalID(v, path))
        let singular = try optionalString(v, "singular_name", path)
        let singularCamel = try optionalString(v, "singularName", path)
        let plural = try optionalString(v, "plural_name", path)
        let pluralCamel = try optionalString(v, "pluralName", path)
        var entity = CRMConfig.Entity(
            id: id, slug: slug, name: try optionalString(v, "name", path) ?? slug,
            singularName: singular ?? singularCamel, pluralName: plural ?? pluralCamel)
        for (i, f) in try optionalArray(v, "fields", path).enumerated() {
            entity.fields.append(try parseField(f, path: "\(path).fields[\(i)]"))
        }
        for (i, p) in try optionalArray(v, "pipelines", path).enumerated() {
            entity.pipelines.append(try parsePipeline(p, path: "\(path).pipelines[\(i)]", ids: &ids))
        }
        return entity
    }

    private static func parseField(_ v: ScriptValue, path: String) throws(CRMConfigError) -> CRMConfig.Field {
        guard case .object = v else { throw CRMConfigError(path: path, message: "must be an object") }
        let key = try requiredString(v, "key", path)
        guard CRMRules.isFieldKey(key) else {
            throw CRMConfigError(path: path + ".key", message:
                "\"\(key)\" is not a valid field key (letters, digits, '_', '.' and '-')")
        }
        let type = try optionalString(v, "type", path) ?? "text"
        guard fieldTypes.contains(type) else {
            throw CRMConfigError(path: path + ".type", message:
                "unknown field type \"\(type)\" (one of: \(fieldTypes.sorted().joined(separator: ", ")))")
        }
        let options: ScriptValue?
        switch v["options"] ?? .undefined {
        case .undefined, .null: options = nil
        case let other: options = other
        }
        return CRMConfig.Field(key: key, label: try optionalString(v, "label", path), type: type, options: options)
    }

    private static func parsePipeline(_ v: ScriptValue, path: String,
                                      ids: inout IDAllocator) throws(CRMConfigError) -> CRMConfig.Pipeline {
        guard case .object = v else { throw CRMConfigError(path: path, message: "must be an object") }
        let slug = try requiredString(v, "slug", path)
        guard CRMRules.isWorkflowSlug(slug) else {
            throw CRMConfigError(path: path + ".slug", message: "\"\(slug)\" is not a valid pipeline slug (letters, digits, '-' and '_')")
        }
        let id = ids.next(.pipeline, explicit: try optionalID(v, path))
        var pipeline = CRMConfig.Pipeline(id: id, slug: slug, name: try optionalString(v, "name", path) ?? slug,
                                          stages: [])
        for (i, s) in try optionalArray(v, "stages", path).enumerated() {
            let stagePath = "\(path).stages[\(i)]"
            guard case .object = s else { throw CRMConfigError(path: stagePath, message: "must be an object") }
            let stageSlug = try requiredString(s, "slug", stagePath)
            guard CRMRules.isWorkflowSlug(stageSlug) else {
                throw CRMConfigError(path: stagePath + ".slug", message: "\"\(stageSlug)\" is not a valid stage slug (letters, digits, '-' and '_')")
            }
            let stageID = ids.next(.stage, explicit: try optionalID(s, stagePath))
            pipeline.stages.append(CRMConfig.Stage(
                id: stageID, slug: stageSlug, name: try optionalString(s, "name", stagePath) ?? stageSlug,
                color: try optionalString(s, "color", stagePath), status: try optionalString(s, "status", stagePath)))
        }
        return pipeline
    }

    /// Uniqueness rules, for parsed and Swift-built configurations alike.
    static func check(_ entities: [CRMConfig.Entity]) throws(CRMConfigError) {
        var entitySlugs: [String: Int] = [:]
        var entityIDs: [Int: Int] = [:]
        var pipelineIDs: [Int: String] = [:]
        var stageIDs: [Int: String] = [:]
        for (ei, e) in entities.enumerated() {
            let path = "crm.entities[\(ei)]"
            if let first = entitySlugs[e.slug] {
                throw CRMConfigError(path: path + ".slug", message: "slug \"\(e.slug)\" is also used by crm.entities[\(first)]")
            }
            entitySlugs[e.slug] = ei
            guard e.id > 0 else { throw CRMConfigError(path: path + ".id", message: "must be a positive integer") }
            if let first = entityIDs[e.id] {
                throw CRMConfigError(path: path + ".id", message: "id \(e.id) is also used by crm.entities[\(first)]")
            }
            entityIDs[e.id] = ei
            var fieldKeys = Set<String>()
            for (fi, f) in e.fields.enumerated() where !fieldKeys.insert(f.key).inserted {
                throw CRMConfigError(path: "\(path).fields[\(fi)].key", message: "field key \"\(f.key)\" appears twice")
            }
            var pipelineSlugs = Set<String>()
            for (pi, p) in e.pipelines.enumerated() {
                let pPath = "\(path).pipelines[\(pi)]"
                guard pipelineSlugs.insert(p.slug).inserted else {
                    throw CRMConfigError(path: pPath + ".slug", message: "pipeline slug \"\(p.slug)\" appears twice in entity \"\(e.slug)\"")
                }
                guard p.id > 0 else { throw CRMConfigError(path: pPath + ".id", message: "must be a positive integer") }
                if let other = pipelineIDs[p.id] {
                    throw CRMConfigError(path: pPath + ".id", message: "pipeline id \(p.id) is also used by \(other) (pipeline ids are unique within the site)")
                }
                pipelineIDs[p.id] = pPath
                var stageSlugs = Set<String>()
                for (si, s) in p.stages.enumerated() {
                    let sPath = "\(pPath).stages[\(si)]"
                    guard stageSlugs.insert(s.slug).inserted else {
                        throw CRMConfigError(path: sPath + ".slug", message: "stage slug \"\(s.slug)\" appears twice in pipeline \"\(p.slug)\"")
                    }
                    guard s.id > 0 else { throw CRMConfigError(path: sPath + ".id", message: "must be a positive integer") }
                    if let other = stageIDs[s.id] {
                        throw CRMConfigError(path: sPath + ".id", message: "stage id \(s.id) is also used by \(other) (stage ids are unique within the site)")
                    }
                    stageIDs[s.id] = sPath
                }
            }
        }
    }

    // MARK: Reading values

    private static func requiredString(_ v: ScriptValue, _ key: String, _ path: String) throws(CRMConfigError) -> String {
        guard case .string(let s)? = v[key] else {
            throw CRMConfigError(path: "\(path).\(key)", message: v[key] == nil ? "is required" : "must be a string")
        }
        return s
    }

    private static func optionalString(_ v: ScriptValue, _ key: String, _ path: String) throws(CRMConfigError) -> String? {
        switch v[key] ?? .undefined {
        case .undefined, .null: return nil
        case .string(let s): return s
        default: throw CRMConfigError(path: "\(path).\(key)", message: "must be a string")
        }
    }

    private static func optionalArray(_ v: ScriptValue, _ key: String, _ path: String) throws(CRMConfigError) -> [ScriptValue] {
        switch v[key] ?? .undefined {
        case .undefined, .null: return []
        case .array(let items): return items
        default: throw CRMConfigError(path: "\(path).\(key)", message: "must be an array")
        }
    }

    private static func optionalID(_ v: ScriptValue, _ path: String) throws(CRMConfigError) -> Int? {
        switch v["id"] ?? .undefined {
        case .undefined, .null: return nil
        case .number(let d) where d.rounded() == d && d >= 1 && d <= 2_147_483_647: return Int(d)
        default: throw CRMConfigError(path: path + ".id", message: "must be a positive integer")
        }
    }

    /// Automatic ids: one more than the largest id of the same kind so far.
    private struct IDAllocator {
        enum Kind { case entity, pipeline, stage }
        var largest: [Kind: Int] = [:]

        mutating func next(_ kind: Kind, explicit: Int?) -> Int {
            let id = explicit ?? (largest[kind, default: 0] + 1)
            largest[kind] = max(largest[kind, default: 0], id)
            return id
        }
    }
}
