import SluiceVM

/// Why a CRM store call could not run at all.
public enum CRMError: Error, Sendable, CustomStringConvertible {
    /// No entity with this slug in site.json or created by `ensureCrmEntity`.
    case unknownEntity(String)
    /// The database failed (disk full, locked longer than the busy timeout, closed …).
    case storage(SQLiteError)

    public var description: String {
        switch self {
        case .unknownEntity(let slug): return "unknown CRM entity slug '\(slug)'"
        case .storage(let e): return "CRM storage error: \(e)"
        }
    }
}

/// A pipeline or stage named by id or by slug.
public enum CRMSelector: Sendable, Equatable {
    case id(Int)
    case slug(String)
}

/// Where a workflow move puts entries.
public struct CRMPlacement: Sendable, Equatable {
    public let pipelineID: Int
    public let stageID: Int
}

/// Result of `moveCrmToStage`, `moveCrmToPipeline` and `moveCrmLead`:
/// `{ ok, moved, totalMatched, pipeline_id, stage_id }` or `{ ok:false, moved:0, error }`.
public struct CRMMoveResult: Sendable, Equatable {
    public var ok: Bool
    public var moved: Int
    public var totalMatched: Int
    public var placement: CRMPlacement?
    public var error: String?
    /// Accepted for a background write (`async: true`); not performed yet.
    public var pending: Bool = false

    public static func failure(_ error: String, placement: CRMPlacement? = nil) -> CRMMoveResult {
        CRMMoveResult(ok: false, moved: 0, totalMatched: 0, placement: placement, error: error)
    }

    public var scriptValue: ScriptValue {
        var props = [ScriptProperty("ok", .bool(ok)), ScriptProperty("moved", .number(Double(moved)))]
        if ok || placement != nil {
            props.append(ScriptProperty("totalMatched", .number(Double(totalMatched))))
            props.append(ScriptProperty("pipeline_id", placement.map { .number(Double($0.pipelineID)) } ?? .null))
            props.append(ScriptProperty("stage_id", placement.map { .number(Double($0.stageID)) } ?? .null))
        }
        if pending { props.append(ScriptProperty("pending", .bool(true))) }
        if let error { props.append(ScriptProperty("error", .string(error))) }
        return .object(props)
    }
}

/// Result of `moveCrmToEntity`: `{ ok, moved /* fields copied */, removed_from_old }`.
public struct CRMEntityMoveResult: Sendable, Equatable {
    public var ok: Bool
    public var moved: Int
    public var removedFromOld: Bool
    public var error: String?
    public var pending: Bool = false

    public static func failure(_ error: String) -> CRMEntityMoveResult {
        CRMEntityMoveResult(ok: false, moved: 0, removedFromOld: false, error: error)
    }

    public var scriptValue: ScriptValue {
        var props = [ScriptProperty("ok", .bool(ok)), ScriptProperty("moved", .number(Double(moved))),
                     ScriptProperty("removed_from_old", .bool(removedFromOld))]
        if pending { props.append(ScriptProperty("pending", .bool(true))) }
        if let error { props.append(ScriptProperty("error", .string(error))) }
        return .object(props)
    }
}

/// Result of `reassignCrmReference`: `{ ok, migrated, merged, pending?, error? }`.
public struct CRMReassignResult: Sendable, Equatable {
    public var ok: Bool
    public var migrated: Int
    public var merged: Bool
    public var error: String?
    public var pending: Bool = false

    public static func failure(_ error: String) -> CRMReassignResult {
        CRMReassignResult(ok: false, migrated: 0, merged: false, error: error)
    }

    public var scriptValue: ScriptValue {
        var props = [ScriptProperty("ok", .bool(ok))]
        if pending { props.append(ScriptProperty("pending", .bool(true))) }
        props.append(ScriptProperty("migrated", .number(Double(migrated))))
        props.append(ScriptProperty("merged", .bool(merged)))
        if let error { props.append(ScriptProperty("error", .string(error))) }
        return .object(props)
    }
}

/// What `ensureCrmEntity` asks for.
public struct CRMEntityDefinition: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var key: String
        public var label: String?
        public var type: String
        public var options: ScriptValue?
        public var validationRules: ScriptValue?
        public var visibleToTeamIDs: ScriptValue?

        public init(key: String, label: String? = nil, type: String = "text", options: ScriptValue? = nil,
                    validationRules: ScriptValue? = nil, visibleToTeamIDs: ScriptValue? = nil) {
            self.key = key
            self.label = label
            self.type = type
            self.options = options
            self.validationRules = validationRules
            self.visibleToTeamIDs = visibleToTeamIDs
        }
    }

    public var slug: String
    public var name: String?
    public var singularName: String?
    public var pluralName: String?
    public var icon: String?
    public var color: String?
    public var fields: [Field]

    public init(slug: String, name: String? = nil, singularName: String? = nil, pluralName: String? = nil,
                icon: String? = nil, color: String? = nil, fields: [Field] = []) {
        self.slug = slug
        self.name = name
        self.singularName = singularName
        self.pluralName = pluralName
        self.icon = icon
        self.color = color
        self.fields = fields
    }
}

/// Result of `ensureCrmEntity`: `{ id, slug, created, fields_added, fields_skipped }` (counts), or
/// `{ id:null, created:false, error }`.
public struct CRMEnsureEntityResult: Sendable, Equatable {
    public var id: Int?
    public var slug: String
    public var created: Bool
    public var fieldsAdded: Int
    public var fieldsSkipped: Int
    public var error: String?

    public static func failure(_ error: String, slug: String) -> CRMEnsureEntityResult {
        CRMEnsureEntityResult(id: nil, slug: slug, created: false, fieldsAdded: 0, fieldsSkipped: 0, error: error)
    }

    public var scriptValue: ScriptValue {
        var props = [ScriptProperty("id", id.map { .number(Double($0)) } ?? .null),
                     ScriptProperty("slug", .string(slug)),
                     ScriptProperty("created", .bool(created))]
        if let error {
            props.append(ScriptProperty("error", .string(error)))
        } else {
            props.append(ScriptProperty("fields_added", .number(Double(fieldsAdded))))
            props.append(ScriptProperty("fields_skipped", .number(Double(fieldsSkipped))))
        }
        return .object(props)
    }
}
