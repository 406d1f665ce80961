import SluiceVM

extension CRMBinding {
    enum MoveKind {
        /// `moveCrmToStage`: a stage is required; a pipeline may disambiguate.
        case toStage
        /// `moveCrmToPipeline`: a pipeline is required; without a stage, its first stage.
        case toPipeline
        /// `moveCrmLead`: both required.
        case lead
    }

    static let pipelineIDNames = ["pipelineId", "pipeline_id", "pipelineID"]
    static let pipelineSlugNames = ["pipelineSlug", "pipeline_slug"]
    static let stageIDNames = ["stageId", "stage_id", "stageID"]
    static let stageSlugNames = ["stageSlug", "stage_slug"]

    /// The three workflow moves → `{ ok, moved, totalMatched, pipeline_id, stage_id }` or
    /// `{ ok: false, moved: 0, error }`.
    static func move(_ call: CRMScriptCall, kind: MoveKind) throws(VMError) -> ScriptValue {
        let entity = try call.entity()
        let pipeline = try call.selector(idNames: pipelineIDNames, slugNames: pipelineSlugNames)
        let stage = try call.selector(idNames: stageIDNames, slugNames: stageSlugNames)
        let allEntries = try call.flag(["allEntries", "all_entries"])
        let async = try call.flag(CRMScriptCall.asyncNames)
        if pipeline == .missing && kind != .toStage { return CRMMoveResult.failure("pipeline_required").scriptValue }
        if stage == .missing && kind != .toPipeline { return CRMMoveResult.failure("stage_required").scriptValue }
        let placement: CRMPlacement
        switch try placementOption(in: entity, pipeline: pipeline, stage: stage) {
        case .success(let p): placement = p
        case .failure(let e): return CRMMoveResult.failure(e.code).scriptValue
        }
        let ref: CRMReference
        switch try call.reference() {
        case .reference(let r): ref = r
        case .noCustomer: return CRMMoveResult.failure("no_reference").scriptValue
        case .invalid: return CRMMoveResult.failure("invalid_reference").scriptValue
        }
        let slug = entity.slug
        if async {
            call.deferWrite("\(slug) \(ref)") { (s) throws(CRMError) in
                _ = try s.move(slug: slug, reference: ref, to: placement, allEntries: allEntries)
            }
            var pending = CRMMoveResult(ok: true, moved: 0, totalMatched: 0, placement: placement)
            pending.pending = true
            return pending.scriptValue
        }
        return try call.store { (s) throws(CRMError) in
            try s.move(slug: slug, reference: ref, to: placement, allEntries: allEntries)
        }.scriptValue
    }

    /// Resolves pipeline/stage options in an entity's workflow (unknown when it has none).
    static func placementOption(in entity: CRMStore.EntityInfo, pipeline: CRMScriptCall.SelectorOption,
                                stage: CRMScriptCall.SelectorOption) throws(VMError) -> Result<CRMPlacement, CRMPlacementError> {
        if pipeline == .invalid { return .failure(.unknownPipeline) }
        if stage == .invalid { return .failure(.unknownStage) }
        var p: CRMSelector?
        var s: CRMSelector?
        if case .selector(let sel) = pipeline { p = sel }
        if case .selector(let sel) = stage { s = sel }
        return CRMStore.resolvePlacement(in: entity.configured, pipeline: p, stage: s)
    }

    /// `moveCrmToEntity({ fromSlug, toSlug, fieldMap: { src: dst }, …ref, pipeline?/stage?,
    /// removeFromOld?, async? })` → `{ ok, moved, removed_from_old }`.
    static func moveToEntity(_ call: CRMScriptCall) throws(VMError) -> ScriptValue {
        let from = try call.entity(["fromSlug", "from_slug"], label: "fromSlug")
        let to = try call.entity(["toSlug", "to_slug"], label: "toSlug")
        guard from.slug != to.slug else { return CRMEntityMoveResult.failure("same_entity").scriptValue }
        guard let fieldMap = try readFieldMap(call) else {
            return CRMEntityMoveResult.failure("invalid_field_map").scriptValue
        }
        let pipeline = try call.selector(idNames: pipelineIDNames, slugNames: pipelineSlugNames)
        let stage = try call.selector(idNames: stageIDNames, slugNames: stageSlugNames)
        var placement: CRMPlacement?
        if pipeline != .missing || stage != .missing {
            switch try placementOption(in: to, pipeline: pipeline, stage: stage) {
            case .success(let p): placement = p
            case .failure(let e): return CRMEntityMoveResult.failure(e.code).scriptValue
            }
        }
        let removeFromOld = try call.flag(["removeFromOld", "remove_from_old"])
        let async = try call.flag(CRMScriptCall.asyncNames)
        let ref: CRMReference
        switch try call.reference() {
        case .reference(let r): ref = r
        case .noCustomer: return CRMEntityMoveResult.failure("no_reference").scriptValue
        case .invalid: return CRMEntityMoveResult.failure("invalid_reference").scriptValue
        }
        let (fromSlug, toSlug) = (from.slug, to.slug)
        let pairs = fieldMap.map { CRMKeyPair(from: $0.from, to: $0.to) }
        let target = placement
        if async {
            call.deferWrite("\(fromSlug)→\(toSlug) \(ref)") { (s) throws(CRMError) in
                _ = try s.moveToEntity(fromSlug: fromSlug, toSlug: toSlug, reference: ref,
                                       fieldMap: pairs.map { ($0.from, $0.to) }, placement: target,
                                       removeFromOld: removeFromOld)
            }
            var pending = CRMEntityMoveResult(ok: true, moved: 0, removedFromOld: false)
            pending.pending = true
            return pending.scriptValue
        }
        return try call.store { (s) throws(CRMError) in
            try s.moveToEntity(fromSlug: fromSlug, toSlug: toSlug, reference: ref, fieldMap: fieldMap,
                               placement: placement, removeFromOld: removeFromOld)
        }.scriptValue
    }

    /// `fieldMap`: a plain object of at least one `sourceKey: 'targetKey'` pair, all valid keys.
    private static func readFieldMap(_ call: CRMScriptCall) throws(VMError) -> [(from: String, to: String)]? {
        let rt = call.rt
        let v = try call.value(["fieldMap", "field_map"])
        guard v.isObject, !v.object.isCallable, v.object.kind != .array else { return nil }
        let map = v.object
        let mark = rt.pushTemporaryRoot(v)
        defer { rt.popTemporaryRoots(to: mark) }
        var pairs: [(from: String, to: String)] = []
        for key in rt.ownEnumerableStringKeys(map) {
            try rt.charge(elementCost)
            let target = try rt.get(map, key)
            let source = rt.describeKey(key)
            guard target.isString else { return nil }
            let targetKey = target.string.swiftString
            guard CRMRules.isFieldKey(source), CRMRules.isFieldKey(targetKey) else { return nil }
            pairs.append((source, targetKey))
        }
        return pairs.isEmpty ? nil : pairs
    }
}

/// A source → target key pair (Sendable, for deferred writes).
struct CRMKeyPair: Sendable {
    let from: String
    let to: String
}
