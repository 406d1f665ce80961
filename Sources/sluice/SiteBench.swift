// `sluice bench SITE PATH`: one page's script and template against a synthetic request, no HTTP.

import ArgumentParser
import Foundation
import Logging
import SluiceHost

struct SiteBench {
    let site: String
    let path: String
    let method: String
    let body: String?
    let contentType: String
    let customer: String?
    let data: String?
    let runs: Int
    let verbose: Bool

    func run() throws {
        let dataDirectory = data ?? NSTemporaryDirectory() + "sluice-bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { if data == nil { try? FileManager.default.removeItem(atPath: dataDirectory) } }
        let loaded: Site
        do { loaded = try Site(root: site, dataDirectory: dataDirectory) } catch {
            Output.err("\(error)\n")
            throw ExitCode(Outcome.errorStatus)
        }
        var logger = Logger(label: "sluice.bench")
        logger.logLevel = verbose ? .info : .critical
        let host = SiteHost(sites: [loaded], logger: logger)
        defer { host.drain(); host.close() }
        var headers: [(name: String, value: String)] = [("Host", "localhost"), ("User-Agent", "sluice-bench")]
        if let customer {
            guard let cookie = loaded.signIn(email: customer) else {
                Output.err("sluice: could not sign in as \(customer)\n")
                throw ExitCode(Outcome.errorStatus)
            }
            headers.append(("Cookie", cookie))
        }
        var bodyBytes: [UInt8]? = nil
        if let body {
            bodyBytes = Array(body.utf8)
            headers.append(("Content-Type", contentType))
        }
        let request = IncomingRequest(method: method.uppercased(), target: path, headers: headers, body: bodyBytes,
                                      remoteAddress: "127.0.0.1")
        let first = host.handle(request)
        var times: [Double] = []
        var instructions = 0, peak = 0
        let progress = Progress(total: runs, label: path)
        progress.start()
        for i in 0..<runs {
            progress.runStarted(i)
            let t0 = monotonicSeconds()
            let r = host.handle(request)
            times.append(monotonicSeconds() - t0)
            instructions += r.metrics.instructions
            peak = max(peak, r.metrics.peakHeapBytes)
        }
        progress.stop()
        let mean = times.reduce(0, +) / Double(times.count)
        let sorted = times.sorted()
        func ms(_ s: Double) -> String { String(format: "%.3f ms", s * 1000) }
        let perRun = Double(instructions) / Double(runs)
        var lines: [String] = []
        lines.append("bench \(site) \(method.uppercased()) \(path): \(runs) request\(runs == 1 ? "" : "s") without HTTP")
        lines.append("  first response    status \(first.status), \(first.body.count) bytes")
        lines.append("  request time      \(ms(mean)) mean, \(ms(sorted[0])) best, \(ms(sorted[min(sorted.count - 1, sorted.count * 99 / 100)])) p99")
        lines.append(String(format: "  requests/second   %.1f (one thread)", 1 / max(mean, 1e-9)))
        lines.append(String(format: "  instructions      %.0f per request, %.2f M/s", perRun, perRun / max(mean, 1e-9) / 1e6))
        lines.append("  peak heap         \(ByteCount.format(peak)) (\(peak) bytes)")
        let counts = loaded.runtimeCounts
        lines.append("  runtimes          \(counts.created) created, \(counts.reused) reused, \(counts.dropped) dropped")
        if verbose { lines.append("  body: " + String(decoding: first.body.prefix(2000), as: UTF8.self)) }
        Output.out(lines.joined(separator: "\n") + "\n")
        Output.flush()
    }
}
