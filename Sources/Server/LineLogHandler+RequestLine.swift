import Logging
import NIOCore
import SluiceHost

/// One answered request, as the server logs it.
struct RequestLogEntry: Sendable {
    var method: String
    var target: String
    var status: Int
    var elapsed: TimeAmount
    var metrics: RequestMetrics
    var remoteAddress: String
}

extension LineLogHandler {
    /// Whether the server's request lines can skip swift-log's metadata dictionary: true when
    /// the handler has no metadata of its own and no provider whose metadata would be merged in.
    var writesRequestLinesDirectly: Bool {
        metadata.isEmpty && metadataProvider == nil
    }

    /// Writes the line `log(event:)` writes for the `info` event `RequestLog` would send: the
    /// same fields in the same (sorted) order, without building a metadata dictionary, sorting it
    /// or making strings. Only when `writesRequestLinesDirectly`.
    func writeRequestLine(_ entry: RequestLogEntry) {
        // Formatted before taking the sink's lock, which every logging thread shares.
        var line: [UInt8] = []
        line.reserveCapacity(200 + entry.target.utf8.count * 2 + entry.metrics.requestID.utf8.count
                             + entry.metrics.site.utf8.count)
        self.writeStart(.info, into: &line)
        // Keys in sorted order, as `log(event:)` orders them.
        line.append(contentsOf: " duration_ms=".utf8)
        RequestLog.appendMilliseconds(entry.elapsed, to: &line)
        line.append(contentsOf: " instructions=".utf8)
        line.appendDecimal(entry.metrics.instructions)
        line.append(contentsOf: " method=".utf8)
        line.append(contentsOf: entry.method.utf8)
        line.append(contentsOf: " path=".utf8)
        RequestLog.appendPath(of: entry.target, to: &line)
        line.append(contentsOf: " remote=".utf8)
        line.append(contentsOf: entry.remoteAddress.utf8)
        line.append(contentsOf: " request_id=".utf8)
        line.append(contentsOf: entry.metrics.requestID.utf8)
        line.append(contentsOf: " site=".utf8)
        line.append(contentsOf: entry.metrics.site.utf8)
        line.append(contentsOf: " status=".utf8)
        line.appendDecimal(entry.status)
        line.append(contentsOf: " [".utf8)
        line.append(contentsOf: RequestLog.source.utf8)
        line.append(contentsOf: "] ".utf8)
        line.append(contentsOf: entry.method.utf8)
        line.append(UInt8(ascii: " "))
        RequestLog.appendPath(of: entry.target, to: &line)
        line.append(UInt8(ascii: " "))
        line.appendDecimal(entry.status)
        line.append(UInt8(ascii: "\n"))
        sink.append(bytes: line, urgent: false)
    }
}
