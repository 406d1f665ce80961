import SluiceVM
import Testing
@testable import SluiceHost

@Suite struct CRMConfigTests {
    func parse(_ json: String) throws -> CRMConfig { try CRMConfig(json: JSONText.parse(json)) }

    func failure(_ json: String) -> CRMConfigError? {
        do {
            _ = try CRMConfig(json: try JSONText.parse(json))
            return nil
        } catch let e as CRMConfigError {
            return e
        } catch {
            return nil
        }
    }

    @Test func theSpecExampleGetsFileOrderIDs() throws {
        let config = try parse("""
            { "entities": [ {
                "slug": "pattern-tracker", "name": "Pattern tracker",
                "fields": [ { "key": "current_weight", "type": "number" } ],
                "pipelines": [ { "slug": "sales", "name": "Sales",
                                 "stages": [ { "slug": "new" }, { "slug": "qualified" }, { "slug": "proposal-sent" } ] } ]
            } ] }
            """)
        let e = try #require(config.entity(slug: "pattern-tracker"))
        #expect(e.id == 1)
        #expect(e.name == "Pattern tracker")
        #expect(e.fields == [CRMConfig.Field(key: "current_weight", type: "number")])
        #expect(e.pipelines.map(\.id) == [1])
        #expect(e.pipelines[0].name == "Sales")
        #expect(e.pipelines[0].stages.map(\.id) == [1, 2, 3])
        #expect(e.pipelines[0].stages.map(\.slug) == ["new", "qualified", "proposal-sent"])
        #expect(e.pipelines[0].stages[1].name == "qualified")  // defaults to the slug
        #expect(e.stage(id: 3)?.stage.slug == "proposal-sent")
    }

    @Test func idsContinueAcrossPipelinesAndEntitiesAndFollowExplicitOnes() throws {
        let config = try parse("""
            { "entities": [
              { "slug": "a", "pipelines": [ { "slug": "p", "stages": [ { "slug": "s1" }, { "slug": "s2" } ] },
                                            { "slug": "q", "stages": [ { "slug": "s1" } ] } ] },
              { "slug": "b", "id": 10, "pipelines": [ { "slug": "p", "id": 20, "stages": [ { "slug": "x", "id": 50 }, { "slug": "y" } ] },
                                                      { "slug": "r", "stages": [ { "slug": "z" } ] } ] },
              { "slug": "c" }
            ] }
            """)
        #expect(config.entities.map(\.id) == [1, 10, 11])
        #expect(config.entities.flatMap(\.pipelines).map(\.id) == [1, 2, 20, 21])
        #expect(config.entities.flatMap(\.pipelines).flatMap(\.stages).map(\.id) == [1, 2, 3, 50, 51, 52])
        #expect(config.maxEntityID == 11)
        #expect(config.entity(slug: "a")?.stages(slug: "s1").count == 2)
    }

    @Test func absentCRMMeansNoEntities() throws {
        #expect(try CRMConfig(json: .undefined).entities.isEmpty)
        #expect(try CRMConfig(json: .null).entities.isEmpty)
        #expect(try parse("{}").entities.isEmpty)
        #expect(CRMConfig.empty.entities.isEmpty)
    }

