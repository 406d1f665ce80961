// `sluice serve SITE...`: serves sites over HTTP until SIGINT/SIGTERM.

import ArgumentParser
import Logging
import SluiceHost
import SluiceServer

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve one or more site folders over HTTP.",
        discussion: """
            With one site, every Host is answered by it; with several, the Host header picks the \
            site by the "hosts" list of its site.json. Each site's data (SQLite, WAL mode) lives in \
            --data/<site folder name>, or SITE/.sluice without --data. Pages and modules are \
            recompiled when their files change. A site whose site.json is broken is reported and \
            skipped; the others are served. SIGINT or SIGTERM stops gracefully: in-flight requests \
            finish and queued async CRM writes are flushed.
            """)

    @ArgumentParser.Argument(help: "Site folders (each with site.json and pages/).")
    var sites: [String]

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Option(help: "Folder for the sites' databases (default: SITE/.sluice).")
    var data: String?

    @Flag(help: "Show script errors to the visitor in a panel with the source line (development only).")
    var dev = false

    @Option(help: "Worker threads that run scripts (default: twice the number of cores, at least 4).")
    var workers: Int?

    @Option(name: .customLong("io-threads"), help: "Event-loop threads for sockets and HTTP parsing (default: number of cores).")
    var ioThreads: Int?

    func run() throws {
        LoggingSystem.bootstrap { label in
            // Batched lines: one write per batch instead of a flushed write per request.
            var handler = LineLogHandler(label: label)
            handler.logLevel = .info
            return handler
        }
        defer { LogSink.standardError.flush() }
        let logger = Logger(label: "sluice")
        var loaded: [Site] = []
        for path in sites {
            let code = path.split(separator: "/").last.map(String.init) ?? "site"
            do {
                loaded.append(try Site(root: path, dataDirectory: data.map { $0 + "/" + code }))
            } catch {
                Output.err("\(error)\n")
                Output.err("sluice: site \(path) not started\n")
            }
        }
        guard !loaded.isEmpty else {
            Output.err("sluice: no site could be started\n")
            throw ExitCode(Outcome.errorStatus)
        }
        let siteHost = SiteHost(sites: loaded, devMode: dev, logger: logger)
        var configuration = HTTPServer.Configuration(host: host, port: port)
        if let workers { configuration.workerThreads = max(1, workers) }
        if let ioThreads { configuration.eventLoopThreads = max(1, ioThreads) }
        let server = HTTPServer(configuration: configuration, handler: siteHost, logger: logger)
        let address: ListeningAddress
        do { address = try server.start() } catch {
            Output.err("sluice: \(error)\n")
            throw ExitCode(Outcome.errorStatus)
        }
        let names = loaded.map { "\($0.config.name) (\($0.root))" }.joined(separator: ", ")
        Output.out("Serving \(names) at \(address.url)\(dev ? " [dev]" : "")\n")
        Output.flush()
        let signal = server.runUntilSignalled()
        siteHost.drain()
        siteHost.close()
        Output.err("sluice: stopped (signal \(signal))\n")
    }
}
