// `sluice test262 DIR`: runs a test262 folder in parallel and reports the pass rate.

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

struct Test262Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test262",
        abstract: "Run a test262 folder (with manifest.tsv) and report the pass rate.",
        discussion: """
            Follows conformance/test262/README.md: harness/assert.js, harness/sta.js and the \
            includes are prepended (not for raw tests); the source runs as global script code in \
            a fresh runtime per test; negative tests must fail to compile (parse) or throw an \
            error with the expected constructor name (runtime). Each test gets a wall-clock \
            timeout, a 2e9-instruction cap and a 512 MiB heap cap. Tests run on --jobs threads \
            in this process; with --isolate each test runs in a child process, so an engine \
            crash fails only that test. The last line is `test262: P passed, F failed, S skipped` \
            (S: tests left out by --filter).
            """)

    @ArgumentParser.Argument(help: "The test262 folder (holding manifest.tsv, harness/ and test/).")
    var dir: String

    @Option(help: "Run only tests whose path contains this substring (repeatable: any of them).")
    var filter: [String] = []

    @Option(help: "Worker threads or processes (default: the number of cores).")
    var jobs: Int?

    @Flag(help: "Also run tests without noStrict/raw in strict mode (\"use strict\"; prefix).")
    var strict = false

    @Option(name: .customLong("list-failures"), help: "Write the failing paths with their error messages to this file.")
    var listFailures: String?

    @Option(help: "A previous --list-failures file: report tests that fail now but did not fail then.")
    var compare: String?

    @Option(help: "Per-test wall-clock timeout in seconds.")
    var timeout: Double = 10

    @Flag(help: "Print every failure as it happens.")
    var verbose = false

    @Flag(help: "Run each test in a child process (slower; survives engine crashes).")
    var isolate = false

    @Option(help: .hidden)
    var single: String?

    func validate() throws {
        if let j = jobs, j < 1 { throw ValidationError("--jobs must be at least 1") }
        if timeout <= 0 { throw ValidationError("--timeout must be positive") }
    }

    var options: Test262Options {
        var o = Test262Options()
        o.strict = strict
        o.timeoutSeconds = timeout
        return o
    }

    func run() throws {
        let all: [Test262Test]
        do { all = try Test262Test.loadManifest(dir, only: single) } catch {
            Output.err("sluice: \(error)\n")
            throw ExitCode(Outcome.errorStatus)
        }
        if let single { try runSingle(single, in: all) }

        let selected = filter.isEmpty ? all : all.filter { t in filter.contains { t.path.contains($0) } }
        let skipped = all.count - selected.count
        let workers = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        let mode = (strict ? "strict mode" : "non-strict mode") + (isolate ? ", one process per test" : "")
        Output.err("test262: \(selected.count) tests from \(dir) on \(workers) worker\(workers == 1 ? "" : "s") (\(mode))\n")

        let started = monotonicSeconds()
        let pool = Test262Pool(tests: selected, dir: dir, options: options, workers: workers,
                               isolate: isolate, verbose: verbose)
        let outcomes = pool.runAll()
        let elapsed = monotonicSeconds() - started
        try report(selected: selected, outcomes: outcomes, skipped: skipped, total: all.count, elapsed: elapsed)
    }

    /// `--single PATH`: the child side of --isolate. Prints `PASS` or `FAIL<TAB>message`.
    func runSingle(_ path: String, in all: [Test262Test]) throws -> Never {
        guard let test = all.first(where: { $0.path == path }) else {
            Output.out("FAIL\tnot in manifest.tsv: \(path)\n")
            Output.flush()
            Foundation.exit(1)
        }
        let harness = Test262Harness(dir: dir)
        let opts = options
        let dir = self.dir
        let outcome = BigStack.run { Test262Runner.run(test, dir: dir, harness: harness, options: opts) }
        Output.out(outcome.passed ? "PASS\n" : "FAIL\t\(outcome.message)\n")
        Output.flush()
        Foundation.exit(outcome.passed ? 0 : 1)
    }

    func report(selected: [Test262Test], outcomes: [Test262Outcome], skipped: Int, total: Int, elapsed: Double) throws {
        struct Row { var passed = 0; var failed = 0 }
        var rows: [String: Row] = [:]
        var failures: [(String, String)] = []
        for (t, o) in zip(selected, outcomes) {
            if o.passed { rows[t.directory, default: Row()].passed += 1 } else {
                rows[t.directory, default: Row()].failed += 1
                failures.append((t.path, o.message))
            }
        }
        let passed = selected.count - failures.count
        let failed = failures.count
        func pct(_ a: Int, _ b: Int) -> String { b == 0 ? "-" : String(format: "%.2f%%", Double(a) * 100 / Double(b)) }

        let sorted = rows.sorted { a, b in
            a.value.failed != b.value.failed ? a.value.failed > b.value.failed : a.key < b.key
        }
        let width = max(40, (rows.keys.map(\.count).max() ?? 0) + 2)
        func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
            s.count >= n ? s : (left ? String(repeating: " ", count: n - s.count) + s : s + String(repeating: " ", count: n - s.count))
        }
        var out = ""
        out += pad("directory", width) + pad("passed", 8, left: true) + pad("failed", 8, left: true)
            + pad("total", 8, left: true) + pad("rate", 10, left: true) + "\n"
        for (dir, r) in sorted {
            out += pad(dir, width) + pad("\(r.passed)", 8, left: true) + pad("\(r.failed)", 8, left: true)
                + pad("\(r.passed + r.failed)", 8, left: true) + pad(pct(r.passed, r.passed + r.failed), 10, left: true) + "\n"
        }
        out += "\n"

        if let listFailures {
            let text = failures.sorted { $0.0 < $1.0 }.map { "\($0.0)\t\($0.1)\n" }.joined()
            do { try text.write(toFile: listFailures, atomically: true, encoding: .utf8) } catch {
                Output.err("sluice: cannot write \(listFailures): \(error)\n")
            }
            out += "failures written to \(listFailures)\n"
        }
        if let compare {
            if let old = try? SourceFile.read(compare) {
                let before = Set(old.split(separator: "\n").map { String($0.split(separator: "\t", maxSplits: 1).first ?? "") })
                let now = Set(failures.map(\.0))
                let ran = Set(selected.map(\.path))
                let regressions = now.subtracting(before).sorted()
                let fixed = before.intersection(ran).subtracting(now).count
                out += "compared with \(compare): \(regressions.count) regression\(regressions.count == 1 ? "" : "s"), \(fixed) newly passing\n"
                for r in regressions.prefix(50) { out += "  regression: \(r)\n" }
                if regressions.count > 50 { out += "  … and \(regressions.count - 50) more\n" }
            } else {
                out += "cannot read \(compare); no comparison\n"
            }
        }
        let mode = strict ? "strict mode" : "non-strict mode"
        out += String(format: "elapsed %.1f s, %.0f tests/s\n", elapsed, Double(selected.count) / max(elapsed, 0.001))
        if skipped > 0 {
            out += "pass rate (\(mode)): \(passed)/\(selected.count) (\(pct(passed, selected.count))) of the selected tests; "
                + "\(passed)/\(total) (\(pct(passed, total))) of the manifest\n"
        } else {
            out += "pass rate (\(mode)): \(passed)/\(total) (\(pct(passed, total)))\n"
        }
        out += "test262: \(passed) passed, \(failed) failed, \(skipped) skipped\n"
        Output.out(out)
        Output.flush()
    }
}

