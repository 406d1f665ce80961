// The test262 runner's core: the manifest, building a test's source, and running one test in a
// fresh runtime, exactly as conformance/test262/README.md prescribes.

import Foundation
import SluiceCompiler
import SluiceVM

/// One line of manifest.tsv.
struct Test262Test: Sendable {
    let path: String
    let flags: [String]
    /// `parse`, `resolution` or `runtime`, with the expected constructor name.
    let negativePhase: String?
    let negativeType: String?
    let includes: [String]
    let features: [String]

    var isRaw: Bool { flags.contains("raw") }

    /// `test/built-ins/Array/...` → `test/built-ins/Array`.
    var directory: String {
        path.split(separator: "/", omittingEmptySubsequences: true).prefix(3).joined(separator: "/")
    }

    /// Reads manifest.tsv: `#` comments, five TAB-separated columns, `-` for none. With `only`,
    /// parses just the line for that path (the child side of --isolate).
    static func loadManifest(_ dir: String, only: String? = nil) throws -> [Test262Test] {
        let manifestPath = (dir as NSString).appendingPathComponent("manifest.tsv")
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw ToolError("\(manifestPath) not found: DIR must be a test262 folder with manifest.tsv")
        }
        let onlyPrefix = only.map { Array(($0 + "\t").utf8) }
        var tests: [Test262Test] = []
        var lineNumber = 0
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 10 { end += 1 }
                lineNumber += 1
                var lineEnd = end
                if lineEnd > start && bytes[lineEnd - 1] == 13 { lineEnd -= 1 }
                defer { start = end + 1 }
                if lineEnd == start || bytes[start] == UInt8(ascii: "#") { continue }
                if let p = onlyPrefix {
                    if lineEnd - start < p.count { continue }
                    var same = true
                    for k in 0..<p.count where bytes[start + k] != p[k] { same = false; break }
                    if !same { continue }
                }
                let line = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<lineEnd]), as: UTF8.self)
                tests.append(try parseLine(line, at: "\(manifestPath):\(lineNumber)"))
            }
        }
        return tests
    }

    static func parseLine(_ line: String, at location: String) throws -> Test262Test {
        let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard cols.count >= 4 else { throw ToolError("\(location): expected 5 TAB-separated columns") }
        func list(_ s: String) -> [String] {
            s == "-" || s.isEmpty ? [] : s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        var phase: String? = nil, type: String? = nil
        if cols[2] != "-" && !cols[2].isEmpty {
            let parts = cols[2].split(separator: ":", maxSplits: 1).map(String.init)
            phase = parts[0]
            type = parts.count > 1 ? parts[1] : "SyntaxError"
        }
        return Test262Test(path: cols[0], flags: list(cols[1]), negativePhase: phase, negativeType: type,
                           includes: list(cols[3]), features: cols.count > 4 ? list(cols[4]) : [])
    }
}

/// The result of one test.
struct Test262Outcome: Sendable {
    let passed: Bool
    /// Why it failed (one line).
    let message: String

    static let pass = Test262Outcome(passed: true, message: "")
    static func fail(_ m: String) -> Test262Outcome {
        var one = m.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " | ")
        if one.count > 400 { one = String(one.prefix(400)) + "…" }
        return Test262Outcome(passed: false, message: one)
    }
}

/// Harness files, read once and shared by every worker.
final class Test262Harness: @unchecked Sendable {
    let dir: String
    private var files: [String: String] = [:]
    private let lock = NSLock()

    init(dir: String) { self.dir = dir }

    func file(_ name: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        if let f = files[name] { return f }
        let path = ((dir as NSString).appendingPathComponent("harness") as NSString).appendingPathComponent(name)
        guard let text = try? SourceFile.read(path) else { return nil }
        files[name] = text
        return text
    }
}

/// How tests run.
struct Test262Options: Sendable {
    var strict = false
    var timeoutSeconds: Double = 10
    var instructionLimit = 2_000_000_000
    var heapLimit = 512 << 20
}

