import Logging
import NIOCore
import SluiceHost

/// Writes the server's one line per request.
struct RequestLog: Sendable {
    let logger: Logger

    /// Logs one answered request at `info`. Fields are metadata so log handlers can emit them
    /// as structured data; the query string is left out because it may carry secrets.
    func record(method: String, target: String, status: Int, startedAt: NIODeadline,
                metrics: RequestMetrics, remoteAddress: String) {
        guard self.logger.logLevel <= .info else { return }
        let path = RequestLog.path(of: target)
        let duration = RequestLog.milliseconds(NIODeadline.now() - startedAt)
        self.logger.info(
            "\(method) \(path) \(status)",
            metadata: [
                "method": .string(method),
                "path": .string(path),
                "status": .stringConvertible(status),
                "duration_ms": .string(duration),
                "instructions": .stringConvertible(metrics.instructions),
                "request_id": .string(metrics.requestID),
                "site": .string(metrics.site),
                "remote": .string(remoteAddress),
            ],
            source: "SluiceServer")  // named, so handlers need not derive it from #fileID per line
    }

    /// The target without its query string.
    static func path(of target: String) -> String {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return target }
        return String(target[..<mark])
    }

    /// A duration as milliseconds with three decimals, e.g. "12.034".
    static func milliseconds(_ elapsed: TimeAmount) -> String {
        let micros = max(0, elapsed.nanoseconds / 1000)
        let fraction = micros % 1000
        let padded = fraction < 10 ? "00\(fraction)" : fraction < 100 ? "0\(fraction)" : "\(fraction)"
        return "\(micros / 1000).\(padded)"
    }
}
