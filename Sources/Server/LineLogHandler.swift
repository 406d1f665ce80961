import Logging

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

    let label: String
    let sink: LogSink

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
        var line: [UInt8] = []
        line.reserveCapacity(256)
        self.writeStart(event.level, into: &line)
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line.append(UInt8(ascii: " "))
            line.append(contentsOf: key.utf8)
            line.append(UInt8(ascii: "="))
            line.append(contentsOf: value.description.utf8)
        }
        line.append(contentsOf: " [".utf8)
        line.append(contentsOf: event.source.utf8)
        line.append(contentsOf: "] ".utf8)
        line.append(contentsOf: event.message.description.utf8)
        line.append(UInt8(ascii: "\n"))
        sink.append(bytes: line, urgent: event.level >= .warning)
    }

    /// Time, level and label up to the colon: "2026-11-25T23:30:01.123Z info sluice:".
    func writeStart(_ level: Logger.Level, into line: inout [UInt8]) {
        LogTime.write(into: &line)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: level.rawValue.utf8)
        if !label.isEmpty {
            line.append(UInt8(ascii: " "))
            line.append(contentsOf: label.utf8)
        }
        line.append(UInt8(ascii: ":"))
    }
}
