import Foundation
import Logging
import SluiceServer
import Testing

/// The server's log handler: StreamLogHandler's line layout, informational lines batched,
/// warnings written at once.
@Suite struct LineLogHandlerTests {
    /// A pipe whose read end is drained without blocking.
    final class Pipe {
        let read: Int32
        let write: Int32
        init() {
            var fds: [Int32] = [0, 0]
            _ = pipe(&fds)
            read = fds[0]
            write = fds[1]
            _ = fcntl(read, F_SETFL, fcntl(read, F_GETFL) | O_NONBLOCK)
        }
        deinit { close(read); close(write) }
        func available() -> String {
            var out: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = buffer.withUnsafeMutableBytes { Glibc.read(read, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                out += buffer[0..<n]
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    @Test func linesHaveTimeLevelLabelSortedMetadataSourceAndMessage() throws {
        let pipe = Pipe()
        let sink = LogSink(fileDescriptor: pipe.write, delay: .seconds(60))
        var logger = Logger(label: "sluice") { label in LineLogHandler(label: label, sink: sink, metadataProvider: nil) }
        logger[metadataKey: "site"] = "fitness"
        logger.info("GET /dashboard 200", metadata: ["status": "200", "method": "GET"])
        #expect(pipe.available().isEmpty, "informational lines wait for the batch")
        sink.flush()
        let line = pipe.available()
        let pattern = #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info sluice: method=GET site=fitness status=200 \[\w+\] GET /dashboard 200\n$"#
        #expect(line.range(of: pattern, options: .regularExpression) != nil, "got: \(line)")
    }

    @Test func warningsAreWrittenAtOnceWithEverythingBeforeThem() {
        let pipe = Pipe()
        let sink = LogSink(fileDescriptor: pipe.write, delay: .seconds(60))
        let logger = Logger(label: "t") { label in LineLogHandler(label: label, sink: sink, metadataProvider: nil) }
        logger.info("first")
        logger.error("second")
        let lines = pipe.available().split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasSuffix("first") == true)
        #expect(lines.last?.contains(" error t: ") == true && lines.last?.hasSuffix("second") == true)
    }

    @Test func batchesAreWrittenWhenFullOrAfterTheDelay() throws {
        let pipe = Pipe()
        let sink = LogSink(fileDescriptor: pipe.write, batchBytes: 1_000, delay: .milliseconds(50))
        let logger = Logger(label: "t") { label in LineLogHandler(label: label, sink: sink, metadataProvider: nil) }
        for i in 0..<30 { logger.info("line \(i) with some padding to fill the batch") }
        let early = pipe.available()
        #expect(early.utf8.count >= 1_000, "a full batch is written without waiting")
        logger.info("last")
        let deadline = Date().addingTimeInterval(5)
        var rest = ""
        while !rest.contains("last"), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            rest += pipe.available()
        }
        #expect(rest.hasSuffix("last\n"), "the delayed flush writes the tail")
        #expect((early + rest).split(separator: "\n").count == 31)
    }
}
