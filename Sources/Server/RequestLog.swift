import Logging
import NIOCore
import SluiceHost

/// Writes the server's one line per request.
struct RequestLog: Sendable {
    let logger: Logger
    /// The logger's handler when it is a `LineLogHandler` that can write request lines directly
    /// (see `LineLogHandler.writeRequestLine`); any other handler gets the swift-log event with
    /// its metadata. The logger cannot change after the server is made, so this is decided once.
    private let directLines: DirectLines?

    /// Holds the handler by reference, so recording a line does not copy the handler's fields
    /// (label, sink, metadata, provider) with their reference counts.
    private final class DirectLines: Sendable {
        let handler: LineLogHandler
        init(_ handler: LineLogHandler) { self.handler = handler }
    }

    /// Source of request lines: named, so handlers need not derive it from #fileID per line.
    static let source = "SluiceServer"

    init(logger: Logger) {
        self.logger = logger
        if let handler = logger.handler as? LineLogHandler, handler.writesRequestLinesDirectly {
            self.directLines = DirectLines(handler)
        } else {
            self.directLines = nil
        }
    }

    /// Logs one answered request at `info`. Fields are metadata so log handlers can emit them
    /// as structured data; the query string is left out because it may carry secrets.
    func record(method: String, target: String, status: Int, startedAt: NIODeadline,
                metrics: RequestMetrics, remoteAddress: String) {
        guard self.logger.logLevel <= .info else { return }
        self.record(RequestLogEntry(method: method, target: target, status: status,
                                    elapsed: NIODeadline.now() - startedAt, metrics: metrics,
                                    remoteAddress: remoteAddress))
    }

    /// Logs `entry` at `info` (the caller checked the level).
    func record(_ entry: RequestLogEntry) {
        if let directLines {
            directLines.handler.writeRequestLine(entry)
            return
        }
        let path = RequestLog.path(of: entry.target)
        self.logger.info(
            "\(entry.method) \(path) \(entry.status)",
            metadata: [
                "method": .string(entry.method),
                "path": .string(path),
                "status": .stringConvertible(entry.status),
                "duration_ms": .string(RequestLog.milliseconds(entry.elapsed)),
                "instructions": .stringConvertible(entry.metrics.instructions),
                "request_id": .string(entry.metrics.requestID),
                "site": .string(entry.metrics.site),
                "remote": .string(entry.remoteAddress),
            ],
            source: RequestLog.source)
    }

    /// The target without its query string.
    static func path(of target: String) -> String {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return target }
        return String(target[..<mark])
    }

    /// Appends the target without its query string.
    static func appendPath(of target: String, to line: inout [UInt8]) {
        let utf8 = target.utf8
        if let mark = utf8.firstIndex(of: UInt8(ascii: "?")) {
            line.append(contentsOf: utf8[..<mark])
        } else {
            line.append(contentsOf: utf8)
        }
    }

    /// A duration as milliseconds with three decimals, e.g. "12.034".
    static func milliseconds(_ elapsed: TimeAmount) -> String {
        var text: [UInt8] = []
        appendMilliseconds(elapsed, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends a duration as milliseconds with three decimals, e.g. "12.034".
    static func appendMilliseconds(_ elapsed: TimeAmount, to line: inout [UInt8]) {
        let micros = max(0, elapsed.nanoseconds / 1000)
        line.appendDecimal(Int(micros / 1000))
        line.append(UInt8(ascii: "."))
        LogTime.appendDigits(Int(micros % 1000), width: 3, to: &line)
    }
}
