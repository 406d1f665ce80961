import SluiceVM

/// A site folder's files: `site.json`, routes, and the compiled pages and modules (no data).
public final class SiteFiles: @unchecked Sendable {
    /// The folder, without a trailing slash.
    public let root: String
    public let config: SiteConfig
    /// Short name used in logs and the default data folder (the folder's last component).
    public let code: String
    let router: PageRouter
    /// Moves when anything under pages/ or modules/ changes, so per-request checks skip `stat`.
    let watcher: FileChangeWatcher
    let pages: FileCache<CompiledPage>
    let modules: FileCache<CompiledModule>
    private let linkLock = HostLock()
    private var linkedPages: [String: LinkedPage] = [:]

    /// A page's resolved imports, valid while the watcher's counter stays where it was.
    private struct LinkedPage {
        let page: CompiledPage
        let generation: UInt64
        let links: [ModuleLinker.Link]
    }

    var pagesDirectory: String { root + "/pages" }
    var modulesDirectory: String { root + "/modules" }
    var publicDirectory: String { root + "/public" }
    var configFile: String { root + "/site.json" }

    /// Reads `root/site.json` and checks the folder layout. Errors name the file and line.
    public init(root: String) throws(Diagnostic) {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root
        code = root.split(separator: "/").last.map(String.init) ?? "site"
        let configFile = root + "/site.json"
        guard let text = FileSystem.readText(configFile) else {
            throw Diagnostic(file: configFile, line: 1, column: 1, message: "cannot read site.json (a site folder needs one)")
        }
        do {
            config = try SiteConfig(jsonText: text)
        } catch {
            throw Diagnostic(file: configFile, line: error.line, column: error.column, message: error.message)
        }
        guard FileSystem.isDirectory(root + "/pages") else {
            throw Diagnostic(file: root + "/pages", line: 1, column: 1, message: "the site has no pages/ folder")
        }
        watcher = FileChangeWatcher(trees: [root + "/pages", root + "/modules"], shallow: [root])
        pages = FileCache()
        modules = FileCache()
        router = PageRouter(pagesDirectory: root + "/pages", watcher: watcher)
    }

    /// The compiled page; `generation` as for `FileCache.value`.
    func page(_ file: String, generation: UInt64?) -> CompiledPage? {
        pages.value(for: file, generation: generation) { CompiledPage(file: file, source: $0) }
    }

    /// `program`'s imports linked to their compiled modules. Linking runs once per page version and
    /// is reused until a file under pages/ or modules/ changes (`generation` as for `FileCache.value`).
    func links(for page: CompiledPage, program: Program, generation: UInt64?) -> Result<[ModuleLinker.Link], Diagnostic> {
        if let generation, let hit = linkLock.withLock({ linkedPages[page.file] }),
           hit.page === page, hit.generation == generation {
            return .success(hit.links)
        }
        let result = ModuleLinker.link(program, pageFile: page.file, modulesDirectory: modulesDirectory,
                                       pagesDirectory: pagesDirectory, cache: modules, generation: generation)
        if let generation, case .success(let links) = result {
            linkLock.withLock { linkedPages[page.file] = LinkedPage(page: page, generation: generation, links: links) }
        }
        return result
    }

    /// Compiles every page, template and module and returns every problem found (`sluice check`).
    public func check() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for file in router.allPageFiles() {
            guard let page = page(file, generation: nil) else {
                problems.append(Diagnostic(file: file, line: 1, column: 1, message: "cannot read the page"))
                continue
            }
            if let e = page.scriptError { problems.append(e) }
            if case .failure(let e) = page.template { problems.append(e) }
            if let program = page.program,
               case .failure(let e) = ModuleLinker.link(program, pageFile: file, modulesDirectory: modulesDirectory,
                                                        pagesDirectory: pagesDirectory, cache: modules, generation: nil) {
                problems.append(e)
            }
        }
        FileSystem.walk(modulesDirectory) { file in
            guard file.hasSuffix(".js"),
                  let module = modules.value(for: file, generation: nil, build: { CompiledModule(file: file, source: $0) }) else { return }
            if case .failure(let e) = module.program { problems.append(e) }
        }
        return problems
    }
}

/// A site loaded for serving: its files plus its own database (no other site can reach it).
public final class Site: @unchecked Sendable {
    public let files: SiteFiles
    let services: SiteServices
    let runtimes = PageRuntimePool()
    /// The `brand` value, built once.
    let brandValue: ScriptValue
    public var config: SiteConfig { files.config }
    public var root: String { files.root }
    public var code: String { files.code }

    /// Loads the site and opens its data under `dataDirectory` (default `root/.sluice`).
    public init(root: String, dataDirectory: String? = nil) throws(Diagnostic) {
        files = try SiteFiles(root: root)
        brandValue = Site.brandValue(files)
        services = try SiteServices(config: files.config, configFile: files.configFile,
                                    dataDirectory: dataDirectory ?? files.root + "/.sluice")
    }

    /// The `brand` global and template value: name, code, and whatever `site.json`'s "brand" adds.
    static func brandValue(_ files: SiteFiles) -> ScriptValue {
        var props = [ScriptProperty("name", .string(files.config.name)), ScriptProperty("code", .string(files.code))]
        if case .object(let extra)? = files.config.raw["brand"] {
            for p in extra where p.key != "name" && p.key != "code" { props.append(p) }
        }
        return .object(props)
    }
}

extension Site {
    /// Page runtimes made, reused from the pool, and dropped (dirtied by a script, or surplus), and
    /// runs after which the builtins needed the full comparison (a script wrote to one).
    public var runtimeCounts: (created: Int, reused: Int, dropped: Int, fullyCompared: Int) { runtimes.counts }

    /// Creates a session signed in as the customer with `email` (created if needed) and returns
    /// the `Cookie` header value that carries it. For benchmarks and tests.
    public func signIn(email: String) -> String? {
        let storage = services.storage
        guard let customer = try? storage.customers.findOrCreateCustomer(email: email) else { return nil }
        let session = SessionState(record: storage.sessions.create(), isNew: true)
        session.logIn(customer)
        guard (try? storage.sessions.commit(session)) != nil else { return nil }
        return SiteServices.sessionCookie + "=" + session.id
    }
}
