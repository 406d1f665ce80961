import Testing
@testable import SluiceCompiler
import SluiceVM

// Code-generation tests: compile snippets and check the disassembly.

enum CodeGenTestSupport {
    static func compile(_ src: String, _ options: CompileOptions = .functionBody) throws -> Program {
        try Compiler.compile(source: src, name: "test.js", options: options)
    }

    /// Opcodes of `code` in order (AUX words skipped).
    static func ops(_ code: FunctionCode) -> [Opcode] {
        var out: [Opcode] = []
        var pc = 0
        while pc < code.code.count {
            let op = code.code[pc].opcode
            out.append(op)
            pc += Instruction.hasAux(op) ? 2 : 1
        }
        return out
    }

    /// Every opcode in `code` and its descendants.
    static func allOps(_ code: FunctionCode) -> [Opcode] {
        var out = ops(code)
        for c in code.children { out += allOps(c) }
        return out
    }

    static func child(_ p: Program, _ i: Int = 0) -> FunctionCode { p.main.children[i] }
}

private typealias S = CodeGenTestSupport

@Suite struct CodeGenTests {
    @Test func simpleLoopIsTight() throws {
        let p = try S.compile("function f(n) { let s = 0; for (let i = 0; i < n; i++) s += i; return s }")
        let f = S.child(p)
        let ops = S.ops(f)
        #expect(ops.contains(.loop))
        #expect(ops.contains(.jumpIfNotLess))
        #expect(!ops.contains(.move), "\(Disassembler.disassemble(f))")
        #expect(ops.contains(.increment))
        #expect(!ops.contains(.jump))
        // loadInt s, loadInt i, jumpIfNotLess, add, increment, loop, return
        #expect(ops == [.loadInt, .loadInt, .jumpIfNotLess, .add, .increment, .loop, .return],
                "\(Disassembler.disassemble(f))")
    }

    @Test func constantLoopBoundIsPreloaded() throws {
        let p = try S.compile("function f() { let s = 0; for (let i = 0; i < 100; i++) { s = s + 1 } return s }")
        let f = S.child(p)
        let ops = S.ops(f)
        // The bound is loaded once before the loop; s = s + 1 is one addConst.
        #expect(ops == [.loadInt, .loadInt, .loadInt, .jumpIfNotLess, .addConst, .increment, .loop, .return],
                "\(Disassembler.disassemble(f))")
    }

    @Test func assignmentTargetsRegisterDirectly() throws {
        let p = try S.compile("function f(a, b) { let x; x = a + b; return x }")
        let ops = S.ops(S.child(p))
        #expect(ops == [.loadUndefined, .add, .return])
    }

    @Test func capturedVariablesUseEnvironment() throws {
        let p = try S.compile("function f() { let x = 1; return () => x }")
        let f = S.child(p)
        let ops = S.ops(f)
        #expect(ops.contains(.pushEnvironment))
        #expect(ops.contains(.setEnv))
        let arrow = f.children[0]
        #expect(S.ops(arrow).contains(.getEnv) || S.ops(arrow).contains(.getEnvChecked))
        #expect(arrow.flags.contains(.arrow))
    }

    @Test func uncapturedVariablesStayInRegisters() throws {
        let p = try S.compile("function f(a) { var x = a * 2; let y = x + 1; return y }")
        let ops = S.ops(S.child(p))
        #expect(!ops.contains(.pushEnvironment))
        #expect(!ops.contains(.setEnv))
        #expect(!ops.contains(.checkInitialized))
    }

    @Test func tryFinallyProducesHandlers() throws {
        let p = try S.compile("function f(g) { try { g() } finally { g() } }")
        let f = S.child(p)
        #expect(!f.handlers.isEmpty)
        let ops = S.ops(f)
        #expect(ops.filter { $0 == .call }.count == 3)  // body, finally (normal), finally (exception)
        #expect(ops.contains(.throw))
    }

    @Test func tryCatchHandlerCoversTryBlockOnly() throws {
        let p = try S.compile("function f(g) { try { g() } catch (e) { return e } return 1 }")
        let f = S.child(p)
        #expect(f.handlers.count == 1)
        let h = f.handlers[0]
        #expect(h.start < h.end && h.end <= h.handler)
    }

    @Test func returnThroughFinallyInlinesIt() throws {
        let p = try S.compile("function f(g) { try { return g() } finally { g() } }")
        let f = S.child(p)
        let ops = S.ops(f)
        #expect(ops.filter { $0 == .call }.count == 4, "\(Disassembler.disassemble(f))")
        // The inlined finally before the return must not be covered by the handler.
        for h in f.handlers {
            var pc = h.start
            while pc < h.end {
                #expect(f.code[pc].opcode != .return)
                pc += Instruction.hasAux(f.code[pc].opcode) ? 2 : 1
            }
        }
    }

    @Test func forOfBreakClosesIterator() throws {
        let p = try S.compile("function f(a) { for (const x of a) { if (x) break } }")
        let f = S.child(p)
        let ops = S.ops(f)
        #expect(ops.contains(.getIterator))
        #expect(ops.contains(.iteratorNext))
        #expect(ops.filter { $0 == .iteratorClose }.count == 2)  // break + throw handler
        #expect(f.handlers.count >= 1)
    }

    @Test func perIterationLetBindings() throws {
        let p = try S.compile("function f() { const fs = []; for (let i = 0; i < 3; i++) fs.push(() => i); return fs }")
        let ops = S.ops(S.child(p))
        #expect(ops.contains(.copyEnvironment))
        #expect(ops.contains(.pushEnvironment))
        #expect(ops.contains(.popEnvironment))
    }

    @Test func globalsInScriptMode() throws {
        let p = try S.compile("var a = 1; function g() { return a } b = a + g()", .script)
        let ops = S.ops(p.main)
        #expect(ops.contains(.declareGlobalVar))
        #expect(ops.contains(.declareGlobalFunction))
        #expect(ops.contains(.setGlobal))
        #expect(ops.contains(.getGlobal))
        #expect(p.main.flags.contains(.topLevel))
    }

    @Test func typeofUnresolvedUsesGetGlobalOrUndefined() throws {
        let p = try S.compile("return typeof foo")
        #expect(S.ops(p.main).contains(.getGlobalOrUndefined))
    }

    @Test func tdzChecks() throws {
        let p = try S.compile("function f() { g(); let x = 1; function g() { return x } return x }")
        let f = S.child(p)
        let g = f.children[0]
        #expect(S.ops(g).contains(.getEnvChecked))
        #expect(S.ops(f).contains(.loadUninitialized))
        let p2 = try S.compile("function f() { let x = 1; return x + 1 }")
        #expect(!S.ops(S.child(p2)).contains(.checkInitialized))
        let p3 = try S.compile("function f() { x; let x = 1 }")
        #expect(S.ops(S.child(p3)).contains(.checkInitialized))
    }

    @Test func constAssignmentThrows() throws {
        let p = try S.compile("const c = 1; c = 2")
        #expect(S.ops(p.main).contains(.throwConstAssignment))
    }

    @Test func statementIncrementIsSingleInstruction() throws {
        let p = try S.compile("function f(i) { i++; return i }")
        #expect(S.ops(S.child(p)) == [.increment, .return])
    }

    @Test func postfixYieldsNumber() throws {
        let p = try S.compile("function f(i) { return i++ }")
        #expect(S.ops(S.child(p)) == [.toNumber, .increment, .return])
    }

    @Test func methodCallPassesReceiver() throws {
        let p = try S.compile("function f(o) { return o.m(1) }")
        let f = S.child(p)
        #expect(S.ops(f) == [.move, .getField, .loadInt, .call, .return], "\(Disassembler.disassemble(f))")
    }

    @Test func plainCallPassesUndefined() throws {
        let p = try S.compile("function f(g) { return g(1, 2) }")
        #expect(S.ops(S.child(p)) == [.move, .loadUndefined, .loadInt, .loadInt, .call, .return])
    }

    @Test func spreadCall() throws {
        let p = try S.compile("function f(g, a) { return g(...a, 1) }")
        let ops = S.ops(S.child(p))
        #expect(ops.contains(.arraySpread))
        #expect(ops.contains(.callSpread))
    }

    @Test func classes() throws {
        let p = try S.compile("""
            class A { constructor(x) { this.x = x } get y() { return 1 } static s() {} }
            class B extends A { m() { return super.y } }
            return new B(1)
            """)
        let ops = S.allOps(p.main)
        #expect(ops.contains(.createClass))
        #expect(ops.contains(.defineMethod))
        #expect(ops.contains(.getSuper))
        #expect(ops.contains(.superCallSpread))  // synthesized derived constructor
        #expect(ops.contains(.construct))
    }

    @Test func destructuring() throws {
        let p = try S.compile("function f(o) { const {a, b: [c, d = 1], ...rest} = o; return a + c + d }")
        let ops = S.ops(S.child(p))
        #expect(ops.contains(.getField))
        #expect(ops.contains(.getIterator))
        #expect(ops.contains(.copyDataProperties))
        #expect(ops.contains(.jumpIfNotUndefined))
    }

    @Test func optionalChain() throws {
        let p = try S.compile("function f(a) { return a?.b.c() }")
        let ops = S.ops(S.child(p))
        #expect(ops.contains(.jumpIfNullish))
        #expect(ops.contains(.call))
    }

    @Test func switchUsesStrictEqualJumps() throws {
        let p = try S.compile("function f(x) { switch (x) { case 1: return 'a'; default: return 'c'; case 2: return 'b' } }")
        let ops = S.ops(S.child(p))
        #expect(ops.filter { $0 == .jumpIfNotStrictEqual }.count == 2)
    }

    @Test func everyLoopHasLoopOp() throws {
        for src in ["while (a) {}", "do {} while (a)", "for (;;) { if (a) break }", "for (const k in a) {}",
                    "for (const v of a) {}", "for (let i = 0; i < a; i++) {}"] {
            let p = try S.compile("function f(a) { \(src) }")
            #expect(S.ops(S.child(p)).contains(.loop), "\(src)")
        }
    }

    @Test func backwardJumpsAreLoops() throws {
        let p = try S.compile("""
            function f(a) {
              outer: for (let i = 0; i < a; i++) { for (let j = 0; j < a; j++) { if (j) continue outer; while (a) { a-- } } }
              do { a++ } while (a < 10)
            }
            """)
        let f = S.child(p)
        var pc = 0
        while pc < f.code.count {
            let ins = f.code[pc]
            if ins.opcode == .jump { #expect(ins.sbx >= 0) }
            pc += Instruction.hasAux(ins.opcode) ? 2 : 1
        }
    }

    @Test func lineTable() throws {
        let p = try S.compile("let a = 1\nlet b = 2\nthrow a + b")
        #expect(p.main.lineTable.count >= 3)
        let last = p.main.lineTable.last!
        #expect(last.line == 3)
    }

    @Test func exportsStoreGlobals() throws {
        let p = try S.compile("export const x = 1; export default 5; if (x) return; export function f() {}")
        #expect(p.exports.map { $0.exported }.sorted() == ["default", "f", "x"])
        let ops = S.ops(p.main)
        #expect(ops.filter { $0 == .setGlobal }.count == 6)
    }

    @Test func tooManyRegistersIsSyntaxError() throws {
        // 70,000 call arguments need 70,000 consecutive registers.
        let src = "f(" + String(repeating: "0,", count: 70_000) + "0)"
        do throws(SyntaxError) {
            _ = try Compiler.compile(source: src, name: "test.js")
            Issue.record("expected a SyntaxError")
        } catch {
            #expect(error.message == "function too large")
            #expect(error.position.line == 1)
        }
    }

    @Test func deepNesting() throws {
        // As deep as the parser allows.
        var depth = Parser.maxNestingDepth
        while depth > 0 {
            let src = "return " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            if (try? S.compile(src)) != nil { break }
            depth -= 25
        }
        #expect(depth > 100)
        let src2 = "return " + String(repeating: "(a + ", count: depth / 2) + "1" + String(repeating: ")", count: depth / 2)
        _ = try? S.compile(src2)
    }

    @Test func disassemblerListsEverything() throws {
        let p = try S.compile("function f(o) { return o.x + 'a' + /re/g.source }")
        let text = Disassembler.disassemble(p.main)
        #expect(text.contains("getField"))
        #expect(text.contains("\"x\""))
        #expect(text.contains("regExp"))
        #expect(text.contains("function f"))
    }

    @Test func handlersRestoreEnvironmentOnlyWhenNeeded() throws {
        let plain = S.child(try S.compile("function f(g) { try { let x = g(); g(x) } catch (e) { return e } }"))
        #expect(!S.ops(plain).contains(.saveEnvironment))
        #expect(!S.ops(plain).contains(.restoreEnvironment))
        let captured = S.child(try S.compile("function f(g) { try { let x = g(); g(() => x) } catch (e) { return e } }"))
        #expect(S.ops(captured).contains(.saveEnvironment))
        #expect(S.ops(captured).contains(.restoreEnvironment))
        let loop = S.child(try S.compile("function f(a, g) { for (const x of a) g(() => x) }"))
        #expect(S.ops(loop).contains(.saveEnvironment))
        #expect(S.ops(loop).contains(.restoreEnvironment))
    }

    @Test func namedFunctionExpressionUsesRegister() throws {
        let p = try S.compile("return function me(n) { return n ? me(n - 1) : 0 }")
        let f = S.child(p)
        #expect(S.ops(f).contains(.loadFunction))
        #expect(!S.ops(f).contains(.pushEnvironment))
    }

    @Test func closureCreatedAfterDeclarationNeedsNoCheck() throws {
        let p = try S.compile("function f() { let x = 1; return () => x }")
        #expect(S.ops(S.child(p).children[0]).contains(.getEnv))
        #expect(!S.ops(S.child(p).children[0]).contains(.getEnvChecked))
    }

    @Test func returnConditionalReturnsFromBranches() throws {
        let p = try S.compile("function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) }")
        let ops = S.ops(S.child(p))
        #expect(ops.prefix(3) == [.loadInt, .jumpIfNotLess, .return])
        #expect(!ops.contains(.jump))
    }

    @Test func parameterTDZ() throws {
        let p = try S.compile("function f(a = b, b) { return a }")
        #expect(S.ops(S.child(p)).contains(.throwError))
    }
}
