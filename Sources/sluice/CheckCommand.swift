// `sluice check FILE|DIR...`: compiles scripts and pages' backend blocks, reports syntax errors.

import ArgumentParser
import Foundation
import SluiceCompiler
import SluiceVM

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compile scripts and pages without running them; report syntax errors.",
        discussion: """
            Each argument is a .js file, an .html page, or a directory (searched recursively for \
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
        for p in paths {
            if SourceFile.isDirectory(p) {
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
        let summary = "sluice check: \(files.count) file\(files.count == 1 ? "" : "s"), "
            + (failed == 0 ? "no errors" : "\(failed) with errors")
        Output.err(summary + "\n")
        if failed > 0 { throw ExitCode(Outcome.errorStatus) }
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
            let script = BackendBlocks.extract(from: text)
            if script.blockCount == 0 { return nil }
            do {
                _ = try ScriptCompiler.compile(source: script.source, name: file, options: .functionBody)
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

/// Finds `<script scope="backend">` blocks in a page.
enum BackendBlocks {
    struct Script {
        /// The blocks joined in order, padded with newlines and spaces so that every block starts
        /// at its line and column in the page (positions in diagnostics are the page's).
        var source: String
        var blockCount: Int
    }

    static func extract(from html: String) -> Script {
        let u = Array(html.utf16)
        var source: [UInt16] = []
        var line = 1, lineStart = 0            // position in the page
        var outLine = 1, outColumn = 1         // position at the end of `source`
        var count = 0
        var i = 0

        func advance(to end: Int) {
            while i < end {
                if u[i] == 10 { line += 1; lineStart = i + 1 }
                i += 1
            }
        }

        while let open = find(u, "<script", from: i) {
            advance(to: open)
            guard let tagEnd = u[open...].firstIndex(of: UInt16(UInt8(ascii: ">"))) else { break }
            let attributes = String(decoding: u[(open + 7)..<tagEnd], as: UTF16.self)
            let isBackend = isBackendTag(attributes)
            advance(to: tagEnd + 1)
            let contentStart = tagEnd + 1
            let close = find(u, "</script", from: contentStart) ?? u.count
            if isBackend {
                count += 1
                let column = contentStart - lineStart + 1
                if line > outLine {
                    source += Array(repeating: 10, count: line - outLine)
                    outLine = line
                    outColumn = 1
                } else if count > 1 {
                    source.append(10)       // same line as the previous block: keep them apart
                    outLine += 1
                    outColumn = 1
                }
                if column > outColumn {
                    source += Array(repeating: 32, count: column - outColumn)
                    outColumn = column
                }
                for c in u[contentStart..<close] {
                    source.append(c)
                    if c == 10 { outLine += 1; outColumn = 1 } else { outColumn += 1 }
                }
            }
            advance(to: close)
            if close >= u.count { break }
        }
        return Script(source: String(decoding: source, as: UTF16.self), blockCount: count)
    }

    /// `scope="backend"`, `scope='backend'` or `scope=backend` among the tag's attributes.
    static func isBackendTag(_ attributes: String) -> Bool {
        let a = attributes.lowercased()
        for form in ["scope=\"backend\"", "scope='backend'", "scope=backend"] {
            if let r = a.range(of: form) {
                // Not part of a longer attribute name (e.g. data-scope=...).
                if r.lowerBound == a.startIndex { return true }
                let before = a[a.index(before: r.lowerBound)]
                if before == " " || before == "\t" || before == "\n" || before == "\r" { return true }
            }
        }
        return false
    }

    /// Index of `needle` (ASCII, matched case-insensitively) in `u` at or after `from`.
    static func find(_ u: [UInt16], _ needle: String, from: Int) -> Int? {
        let n = Array(needle.utf16)
        guard n.count <= u.count else { return nil }
        var i = from
        while i + n.count <= u.count {
            var ok = true
            for k in 0..<n.count {
                var c = u[i + k]
                if c >= 65 && c <= 90 { c += 32 }
                if c != n[k] { ok = false; break }
            }
            if ok { return i }
            i += 1
        }
        return nil
    }
}
