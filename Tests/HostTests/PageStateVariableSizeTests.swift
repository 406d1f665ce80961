import SluiceVM
import Testing
@testable import SluiceHost

/// `setVariable`'s size cap counts JSON bytes without building the JSON text: the count must match
/// the text exactly.
@Suite struct PageStateVariableSizeTests {
    @Test(arguments: [
        ScriptValue.undefined, .null, .bool(true), .bool(false), .number(0), .number(-1.5), .number(1e21),
        .number(.nan), .number(.infinity), .string(""), .string("plain"), .string("quote \" and \\ slash"),
        .string("lines\n\r\ttab\u{08}\u{0C}"), .string("control \u{01}\u{1F}"), .string("héllo wörld ✓ 🎉"),
        .array([]), .array([.undefined, .null, .number(2), .string("x")]),
        .object([]), .object([ScriptProperty("a", .number(1)), ScriptProperty("gone", .undefined),
                              ScriptProperty("k\"ey", .array([.object([ScriptProperty("n", .string("é\n"))])]))]),
        .object([ScriptProperty("only", .undefined)]),
    ])
    func countsMatchTheJSONText(_ value: ScriptValue) {
        #expect(PageState.jsonByteCount(value) == value.jsonText.utf8.count, "\(value.jsonText)")
    }

    @Test func theCapStillApplies() {
        let state = PageState()
        let big = ScriptValue.string(String(repeating: "\u{01}", count: PageState.variableByteCap / 6))
        #expect(!state.setVariable("big", big), "escaped to six bytes each, it exceeds the cap")
        #expect(state.setVariable("small", .string("ok")))
        #expect(state.variable("small") == .string("ok"))
    }

    /// Few variables are found by scanning, many through an index built on the way: both must
    /// keep first-set order through overwrites and removals.
    @Test(arguments: [5, 40])
    func variablesKeepTheirOrderThroughOverwritesAndRemovals(count: Int) {
        let state = PageState()
        for i in 0..<count { #expect(state.setVariable("v\(i)", .number(Double(i)))) }
        #expect(state.setVariable("v1", .string("changed")))
        #expect(state.setVariable("v2", nil))
        #expect(state.setVariable("v2", nil), "removing an absent key is fine")
        #expect(state.setVariable("late", .bool(true)))
        var expected = (0..<count).filter { $0 != 2 }.map { "v\($0)" }
        expected.append("late")
        #expect(state.variables.map(\.key) == expected)
        #expect(state.variable("v1") == .string("changed"))
        #expect(state.variable("v2") == nil)
        #expect(state.variable("v\(count - 1)") == .number(Double(count - 1)))
        #expect(state.variable("late") == .bool(true))
    }
}
