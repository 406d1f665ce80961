import Logging
import SluiceVM

/// The sites a server serves, as a `RequestHandler`: picks the site by Host, routes the path to a
/// page (or a public file), runs it and logs the outcome. Safe to call from many threads at once.
public final class SiteHost: RequestHandler, @unchecked Sendable {
    public let sites: [Site]
    public let devMode: Bool
    let logger: Logger
    private let requestCounter = HostCounter()
    private let requestPrefix: String

    public init(sites: [Site], devMode: Bool = false, logger: Logger = Logger(label: "sluice")) {
        self.sites = sites
        self.devMode = devMode
        self.logger = logger
        requestPrefix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
    }

    /// With one site, it answers every host; with several, the Host header picks by `hosts`
    /// (falling back to the first site).
    public func site(forHost hostHeader: String?) -> Site? {
        if sites.count <= 1 { return sites.first }
        var host = (hostHeader ?? "").lowercased()
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") { host = String(host[..<colon]) }
        return sites.first { $0.config.hosts.contains(host) } ?? sites.first
    }

    public func handle(_ incoming: IncomingRequest) -> OutgoingResponse {
        let requestID = requestPrefix + "-" + String(requestCounter.next(), radix: 36)
        guard let site = site(forHost: incoming.header("host")) else {
            return tagged(SiteHost.plainResponse(404, "No site"), requestID, nil)
        }
        let request = PageRequest(incoming)
        var response: OutgoingResponse
        let runsPages = ["GET", "HEAD", "POST"].contains(request.method)
        if let match = site.files.router.match(request.path) {
            if runsPages {
                response = PageResponder(site: site, devMode: devMode, logger: logger, requestID: requestID)
                    .respond(to: request, match: match)
            } else {
                response = SiteHost.plainResponse(405, "Method Not Allowed")
                response.headers.append(("Allow", "GET, HEAD, POST"))
            }
        } else if let file = StaticFiles.file(for: request.path, in: site.files.publicDirectory) {
            if request.method == "GET" || request.method == "HEAD" {
                response = StaticFiles.response(file: file) ?? SiteHost.plainResponse(404, "Not Found")
            } else {
                response = SiteHost.plainResponse(405, "Method Not Allowed")
                response.headers.append(("Allow", "GET, HEAD"))
            }
        } else {
            response = SiteHost.plainResponse(404, "Not Found")
        }
        return tagged(response, requestID, site)
    }

    private func tagged(_ r: OutgoingResponse, _ id: String, _ site: Site?) -> OutgoingResponse {
        var r = r
        r.metrics.requestID = id
        r.metrics.site = site?.code ?? ""
        return r
    }

    static func plainResponse(_ status: Int, _ text: String) -> OutgoingResponse {
        OutgoingResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array((text + "\n").utf8))
    }

    static func errorPage(_ status: Int, _ detail: Diagnostic?) -> OutgoingResponse {
        var html = "<!doctype html><title>Error</title><h1>Something went wrong</h1>"
        if let detail { html += "<pre>" + HTMLEscaping.escape(detail.excerpt) + "</pre>" }
        return OutgoingResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8")], body: Array(html.utf8))
    }

    /// Drains queued `async: true` writes of every site (clean shutdown).
    public func drain() {
        for site in sites { site.services.drain() }
    }
}

/// A thread-safe counter for request ids.
final class HostCounter: @unchecked Sendable {
    private let lock = HostLock()
    private var value: UInt64 = 0
    func next() -> UInt64 { lock.withLock { value += 1; return value } }
}

extension SiteHost {
    /// Closes every site's database (after `drain()`, at shutdown).
    public func close() {
        for site in sites { site.services.close() }
    }
}
