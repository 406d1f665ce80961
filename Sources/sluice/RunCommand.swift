// `sluice run FILE.js`: runs a standalone script (no request) with console.log on stdout.

import ArgumentParser
import Foundation
import SluiceCompiler
import SluiceVM

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a standalone script; console.log prints to stdout.",
        discussion: """
            The script runs as the body of a function (top-level `return` ends it). An uncaught \
            error prints FILE:LINE:COL: Name: message and the stack to stderr (exit status 1); \
            a syntax error prints the error with the source line (exit status 1); an exhausted \
            budget says which one (exit status 2). No budget applies unless given.
            """)

    @ArgumentParser.Argument(help: "The script to run (UTF-8).")
    var file: String

    @Option(help: "Instruction budget (default: none).")
    var instructions: Int?

    @Option(help: "Heap budget in bytes; accepts suffixes k, M, G (default: none).")
    var memory: ByteCount?

    @Option(name: .customLong("time-limit"), help: "Wall-clock budget in milliseconds (default: none).")
    var timeLimit: Int?

    func run() throws {
        let source: String
        do { source = try SourceFile.read(file) } catch {
            Output.err("sluice: \(error)\n")
            throw ExitCode(Outcome.errorStatus)
        }
        let program: Program
        do {
            program = try ScriptCompiler.compile(source: source, name: file, options: .functionBody)
        } catch {
            Output.err(error.description + "\n")
            throw ExitCode(Outcome.errorStatus)
        }
        let limits = Limits(instructions: instructions, heapBytes: memory?.bytes, wallClockMilliseconds: timeLimit)
        let shared = UnsafeBox(program)
        let fileName = file
        // Scripts run on a thread with a big stack: debug builds use deep native frames per script call.
        let status: Int32 = BigStack.run {
            let rt = Runtime()
            do {
                try rt.installConsole(Output.consolePrinter(quiet: false))
            } catch {
                Output.err("sluice: cannot set up the runtime\n")
                return Outcome.errorStatus
            }
            switch rt.run(shared.value, limits: limits) {
            case .success:
                return 0
            case .failure(.uncaught(let e)):
                Output.err(Outcome.describe(e, fallbackFile: fileName))
                return Outcome.errorStatus
            case .failure(.budgetExceeded(let kind)):
                Output.err(Outcome.describe(kind, limits: limits) + "\n")
                return Outcome.budgetStatus
            }
        }
        Output.flush()
        if status != 0 { throw ExitCode(status) }
    }
}
