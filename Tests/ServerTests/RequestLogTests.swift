import Foundation
import Logging
import NIOCore
import SluiceHost
import Synchronization
import Testing
@testable import SluiceServer

/// The server's one line per request: written directly for its own `LineLogHandler`, through
/// swift-log with metadata for any other handler.
@Suite struct RequestLogTests {
    private let entry = RequestLogEntry(
        method: "POST", target: "/weight/checkin?token=secret", status: 303, elapsed: .microseconds(12_034),
        metrics: RequestMetrics(requestID: "r-42", instructions: 123_456, site: "fitness"),
        remoteAddress: "10.0.0.7")

    private func line(from pipe: LineLogHandlerTests.Pipe, sink: LogSink) -> String {
        sink.flush()
        return pipe.available()
    }

    @Test func directLineIsTheLineSwiftLogWouldWrite() throws {
        let directPipe = LineLogHandlerTests.Pipe()
        let directSink = LogSink(fileDescriptor: directPipe.write, delay: .seconds(60))
        let direct = RequestLog(logger: Logger(label: "sluice") { label in
            LineLogHandler(label: label, sink: directSink, metadataProvider: nil)
        })
        // A provider with nothing to add sends the line through `log(event:)`.
        let genericPipe = LineLogHandlerTests.Pipe()
        let genericSink = LogSink(fileDescriptor: genericPipe.write, delay: .seconds(60))
        let generic = RequestLog(logger: Logger(label: "sluice") { label in
            LineLogHandler(label: label, sink: genericSink, metadataProvider: Logger.MetadataProvider { [:] })
        })

        direct.record(entry)
        generic.record(entry)
        let directLine = line(from: directPipe, sink: directSink)
        let genericLine = line(from: genericPipe, sink: genericSink)
        let expected = " info sluice: duration_ms=12.034 instructions=123456 method=POST path=/weight/checkin "
            + "remote=10.0.0.7 request_id=r-42 site=fitness status=303 [SluiceServer] POST /weight/checkin 303\n"
        let stamp = #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"#
        #expect(directLine.range(of: stamp, options: .regularExpression) != nil, "got: \(directLine)")
        #expect(String(directLine.dropFirst(24)) == expected)
        #expect(String(genericLine.dropFirst(24)) == expected)
    }

    @Test func handlerMetadataIsStillMerged() {
        let pipe = LineLogHandlerTests.Pipe()
        let sink = LogSink(fileDescriptor: pipe.write, delay: .seconds(60))
        var logger = Logger(label: "s") { label in LineLogHandler(label: label, sink: sink, metadataProvider: nil) }
        logger[metadataKey: "node"] = "a1"
        RequestLog(logger: logger).record(entry)
        let text = line(from: pipe, sink: sink)
        #expect(text.contains(" info s: duration_ms=12.034 instructions=123456 method=POST node=a1 path=/weight/checkin "),
                "got: \(text)")
    }

    /// Keeps the events it receives.
    struct CapturingHandler: LogHandler {
        final class Events: Sendable {
            let events = Mutex<[(level: Logger.Level, message: String, metadata: Logger.Metadata, source: String)]>([])
        }
        let captured: Events
        var logLevel: Logger.Level = .info
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            captured.events.withLock {
                $0.append((event.level, event.message.description, event.metadata ?? [:], event.source))
            }
        }
    }

    @Test func anyOtherHandlerGetsTheMetadata() throws {
        let captured = CapturingHandler.Events()
        let log = RequestLog(logger: Logger(label: "x") { _ in CapturingHandler(captured: captured) })
        log.record(method: "GET", target: "/a?b=c", status: 200, startedAt: .now(),
                   metrics: RequestMetrics(requestID: "id1", instructions: 7, site: "s"), remoteAddress: "::1")
        let events = captured.events.withLock { $0 }
        try #require(events.count == 1)
        let event = events[0]
        #expect(event.level == .info)
        #expect(event.message == "GET /a 200")
        #expect(event.source == "SluiceServer")
        let text = event.metadata.mapValues(\.description)
        #expect(Set(text.keys) == ["method", "path", "status", "duration_ms", "instructions", "request_id", "site", "remote"])
        #expect(text["path"] == "/a")
        #expect(text["status"] == "200")
        #expect(text["instructions"] == "7")
        #expect(text["request_id"] == "id1")
        #expect(text["site"] == "s")
        #expect(text["remote"] == "::1")
        #expect(text["duration_ms"]?.range(of: #"^\d+\.\d{3}$"#, options: .regularExpression) != nil)
    }

    @Test func belowInfoNothingIsWritten() {
        let pipe = LineLogHandlerTests.Pipe()
        let sink = LogSink(fileDescriptor: pipe.write, delay: .seconds(60))
        var logger = Logger(label: "s") { label in LineLogHandler(label: label, sink: sink, metadataProvider: nil) }
        logger.logLevel = .warning
        RequestLog(logger: logger).record(method: "GET", target: "/", status: 200, startedAt: .now(),
                                          metrics: RequestMetrics(), remoteAddress: "")
        #expect(line(from: pipe, sink: sink).isEmpty)
    }

    @Test func logTimesMatchTheCalendar() {
        for seconds in [0, 951_782_400, 951_868_799, 1_767_225_599, 1_798_761_600, 4_102_444_800, 1_764_110_000] {
            var line: [UInt8] = []
            LogTime.write(seconds: seconds, milliseconds: 7, into: &line)
            var t = time_t(seconds)
            var parts = tm()
            gmtime_r(&t, &parts)
            let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02d.007Z", parts.tm_year + 1900, parts.tm_mon + 1,
                                  parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec)
            #expect(String(decoding: line, as: UTF8.self) == expected)
        }
    }

    @Test func logHelpers() {
        #expect(RequestLog.path(of: "/a/b?token=secret") == "/a/b")
        #expect(RequestLog.path(of: "/plain") == "/plain")
        #expect(RequestLog.milliseconds(.microseconds(12_034)) == "12.034")
        #expect(RequestLog.milliseconds(.nanoseconds(5_000)) == "0.005")
        #expect(RequestLog.milliseconds(.seconds(-1)) == "0.000")
        var digits: [UInt8] = []
        digits.appendDecimal(-42)
        digits.appendDecimal(0)
        digits.appendDecimal(Int.max)
        #expect(String(decoding: digits, as: UTF8.self) == "-420\(Int.max)")
    }
}
