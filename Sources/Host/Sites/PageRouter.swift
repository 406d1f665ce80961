#if canImport(Glibc)
import Glibc
#endif

/// Maps URL paths to page files under `pages/`: exact paths first, then `{param}` wildcard pages
/// (the most literal segments win). The table is rebuilt from disk when the site's watcher saw a
/// change (or, without one, at most once a second), so new and removed pages are noticed without
/// a restart.
final class PageRouter: @unchecked Sendable {
    struct Match {
        let file: String
        /// Wildcard values by placeholder name; nil for an exact page.
        let params: [(key: String, value: String)]?
        /// The site watcher's counter read for this match (nil without a watcher): the request's
        /// other file lookups use it instead of asking the kernel again.
        var generation: UInt64? = nil
    }

    private struct WildcardRoute {
        let segments: [Segment]
        let file: String
        var literalCount: Int { segments.filter { if case .literal = $0 { return true } else { return false } }.count }
    }

    private enum Segment {
        case literal(String)
        case param(String)
    }

    let pagesDirectory: String
    private let lock = HostLock()
    private var exact: [String: String] = [:]
    private var wildcards: [WildcardRoute] = []
    private let watcher: FileChangeWatcher?
    /// When the table was built: the watcher's counter, or monotonic nanoseconds without a watcher.
    private var scannedAt: UInt64 = 0
    static let rescanInterval: UInt64 = 1_000_000_000

    init(pagesDirectory: String, watcher: FileChangeWatcher? = nil) {
        self.pagesDirectory = pagesDirectory
        self.watcher = watcher
    }

    /// Every page file (absolute paths), for `sluice check`.
    func allPageFiles() -> [String] {
        var files: [String] = []
        FileSystem.walk(pagesDirectory) { path in if path.hasSuffix(".html") { files.append(path) } }
        return files.sorted()
    }

    func match(_ path: String) -> Match? {
        let generation = watcher?.generation()
        return lock.withLock {
            if let generation {
                if scannedAt != generation {
                    rescan()
                    scannedAt = generation
                }
            } else {
                let now = FileSystem.monotonicNanos()
                if scannedAt == 0 || now &- scannedAt > PageRouter.rescanInterval {
                    rescan()
                    scannedAt = now
                }
            }
            let key = PageRouter.normalize(path)
            if let file = exact[key] { return Match(file: file, params: nil, generation: generation) }
            let parts = key.split(separator: "/").map(String.init)
            for route in wildcards where route.segments.count == parts.count {
                var params: [(key: String, value: String)] = []
                var ok = true
                for (segment, part) in zip(route.segments, parts) {
                    switch segment {
                    case .literal(let l): if l != part { ok = false }
                    case .param(let name): params.append((name, part))
                    }
                    if !ok { break }
                }
                if ok { return Match(file: route.file, params: params, generation: generation) }
            }
            return nil
        }
    }

    /// "/a/b/" → "/a/b"; "" → "/".
    static func normalize(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p.isEmpty ? "/" : p
    }

    private func rescan() {
        var exact: [String: String] = [:]
        var wildcards: [WildcardRoute] = []
        let prefix = pagesDirectory.hasSuffix("/") ? pagesDirectory : pagesDirectory + "/"
        FileSystem.walk(pagesDirectory) { file in
            guard file.hasSuffix(".html"), file.hasPrefix(prefix) else { return }
            var relative = String(file.dropFirst(prefix.count).dropLast(5))
            if relative == "index" { relative = "" } else if relative.hasSuffix("/index") { relative.removeLast(6) }
            let parts = relative.split(separator: "/").map(String.init)
            let segments = parts.map { part -> Segment in
                if part.hasPrefix("{"), part.hasSuffix("}"), part.count > 2 { return .param(String(part.dropFirst().dropLast())) }
                return .literal(part)
            }
            if segments.contains(where: { if case .param = $0 { return true } else { return false } }) {
                wildcards.append(WildcardRoute(segments: segments, file: file))
            } else {
                exact["/" + parts.joined(separator: "/")] = file
            }
        }
        wildcards.sort { a, b in
            a.literalCount != b.literalCount ? a.literalCount > b.literalCount : a.file < b.file
        }
        self.exact = exact
        self.wildcards = wildcards
    }
}
