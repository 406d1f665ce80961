import SluiceVM

/// Resolves a page's `import` declarations to compiled modules (reference notes §2.9 and §3 Q6):
/// the normalised specifier ("./app.js" → "app") names a standalone module `modules/app.js`
/// first, else the page with that slug (`pages/app.html` or `pages/app/index.html`), whose
/// backend blocks are the module. At most 10 imports, depth 1 (a module's own imports are not
/// resolved), each module linked once.
enum ModuleLinker {
    static let maxImports = 10

    struct Link {
        let module: CompiledModule
        let program: Program
        /// (exported name in the module, local name in the page).
        let bindings: [(imported: String, local: String)]
    }

    /// "./app.js" → "app", "../utils/helpers" → "utils/helpers"; nil for specifiers that climb or are empty.
    static func normalize(_ specifier: String) -> String? {
        var s = Substring(specifier)
        if s.hasSuffix(".js") { s = s.dropLast(3) }
        while true {
            if s.hasPrefix("./") { s = s.dropFirst(2) } else if s.hasPrefix("../") { s = s.dropFirst(3) } else { break }
        }
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        if s.isEmpty || parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) { return nil }
        return String(s)
    }

    /// Module `name`: `modules/NAME.js`, else the page with that slug (not `pageFile` itself).
    /// The page paths are only built when the standalone module is missing (this runs per request).
    static func resolve(_ name: String, pageFile: String, modulesDirectory: String, pagesDirectory: String,
                        cache: FileCache<CompiledModule>, generation: UInt64?) -> CompiledModule? {
        func compiled(_ file: String) -> CompiledModule? {
            file == pageFile ? nil : cache.value(for: file, generation: generation, build: { CompiledModule(file: file, source: $0) })
        }
        return compiled(modulesDirectory + "/" + name + ".js")
            ?? compiled(pagesDirectory + "/" + name + ".html")
            ?? compiled(pagesDirectory + "/" + name + "/index.html")
    }

    static func link(_ program: Program, pageFile: String, modulesDirectory: String, pagesDirectory: String,
                     cache: FileCache<CompiledModule>, generation: UInt64?) -> Result<[Link], Diagnostic> {
        func failure(_ index: Int, _ message: String) -> Result<[Link], Diagnostic> {
            let position = index < program.importPositions.count ? program.importPositions[index] : (line: 1, column: 1)
            return .failure(Diagnostic(file: pageFile, line: position.line, column: position.column, message: message))
        }
        if program.imports.count > maxImports {
            return failure(maxImports, "too many imports: a page may import at most \(maxImports) modules")
        }
        var links: [Link] = []
        var seen: [String: Int] = [:]
        for (index, declaration) in program.imports.enumerated() {
            guard let name = normalize(declaration.module) else {
                return failure(index, "invalid module specifier \"\(declaration.module)\"")
            }
            for binding in declaration.bindings where binding.imported == "*" {
                _ = binding
                return failure(index, "`import * as` is not supported; import names with { } or a default import")
            }
            if let at = seen[name] {
                let existing = links[at]
                links[at] = Link(module: existing.module, program: existing.program,
                                 bindings: existing.bindings + declaration.bindings)
                continue
            }
            guard let module = resolve(name, pageFile: pageFile, modulesDirectory: modulesDirectory,
                                       pagesDirectory: pagesDirectory, cache: cache, generation: generation) else {
                return failure(index, "module \"\(declaration.module)\" not found (looked for modules/\(name).js and a page with the slug \(name))")
            }
            let moduleProgram: Program
            switch module.program {
            case .success(let p): moduleProgram = p
            case .failure(let d): return .failure(d)
            }
            let exported = Set(moduleProgram.exports.map(\.exported))
            for binding in declaration.bindings where !exported.contains(binding.imported) {
                return failure(index, binding.imported == "default"
                    ? "module \"\(name)\" has no default export"
                    : "module \"\(name)\" does not export \"\(binding.imported)\"")
            }
            seen[name] = links.count
            links.append(Link(module: module, program: moduleProgram, bindings: declaration.bindings))
        }
        return .success(links)
    }
}
