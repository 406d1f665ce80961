import Testing
@testable import SluiceVM

/// Strings made from Swift text (`Runtime.string`), which widens ASCII on the stack, hold the
/// same units and charge the same bytes as the general conversion through a units array.
@Suite struct HostStringTests {
    @Test func stringsMatchTheGeneralConversion() throws {
        let rt = Runtime()
        for text in ["", "a", "abcdefghijkl", "abcdefghijklm", String(repeating: "y", count: 512),
                     String(repeating: "y", count: 513), "naïve", "😀", "\u{0}", "e\u{301}"] {
            let before = rt.heap.usedBytes
            let reference = Value(try rt.newString(JSString.units(of: text)))
            let middle = rt.heap.usedBytes
            let fast = try rt.string(text)
            #expect(fast.string.units == reference.string.units)
            #expect(rt.heap.usedBytes - middle == middle - before)
        }
    }
}
