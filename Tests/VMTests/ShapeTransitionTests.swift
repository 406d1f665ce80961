import Testing
@testable import SluiceVM

/// The shape tree hands out one shape per (parent, key, attributes), whether the transition is
/// found in the remembered last one or in the table.
@Suite struct ShapeTransitionTests {
    @Test func alternatingTransitionsGiveTheSameShapes() throws {
        let rt = Runtime()
        let a = rt.key("a"), b = rt.key("b")
        let root: Shape = rt.shapes.root
        let ab = try #require(rt.shapes.transition(from: root, adding: a, [.writable, .enumerable, .configurable]))
        let ba = try #require(rt.shapes.transition(from: root, adding: b, [.writable, .enumerable, .configurable]))
        let hidden = try #require(rt.shapes.transition(from: root, adding: a, [.writable]))
        #expect(ab !== ba && ab !== hidden && ba !== hidden)
        for _ in 0..<3 {
            #expect(rt.shapes.transition(from: root, adding: a, [.writable, .enumerable, .configurable]) === ab)
            #expect(rt.shapes.transition(from: root, adding: a, [.writable]) === hidden)
            #expect(rt.shapes.transition(from: root, adding: a, [.writable]) === hidden)
            #expect(rt.shapes.transition(from: root, adding: b, [.writable, .enumerable, .configurable]) === ba)
        }
        let abThenB = try #require(rt.shapes.transition(from: ab, adding: b, [.writable, .enumerable, .configurable]))
        #expect(abThenB.keys == [a, b])
        #expect(rt.shapes.transition(from: ab, adding: b, [.writable, .enumerable, .configurable]) === abThenB)
    }

    @Test func objectsBuiltInEitherOrderKeepTheirOwnKeys() async {
        #expect(await BuiltinsBTests().run("""
            var made = [];
            for (var i = 0; i < 6; i++) made.push(i % 2 ? { y: i, x: i } : { x: i, y: i });
            for (var i = 0; i < 6; i++) {
              eq(Object.keys(made[i]).join(), i % 2 ? "y,x" : "x,y");
              eq(made[i].x + made[i].y, 2 * i);
            }
            var o = {}; Object.defineProperty(o, "x", { value: 1, writable: true });
            var p = { x: 1 };
            eq(Object.keys(o).length, 0); eq(Object.keys(p).join(), "x");
            """) == nil)
    }
}
