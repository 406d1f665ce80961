#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

import Logging
import Synchronization

/// A swift-log handler writing one text line per event through a `LogSink`:
///
///     2026-11-25T23:30:01.123Z info sluice: duration_ms=0.210 method=GET path=/dashboard status=200 [SluiceServer] GET /dashboard 200
///
/// The layout is `StreamLogHandler`'s (time, level, label, metadata sorted by key, source,
/// message) with UTC times to the millisecond. Unlike `StreamLogHandler` it does not format a
/// local time or flush a stream per line: informational lines are batched by the sink, warnings
/// and worse are written before `log` returns.
public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let sink: LogSink

    /// A handler for `label` writing to `sink` (standard error by default).
    public init(label: String, sink: LogSink = .standardError,
                metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.label = label
        self.sink = sink
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = event.metadata ?? [:]
        // Merging only when there is something to merge: a request line carries its metadata
        // explicitly, and copying it into a fresh dictionary cost more than formatting it.
        // Precedence as in swift-log: explicit over the metadata provider over the handler's own.
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            merged.merge(provided, uniquingKeysWith: { explicit, _ in explicit })
        }
        if !metadata.isEmpty { merged.merge(metadata, uniquingKeysWith: { stronger, _ in stronger }) }
        var line = LineLogHandler.clock.now()
        line.reserveCapacity(200)
        line += " "
        line += event.level.rawValue
        if !label.isEmpty {
            line += " "
            line += label
        }
        line += ":"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += " "
            line += key
            line += "="
            line += value.description
        }
        line += " ["
        line += event.source
        line += "] "
        line += event.message.description
        line += "\n"
        sink.append(line, urgent: event.level >= .warning)
    }

    private static let clock = LogClock()
}

/// UTC times as "2026-11-25T23:30:01.123Z"; the part up to the seconds is formatted once a second.
final class LogClock: Sendable {
    private let cache = Mutex<(second: Int, prefix: String)>((-1, ""))

    func now() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let second = Int(now.tv_sec)
        var text = cache.withLock { cache in
            if cache.second != second { cache = (second, LogClock.formatSeconds(second)) }
            return cache.prefix
        }
        let millis = Int(now.tv_nsec / 1_000_000)
        text += millis < 10 ? ".00" : millis < 100 ? ".0" : "."
        text += String(millis)
        text += "Z"
        return text
    }

    /// "2026-11-25T23:30:01" for seconds since the Unix epoch.
    static func formatSeconds(_ seconds: Int) -> String {
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        func digits(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return digits(parts.tm_year + 1900, 4) + "-" + digits(parts.tm_mon + 1, 2) + "-" + digits(parts.tm_mday, 2)
            + "T" + digits(parts.tm_hour, 2) + ":" + digits(parts.tm_min, 2) + ":" + digits(parts.tm_sec, 2)
    }
}
