import SluiceVM

/// One CRM entry (a record of an entity, attached to a reference) as stored.
public struct CRMEntry: Sendable, Equatable {
    public let id: Int64
    public let entitySlug: String
    public let referenceType: String
    public let referenceID: String
    /// The field values in the order their keys were first written.
    public var values: CRMValues
    public var pipelineID: Int?
    public var stageID: Int?
    /// Milliseconds since 1970, UTC.
    public let createdAt: Int64
    public var updatedAt: Int64

    /// The object scripts see: `id, title, crm_entity_id, reference_type, reference_id, values_flat,
    /// pipeline_id, stage_id, created_at, updated_at` (times as ISO 8601 strings).
    /// `title` is the entry's `title` or `name` value when that is a string, else null.
    public func scriptValue(entityID: Int?) -> ScriptValue {
        let title: ScriptValue
        if case .string(let t)? = values["title"] {
            title = .string(t)
        } else if case .string(let n)? = values["name"] {
            title = .string(n)
        } else {
            title = .null
        }
        return .object([
            ScriptProperty("id", .number(Double(id))),
            ScriptProperty("title", title),
            ScriptProperty("crm_entity_id", entityID.map { .number(Double($0)) } ?? .null),
            ScriptProperty("reference_type", .string(referenceType)),
            ScriptProperty("reference_id", .string(referenceID)),
            ScriptProperty("values_flat", values.scriptValue),
            ScriptProperty("pipeline_id", pipelineID.map { .number(Double($0)) } ?? .null),
            ScriptProperty("stage_id", stageID.map { .number(Double($0)) } ?? .null),
            ScriptProperty("created_at", .string(Timestamp.iso8601(milliseconds: createdAt))),
            ScriptProperty("updated_at", .string(Timestamp.iso8601(milliseconds: updatedAt))),
        ])
    }
}

/// An entry's field values: keys in first-written order, each with a JSON-like value.
public struct CRMValues: Sendable, Equatable {
    public private(set) var properties: [ScriptProperty]

    public init(_ properties: [ScriptProperty] = []) {
        var values = CRMValues(unchecked: [])
        for p in properties { values[p.key] = p.value }
        self = values
    }

    private init(unchecked: [ScriptProperty]) { properties = unchecked }

    /// Reads stored JSON text; anything that is not a JSON object reads as no values.
    public init(json: String) {
        if case .object(let props)? = try? JSONText.parse(json) {
            self.init(unchecked: props)  // the parser already keeps one property per key
        } else {
            self.init(unchecked: [])
        }
    }

    public var isEmpty: Bool { properties.isEmpty }
    public var keys: [String] { properties.map(\.key) }

    /// Setting nil removes the key; setting an existing key keeps its position.
    public subscript(key: String) -> ScriptValue? {
        get { properties.first { $0.key == key }?.value }
        set {
            let index = properties.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let i?, let v?): properties[i] = ScriptProperty(key, v)
            case (let i?, nil): properties.remove(at: i)
            case (nil, let v?): properties.append(ScriptProperty(key, v))
            case (nil, nil): break
            }
        }
    }

    public var scriptValue: ScriptValue { .object(properties) }
    public var jsonText: String { JSONText.serialize(scriptValue) }
}
