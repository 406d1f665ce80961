// The public entry point of the compiler: source text → `Program` (parse, scope analysis, code generation).
//
// Contract with the host (see also CodeGen/):
// - `.functionBody` mode: the script is the body of a function. Top-level `return` is allowed; top-level
//   var/let/const/function/class declarations are locals of that function; `this` is undefined (the
//   code starts with `loadUndefined R[0]`, whatever the host passes). `import` bindings are compiled as global lookups (`getGlobal`): the host
//   defines each imported local name as a property of the global object before running. `export`ed
//   declarations are ordinary locals; `Program.exports` lists (exported, local) pairs (`export default
//   expr` binds the hidden local `*default*`). So the host can read exported values after the run,
//   the code stores every exported local into the global property `__export__<exportedName>` (via
//   `setGlobal`) at the end of the top-level code and before every top-level `return`.
// - `.script` mode: ECMAScript global code. Top-level `var` and function declarations become global
//   object properties (`declareGlobalVar` / `declareGlobalFunction` at the start), names not bound by
//   any enclosing scope go through `getGlobal`/`setGlobal`, and top-level `this` is R[0], which the
//   runtime sets to the global object. Top-level let/const/class are locals of the script's code (not
//   shared between separately compiled scripts).
// The main code of both modes has the `.topLevel` flag and an empty name. Its completion value is the
// top-level `return` value (functionBody) or undefined.
//
// The code generator lives in CodeGen/: Resolver.swift (scope analysis pre-pass: hoisting, captured
// variables, TDZ checks), FunctionCompiler.swift (registers, constants, labels, scopes, exception
// regions) and the CodeGen+*.swift extensions (statements, expressions, calls/literals/classes,
// functions, destructuring).
//
// The compile runs on a thread with a large stack so the recursive parser and code generator can
// handle trees up to `Parser.maxNestingDepth` deep whatever thread the host calls from.

import SluiceVM

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public struct CompileOptions: Sendable {
    public enum Mode: Sendable {
        /// The script is the body of a function (Sluice pages, `sluice run`).
        case functionBody
        /// ECMAScript global code (test262).
        case script
    }

    public var mode: Mode
    /// Treat the whole source as strict mode code.
    public var forceStrict: Bool

    public init(mode: Mode, forceStrict: Bool = false) {
        self.mode = mode
        self.forceStrict = forceStrict
    }

    public static let functionBody = CompileOptions(mode: .functionBody)
    public static let script = CompileOptions(mode: .script)
}

public enum Compiler {
    /// Parses and compiles. functionBody: the script is the body of a function (top-level `return`
    /// allowed, top-level var/function/let/const are locals of that function, `this` is undefined);
    /// script: ECMAScript global code (top-level `var` and function declarations become properties of
    /// the global object via declareGlobalVar/declareGlobalFunction, unresolved names go through
    /// getGlobal/setGlobal, `this` at top level is R[0] which the runtime sets to the global object).
    public static func compile(source: String, name: String,
                               options: CompileOptions = .functionBody) throws(SyntaxError) -> Program {
        var result: Result<Program, SyntaxError>? = nil
        runOnLargeStack {
            do throws(SyntaxError) {
                result = .success(try compileOnCurrentThread(source: source, name: name, options: options))
            } catch {
                result = .failure(error)
            }
        }
        return try result!.get()
    }

    /// Compatibility overload taking parser options: `allowTopLevelReturn` selects `.functionBody`
    /// mode, otherwise `.script`; `forceStrict` carries over.
    @_disfavoredOverload
    public static func compile(source: String, name: String, options: ParseOptions) throws(SyntaxError) -> Program {
        let opts = CompileOptions(mode: options.allowTopLevelReturn ? .functionBody : .script,
                                  forceStrict: options.forceStrict)
        return try compile(source: source, name: name, options: opts)
    }

    /// Compiles on the calling thread (the caller guarantees enough stack for deep trees).
    public static func compileOnCurrentThread(source: String, name: String,
                                              options: CompileOptions = .functionBody) throws(SyntaxError) -> Program {
        var parseOptions: ParseOptions = options.mode == .functionBody ? .functionBody : .script
        parseOptions.forceStrict = options.forceStrict
        let program = try Parser.parse(source: source, name: name, options: parseOptions)
        return try generate(program, source: Array(source.utf16), name: name, options: options)
    }

    /// Generates code for a parsed program.
    static func generate(_ program: ProgramNode, source: [UInt16], name: String,
                         options: CompileOptions) throws(SyntaxError) -> Program {
        let isScript = options.mode == .script
        let resolver = CGResolver(isScript: isScript)
        resolver.resolve(program)
        var exportPairs: [(exported: String, local: String)] = []
        for e in program.exports {
            switch e.kind {
            case .declaration(let names): for n in names { exportPairs.append((n, n)) }
            case .specifiers(let pairs): for p in pairs { exportPairs.append((p.exported, p.local)) }
            case .defaultExpression: exportPairs.append(("default", "*default*"))
            }
        }
        let ctx = CGCompilationContext(sourceName: name, source: source, resolver: resolver, isScript: isScript,
                                     program: program, exportPairs: isScript ? [] : exportPairs)
        let main = CGFunctionCompiler(ctx: ctx, parent: nil, node: nil,
                                    info: resolver.functions[ObjectIdentifier(program)]!,
                                    isStrict: program.isStrict, name: "", position: .zero)
        let code = try main.compileProgram()
        let imports = program.imports.map { imp in
            (module: imp.module, bindings: imp.specifiers.map { (imported: $0.imported, local: $0.local) })
        }
        return Program(main: code, sourceName: name, imports: imports,
                       exports: exportPairs.map { (exported: $0.exported, local: $0.local) },
                       importPositions: program.imports.map { (Int($0.position.line), Int($0.position.column)) })
    }
}

// MARK: - Large-stack thread

private final class StackWork: @unchecked Sendable {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

/// Runs `body` synchronously on a new thread with a 256 MiB stack (falls back to the current thread).
func runOnLargeStack(_ body: @escaping () -> Void) {
    let work = StackWork(body)
    var attr = pthread_attr_t()
    pthread_attr_init(&attr)
    defer { pthread_attr_destroy(&attr) }
    pthread_attr_setstacksize(&attr, 256 << 20)
    let arg = Unmanaged.passRetained(work).toOpaque()
    #if canImport(Darwin)
    var thread: pthread_t? = nil
    #else
    var thread = pthread_t()
    #endif
    let rc = pthread_create(&thread, &attr, { raw in
        #if canImport(Darwin)
        let w = Unmanaged<StackWork>.fromOpaque(raw).takeRetainedValue()
        #else
        let w = Unmanaged<StackWork>.fromOpaque(raw!).takeRetainedValue()
        #endif
        w.body()
        return nil
    }, arg)
    if rc != 0 {
        Unmanaged<StackWork>.fromOpaque(arg).release()
        body()
        return
    }
    #if canImport(Darwin)
    pthread_join(thread!, nil)
    #else
    pthread_join(thread, nil)
    #endif
}
