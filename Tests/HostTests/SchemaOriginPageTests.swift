// The origin page ("Building Custom Workflows"): its `validators` module and `/weight/checkin`
// script run unchanged, with small stand-ins for request, response, setCrmFields and setVariable.
// Also the other examples of the validation page (reference-notes §1.5).

import SluiceCompiler
import SluiceVM
import Testing
@testable import SluiceHost

/// The `validators` module, exactly as on the origin page.
private let validatorsModule = """
      export var WeightCheckinSchema = Schema.object({
        weight:  Schema.number().required().min(50).max(500),
        unit:    Schema.string().valid('lbs', 'kg').default('lbs'),
        notes:   Schema.string().max(500).default(''),
      });

      export function requireCustomer() {
        if (!is_customer) {
          response.status(401);
          response.json({ ok: false, error: 'not authenticated' });
        }
      }
    """

/// The `/weight/checkin` backend script, exactly as on the origin page.
private let checkinPage = """
      import { WeightCheckinSchema, requireCustomer } from "validators";

      if (request.method === 'POST') {
        requireCustomer();

        var result = WeightCheckinSchema.validate(request.body);

        if (!result.valid) {
          response.status(400);
          response.json({ ok: false, errors: result.errors });
        }

        var data = result.value;

        var entitySlug = 'pattern-tracker'; // your CRM entity slug from settings
        var fields = [
          { fieldKey: 'current_weight', value: data.weight },
          { fieldKey: 'weight_unit', value: data.unit },
          { fieldKey: 'last_checkin', value: new Date().toISOString() }
        ];

        if (data.notes) {
          fields.push({ fieldKey: 'checkin_notes', value: data.notes });
        }

        setCrmFields({ slug: entitySlug, fields: fields });

        response.json({ ok: true, data: data });
      }

      setVariable('page_title', 'Weight Check-in');
    """

/// What the page did.
private final class PageOutcome {
    var status = 200
    var json: ScriptValue?
    var crmCall: ScriptValue?
    var variables: [String: ScriptValue] = [:]
}

private let haltMessage = "response.json ended the script"

/// Runs the module, "imports" its exports as globals (the compiler's contract for `import`), then
/// runs the page for one request.
private func runCheckin(method: String, body: ScriptValue, isCustomer: Bool) throws -> PageOutcome {
    let rt = Runtime()
    try SchemaBinding.install(into: rt)
    let outcome = PageOutcome()
    try rt.defineReadOnlyGlobal("request", .object([ScriptProperty("method", .string(method)),
                                                    ScriptProperty("body", body)]))
    try rt.defineReadOnlyGlobal("is_customer", .bool(isCustomer))
    let response = try rt.newObject()
    try rt.defineMethod(response, "status", 1) { rt, _, args throws(VMError) in
        outcome.status = Int(try rt.toNumber(args[0]))
        return .undefined
    }
    try rt.defineMethod(response, "json", 1) { rt, _, args throws(VMError) in
        outcome.json = rt.scriptValue(from: args[0])
        throw rt.error(.error, haltMessage)  // terminal, as reference-notes §3 Q2 recommends
    }
    try rt.defineGlobal("response", Value(response))
    try rt.defineHostFunction("setCrmFields", length: 1) { args in
        outcome.crmCall = args.first
        return .bool(true)
    }
    try rt.defineHostFunction("setVariable", length: 2) { args in
        if case .string(let key)? = args.first { outcome.variables[key] = args.count > 1 ? args[1] : .undefined }
        return .undefined
    }

    let module = try Compiler.compile(source: validatorsModule, name: "validators", options: .functionBody)
    guard case .success = rt.run(module) else {
        Issue.record("the validators module failed")
        return outcome
    }
    let page = try Compiler.compile(source: checkinPage, name: "weight/checkin", options: .functionBody)
    for binding in page.imports.flatMap(\.bindings) {
        let exported = try rt.get(rt.globalObject, rt.key("__export__" + binding.imported))
        try rt.defineGlobal(binding.local, exported)
    }
    switch rt.run(page, limits: .pageDefaults) {
    case .success: break
    case .failure(.uncaught(let e)) where e.message == haltMessage: break
    case .failure(let e): Issue.record("the page failed: \(e)")
    }
    return outcome
}