/// Runs tests on worker threads (or child processes) with a watchdog and a progress line.
final class Test262Pool: @unchecked Sendable {
    let tests: [Test262Test]
    let dir: String
    let options: Test262Options
    let workers: Int
    let isolate: Bool
    let verbose: Bool
    let harness: Test262Harness

    /// One worker's state, guarded by `lock`.
    final class Slot: @unchecked Sendable {
        let id: Int
        var testIndex: Int? = nil
        var startedAt = 0.0
        var runtime: Runtime? = nil
        var cancelSent = false
        var abandoned = false
        init(id: Int) { self.id = id }
    }

    private let lock = NSLock()
    private var next = 0
    private var results: [Test262Outcome?]
    private var completed = 0
    private var failedCount = 0
    private var slots: [Slot] = []
    private let allDone = DispatchSemaphore(value: 0)
    private let executable: String

    init(tests: [Test262Test], dir: String, options: Test262Options, workers: Int, isolate: Bool, verbose: Bool) {
        self.tests = tests
        self.dir = dir
        self.options = options
        self.workers = workers
        self.isolate = isolate
        self.verbose = verbose
        self.harness = Test262Harness(dir: dir)
        self.results = Array(repeating: nil, count: tests.count)
        self.executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
    }

    func runAll() -> [Test262Outcome] {
        if tests.isEmpty { return [] }
        CrashReporter.install()
        for _ in 0..<min(workers, tests.count) { startWorker() }
        watch()
        return results.map { $0 ?? .fail("not run") }
    }

