import Foundation
import Logging
import SluiceHost
import SluiceServer

/// A real Sluice server for one test: sites on disk, SQLite data in a fresh temporary folder, an
/// HTTP server on a free loopback port.
final class TestServer {
    let server: HTTPServer
    let siteHost: SiteHost
    let port: Int
    let dataDirectory: String

    init(sites: [String], dev: Bool = false, workers: Int = 4) throws {
        dataDirectory = TestServer.temporaryDirectory("data")
        var loaded: [Site] = []
        for path in sites {
            let code = URL(fileURLWithPath: path).lastPathComponent
            loaded.append(try Site(root: path, dataDirectory: dataDirectory + "/" + code))
        }
        var logger = Logger(label: "sluice.test")
        logger.logLevel = .critical
        siteHost = SiteHost(sites: loaded, devMode: dev, logger: logger)
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        configuration.workerThreads = workers
        server = HTTPServer(configuration: configuration, handler: siteHost, logger: logger)
        port = try server.start().port
    }

    func stop() {
        server.shutdown()
        siteHost.drain()
        siteHost.close()
    }

    deinit { stop() }

    func client(host: String = "localhost") -> TestHTTPClient { TestHTTPClient(port: port, host: host) }

    /// The example site shipped in Examples/fitness.
    static var exampleSite: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Examples/fitness").path
    }

    static func temporaryDirectory(_ tag: String) -> String {
        let path = NSTemporaryDirectory() + "sluice-e2e-\(tag)-\(getpid())-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes a site folder from relative paths to contents; returns its path.
    static func makeSite(_ files: [String: String], name: String = "Test Site", extraConfig: String = "") -> String {
        let root = temporaryDirectory("site")
        var all = files
        if all["site.json"] == nil {
            all["site.json"] = """
                { "name": "\(name)"\(extraConfig.isEmpty ? "" : ", " + extraConfig),
                  "crm": { "entities": [ { "slug": "notes", "name": "Notes",
                    "fields": [ { "key": "text", "type": "text" } ],
                    "pipelines": [ { "slug": "flow", "name": "Flow", "stages": [ { "slug": "a" }, { "slug": "b" } ] } ] } ] } }
                """
        }
        try? FileManager.default.createDirectory(atPath: root + "/pages", withIntermediateDirectories: true)
        for (path, text) in all {
            let full = root + "/" + path
            try? FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                     withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: full, contents: Data(text.utf8))
        }
        return root
    }
}

/// Parses a JSON response body for assertions.
func json(_ response: TestHTTPClient.Response) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
}
