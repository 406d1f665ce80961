import Foundation
import SluiceCompiler
import SluiceVM
import Testing
@testable import SluiceHost

/// The CRM part of a site.json used by the CRM tests: the origin page's entity plus the ones its
/// examples name (`quiz-tracker`, `sales-leads`), and `quiz` for the reassign flow.
let testSiteCRM = """
    { "entities": [
      { "slug": "pattern-tracker", "name": "Pattern tracker",
        "fields": [ { "key": "current_weight", "type": "number" } ],
        "pipelines": [ { "slug": "sales", "name": "Sales",
                         "stages": [ { "slug": "new" }, { "slug": "qualified" }, { "slug": "proposal-sent" } ] } ] },
      { "slug": "quiz-tracker" },
      { "slug": "sales-leads",
        "pipelines": [ { "slug": "sales", "stages": [ { "slug": "new" }, { "slug": "won", "status": "won" } ] },
                       { "slug": "support", "stages": [ { "slug": "new" }, { "slug": "open" } ] } ] },
      { "slug": "quiz" }
    ] }
    """

/// A site database in a temp folder, and a way to run scripts against it with the CRM (and
/// optionally the session) bindings installed.
final class CRMHarness {
    let folder: TemporaryFolder
    let path: String
    let config: CRMConfig
    private(set) var storage: SiteStorage
    let queue = CRMWriteQueue()

    init(crm: String = testSiteCRM, folder: TemporaryFolder = TemporaryFolder(), file: String = "site.sqlite") throws {
        self.folder = folder
        path = folder.file(file)
        config = try CRMConfig(json: JSONText.parse(crm))
        storage = try SiteStorage(path: path, crmConfig: config)
    }

    var store: CRMStore { storage.crm }

    /// Closes the database and opens it again (a server restart).
    func reopen() throws {
        queue.drain()
        storage.close()
        storage = try SiteStorage(path: path, crmConfig: config)
    }

    /// A request context for `customer` (nil: anonymous) with these session values.
    func context(customer: String? = nil, session: [String: ScriptValue] = [:]) -> CRMRequestContext {
        CRMRequestContext(store: storage.crm, customerID: customer, sessionValues: session, writeQueue: queue)
    }

    /// Runs `source` as a page script; returns its completion value or the ScriptError.
    func outcome(_ source: String, context: CRMRequestContext, sessionContext: SessionRequestContext? = nil,
                 limits: Limits = Limits(instructions: 100_000_000, heapBytes: 16 << 20,
                                         wallClockMilliseconds: 30_000)) throws -> Result<ScriptValue, ScriptError> {
        let program = try Compiler.compile(source: source, name: "page.js", options: .functionBody)
        let rt = Runtime()
        try CRMBinding.install(into: rt, context: context)
        if let sessionContext {
            try SessionBinding.install(into: rt, context: sessionContext)
            try SessionBinding.installCustomerGlobals(into: rt, context: sessionContext)
        }
        let result = rt.run(program, limits: limits)
        context.submitDeferredWrites()
        switch result {
        case .success(let v): return .success(rt.scriptValue(from: v))
        case .failure(let e): return .failure(e)
        }
    }

    /// Runs `source` for `customer` and returns its value; an uncaught error is a test failure.
    @discardableResult
    func run(_ source: String, customer: String? = nil, session: [String: ScriptValue] = [:],
             sourceLocation: SourceLocation = #_sourceLocation) throws -> ScriptValue {
        switch try outcome(source, context: context(customer: customer, session: session)) {
        case .success(let v): return v
        case .failure(let e):
            Issue.record("script failed: \(e)", sourceLocation: sourceLocation)
            return .undefined
        }
    }

    /// `run`, then the result's JSON text.
    func json(_ source: String, customer: String? = nil, session: [String: ScriptValue] = [:],
              sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try run(source, customer: customer, session: session, sourceLocation: sourceLocation).jsonText
    }

    /// Runs `source` expecting an uncaught exception; returns it (nil, and a test failure, otherwise).
    func uncaught(_ source: String, customer: String? = nil,
                  sourceLocation: SourceLocation = #_sourceLocation) throws -> ScriptException? {
        switch try outcome(source, context: context(customer: customer)) {
        case .failure(.uncaught(let e)): return e
        case let other:
            Issue.record("expected an uncaught error, got \(other)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// Entries of `slug` for a reference, straight from the store.
    func entries(_ slug: String, _ type: String = "customer", id: String) throws -> [CRMEntry] {
        try store.entries(slug: slug, reference: CRMReference(type: type, id: id)!, limit: 200)
    }

    /// Every entry row in the database.
    func totalEntries() throws -> Int {
        try storage.database.read { (c) throws(SQLiteError) in try c.queryFirst("SELECT count(*) FROM crm_entries")?.int(0) ?? 0 }
    }
}

extension ScriptValue {
    /// Parses JSON text (test shorthand).
    static func json(_ text: String) -> ScriptValue { (try? JSONText.parse(text)) ?? .undefined }
}