enum Test262Runner {
    /// Runs one test in the calling thread (which needs a big stack). `register` is told about
    /// the runtime while it runs (so a watchdog may cancel it) and then about nil.
    static func run(_ test: Test262Test, dir: String, harness: Test262Harness, options: Test262Options,
                    register: (Runtime?) -> Void = { _ in }) -> Test262Outcome {
        for flag in test.flags where ["module", "async", "CanBlockIsTrue", "CanBlockIsFalse"].contains(flag) {
            return .fail("unsupported flag \(flag)")
        }
        // 1. Source: harness/assert.js, harness/sta.js, includes, the test (raw: the test alone).
        let testPath = (dir as NSString).appendingPathComponent(test.path)
        guard let testSource = try? SourceFile.read(testPath) else { return .fail("cannot read \(test.path)") }
        var parts: [String] = []
        if !test.isRaw {
            for name in ["assert.js", "sta.js"] + test.includes {
                guard let h = harness.file(name) else { return .fail("missing harness file \(name)") }
                parts.append(h)
            }
        }
        var prefix = ""
        let strict = test.flags.contains("onlyStrict")
            || (options.strict && !test.flags.contains("noStrict") && !test.isRaw)
        if strict { prefix = "\"use strict\";\n" }
        var source = prefix
        for p in parts { source += p; source += "\n" }
        let testLineOffset = source.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
        source += testSource

        /// Positions in the concatenated source, as positions in the test file.
        func where_(_ line: Int, _ column: Int) -> String {
            if line > testLineOffset { return "\(test.path):\(line - testLineOffset):\(column)" }
            return line > 0 ? "harness line \(line)" : test.path
        }

        // 2. Compile as global script code.
        let program: Program
        do {
            program = try ScriptCompiler.compile(source: source, name: test.path, options: .script)
        } catch {
            if test.negativePhase == "parse" || test.negativePhase == "resolution" {
                return test.negativeType == "SyntaxError" ? .pass
                    : .fail("expected \(test.negativeType ?? "?") at parse time, got SyntaxError: \(error.message)")
            }
            return .fail("SyntaxError at \(where_(Int(error.position.line), Int(error.position.column))): \(error.message)")
        }
        if test.negativePhase == "parse" || test.negativePhase == "resolution" {
            return .fail("expected \(test.negativeType ?? "SyntaxError") at parse time, but the script compiled")
        }

        // 3. Run in a fresh realm with budgets.
        let rt = Runtime()
        do {
            // print() for debugging; no test needs it.
            try rt.installConsole { _, _ in }
        } catch {
            return .fail("runtime setup failed")
        }
        register(rt)
        defer { register(nil) }
        let limits = Limits(instructions: options.instructionLimit, heapBytes: options.heapLimit,
                            wallClockMilliseconds: Int(options.timeoutSeconds * 1000))
        rt.beginRun(limits)
        defer { rt.endRun() }
        do {
            _ = try rt.evaluate(program)
        } catch {
            switch error {
            case .terminated(let kind):
                switch kind {
                case .time: return .fail("timeout (\(options.timeoutSeconds) s)")
                case .instructions: return .fail("instruction budget exceeded (\(options.instructionLimit))")
                case .memory: return .fail("heap budget exceeded (\(options.heapLimit) bytes)")
                case .cancelled: return .fail("cancelled by the watchdog (timeout)")
                }
            case .exception(let v):
                let name = constructorName(rt, v)
                if test.negativePhase == "runtime" {
                    if let name, name == test.negativeType { return .pass }
                }
                let e = rt.exception(from: v)
                // Test262Error has no `name` property: use the constructor's name.
                let shownName = e.name == "Uncaught" ? (name ?? e.name) : e.name
                let text = e.message.isEmpty ? shownName : "\(shownName): \(e.message)"
                // The innermost stack frame inside the test file, else where it was thrown.
                var at = e.line > 0 ? " at \(where_(e.line, e.column))" : ""
                if e.line <= testLineOffset, let (line, column) = firstFrame(in: e.stack, after: testLineOffset) {
                    at = " at \(where_(line, column))"
                }
                if test.negativePhase == "runtime" {
                    return .fail("expected \(test.negativeType ?? "?"), got \(text)\(at)")
                }
                return .fail("uncaught \(text)\(at)")
            }
        }
        if test.negativePhase == "runtime" {
            return .fail("expected \(test.negativeType ?? "an error") at runtime, but the script completed")
        }
        return .pass
    }

    /// The first `(file:LINE:COL)` position in a stack text whose line is past `offset`.
    static func firstFrame(in stack: String, after offset: Int) -> (Int, Int)? {
        for line in stack.split(separator: "\n") {
            // "    at f (name:12:5)" or "    at name:12:5"
            var text = Substring(line)
            if text.hasSuffix(")") { text = text.dropLast() }
            let parts = text.split(separator: ":")
            guard parts.count >= 3, let col = Int(parts[parts.count - 1]), let ln = Int(parts[parts.count - 2]) else { continue }
            if ln > offset { return (ln, col) }
        }
        return nil
    }

    /// `e.constructor.name`, read through the runtime.
    static func constructorName(_ rt: Runtime, _ v: Value) -> String? {
        guard v.isObject else { return nil }
        guard let c = try? rt.get(v, rt.key("constructor")), c.isObject else { return nil }
        guard let n = try? rt.get(c, rt.key("name")), n.isString else { return nil }
        return n.string.swiftString
    }
}
