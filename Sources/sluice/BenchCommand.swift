// `sluice bench FILE.js`: script throughput in fresh runtimes.

import ArgumentParser
import Foundation
import SluiceCompiler
import SluiceVM
import Synchronization

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure a script: compile time, runtime creation, runs per second, instructions per second, peak heap.",
        discussion: """
            The script is compiled once, then run --runs times, each in a fresh runtime (creation \
            is timed separately). console.log output is discarded unless --verbose.
            """)

    @ArgumentParser.Argument(help: "The script to measure, or a site folder.")
    var file: String

    @ArgumentParser.Argument(help: "With a site folder: the page path to request, e.g. /weight/checkin.")
    var pagePath: String?

    @Option(help: "With a site: the request method.")
    var method = "GET"

    @Option(help: "With a site: the request body (sent as application/json unless --content-type).")
    var body: String?

    @Option(name: .customLong("content-type"), help: "With a site: the body's media type.")
    var contentType = "application/json"

    @Option(help: "With a site: sign the synthetic visitor in as this customer email first.")
    var customer: String?

    @Option(help: "With a site: folder for the benchmark's database (default: a fresh temporary folder).")
    var data: String?

    @Option(help: "Number of measured runs.")
    var runs: Int = 10

    @Option(help: "Instruction budget per run (default: none; instructions are still counted).")
    var instructions: Int?

    @Option(help: "Heap budget in bytes per run; accepts suffixes k, M, G (default: none).")
    var memory: ByteCount?

    @Flag(help: "Print the script's console output.")
    var verbose = false

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
    }

    struct Sample {
        var createSeconds: Double
        var runSeconds: Double
        var instructions: Int
        var peakHeap: Int
    }

    func run() throws {
        if SourceFile.isDirectory(file) {
            guard let pagePath else { throw ValidationError("with a site folder, give the page path to request, e.g. /dashboard") }
            try SiteBench(site: file, path: pagePath, method: method, body: body, contentType: contentType,
                          customer: customer, data: data, runs: runs, verbose: verbose).run()
            return
        }
        let source: String
        do { source = try SourceFile.read(file) } catch {
            Output.err("sluice: \(error)\n")
            throw ExitCode(Outcome.errorStatus)
        }
        let t0 = monotonicSeconds()
        let program: Program
        do {
            program = try ScriptCompiler.compile(source: source, name: file, options: .functionBody)
        } catch {
            Output.err(error.description + "\n")
            throw ExitCode(Outcome.errorStatus)
        }
        let compileSeconds = monotonicSeconds() - t0

        // A huge instruction limit makes the runtime count instructions without ever stopping.
        let countingLimit = instructions ?? Int.max / 2
        let limits = Limits(instructions: countingLimit, heapBytes: memory?.bytes)
        let reportLimits = Limits(instructions: instructions, heapBytes: memory?.bytes)
        let shared = UnsafeBox(program)
        let runCount = runs
        let quiet = !verbose
        let fileName = file

        let progress = Progress(total: runCount, label: (file as NSString).lastPathComponent)
        progress.start()
        let outcome: Result<[Sample], ExitCode> = BigStack.run {
            var samples: [Sample] = []
            for i in 0..<runCount {
                progress.runStarted(i)
                let c0 = monotonicSeconds()
                let rt = Runtime()
                do { try rt.installConsole(Output.consolePrinter(quiet: quiet)) } catch {
                    return .failure(ExitCode(Outcome.errorStatus))
                }
                let c1 = monotonicSeconds()
                let result = rt.run(shared.value, limits: limits)
                let c2 = monotonicSeconds()
                switch result {
                case .success:
                    samples.append(Sample(createSeconds: c1 - c0, runSeconds: c2 - c1,
                                          instructions: rt.budget.instructionsUsed, peakHeap: rt.runPeakHeapBytes))
                case .failure(.uncaught(let e)):
                    progress.stop()
                    Output.err(Outcome.describe(e, fallbackFile: fileName))
                    return .failure(ExitCode(Outcome.errorStatus))
                case .failure(.budgetExceeded(let kind)):
                    progress.stop()
                    Output.err(Outcome.describe(kind, limits: reportLimits) + "\n")
                    return .failure(ExitCode(Outcome.budgetStatus))
                }
            }
            return .success(samples)
        }
        progress.stop()
        let samples: [Sample]
        switch outcome {
        case .success(let s): samples = s
        case .failure(let code): throw code
        }

        let n = Double(samples.count)
        let meanRun = samples.map(\.runSeconds).reduce(0, +) / n
        let bestRun = samples.map(\.runSeconds).min() ?? 0
        let meanCreate = samples.map(\.createSeconds).reduce(0, +) / n
        let meanInstructions = Double(samples.map(\.instructions).reduce(0, +)) / n
        let peak = samples.map(\.peakHeap).max() ?? 0
        func ms(_ s: Double) -> String { String(format: "%.3f ms", s * 1000) }
        var lines: [String] = []
        lines.append("bench \(file): \(samples.count) run\(samples.count == 1 ? "" : "s"), each in a fresh runtime")
        lines.append("  compile           \(ms(compileSeconds))")
        lines.append("  runtime creation  \(ms(meanCreate)) mean")
        lines.append("  run time          \(ms(meanRun)) mean, \(ms(bestRun)) best")
        lines.append(String(format: "  runs/second       %.2f (run only), %.2f (with runtime creation)",
                            1 / max(meanRun, 1e-9), 1 / max(meanRun + meanCreate, 1e-9)))
        if meanInstructions > 0 {
            lines.append(String(format: "  instructions      %.0f per run, %.2f M/s", meanInstructions,
                                meanInstructions / max(meanRun, 1e-9) / 1e6))
        } else {
            lines.append("  instructions      none counted (the script charged nothing to the instruction budget)")
        }
        lines.append("  peak heap         \(ByteCount.format(peak)) (\(peak) bytes)")
        Output.out(lines.joined(separator: "\n") + "\n")
        Output.flush()
    }
}