    private func startWorker() {
        lock.lock()
        let slot = Slot(id: slots.count)
        slots.append(slot)
        lock.unlock()
        BigStack.spawn { [self] in
            CrashReporter.enterWorker(slot.id)
            work(slot)
        }
    }

    /// Takes the next test for `slot`, or nil when none is left (or the slot was abandoned).
    private func take(_ slot: Slot) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard !slot.abandoned, next < tests.count else { return nil }
        let i = next
        next += 1
        slot.testIndex = i
        slot.startedAt = monotonicSeconds()
        slot.cancelSent = false
        return i
    }

    private func finish(_ slot: Slot, _ index: Int, _ outcome: Test262Outcome) {
        lock.lock()
        defer { lock.unlock() }
        if slot.abandoned { return }      // the watchdog already gave this test up
        slot.testIndex = nil
        record(index, outcome)
    }

    /// Stores a result (lock held).
    private func record(_ index: Int, _ outcome: Test262Outcome) {
        guard results[index] == nil else { return }
        results[index] = outcome
        completed += 1
        if !outcome.passed {
            failedCount += 1
            if verbose { Output.err("FAIL \(tests[index].path): \(outcome.message)\n") }
        }
        if completed == tests.count { allDone.signal() }
    }

    private func work(_ slot: Slot) {
        while let i = take(slot) {
            let test = tests[i]
            CrashReporter.setCurrent(slot.id, test.path)
            let outcome: Test262Outcome
            if isolate {
                outcome = runChild(test)
            } else {
                outcome = Test262Runner.run(test, dir: dir, harness: harness, options: options) { rt in
                    self.lock.lock()
                    slot.runtime = rt
                    self.lock.unlock()
                }
            }
            CrashReporter.setCurrent(slot.id, nil)
            finish(slot, i, outcome)
        }
    }

    /// The watchdog and progress loop (main thread).
    private func watch() {
        let tty = Output.stderrIsTTY
        let began = monotonicSeconds()
        var lastProgress = began
        var lastPlain = began
        while allDone.wait(timeout: .now() + 0.25) != .success {
            let now = monotonicSeconds()
            var replacements = 0
            lock.lock()
            for slot in slots where !slot.abandoned {
                guard let i = slot.testIndex else { continue }
                let elapsed = now - slot.startedAt
                if !isolate, !slot.cancelSent, elapsed > options.timeoutSeconds + 2 {
                    // The budget's own clock should have stopped it; a builtin may not be checking.
                    slot.runtime?.cancel()
                    slot.cancelSent = true
                }
                if elapsed > options.timeoutSeconds * 2 + 10 {
                    // Stuck where cancellation cannot reach (compiler, a builtin loop): give the test
                    // up and let a new worker carry on. The stuck thread dies with the process.
                    slot.abandoned = true
                    record(i, .fail("hung: no response after \(Int(elapsed)) s"))
                    Output.err("\ntest262: \(tests[i].path) hung; continuing with a new worker\n")
                    replacements += 1
                }
            }
            let done = completed, failed = failedCount
            lock.unlock()
            for _ in 0..<replacements { startWorker() }
            if now - lastProgress >= 1 {
                lastProgress = now
                let rate = Double(done) / max(now - began, 0.001)
                let line = String(format: "test262: %d/%d done, %d failed, %.0f tests/s", done, tests.count, failed, rate)
                if tty {
                    Output.err("\r" + line + "\u{1B}[K")
                } else if now - lastPlain >= 30 {
                    lastPlain = now
                    Output.err(line + "\n")
                }
            }
        }
        if tty { Output.err("\r\u{1B}[K") }
    }

    /// --isolate: `sluice test262 DIR --single PATH` in a child process.
    private func runChild(_ test: Test262Test) -> Test262Outcome {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        var args = ["test262", dir, "--single", test.path, "--timeout", String(options.timeoutSeconds)]
        if options.strict { args.append("--strict") }
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        let exited = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in exited.signal() }
        do { try p.run() } catch { return .fail("cannot start child: \(error)") }
        let data = UnsafeBox(Data())
        let reader = DispatchSemaphore(value: 0)
        BigStack.spawn(stackSize: 1 << 20) {
            data.value = out.fileHandleForReading.readDataToEndOfFile()
            reader.signal()
        }
        if exited.wait(timeout: .now() + options.timeoutSeconds * 2 + 10) == .timedOut {
            kill(p.processIdentifier, SIGKILL)
            exited.wait()
            reader.wait()
            return .fail("hung: child killed after \(Int(options.timeoutSeconds * 2 + 10)) s")
        }
        reader.wait()
        let text = String(decoding: data.value, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if p.terminationReason == .uncaughtSignal {
            let sig = p.terminationStatus
            let name = String(cString: strsignal(sig))
            return .fail("crashed: signal \(sig) (\(name))")
        }
        if text == "PASS" && p.terminationStatus == 0 { return .pass }
        if text.hasPrefix("FAIL\t") { return .fail(String(text.dropFirst(5))) }
        return .fail("child exited with status \(p.terminationStatus): \(text)")
    }
}

