import Testing
@testable import SluiceVM

/// Interpreter tests on hand-assembled bytecode: they pin the instruction semantics without the compiler.
@Suite struct InterpreterAssemblyTests {
    private func function(_ name: String, _ code: [Instruction], constants: [Constant] = [], children: [FunctionCode] = [],
                          params: Int = 0, registers: Int, flags: FunctionCode.Flags = [.strict]) -> FunctionCode {
        FunctionCode(name: name, code: code, constants: constants, children: children, parameterCount: params,
                     length: params, registerCount: registers, flags: flags, handlers: [], lineTable: [],
                     sourceName: "test.js", sourceText: "")
    }

    @Test func loopSumsIntegers() throws {
        // r1 = 0; r2 = 0; while (r2 < 1000) { r1 += r2; r2 += 1 } return r1
        let code: [Instruction] = [
            Instruction(.loadInt, a: 1, sbx: 0),
            Instruction(.loadInt, a: 2, sbx: 0),
            Instruction(.loadInt, a: 3, sbx: 1000),
            Instruction(.jumpIfNotLess, a: 2, b: 3), Instruction(raw: 3),
            Instruction(.add, a: 1, b: 1, c: 2),
            Instruction(.increment, a: 2, b: 2),
            Instruction(.loop, a: 0, sbx: -6),
            Instruction(.return, a: 1),
        ]
        let rt = Runtime()
        let result = rt.run(Program(main: function("main", code, registers: 4, flags: [.strict, .topLevel]),
                                    sourceName: "t"))
        #expect(try result.get() == Value(499500.0))
    }

    @Test func recursiveFibonacci() throws {
        // function fib(n) { return n < 2 ? n : fib(n-1) + fib(n-2) }  (fib is child 0, read from global "fib")
        let fib = function("fib", [
            Instruction(.loadInt, a: 2, sbx: 2),
            Instruction(.jumpIfNotLess, a: 1, b: 2), Instruction(raw: 1),
            Instruction(.return, a: 1),
            Instruction(.getGlobal, a: 3, bx: 0),
            Instruction(.loadUndefined, a: 4),
            Instruction(.loadInt, a: 6, sbx: 1),
            Instruction(.subtract, a: 5, b: 1, c: 6),
            Instruction(.call, a: 3, b: 0, c: 1),
            Instruction(.getGlobal, a: 7, bx: 0),
            Instruction(.loadUndefined, a: 8),
            Instruction(.subtract, a: 9, b: 1, c: 2),
            Instruction(.call, a: 7, b: 0, c: 1),
            Instruction(.add, a: 3, b: 3, c: 7),
            Instruction(.return, a: 3),
        ], constants: [.string(Array("fib".utf16))], params: 1, registers: 10)
        let main = function("main", [
            Instruction(.closure, a: 1, bx: 0),
            Instruction(.setGlobal, a: 1, bx: 0),
            Instruction(.getGlobal, a: 2, bx: 0),
            Instruction(.loadUndefined, a: 3),
            Instruction(.loadInt, a: 4, sbx: 20),
            Instruction(.call, a: 2, b: 0, c: 1),
            Instruction(.return, a: 2),
        ], constants: [.string(Array("fib".utf16))], children: [fib], registers: 5, flags: [.topLevel])
        let rt = Runtime()
        #expect(try rt.run(Program(main: main, sourceName: "t")).get() == Value(6765.0))
    }

    @Test func exceptionHandlerCatchesThrow() throws {
        // try { throw 7 } catch (e) { return e + 1 }
        var code: [Instruction] = [
            Instruction(.loadInt, a: 1, sbx: 7),
            Instruction(.throw, a: 1),
            Instruction(.returnUndefined),
            Instruction(.loadInt, a: 3, sbx: 1),
            Instruction(.add, a: 2, b: 2, c: 3),
            Instruction(.return, a: 2),
        ]
        code.append(Instruction(.returnUndefined))
        let f = FunctionCode(name: "main", code: code, constants: [], children: [], parameterCount: 0, length: 0,
                             registerCount: 4, flags: [.topLevel], handlers: [ExceptionHandler(start: 0, end: 3, handler: 3, register: 2)],
                             lineTable: [], sourceName: "t", sourceText: "")
        let rt = Runtime()
        #expect(try rt.run(Program(main: f, sourceName: "t")).get() == Value(8.0))
    }

    @Test func infiniteLoopEndsWithInstructionBudget() {
        let code: [Instruction] = [Instruction(.loop, a: 0, sbx: -1)]
        let rt = Runtime()
        let r = rt.run(Program(main: function("main", code, registers: 1), sourceName: "t"),
                       limits: Limits(instructions: 100_000))
        guard case .failure(.budgetExceeded(.instructions)) = r else {
            Issue.record("expected instruction budget, got \(r)")
            return
        }
    }
}
