import SluiceVM

extension CRMStore {
    /// `setCrmField` / `setCrmFields`: writes `fields` into one entry of the reference.
    ///
    /// Without `force`: the newest of the 100 newest entries that already holds one of the keys,
    /// else the newest entry, else a new entry. With `force`: the newest entry, else a new one.
    /// A later field with the same key wins. Returns false (and writes nothing) when a key or value
    /// breaks the rules or `fields` is empty.
    public func setFields(slug: String, reference: CRMReference, fields: [(key: String, value: ScriptValue)],
                          force: Bool = false) throws(CRMError) -> Bool {
        guard !fields.isEmpty,
              fields.allSatisfy({ CRMRules.isFieldKey($0.key) && CRMRules.isStorableValue($0.value) })
        else { return false }
        let now = Timestamp.nowMilliseconds()
        return try writing { (c) throws(CRMError) in
            _ = try requireEntity(slug, c)
            return try sql { () throws(SQLiteError) in
                try self.upsert(c, slug, reference, fields: fields, force: force, placement: nil, now: now) != nil
            }
        }
    }

    /// `addCrmFieldValue`: always a new entry holding just this value (multi-value history).
    public func addFieldValue(slug: String, reference: CRMReference, key: String,
                              value: ScriptValue) throws(CRMError) -> Bool {
        guard CRMRules.isFieldKey(key), CRMRules.isStorableValue(value) else { return false }
        let now = Timestamp.nowMilliseconds()
        return try writing { (c) throws(CRMError) in
            _ = try requireEntity(slug, c)
            return try sql { () throws(SQLiteError) in
                _ = try self.insertEntry(c, slug, reference, values: CRMValues([ScriptProperty(key, value)]),
                                         placement: nil, now: now)
                return true
            }
        }
    }

    /// `clearCrmEntries`: deletes every entry of `slug` for the reference; returns how many.
    public func clearEntries(slug: String, reference: CRMReference) throws(CRMError) -> Int {
        try writing { (c) throws(CRMError) in
            _ = try requireEntity(slug, c)
            return try sql { () throws(SQLiteError) in
                try c.execute("DELETE FROM crm_entries WHERE entity_slug = ? AND reference_type = ? AND reference_id = ?",
                              [.text(slug), .text(reference.type), .text(reference.id)])
                return c.changes
            }
        }
    }

    /// The upsert rule shared by `setFields` and `moveToEntity`; returns the entry written, or nil
    /// (writing nothing) when the entry would exceed `CRMRules.maxEntryJSONBytes`.
    /// `placement`, when given, also moves that entry.
    func upsert(_ c: SQLiteConnection, _ slug: String, _ ref: CRMReference,
                       fields: [(key: String, value: ScriptValue)], force: Bool, placement: CRMPlacement?,
                       now: Int64) throws(SQLiteError) -> Int64? {
        // The target entry is read whole by the one query that finds it.
        let target = try force ? Self.newestEntry(c, slug, ref) : Self.upsertTarget(c, slug, ref, keys: fields.map(\.key))
        guard var entry = target else {
            var values = CRMValues()
            for f in fields { values[f.key] = f.value }
            let json = values.jsonText
            guard json.utf8.count <= CRMRules.maxEntryJSONBytes else { return nil }
            return try insertEntry(c, slug, ref, values: values, valuesJSON: json, placement: placement, now: now)
        }
        for f in fields { entry.values[f.key] = f.value }
        let json = entry.values.jsonText
        guard json.utf8.count <= CRMRules.maxEntryJSONBytes else { return nil }
        if let placement {
            entry.pipelineID = placement.pipelineID
            entry.stageID = placement.stageID
        }
        try updateEntry(c, entry, valuesJSON: json, now: now)
        return entry.id
    }

    private static let newestEntrySQL = """
        SELECT \(entryColumns) FROM crm_entries WHERE entity_slug = ? AND reference_type = ? AND reference_id = ?
        ORDER BY revision DESC, id DESC LIMIT 1
        """

    /// The reference's newest entry, or nil.
    static func newestEntry(_ c: SQLiteConnection, _ slug: String, _ ref: CRMReference) throws(SQLiteError) -> CRMEntry? {
        try c.queryFirst(newestEntrySQL, [.text(slug), .text(ref.type), .text(ref.id)]).map(Self.entry)
    }

    /// Among the 100 newest, those holding a key sort first (EXISTS is 1), each group newest first;
    /// when none holds one, the first is the newest entry of all.
    private static let upsertTargetSQL = """
        SELECT \(entryColumns) FROM (
          SELECT \(entryColumns), revision FROM crm_entries
          WHERE entity_slug = ? AND reference_type = ? AND reference_id = ?
          ORDER BY revision DESC, id DESC LIMIT ?)
        ORDER BY EXISTS (SELECT 1 FROM json_each(values_json) WHERE key IN (SELECT value FROM json_each(?))) DESC,
          revision DESC, id DESC
        LIMIT 1
        """

    /// The entry a non-forced upsert writes to: among the reference's 100 newest entries, the
    /// newest that holds one of `keys`, else the newest entry; nil when there is none. One query.
    static func upsertTarget(_ c: SQLiteConnection, _ slug: String, _ ref: CRMReference,
                             keys: [String]) throws(SQLiteError) -> CRMEntry? {
        let keyList = JSONText.serialize(.array(keys.map { .string($0) }))
        return try c.queryFirst(upsertTargetSQL, [.text(slug), .text(ref.type), .text(ref.id),
                                                  .integer(Int64(CRMRules.upsertScanLimit)), .text(keyList)])
            .map(Self.entry)
    }
}
