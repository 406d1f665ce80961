import Foundation
import Testing
@testable import SluiceHost

/// The page runtime pool on real pages: the example site's pages leave their runtime reusable by
/// the cheap check (no builtin written), and a page that patches a builtin gets its runtime dropped.
@Suite struct PageRuntimePoolReuseTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "sluice-pool-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A site folder under `root` with `site.json` naming it and the given pages (file name to HTML).
    static func writeSite(at root: String, name: String, pages: [String: String]) throws {
        try FileManager.default.createDirectory(atPath: root + "/pages", withIntermediateDirectories: true)
        try #"{ "name": "\#(name)" }"#.write(toFile: root + "/site.json", atomically: true, encoding: .utf8)
        for (file, html) in pages {
            try html.write(toFile: root + "/pages/" + file, atomically: true, encoding: .utf8)
        }
    }

    func request(_ method: String, _ target: String, cookie: String?, body: String? = nil) -> IncomingRequest {
        var headers: [(name: String, value: String)] = [("Host", "localhost")]
        if let cookie { headers.append(("Cookie", cookie)) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return IncomingRequest(method: method, target: target, headers: headers, body: body.map { Array($0.utf8) },
                               remoteAddress: "127.0.0.1")
    }

    @Test func theExampleSitesPagesNeedOnlyTheCheapCheck() throws {
        let data = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let site = try Site(root: Self.packageRoot.appendingPathComponent("Examples/fitness").path, dataDirectory: data)
        let host = SiteHost(sites: [site])
        defer { host.drain(); host.close() }
        let cookie = try #require(site.signIn(email: "pool@example.com"))
        for _ in 0..<3 {
            #expect(host.handle(request("GET", "/dashboard", cookie: cookie)).status == 200)
            #expect(host.handle(request("POST", "/weight/checkin", cookie: cookie,
                                        body: #"{"weight":182,"unit":"lbs"}"#)).status == 200)
            #expect(host.handle(request("GET", "/weight/checkin?x=1", cookie: nil)).status == 200)
        }
        let counts = site.runtimeCounts
        #expect(counts.reused >= 8)
        #expect(counts.dropped == 0)
        #expect(counts.fullyCompared == 0)
    }

    @Test func aPageThatPatchesABuiltinHasItsRuntimeDropped() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.writeSite(at: root, name: "Patch", pages: ["index.html": """
            <script scope="backend">
              setVariable('before', typeof Array.prototype.sum);
              if (request.query.patch) Array.prototype.sum = function () { return 1; };
              if (request.query.touch) Math.max = Math.max;
            </script>
            <p>{{ var.before }}</p>
            """])
        let site = try Site(root: root, dataDirectory: root + "/data")
        let host = SiteHost(sites: [site])
        defer { host.drain(); host.close() }
        func body(_ target: String) -> String {
            String(decoding: host.handle(request("GET", target, cookie: nil)).body, as: UTF8.self)
        }
        #expect(body("/").contains("undefined"))
        #expect(body("/?touch=1").contains("undefined"))
        // Written but unchanged: compared fully, found as recorded, reused.
        #expect(site.runtimeCounts.fullyCompared == 1)
        #expect(site.runtimeCounts.dropped == 0)
        #expect(body("/?patch=1").contains("undefined"))
        #expect(site.runtimeCounts.dropped == 1)
        #expect(body("/").contains("undefined"), "the patched runtime must not serve again")
    }

    /// `request` and `query` are built when first read: a reused runtime must show each request
    /// its own, frozen, with `query` the same object as `request.query`, also after a run that
    /// never read them.
    @Test func aReusedRuntimeShowsEachRequestItsOwnRequestObject() throws {
        let root = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.writeSite(at: root, name: "Lazy", pages: [
            "index.html": """
                <script scope="backend">
                  var r = request;
                  request.extra = 1;
                  setVariable('seen', [r.path, r.query.n || '-', query === r.query, r === request,
                                       Object.isFrozen(r), Object.isFrozen(r.query), String(r.extra)].join(' '));
                </script>
                <p>{{ var.seen }}</p>
                """,
            "other.html": """
                <script scope="backend">setVariable('seen', 'no request read');</script>
                <p>{{ var.seen }}</p>
                """,
        ])
        let site = try Site(root: root, dataDirectory: root + "/data")
        let host = SiteHost(sites: [site])
        defer { host.drain(); host.close() }
        func body(_ target: String) -> String {
            String(decoding: host.handle(request("GET", target, cookie: nil)).body, as: UTF8.self)
        }
        #expect(body("/?n=1").contains("/ 1 true true true true undefined"))
        #expect(body("/?n=2").contains("/ 2 true true true true undefined"))
        #expect(body("/other?n=3").contains("no request read"))
        #expect(body("/").contains("/ - true true true true undefined"))
        #expect(site.runtimeCounts.reused >= 3)
        #expect(site.runtimeCounts.dropped == 0)
    }
}
