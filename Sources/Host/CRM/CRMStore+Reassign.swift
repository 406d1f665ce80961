import SluiceVM

extension CRMStore {
    /// `reassignCrmReference`'s data step: moves every `slug` entry of `from` to `to`.
    ///
    /// When `to` has no entries of `slug`, the entries are re-attached as they are
    /// (`merged: false`). Otherwise they are consolidated into `to`'s newest entry: a key that any of
    /// `to`'s entries already holds keeps `to`'s value ("customer values win"), other keys take the
    /// newest value among `from`'s entries; the `from` entries are then deleted (`merged: true`).
    /// Running it again finds nothing to move: `{ ok: true, migrated: 0, merged: false }`.
    ///
    /// The security checks (logged-in customer, visitor id from the session) are the caller's: see
    /// `CRMBinding`.
    public func reassign(slug: String, from: CRMReference, to: CRMReference) throws(CRMError) -> CRMReassignResult {
        guard from != to else { return CRMReassignResult(ok: true, migrated: 0, merged: false) }
        let now = Timestamp.nowMilliseconds()
        return try writing { (c) throws(CRMError) in
            _ = try requireEntity(slug, c)
            return try sql { () throws(SQLiteError) in
                let visitorEntries = try Self.entries(c, slug, from, limit: Int.max)  // newest first
                guard !visitorEntries.isEmpty else { return CRMReassignResult(ok: true, migrated: 0, merged: false) }
                let customerEntries = try Self.entries(c, slug, to, limit: Int.max)
                guard var target = customerEntries.first else {
                    try c.execute("""
                        UPDATE crm_entries SET reference_type = ?, reference_id = ?, updated_at = ?
                        WHERE entity_slug = ? AND reference_type = ? AND reference_id = ?
                        """, [.text(to.type), .text(to.id), .integer(now), .text(slug), .text(from.type), .text(from.id)])
                    return CRMReassignResult(ok: true, migrated: c.changes, merged: false)
                }
                let customerKeys = Set(customerEntries.flatMap(\.values.keys))
                // Oldest visitor entry first, so newer visitor values overwrite older ones.
                for visitor in visitorEntries.reversed() {
                    for p in visitor.values.properties where !customerKeys.contains(p.key) {
                        target.values[p.key] = p.value
                    }
                }
                if target.pipelineID == nil, let placed = visitorEntries.first(where: { $0.pipelineID != nil }) {
                    target.pipelineID = placed.pipelineID
                    target.stageID = placed.stageID
                }
                try self.updateEntry(c, target, now: now)
                try c.execute("DELETE FROM crm_entries WHERE entity_slug = ? AND reference_type = ? AND reference_id = ?",
                              [.text(slug), .text(from.type), .text(from.id)])
                return CRMReassignResult(ok: true, migrated: visitorEntries.count, merged: true)
            }
        }
    }
}
