import SluiceVM

/// How one page run ended, before the response is assembled.
struct PageRunResult {
    /// The script's error or budget overrun, positioned when possible (nil on success or halt).
    var failure: Diagnostic?
    var instructions = 0
    var peakHeapBytes = 0
    /// True when a budget ran out (the runtime is then not reused).
    var budgetExceeded = false
}

/// Runs a page's modules and script in a fresh, isolated Runtime under the site's budgets.
/// Budgets cover modules and page together; terminal calls (`response.json`…) end the run through
/// an uncatchable halt that is not a failure.
enum PageRun {
    static func run(page: CompiledPage, program: Program, links: [ModuleLinker.Link], runtime rt: Runtime,
                    limits: Limits, state: PageState) -> PageRunResult {
        var result = PageRunResult()
        rt.beginRun(limits)
        defer { rt.endRun() }
        // (Figures are read before returning: a `defer` cannot change an already returned value.)
        func finished() -> PageRunResult {
            result.instructions = rt.budget.instructionsUsed
            result.peakHeapBytes = rt.runPeakHeapBytes
            return result
        }
        do {
            for link in links {
                _ = try rt.evaluate(link.program)
                for binding in link.bindings {
                    let value = try rt.get(Value(rt.globalObject), rt.key("__export__" + binding.imported))
                    try rt.defineGlobal(binding.local, value)
                }
                for export in link.program.exports {
                    _ = rt.deleteProperty(rt.globalObject, rt.key("__export__" + export.exported))
                }
            }
            _ = try rt.evaluate(program)
        } catch {
            if state.terminal != nil, case .terminated(.cancelled) = error { return finished() }
            let scriptError = rt.scriptError(from: error)
            if case .budgetExceeded = scriptError { result.budgetExceeded = true }
            result.failure = diagnostic(for: scriptError, fallbackFile: page.file)
        }
        return finished()
    }

    static func diagnostic(for error: ScriptError, fallbackFile: String) -> Diagnostic {
        switch error {
        case .uncaught(let e):
            let file = e.sourceName.isEmpty ? fallbackFile : e.sourceName
            return Diagnostic(file: file, line: max(e.line, 1), column: max(e.column, 1),
                              message: "\(e.name): \(e.message)", sourceLine: sourceLine(file: file, line: e.line))
        case .budgetExceeded(let kind):
            let what: String
            switch kind {
            case .instructions: what = "the instruction budget"
            case .memory: what = "the memory budget"
            case .time: what = "the wall-clock budget"
            case .cancelled: what = "a cancellation"
            }
            return Diagnostic(file: fallbackFile, line: 1, column: 1, message: "script stopped: it ran out of \(what)")
        }
    }

    /// The text of line `line` of `file` (1-based), for error excerpts; "" when unavailable.
    static func sourceLine(file: String, line: Int) -> String {
        guard line >= 1, let text = FileSystem.readText(file) else { return "" }
        var current = 1
        for l in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == line { return String(l.trimmingTrailingCR()) }
            current += 1
        }
        return ""
    }
}

extension Substring {
    func trimmingTrailingCR() -> Substring { hasSuffix("\r") ? dropLast() : self }
}
