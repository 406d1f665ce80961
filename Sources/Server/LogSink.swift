#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

import Dispatch
import Synchronization

/// Collects log lines in memory and writes them to a file descriptor in batches.
///
/// A server logs one line per request; writing (and, with `FILE*` streams, flushing) each line
/// is a system call per request, which under load costs more than serving a small page. Lines are
/// appended to a buffer under a short lock and written when the buffer passes `batchBytes`, after
/// at most `delay` otherwise, at once for `urgent` lines (warnings and errors), and on `flush()`.
/// A process killed with `kill -9` loses at most the last `delay` of informational lines.
public final class LogSink: Sendable {
    /// Standard error, shared by every handler that writes there.
    public static let standardError = LogSink(fileDescriptor: 2)

    private struct Pending {
        var bytes: [UInt8] = []
        var flushScheduled = false
    }

    private let fileDescriptor: Int32
    private let batchBytes: Int
    private let delay: DispatchTimeInterval
    private let pending = Mutex(Pending())
    /// Held while writing, so batches reach the descriptor in the order they were taken.
    private let writing = Mutex(())

    /// - Parameters:
    ///   - fileDescriptor: where lines go; the sink does not close it.
    ///   - batchBytes: buffered bytes that trigger an immediate write.
    ///   - delay: the longest an informational line waits in memory.
    public init(fileDescriptor: Int32, batchBytes: Int = 32 * 1024, delay: DispatchTimeInterval = .milliseconds(100)) {
        self.fileDescriptor = fileDescriptor
        self.batchBytes = batchBytes
        self.delay = delay
    }

    /// Queues `line` (which should end with a newline). `urgent` writes it, and everything queued
    /// before it, before returning.
    public func append(_ line: String, urgent: Bool = false) {
        appendLine(urgent: urgent) { bytes in bytes.append(contentsOf: line.utf8) }
    }

    /// Queues a line already formatted as bytes (ending with a newline).
    func append(bytes line: [UInt8], urgent: Bool) {
        appendLine(urgent: urgent) { bytes in bytes.append(contentsOf: line) }
    }

    /// Queues the line `write` appends to the buffer (ending with a newline). `write` runs under
    /// the sink's lock, which every thread that logs takes: it should only copy bytes (format
    /// lines before, so threads do not queue up behind each other's formatting).
    func appendLine(urgent: Bool, _ write: (inout [UInt8]) -> Void) {
        let (full, schedule) = pending.withLock { state -> (Bool, Bool) in
            write(&state.bytes)
            let full = urgent || state.bytes.count >= batchBytes
            let schedule = !full && !state.flushScheduled
            if schedule { state.flushScheduled = true }
            return (full, schedule)
        }
        if full {
            flush()
        } else if schedule {
            DispatchQueue.global().asyncAfter(deadline: .now() + delay) { [weak self] in
                self?.flush()
            }
        }
    }

    /// Writes every queued line now.
    public func flush() {
        writing.withLock { _ in
            var batch = pending.withLock { state -> [UInt8] in
                state.flushScheduled = false
                var taken: [UInt8] = []
                taken.reserveCapacity(batchBytes + 1024)  // the next batch, without regrowing
                swap(&taken, &state.bytes)
                return taken
            }
            guard !batch.isEmpty else { return }
            batch.withUnsafeMutableBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = write(fileDescriptor, raw.baseAddress! + offset, raw.count - offset)
                    if n > 0 {
                        offset += n
                    } else if n < 0 && errno == EINTR {
                        continue
                    } else {
                        return  // the log target is gone; dropping lines beats blocking requests
                    }
                }
            }
        }
    }
}