@Suite struct SchemaOriginPageTests {
    @Test func validCheckInIsStored() throws {
        let out = try runCheckin(method: "POST", body: .object([
            ScriptProperty("weight", .number(182)), ScriptProperty("unit", .string("kg")),
            ScriptProperty("notes", .string("felt good")), ScriptProperty("admin", .bool(true)),
        ]), isCustomer: true)
        #expect(out.status == 200)
        #expect(out.json == obj(["ok": .bool(true),
                                 "data": obj(["weight": .number(182), "unit": .string("kg"), "notes": .string("felt good")])]))
        guard case .array(let fields)? = out.crmCall?["fields"] else {
            Issue.record("setCrmFields was not called with fields")
            return
        }
        #expect(out.crmCall?["slug"] == .string("pattern-tracker"))
        #expect(fields.map { $0["fieldKey"] } == [.string("current_weight"), .string("weight_unit"),
                                                  .string("last_checkin"), .string("checkin_notes")])
        #expect(fields[0]["value"] == .number(182))
        #expect(fields[1]["value"] == .string("kg"))
        #expect(fields[3]["value"] == .string("felt good"))
        #expect(out.variables["page_title"] == nil)  // response.json ended the script first
    }

    @Test func formStyleBodyIsCoercedAndDefaulted() throws {
        let out = try runCheckin(method: "POST", body: .object([
            ScriptProperty("weight", .string("182.5")), ScriptProperty("unit", .string("")),
            ScriptProperty("notes", .string("")),
        ]), isCustomer: true)
        #expect(out.json == obj(["ok": .bool(true),
                                 "data": obj(["weight": .number(182.5), "unit": .string("lbs"), "notes": .string("")])]))
        guard case .array(let fields)? = out.crmCall?["fields"] else {
            Issue.record("setCrmFields was not called with fields")
            return
        }
        #expect(fields.count == 3)  // empty notes are not stored
    }

    @Test func invalidCheckInAnswers400WithEveryError() throws {
        let out = try runCheckin(method: "POST", body: .object([
            ScriptProperty("weight", .number(600)), ScriptProperty("unit", .string("stone")),
            ScriptProperty("notes", .string(String(repeating: "x", count: 501))),
        ]), isCustomer: true)
        #expect(out.status == 400)
        #expect(out.json == obj(["ok": .bool(false), "errors": .array([
            .string("weight must be less than or equal to 500"),
            .string("unit must be one of lbs, kg"),
            .string("notes must be at most 500 characters"),
        ])]))
        #expect(out.crmCall == nil)
    }

    @Test func emptyOrMissingBodyReportsTheRequiredField() throws {
        for body in [ScriptValue.null, .object([])] {
            let out = try runCheckin(method: "POST", body: body, isCustomer: true)
            #expect(out.status == 400)
            #expect(out.json == obj(["ok": .bool(false), "errors": .array([.string("weight is required")])]))
        }
        let low = try runCheckin(method: "POST", body: .object([ScriptProperty("weight", .string("abc"))]), isCustomer: true)
        #expect(low.json?["errors"] == .array([.string("weight must be a number")]))
    }

    @Test func visitorsWhoAreNotCustomersGet401() throws {
        let out = try runCheckin(method: "POST", body: .object([ScriptProperty("weight", .number(182))]), isCustomer: false)
        #expect(out.status == 401)
        #expect(out.json == obj(["ok": .bool(false), "error": .string("not authenticated")]))
        #expect(out.crmCall == nil)
    }

    @Test func getRendersThePage() throws {
        let out = try runCheckin(method: "GET", body: .null, isCustomer: false)
        #expect(out.json == nil)
        #expect(out.variables["page_title"] == .string("Weight Check-in"))
    }

    @Test func quickStartExample() throws {
        let schema = """
            Schema.object({
              name: Schema.string().required().max(100),
              email: Schema.string().required().email(),
              weight: Schema.number().required().min(50).max(500)
            })
            """
        let ok = try validate(schema, "{ name: 'Ana', email: 'ana@example.com', weight: '182', role: 'admin' }")
        #expect(ok.valid)
        #expect(ok.value == obj(["name": .string("Ana"), "email": .string("ana@example.com"), "weight": .number(182)]))
        let bad = try validate(schema, "{ email: 'ana', weight: 20 }")
        #expect(bad.errors == ["name is required", "email must be a valid email", "weight must be greater than or equal to 50"])
    }

    @Test func nestedObjectExample() throws {
        let schema = """
            Schema.object({
              user: Schema.object({
                name: Schema.string().required(),
                email: Schema.string().required().email()
              }).required(),
              preferences: Schema.object({
                newsletter: Schema.boolean().default(false),
                theme: Schema.string().valid('light', 'dark').default('light')
              }).default({}),
              tags: Schema.array().items(Schema.string()).max(20).default([])
            })
            """
        let minimal = try validate(schema, "{ user: { name: 'Ana', email: 'ana@example.com' } }")
        #expect(minimal.valid)
        #expect(minimal.value == obj([
            "user": obj(["name": .string("Ana"), "email": .string("ana@example.com")]),
            "preferences": obj([:]),  // the default is inserted as given, not re-validated
            "tags": .array([]),
        ]))
        let full = try validate(schema, """
            { user: { name: 'Ana', email: 'ana@example.com' }, preferences: { newsletter: 'true' }, tags: ['a'] }
            """)
        #expect(full.value["preferences"] == obj(["newsletter": .bool(true), "theme": .string("light")]))
        let bad = try validate(schema, "{ preferences: { theme: 'blue' }, tags: [1] }")
        #expect(bad.errors == ["user is required", "preferences.theme must be one of light, dark", "tags[0] must be a string"])
    }
}
