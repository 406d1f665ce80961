// The embedding example from README.md, kept compiling and working as a test.
// If you change one, change the other.

import SluiceCompiler
import SluiceVM
import Testing

@Suite struct EmbeddingExampleTests {
    @Test func readmeExample() throws {
        // --- README example begins ---
        // 1. Compile once. A Program is immutable: share it between threads and runtimes.
        let program = try Compiler.compile(source: """
            const lines = order.items.map(item => {
              const each = price(item.sku);
              console.log(`${item.qty} x ${item.sku} at ${each}`);
              return each * item.qty;
            });
            return { customer: order.customer, total: lines.reduce((a, b) => a + b, 0) };
            """, name: "order.js", options: .functionBody)

        // 2. A Runtime is one isolated JavaScript world, used by one thread at a time.
        let rt = Runtime()
        var log: [String] = []
        try rt.installConsole { level, text in log.append("\(level): \(text)") }

        // Host data goes in as ScriptValue (plain, deeply frozen copies)...
        try rt.defineReadOnlyGlobal("order", .object([
            ScriptProperty("customer", .string("c-42")),
            ScriptProperty("items", .array([
                .object([ScriptProperty("sku", .string("tea")), ScriptProperty("qty", .number(2))]),
                .object([ScriptProperty("sku", .string("cake")), ScriptProperty("qty", .number(1))]),
            ])),
        ]))
        // ...and host functions receive and return ScriptValue. A Swift error becomes a JS Error.
        struct UnknownProduct: Error, CustomStringConvertible {
            let sku: String
            var description: String { "unknown product \(sku)" }
        }
        let prices = ["tea": 3.5, "cake": 4.25]
        try rt.defineHostFunction("price", length: 1) { args in
            guard case .string(let sku)? = args.first else { return .undefined }
            guard let p = prices[sku] else { throw UnknownProduct(sku: sku) }
            return .number(p)
        }

        // 3. Run under limits. The outcome is the script's return value or a ScriptError.
        let limits = Limits(instructions: 10_000_000, heapBytes: 8 << 20, wallClockMilliseconds: 1_000)
        var total: Double = 0
        switch rt.run(program, limits: limits) {
        case .success(let value):
            let result = rt.scriptValue(from: value)          // plain Swift data, safe to keep
            if case .number(let t)? = result["total"] { total = t }
        case .failure(.uncaught(let exception)):
            print(exception)                                 // order.js:3:7: Error: unknown product …
            print(exception.stack)
        case .failure(.budgetExceeded(let kind)):
            print("stopped: \(kind) budget exhausted")       // instructions, memory, time, cancelled
        }
        // --- README example ends ---

        #expect(total == 11.25)
        #expect(log == ["log: 2 x tea at 3.5", "log: 1 x cake at 4.25"])

        // The same runtime reports a host error as an uncaught JavaScript Error with a position.
        let bad = try Compiler.compile(source: "return price('bread');", name: "bad.js", options: .functionBody)
        switch rt.run(bad, limits: limits) {
        case .failure(.uncaught(let e)):
            #expect(e.name == "Error")
            #expect(e.message == "unknown product bread")
            #expect(e.line == 1)
        default:
            Issue.record("expected an uncaught Error")
        }
        // And a budget overrun is a ScriptError too; the runtime stays usable.
        let spin = try Compiler.compile(source: "for (;;) {}", name: "spin.js", options: .functionBody)
        guard case .failure(.budgetExceeded(.instructions)) = rt.run(spin, limits: Limits(instructions: 100_000)) else {
            Issue.record("expected the instruction budget to stop the loop")
            return
        }
        guard case .success(let v) = rt.run(program, limits: limits) else {
            Issue.record("the runtime should run again after a budget overrun")
            return
        }
        #expect(rt.scriptValue(from: v)["customer"] == .string("c-42"))
    }
}
