import SluiceCompiler
import SluiceVM

/// A page file compiled once: its joined backend script as bytecode and its HTML as a template.
final class CompiledPage: Sendable {
    let file: String
    /// The backend script, or nil when the page has none (or it failed to compile).
    let program: Program?
    /// The script's syntax error, if any: the page still renders, the error is logged.
    let scriptError: Diagnostic?
    /// The HTML (backend blocks removed) compiled to a template, or the reason it could not be.
    let template: Result<Template, Diagnostic>

    init(file: String, source: String) {
        self.file = file
        let extracted = BackendBlocks.extract(html: source)
        var program: Program? = nil
        var scriptError: Diagnostic? = nil
        if extracted.hasScript {
            let script = extracted.script
            do {
                program = try Compiler.compile(source: script, name: file, options: .functionBody)
            } catch {
                scriptError = Diagnostic(file: file, line: Int(error.position.line), column: Int(error.position.column),
                                         message: "SyntaxError: \(error.message)", sourceLine: error.sourceLine)
            }
        }
        self.program = program
        self.scriptError = scriptError
        do {
            template = .success(try Template(page: extracted, name: file))
        } catch {
            template = .failure(Diagnostic(file: file, line: error.line, column: error.column, message: error.message))
        }
    }
}

/// A module file (`modules/<name>.js`) compiled once.
final class CompiledModule: Sendable {
    let file: String
    let program: Result<Program, Diagnostic>

    init(file: String, source: String) {
        self.file = file
        // A module may be written as plain JavaScript or, as on the origin page, wrapped in a
        // backend block; positions stay those of the file either way.
        var code = source
        if source.drop(while: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }).hasPrefix("<") {
            code = BackendBlocks.extract(html: source).script
        }
        do {
            program = .success(try Compiler.compile(source: code, name: file, options: .functionBody))
        } catch {
            program = .failure(Diagnostic(file: file, line: Int(error.position.line), column: Int(error.position.column),
                                          message: "SyntaxError: \(error.message)", sourceLine: error.sourceLine))
        }
    }
}
