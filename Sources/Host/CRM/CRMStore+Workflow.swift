import SluiceVM

extension CRMStore {
    /// Resolves a pipeline and/or stage of `entity` to ids, or a failure code:
    ///
    /// - a pipeline alone lands on its first stage (`no_stages` when it has none);
    /// - a pipeline and a stage: the stage must belong to that pipeline;
    /// - a stage alone: by id, or by slug when exactly one pipeline of the entity has a stage with that
    ///   slug (`ambiguous_stage` otherwise: name the pipeline too);
    /// - neither: `stage_required`.
    ///
    /// Other codes: `unknown_pipeline`, `unknown_stage`.
    public static func resolvePlacement(in entity: CRMConfig.Entity?, pipeline: CRMSelector?,
                                        stage: CRMSelector?) -> Result<CRMPlacement, CRMPlacementError> {
        let pipelines = entity?.pipelines ?? []
        if let pipeline {
            let found: CRMConfig.Pipeline?
            switch pipeline {
            case .id(let id): found = pipelines.first { $0.id == id }
            case .slug(let slug): found = pipelines.first { $0.slug == slug }
            }
            guard let p = found else { return .failure(.unknownPipeline) }
            guard let stage else {
                guard let first = p.stages.first else { return .failure(.noStages) }
                return .success(CRMPlacement(pipelineID: p.id, stageID: first.id))
            }
            let s: CRMConfig.Stage?
            switch stage {
            case .id(let id): s = p.stages.first { $0.id == id }
            case .slug(let slug): s = p.stages.first { $0.slug == slug }
            }
            guard let s else { return .failure(.unknownStage) }
            return .success(CRMPlacement(pipelineID: p.id, stageID: s.id))
        }
        guard let stage else { return .failure(.stageRequired) }
        switch stage {
        case .id(let id):
            for p in pipelines {
                if let s = p.stages.first(where: { $0.id == id }) { return .success(CRMPlacement(pipelineID: p.id, stageID: s.id)) }
            }
            return .failure(.unknownStage)
        case .slug(let slug):
            let matches = pipelines.compactMap { p in p.stages.first { $0.slug == slug }.map { (p, $0) } }
            guard let (p, s) = matches.first else { return .failure(.unknownStage) }
            guard matches.count == 1 else { return .failure(.ambiguousStage) }
            return .success(CRMPlacement(pipelineID: p.id, stageID: s.id))
        }
    }

    /// `moveCrmToStage` / `moveCrmToPipeline` / `moveCrmLead`: puts the reference's newest entry (or,
    /// with `allEntries`, every entry, keeping their order) at `placement`. Only `pipeline_id` and
    /// `stage_id` change. Fails with `not_found` when the reference has no entries.
    public func move(slug: String, reference: CRMReference, to placement: CRMPlacement,
                     allEntries: Bool = false) throws(CRMError) -> CRMMoveResult {
        let now = Timestamp.nowMilliseconds()
        return try writing { (c) throws(CRMError) in
            _ = try requireEntity(slug, c)
            return try sql { () throws(SQLiteError) in
                let total = try Self.count(c, slug, reference)
                guard total > 0 else { return .failure("not_found", placement: placement) }
                // Oldest first, so the moved entries keep their relative order as they become newest.
                let targets = try Self.entries(c, slug, reference, limit: allEntries ? Int.max : 1).reversed()
                for var e in targets {
                    e.pipelineID = placement.pipelineID
                    e.stageID = placement.stageID
                    try self.updateEntry(c, e, now: now)
                }
                return CRMMoveResult(ok: true, moved: targets.count, totalMatched: total, placement: placement)
            }
        }
    }

    /// `moveCrmToEntity`: copies the values named by `fieldMap` (source key → target key) from the
    /// reference's `fromSlug` entries (each key's newest value) into its `toSlug` entries, with the
    /// upsert rule of `setCrmFields` (no force). `placement` (resolved in the target entity) also
    /// moves the target entry. `removeFromOld` then deletes the copied keys from every source entry
    /// of the reference, and deletes source entries left empty; other source values stay.
    /// `moved` counts the fields copied.
    public func moveToEntity(fromSlug: String, toSlug: String, reference: CRMReference,
                             fieldMap: [(from: String, to: String)], placement: CRMPlacement?,
                             removeFromOld: Bool) throws(CRMError) -> CRMEntityMoveResult {
        guard fromSlug != toSlug else { return .failure("same_entity") }
        guard !fieldMap.isEmpty,
              fieldMap.allSatisfy({ CRMRules.isFieldKey($0.from) && CRMRules.isFieldKey($0.to) })
        else { return .failure("invalid_field_map") }
        let now = Timestamp.nowMilliseconds()
        return try writing { (c) throws(CRMError) in
            _ = try requireEntity(fromSlug, c)
            _ = try requireEntity(toSlug, c)
            return try sql { () throws(SQLiteError) in
                var copied: [(key: String, value: ScriptValue)] = []
                var sourceKeys: [String] = []
                for pair in fieldMap {
                    guard let v = try Self.values(c, fromSlug, reference, key: pair.from, limit: 1).first else { continue }
                    copied.append((pair.to, v))
                    sourceKeys.append(pair.from)
                }
                guard !copied.isEmpty else { return CRMEntityMoveResult(ok: true, moved: 0, removedFromOld: false) }
                guard try self.upsert(c, toSlug, reference, fields: copied, force: false, placement: placement,
                                      now: now) != nil
                else { return .failure("entry_too_large") }
                var removed = false
                if removeFromOld {
                    for var e in try Self.entries(c, fromSlug, reference, limit: Int.max).reversed() {
                        let before = e.values
                        for key in sourceKeys { e.values[key] = nil }
                        guard e.values != before else { continue }
                        removed = true
                        if e.values.isEmpty {
                            try c.execute("DELETE FROM crm_entries WHERE id = ?", [.integer(e.id)])
                        } else {
                            try self.updateEntry(c, e, now: now)
                        }
                    }
                }
                return CRMEntityMoveResult(ok: true, moved: copied.count, removedFromOld: removed)
            }
        }
    }
}

/// Why a pipeline/stage could not be resolved; `code` is the `error` string scripts see.
public enum CRMPlacementError: String, Error, Sendable {
    case pipelineRequired = "pipeline_required"
    case stageRequired = "stage_required"
    case unknownPipeline = "unknown_pipeline"
    case unknownStage = "unknown_stage"
    case ambiguousStage = "ambiguous_stage"
    case noStages = "no_stages"

    public var code: String { rawValue }
}
