import SluiceVM

/// A site's CRM model from the `crm` object of site.json: entities with fields, pipelines and stages.
///
/// Ids: entities, pipelines and stages get integer ids in file order (the first pipeline is 1, its
/// stages 1, 2, 3, the next pipeline's stages continue 4, 5 …), unless the file gives `"id"`. An
/// automatic id is one more than the largest id of its kind seen so far, so explicit ids may be
/// mixed in; ids are unique within the site. Entries store pipeline and stage *ids*: give explicit
/// ids before reordering pipelines or stages in a site that already has data.
public struct CRMConfig: Sendable, Equatable {
    /// One CRM entity (e.g. `pattern-tracker`).
    public struct Entity: Sendable, Equatable {
        public var id: Int
        public var slug: String
        public var name: String
        public var singularName: String?
        public var pluralName: String?
        public var fields: [Field]
        public var pipelines: [Pipeline]

        public init(id: Int, slug: String, name: String, singularName: String? = nil, pluralName: String? = nil,
                    fields: [Field] = [], pipelines: [Pipeline] = []) {
            self.id = id
            self.slug = slug
            self.name = name
            self.singularName = singularName
            self.pluralName = pluralName
            self.fields = fields
            self.pipelines = pipelines
        }

        public func pipeline(id: Int) -> Pipeline? { pipelines.first { $0.id == id } }
        public func pipeline(slug: String) -> Pipeline? { pipelines.first { $0.slug == slug } }
        /// The stage with this id, with its pipeline.
        public func stage(id: Int) -> (pipeline: Pipeline, stage: Stage)? {
            for p in pipelines { if let s = p.stages.first(where: { $0.id == id }) { return (p, s) } }
            return nil
        }
        /// Every stage with this slug (stage slugs are unique within a pipeline, not within an entity).
        public func stages(slug: String) -> [(pipeline: Pipeline, stage: Stage)] {
            pipelines.compactMap { p in p.stages.first { $0.slug == slug }.map { (p, $0) } }
        }
    }

    /// A field declared for an entity. Declarations describe data; they do not restrict what scripts
    /// store (a script may write keys that site.json does not list).
    public struct Field: Sendable, Equatable {
        public var key: String
        public var label: String?
        public var type: String
        public var options: ScriptValue?

        public init(key: String, label: String? = nil, type: String = "text", options: ScriptValue? = nil) {
            self.key = key
            self.label = label
            self.type = type
            self.options = options
        }
    }

    public struct Pipeline: Sendable, Equatable {
        public var id: Int
        public var slug: String
        public var name: String
        /// In order; the first is where `moveCrmToPipeline` lands without a stage.
        public var stages: [Stage]

        public init(id: Int, slug: String, name: String, stages: [Stage]) {
            self.id = id
            self.slug = slug
            self.name = name
            self.stages = stages
        }
    }

    public struct Stage: Sendable, Equatable {
        public var id: Int
        public var slug: String
        public var name: String
        public var color: String?
        /// Semantic status, e.g. `won`, `lost`, `active`.
        public var status: String?

        public init(id: Int, slug: String, name: String, color: String? = nil, status: String? = nil) {
            self.id = id
            self.slug = slug
            self.name = name
            self.color = color
            self.status = status
        }
    }

    public private(set) var entities: [Entity]

    /// No entities.
    public static let empty = CRMConfig(validated: [])

    init(validated entities: [Entity]) { self.entities = entities }

    /// Entities given in Swift; checked like site.json (slugs, unique ids, unique stage ids).
    public init(entities: [Entity]) throws(CRMConfigError) {
        try CRMConfigParser.check(entities)
        self.entities = entities
    }

    /// Parses the `crm` value of site.json (`undefined` or `null` mean no CRM entities).
    public init(json: ScriptValue) throws(CRMConfigError) {
        self.entities = try CRMConfigParser.parse(json)
    }

    public func entity(slug: String) -> Entity? { entities.first { $0.slug == slug } }

    /// The largest entity id in the file (0 when there are none).
    public var maxEntityID: Int { entities.map(\.id).max() ?? 0 }
}

/// A problem in site.json's `crm` object: where (`crm.entities[0].pipelines[1].slug`) and what.
public struct CRMConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