/// On a fatal signal (an engine crash), names the test each worker was running, then dies with
/// the same signal, so a crash is never silent and never mistaken for a result.
enum CrashReporter {
    static let maxSlots = 256
    static let pathBytes = 512
    nonisolated(unsafe) static var paths: UnsafeMutablePointer<CChar> = {
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: maxSlots * pathBytes)
        p.initialize(repeating: 0, count: maxSlots * pathBytes)
        return p
    }()
    nonisolated(unsafe) static var threads = [pthread_t?](repeating: nil, count: maxSlots)
    nonisolated(unsafe) static var installed = false
    /// The handlers that were installed before ours (the Swift runtime's backtracer), by signal.
    nonisolated(unsafe) static var previous: UnsafeMutablePointer<sigaction> = {
        let p = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
        p.initialize(repeating: sigaction(), count: 65)
        return p
    }()

    static func install() {
        if installed { return }
        installed = true
        _ = paths
        _ = previous
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            var action = sigaction()
            #if canImport(Darwin)
            action.__sigaction_u.__sa_handler = crashHandler
            #else
            action.__sigaction_handler.sa_handler = crashHandler
            #endif
            action.sa_flags = Int32(bitPattern: UInt32(SA_ONSTACK) | UInt32(SA_RESETHAND))
            sigemptyset(&action.sa_mask)
            sigaction(sig, &action, previous + Int(sig))
        }
    }

    /// Called on each worker thread: an alternate signal stack, so a stack overflow can be reported.
    static func enterWorker(_ slot: Int) {
        guard slot < maxSlots else { return }
        let size = 256 << 10
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        stack.ss_size = size
        stack.ss_flags = 0
        sigaltstack(&stack, nil)
        threads[slot] = pthread_self()
    }

    static func setCurrent(_ slot: Int, _ path: String?) {
        guard slot < maxSlots else { return }
        let base = paths + slot * pathBytes
        base[0] = 0
        guard let path else { return }
        // Written with the first byte last, so a crash mid-update never prints a torn path.
        let bytes = Array(path.utf8.prefix(pathBytes - 1))
        guard !bytes.isEmpty else { return }
        for i in 1..<bytes.count { base[i] = CChar(bitPattern: bytes[i]) }
        base[bytes.count] = 0
        base[0] = CChar(bitPattern: bytes[0])
    }
}

private func writeRaw(_ s: UnsafePointer<CChar>) {
    _ = write(2, s, strlen(s))
}

private func crashHandler(_ sig: Int32) {
    let me = pthread_self()
    writeRaw("\nsluice test262: the engine crashed (signal ")
    var digits: [CChar] = Array(String(sig).utf8CString)
    digits.withUnsafeMutableBufferPointer { writeRaw($0.baseAddress!) }
    writeRaw(")\n")
    for slot in 0..<CrashReporter.maxSlots {
        let base = CrashReporter.paths + slot * CrashReporter.pathBytes
        if base[0] == 0 { continue }
        if let t = CrashReporter.threads[slot], pthread_equal(t, me) != 0 {
            writeRaw("  crashed while running: ")
        } else {
            writeRaw("  also running: ")
        }
        writeRaw(base)
        writeRaw("\n")
    }
    writeRaw("  (use --isolate to run every test in its own process)\n")
    // Hand over to the previous handler (the Swift backtracer, if any), then die of the signal.
    if sig >= 0 && sig < 65 {
        sigaction(sig, CrashReporter.previous + Int(sig), nil)
    } else {
        signal(sig, SIG_DFL)
    }
    raise(sig)
}
