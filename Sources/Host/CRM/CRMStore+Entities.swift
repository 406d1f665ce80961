import SluiceVM

extension CRMStore {
    /// `ensureCrmEntity`: creates the entity if it does not exist (neither in site.json nor created
    /// earlier) and adds each field it does not have yet. Nothing existing is ever changed: known
    /// fields (and a repeated key in `fields`) count as skipped.
    ///
    /// Fails (`{ id: null, error }`) on an invalid slug (`invalid_slug`: `^[a-z0-9][a-z0-9_-]*$`), an
    /// invalid field key (`invalid_field_key`) or an unknown field type (`invalid_field_type`).
    public func ensureEntity(_ definition: CRMEntityDefinition) throws(CRMError) -> CRMEnsureEntityResult {
        let slug = definition.slug
        guard CRMRules.isEntitySlug(slug) else { return .failure("invalid_slug", slug: slug) }
        for f in definition.fields {
            guard CRMRules.isFieldKey(f.key) else { return .failure("invalid_field_key", slug: slug) }
            guard CRMConfigParser.fieldTypes.contains(f.type) else { return .failure("invalid_field_type", slug: slug) }
        }
        let now = Timestamp.nowMilliseconds()
        return try writing { (c) throws(CRMError) in
            try sql { () throws(SQLiteError) in
                var created = false
                let id: Int
                if let configured = config.entity(slug: slug) {
                    id = configured.id
                } else if let existing = try createdEntity(slug, c) {
                    id = existing.id
                } else {
                    try c.execute("""
                        INSERT INTO crm_entities (slug, name, singular_name, plural_name, icon, color, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, [.text(slug), .text(definition.name ?? slug), .text(definition.singularName),
                              .text(definition.pluralName), .text(definition.icon), .text(definition.color),
                              .integer(now)])
                    id = Self.createdEntityIDBase + Int(c.lastInsertRowID)
                    created = true
                }
                var known = Set(config.entity(slug: slug)?.fields.map(\.key) ?? [])
                for row in try c.query("SELECT key FROM crm_fields WHERE entity_slug = ?", [.text(slug)]) {
                    if let key = row.text(0) { known.insert(key) }
                }
                var added = 0
                var skipped = 0
                for f in definition.fields {
                    guard known.insert(f.key).inserted else { skipped += 1; continue }
                    try c.execute("""
                        INSERT INTO crm_fields (entity_slug, key, label, type, options_json, validation_rules_json,
                                                visible_to_team_ids_json, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, [.text(slug), .text(f.key), .text(f.label), .text(f.type),
                              .text(f.options.map(JSONText.serialize)), .text(f.validationRules.map(JSONText.serialize)),
                              .text(f.visibleToTeamIDs.map(JSONText.serialize)), .integer(now)])
                    added += 1
                }
                return CRMEnsureEntityResult(id: id, slug: slug, created: created, fieldsAdded: added,
                                             fieldsSkipped: skipped)
            }
        }
    }

    /// Fields an entity has: site.json's, then those added by `ensureCrmEntity`.
    public func fields(slug: String) throws(CRMError) -> [CRMConfig.Field] {
        try reading { (c) throws(CRMError) in
            let entity = try requireEntity(slug, c)
            var fields = entity.configured?.fields ?? []
            let rows = try sql { () throws(SQLiteError) in
                try c.query("SELECT key, label, type, options_json FROM crm_fields WHERE entity_slug = ? ORDER BY rowid",
                            [.text(slug)])
            }
            for row in rows {
                guard let key = row.text(0), !fields.contains(where: { $0.key == key }) else { continue }
                fields.append(CRMConfig.Field(key: key, label: row.text(1), type: row.text(2) ?? "text",
                                              options: row.text(3).flatMap { try? JSONText.parse($0) }))
            }
            return fields
        }
    }
}