    @Test(arguments: [
        (#"[]"#, "crm", "must be an object"),
        (#"{ "entities": {} }"#, "crm.entities", "must be an array"),
        (#"{ "entities": [ 1 ] }"#, "crm.entities[0]", "must be an object"),
        (#"{ "entities": [ {} ] }"#, "crm.entities[0].slug", "is required"),
        (#"{ "entities": [ { "slug": 5 } ] }"#, "crm.entities[0].slug", "must be a string"),
        (#"{ "entities": [ { "slug": "Bad Slug" } ] }"#, "crm.entities[0].slug", "not a valid entity slug"),
        (#"{ "entities": [ { "slug": "a" }, { "slug": "a" } ] }"#, "crm.entities[1].slug", "also used by crm.entities[0]"),
        (#"{ "entities": [ { "slug": "a", "name": 3 } ] }"#, "crm.entities[0].name", "must be a string"),
        (#"{ "entities": [ { "slug": "a", "id": 0 } ] }"#, "crm.entities[0].id", "positive integer"),
        (#"{ "entities": [ { "slug": "a", "id": 1.5 } ] }"#, "crm.entities[0].id", "positive integer"),
        (#"{ "entities": [ { "slug": "a", "fields": [ { "key": "x y" } ] } ] }"#, "crm.entities[0].fields[0].key", "not a valid field key"),
        (#"{ "entities": [ { "slug": "a", "fields": [ { "key": "x", "type": "blob" } ] } ] }"#, "crm.entities[0].fields[0].type", "unknown field type"),
        (#"{ "entities": [ { "slug": "a", "fields": [ { "key": "x" }, { "key": "x" } ] } ] }"#, "crm.entities[0].fields[1].key", "appears twice"),
        (#"{ "entities": [ { "slug": "a", "pipelines": [ { "stages": [] } ] } ] }"#, "crm.entities[0].pipelines[0].slug", "is required"),
        (#"{ "entities": [ { "slug": "a", "pipelines": [ { "slug": "p" }, { "slug": "p" } ] } ] }"#, "crm.entities[0].pipelines[1].slug", "appears twice"),
        (#"{ "entities": [ { "slug": "a", "pipelines": [ { "slug": "p", "stages": [ { "slug": "s" }, { "slug": "s" } ] } ] } ] }"#,
         "crm.entities[0].pipelines[0].stages[1].slug", "appears twice"),
        (#"{ "entities": [ { "slug": "a", "pipelines": [ { "slug": "p", "stages": [ { "slug": "s" }, { "slug": "t", "id": 1 } ] } ] } ] }"#,
         "crm.entities[0].pipelines[0].stages[1].id", "stage id 1 is also used by crm.entities[0].pipelines[0].stages[0]"),
        (#"{ "entities": [ { "slug": "a", "pipelines": [ { "slug": "p", "id": 2 } ] }, { "slug": "b", "pipelines": [ { "slug": "p", "id": 2 } ] } ] }"#,
         "crm.entities[1].pipelines[0].id", "pipeline id 2 is also used"),
        (#"{ "entities": [ { "slug": "a", "pipelines": [ { "slug": "p", "stages": [ { "slug": "has space" } ] } ] } ] }"#,
         "crm.entities[0].pipelines[0].stages[0].slug", "not a valid stage slug"),
        (#"{ "entities": [ { "slug": "a", "pipelines": "x" } ] }"#, "crm.entities[0].pipelines", "must be an array"),
    ])
    func badConfigurationsSayWhereAndWhat(json: String, path: String, message: String) {
        let e = failure(json)
        #expect(e?.path == path)
        #expect(e?.message.contains(message) == true, "\(e?.description ?? "no error")")
        #expect(e?.description.hasPrefix(path + ": ") == true)
    }

    @Test func swiftBuiltConfigurationsAreCheckedToo() throws {
        let stage = CRMConfig.Stage(id: 1, slug: "s", name: "S")
        let ok = try CRMConfig(entities: [
            CRMConfig.Entity(id: 1, slug: "a", name: "A", pipelines: [CRMConfig.Pipeline(id: 1, slug: "p", name: "P", stages: [stage])]),
        ])
        #expect(ok.entities.count == 1)
        #expect(throws: CRMConfigError.self) {
            try CRMConfig(entities: [
                CRMConfig.Entity(id: 1, slug: "a", name: "A", pipelines: [CRMConfig.Pipeline(id: 1, slug: "p", name: "P", stages: [stage])]),
                CRMConfig.Entity(id: 2, slug: "b", name: "B", pipelines: [CRMConfig.Pipeline(id: 2, slug: "p", name: "P", stages: [stage])]),
            ])
        }
    }
}
