// Shared helpers of the command-line tool: reading sources, compiling, output streams, threads
// with big stacks, byte-count arguments, and how run outcomes map to messages and exit codes.

import ArgumentParser
import Foundation
import SluiceCompiler
import SluiceVM

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Compiling

enum ScriptCompiler {
    /// Compiles `source` (the one entry point every subcommand uses).
    static func compile(source: String, name: String, options: CompileOptions) throws(SyntaxError) -> Program {
        try Compiler.compile(source: source, name: name, options: options)
    }
}

// MARK: - Files

enum SourceFile {
    /// Reads a file as UTF-8 text (a leading byte-order mark is dropped; invalid sequences become U+FFFD).
    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ToolError("cannot read \(path)")
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }
}

/// An error of the tool itself (bad arguments, unreadable files): printed as `sluice: message`.
struct ToolError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

// MARK: - Output

enum Output {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var buffer: [UInt8] = []
    nonisolated(unsafe) private static var registered = false
    private static let stdoutIsTTY = isatty(STDOUT_FILENO) != 0

    /// Writes to stdout through a buffer (many console.log lines stay cheap); line-buffered on a
    /// terminal, flushed at exit and before anything goes to stderr.
    static func out(_ s: String) {
        lock.lock()
        defer { lock.unlock() }
        if !registered {
            registered = true
            atexit { Output.flush() }
        }
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 || (stdoutIsTTY && buffer.last == 10) { flushLocked() }
    }

    static func flush() {
        lock.lock()
        defer { lock.unlock() }
        flushLocked()
    }

    private static func flushLocked() {
        writeAll(STDOUT_FILENO, buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }

    /// Writes to stderr (unbuffered), after flushing stdout so the two streams interleave in order.
    static func err(_ s: String) {
        lock.lock()
        defer { lock.unlock() }
        flushLocked()
        writeAll(STDERR_FILENO, Array(s.utf8))
    }

    static var stderrIsTTY: Bool { isatty(STDERR_FILENO) != 0 }

    /// A console printer for `installConsole`: log/info/debug to stdout, warn/error to stderr.
    static func consolePrinter(quiet: Bool) -> (String, String) -> Void {
        if quiet { return { _, _ in } }
        return { level, text in
            if level == "warn" || level == "error" {
                Output.err(text + "\n")
            } else {
                Output.out(text + "\n")
            }
        }
    }
}

// MARK: - Outcomes

enum Outcome {
    /// Exit status for an uncaught error or a syntax error.
    static let errorStatus: Int32 = 1
    /// Exit status for a budget overrun.
    static let budgetStatus: Int32 = 2

    /// `FILE:LINE:COL: Name: message` followed by the stack's `at` lines.
    static func describe(_ e: ScriptException, fallbackFile: String) -> String {
        var head = e.description
        if e.line == 0 { head = "\(fallbackFile): " + head }
        var text = head + "\n"
        let stackLines = e.stack.split(separator: "\n", omittingEmptySubsequences: true)
        for line in stackLines where line.hasPrefix(" ") || line.hasPrefix("\t") {
            text += String(line) + "\n"
        }
        return text
    }

    /// `sluice: instruction budget exceeded (N instructions)` and the like.
    static func describe(_ kind: BudgetKind, limits: Limits) -> String {
        switch kind {
        case .instructions:
            let n = limits.instructions.map { "\($0) instructions" } ?? "no limit set"
            return "sluice: instruction budget exceeded (\(n))"
        case .memory:
            let n = limits.heapBytes.map { "\($0) bytes" } ?? "no limit set"
            return "sluice: memory budget exceeded (\(n))"
        case .time:
            let n = limits.wallClockMilliseconds.map { "\($0) ms" } ?? "no limit set"
            return "sluice: time budget exceeded (\(n))"
        case .cancelled:
            return "sluice: script cancelled"
        }
    }
}

// MARK: - Byte counts

/// A byte count argument: `8388608`, `8M`, `8MiB`, `512k`, `1G` (binary multiples).
struct ByteCount: ExpressibleByArgument, Sendable {
    let bytes: Int

    init(bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        let s = argument.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = s.prefix { $0.isNumber }
        guard !digits.isEmpty, let n = Int(digits) else { return nil }
        let unit = s.dropFirst(digits.count)
        let shift: Int
        switch unit {
        case "", "b": shift = 0
        case "k", "kb", "kib": shift = 10
        case "m", "mb", "mib": shift = 20
        case "g", "gb", "gib": shift = 30
        default: return nil
        }
        guard n <= Int.max >> shift else { return nil }
        bytes = n << shift
    }

    static func format(_ bytes: Int) -> String {
        if bytes >= 1 << 20 { return String(format: "%.2f MiB", Double(bytes) / 1048576) }
        if bytes >= 1 << 10 { return String(format: "%.1f KiB", Double(bytes) / 1024) }
        return "\(bytes) B"
    }
}

// MARK: - Threads

/// A mutable reference that may cross threads; the code using it provides the synchronisation
/// (a thread join, a lock).
final class UnsafeBox<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

enum BigStack {
    /// Default stack for threads that run scripts: deep recursion tests and debug builds need more
    /// than the 8 MiB of the main thread.
    static let defaultSize = 64 << 20

    /// Starts `body` on a new detached thread with a stack of `size` bytes.
    static func spawn(stackSize size: Int = defaultSize, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread { body() }
        thread.stackSize = size
        thread.start()
    }

    /// Runs `body` on a thread with a big stack and waits for its result.
    static func run<T>(stackSize size: Int = defaultSize, _ body: @escaping () -> T) -> T {
        let result = UnsafeBox<T?>(nil)
        let work = UnsafeBox(body)
        let done = DispatchSemaphore(value: 0)
        spawn(stackSize: size) {
            result.value = work.value()
            done.signal()
        }
        done.wait()
        return result.value!
    }
}

/// Seconds on a monotonic clock.
func monotonicSeconds() -> Double {
    Double(Runtime.monotonicNanos()) / 1e9
}