/// A progress line on stderr for long benchmarks: updated in place on a terminal, one line per
/// second otherwise; silent for benchmarks that finish within a second.
final class Progress: @unchecked Sendable {
    private let total: Int
    private let label: String
    private let current = Atomic<Int>(0)
    private let running = Atomic<Bool>(false)
    private let printed = Atomic<Bool>(false)
    private let started = monotonicSeconds()
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(total: Int, label: String) {
        self.total = total
        self.label = label
    }

    func runStarted(_ index: Int) { current.store(index, ordering: .relaxed) }

    func start() {
        running.store(true, ordering: .relaxed)
        let tty = Output.stderrIsTTY
        BigStack.spawn(stackSize: 1 << 20) { [self] in
            var lastPlain = 0.0
            while true {
                if wake.wait(timeout: .now() + 1) == .success { break }
                guard running.load(ordering: .relaxed) else { break }
                let elapsed = monotonicSeconds() - started
                // Plain lines (logs, pipes) every 5 s; a terminal line is redrawn every second.
                if !tty && elapsed - lastPlain < 5 && lastPlain > 0 { continue }
                lastPlain = elapsed
                let line = String(format: "bench %@: run %d/%d, %.1f s", label, current.load(ordering: .relaxed) + 1,
                                  total, elapsed)
                if tty { Output.err("\r" + line + "\u{1B}[K") } else { Output.err(line + "\n") }
                printed.store(true, ordering: .relaxed)
            }
            if tty && printed.load(ordering: .relaxed) { Output.err("\r\u{1B}[K") }
            finished.signal()
        }
    }

    func stop() {
        guard running.exchange(false, ordering: .relaxed) else { return }
        wake.signal()
        finished.wait()     // the progress thread clears its line and acknowledges
    }
}
