// `sluice check FILE|DIR...`: compiles scripts and pages' backend blocks, reports syntax errors.

import ArgumentParser
import Foundation
import SluiceCompiler
import SluiceHost
import SluiceVM

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compile scripts and pages without running them; report syntax errors.",
        discussion: """
            Each argument is a site folder (one with site.json: every page, template, import and \
            module is compiled), a .js file, an .html page, or a directory (searched recursively for \
            .js and .html files; hidden folders are skipped). A page's <script scope="backend"> \
            blocks are joined in document order and compiled as one script; errors give line and \
            column in the page. Diagnostics are printed as FILE:LINE:COL: message with the source \
            line; the exit status is 1 if any file failed.
            """)

    @ArgumentParser.Argument(help: "Files or directories to check.")
    var paths: [String]

    @Flag(help: "Also print a line for every file that compiles.")
    var verbose = false

    func run() throws {
        var files: [String] = []
        var siteProblems = 0
        var siteCount = 0
        for p in paths {
            if SourceFile.isDirectory(p), FileManager.default.fileExists(atPath: p + "/site.json") {
                siteCount += 1
                do {
                    let problems = try SiteFiles(root: p).check()
                    for d in problems { Output.out(d.excerpt + "\n") }
                    siteProblems += problems.count
                    if verbose && problems.isEmpty { Output.out("\(p): ok\n") }
                } catch {
                    Output.out(error.excerpt + "\n")
                    siteProblems += 1
                }
            } else if SourceFile.isDirectory(p) {
                files += CheckCommand.scriptFiles(in: p)
            } else if FileManager.default.fileExists(atPath: p) {
                files.append(p)
            } else {
                Output.err("sluice: no such file or directory: \(p)\n")
                throw ExitCode(Outcome.errorStatus)
            }
        }
        var failed = 0
        for f in files {
            if let diagnostic = CheckCommand.check(file: f) {
                failed += 1
                Output.out(diagnostic + "\n")
            } else if verbose {
                Output.out("\(f): ok\n")
            }
        }
        Output.flush()
        var summary = "sluice check: "
        if siteCount > 0 {
            summary += "\(siteCount) site\(siteCount == 1 ? "" : "s") with \(siteProblems) problem\(siteProblems == 1 ? "" : "s")"
            if !files.isEmpty { summary += "; " }
        }
        if !files.isEmpty || siteCount == 0 {
            summary += "\(files.count) file\(files.count == 1 ? "" : "s"), " + (failed == 0 ? "no errors" : "\(failed) with errors")
        }
        Output.err(summary + "\n")
        if failed > 0 || siteProblems > 0 { throw ExitCode(Outcome.errorStatus) }
    }

    /// `.js` and `.html` files under `dir`, sorted, skipping hidden folders and node_modules.
    static func scriptFiles(in dir: String) -> [String] {
        var out: [String] = []
        guard let e = FileManager.default.enumerator(atPath: dir) else { return out }
        while let rel = e.nextObject() as? String {
            let last = (rel as NSString).lastPathComponent
            let full = (dir as NSString).appendingPathComponent(rel)
            if last.hasPrefix(".") || last == "node_modules" {
                if SourceFile.isDirectory(full) { e.skipDescendants() }
                continue
            }
            if rel.hasSuffix(".js") || rel.hasSuffix(".html") { out.append(full) }
        }
        return out.sorted()
    }

    /// Compiles one file; returns the diagnostic text, or nil when it compiles.
    static func check(file: String) -> String? {
        let text: String
        do { text = try SourceFile.read(file) } catch { return "\(file): \(error)" }
        if file.hasSuffix(".html") {
            let page = BackendBlocks.extract(html: text)
            if !page.hasScript { return nil }
            do {
                _ = try ScriptCompiler.compile(source: page.script, name: file, options: .functionBody)
                return nil
            } catch {
                // The compiled text is padded so positions match the page; show the page's own line.
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                let lineIndex = Int(error.position.line) - 1
                let original = lineIndex >= 0 && lineIndex < lines.count
                    ? String(lines[lineIndex]).trimmingCharacters(in: CharacterSet(charactersIn: "\r")) : ""
                let located = SyntaxError(message: error.message, sourceName: file,
                                          position: error.position, sourceLine: original)
                return located.description
            }
        }
        do {
            _ = try ScriptCompiler.compile(source: text, name: file, options: .functionBody)
            return nil
        } catch {
            return error.description
        }
    }
}
