import Testing
@testable import SluiceVM

/// Tests of the Object/Function/Array/Iterator/Symbol/Map/Set/global/Boolean builtins driven from
/// Swift (no compiler needed).
@Suite struct BuiltinsATests {
    // MARK: Helpers

    final class Env {
        let rt = Runtime()

        func global(_ path: String) -> Value {
            var v = Value(rt.globalObject)
            for part in path.split(separator: ".") {
                v = try! rt.get(v, rt.key(String(part)))
            }
            return v
        }

        func str(_ s: String) -> Value { try! rt.string(s) }
        func num(_ d: Double) -> Value { Value(d) }

        func array(_ vs: [Value]) -> Value { Value(try! rt.newArray(vs)) }

        func call(_ path: String, this: Value = .undefined, _ args: [Value] = []) throws(VMError) -> Value {
            try rt.call(global(path), this: this, arguments: args)
        }

        /// Calls a method on `this` by name.
        func method(_ this: Value, _ name: String, _ args: [Value] = []) throws(VMError) -> Value {
            let f = try rt.get(this, rt.key(name))
            return try rt.call(f, this: this, arguments: args)
        }

        func native(_ length: Int = 0, _ body: @escaping NativeFunction) -> Value {
            Value(try! rt.newNativeFunction(name: "cb", length: length, body))
        }

        func s(_ v: Value) -> String { try! rt.toSwiftString(v) }

        /// `String(value)` of an array after join.
        func joined(_ v: Value) -> String { s(try! method(v, "join")) }

        func errorName(_ body: () throws(VMError) -> Value) -> String? {
            do {
                _ = try body()
                return nil
            } catch {
                guard case .exception(let e) = error else { return "terminated" }
                return s(try! rt.get(e, rt.key("name")))
            }
        }
    }

    // MARK: Object

    @Test func objectKeysValuesEntries() throws {
        let e = Env()
        let o = try e.rt.newObject()
        try e.rt.set(o, e.rt.key("b"), Value(1.0))
        try e.rt.set(o, e.rt.key("a"), Value(2.0))
        try e.rt.set(o, e.rt.key("1"), Value(3.0))
        #expect(e.joined(try e.call("Object.keys", [Value(o)])) == "1,b,a")
        #expect(e.joined(try e.call("Object.values", [Value(o)])) == "3,1,2")
        #expect(e.joined(try e.call("Object.entries", [Value(o)])) == "1,3,b,1,a,2")
    }

    @Test func definePropertyAndDescriptor() throws {
        let e = Env()
        let o = try e.rt.newObject()
        let desc = try e.rt.newObject()
        try e.rt.set(desc, e.rt.key("value"), Value(42.0))
        _ = try e.call("Object.defineProperty", [Value(o), e.str("x"), Value(desc)])
        let d = try e.call("Object.getOwnPropertyDescriptor", [Value(o), e.str("x")])
        #expect(try e.rt.get(d, e.rt.key("value")).number == 42)
        #expect(try e.rt.get(d, e.rt.key("writable")) == .false)
        #expect(try e.rt.get(d, e.rt.key("enumerable")) == .false)
        // Redefining a non-configurable property throws.
        try e.rt.set(desc, e.rt.key("value"), Value(1.0))
        #expect(e.errorName { () throws(VMError) in try e.call("Object.defineProperty", [Value(o), e.str("x"), Value(desc)]) } == "TypeError")
        // Accessor + value is a TypeError.
        let bad = try e.rt.newObject()
        try e.rt.set(bad, e.rt.key("value"), Value(1.0))
        try e.rt.set(bad, e.rt.key("get"), e.native { _, _, _ throws(VMError) in .undefined })
        #expect(e.errorName { () throws(VMError) in try e.call("Object.defineProperty", [Value(o), e.str("y"), Value(bad)]) } == "TypeError")
    }

    @Test func objectToStringTags() throws {
        let e = Env()
        #expect(e.s(try e.call("Object.prototype.toString", this: e.array([]))) == "[object Array]")
        #expect(e.s(try e.call("Object.prototype.toString", this: .null)) == "[object Null]")
        #expect(e.s(try e.call("Object.prototype.toString", this: .undefined)) == "[object Undefined]")
        #expect(e.s(try e.call("Object.prototype.toString", this: .true)) == "[object Boolean]")
        let m = try e.rt.construct(e.global("Map"), arguments: [])
        #expect(e.s(try e.call("Object.prototype.toString", this: m)) == "[object Map]")
    }

    @Test func setPrototypeOfCycle() throws {
        let e = Env()
        let a = try e.rt.newObject()
        let b = try e.rt.newObject(prototype: a)
        #expect(e.errorName { () throws(VMError) in try e.call("Object.setPrototypeOf", [Value(a), Value(b)]) } == "TypeError")
        _ = try e.call("Object.preventExtensions", [Value(b)])
        #expect(e.errorName { () throws(VMError) in try e.call("Object.setPrototypeOf", [Value(b), .null]) } == "TypeError")
        #expect(try e.call("Object.isFrozen", [Value(1.0)]) == .true)
    }

    @Test func freezeArray() throws {
        let e = Env()
        let a = e.array([Value(1.0), Value(2.0)])
        _ = try e.call("Object.freeze", [a])
        #expect(try e.call("Object.isFrozen", [a]) == .true)
        #expect(e.errorName { () throws(VMError) in try e.method(a, "push", [Value(3.0)]) } == "TypeError")
    }

    // MARK: Function

    @Test func bindNameAndLength() throws {
        let e = Env()
        let f = Value(try e.rt.newNativeFunction(name: "foo", length: 3) { _, this, args throws(VMError) in
            Value(this.number + args[0].number + args[1].number)
        })
        let b = try e.method(f, "bind", [Value(10.0), Value(1.0)])
        #expect(e.s(try e.rt.get(b, e.rt.key("name"))) == "bound foo")
        #expect(try e.rt.get(b, e.rt.key("length")).number == 2)
        #expect(try e.rt.call(b, this: .undefined, arguments: [Value(5.0)]).number == 16)
        let r = try e.method(f, "apply", [Value(1.0), e.array([Value(2.0), Value(3.0)])])
        #expect(r.number == 6)
        let c = try e.method(f, "call", [Value(1.0), Value(2.0), Value(4.0)])
        #expect(c.number == 7)
        #expect(e.s(try e.method(f, "toString")) == "function foo() { [native code] }")
    }

    // MARK: Array

    @Test func arrayBasics() throws {
        let e = Env()
        let a = e.array([Value(3.0), Value(1.0), Value(2.0)])
        #expect(try e.method(a, "push", [Value(10.0)]).number == 4)
        #expect(e.joined(a) == "3,1,2,10")
        #expect(try e.method(a, "pop").number == 10)
        _ = try e.method(a, "sort")
        #expect(e.joined(a) == "1,2,3")
        _ = try e.method(a, "reverse")
        #expect(e.joined(a) == "3,2,1")
        #expect(try e.method(a, "indexOf", [Value(2.0)]).number == 1)
        #expect(try e.method(a, "includes", [Value(.nan)]) == .false)
        let s = try e.method(a, "slice", [Value(1.0)])
        #expect(e.joined(s) == "2,1")
        let removed = try e.method(a, "splice", [Value(1.0), Value(1.0), e.str("x"), e.str("y")])
        #expect(e.joined(removed) == "2")
        #expect(e.joined(a) == "3,x,y,1")
        let c = try e.method(a, "concat", [e.array([Value(7.0)]), Value(8.0)])
        #expect(e.joined(c) == "3,x,y,1,7,8")
        let nested = e.array([Value(1.0), e.array([Value(2.0), e.array([Value(3.0)])])])
        #expect(try e.rt.get(try e.method(nested, "flat"), e.rt.key("length")).number == 3)
        #expect(try e.rt.get(try e.method(nested, "flat", [Value(Double.infinity)]), e.rt.key("length")).number == 3)
        #expect(try e.method(a, "at", [Value(-1.0)]).number == 1)
        #expect(e.joined(try e.method(a, "with", [Value(0.0), Value(9.0)])) == "9,x,y,1")
        #expect(e.errorName { () throws(VMError) in try e.method(a, "with", [Value(10.0), Value(9.0)]) } == "RangeError")
    }

    @Test func arraySortComparatorAndUndefined() throws {
        let e = Env()
        let a = e.array([Value(10.0), .undefined, Value(9.0), Value(1.0), .hole, Value(100.0)])
        _ = try e.method(a, "sort")
        #expect(e.joined(a) == "1,10,100,9,,")
        #expect(try e.rt.get(a, e.rt.key("length")).number == 6)
        #expect(e.rt.hasOwnProperty(a.object, PropertyKey(index: 5)) == false)
        let b = e.array((0..<50).map { Value(Double(($0 * 37) % 50)) })
        let cmp = e.native(2) { _, _, args throws(VMError) in Value(args[0].number - args[1].number) }
        _ = try e.method(b, "sort", [cmp])
        #expect(e.joined(try e.method(b, "slice", [Value(0.0), Value(5.0)])) == "0,1,2,3,4")
        // Stability: sort pairs by first component only.
        let pairs = e.array((0..<20).map { i in e.array([Value(Double(i % 3)), Value(Double(i))]) })
        let byFirst = e.native(2) { rt, _, args throws(VMError) in
            Value(try rt.get(args[0], PropertyKey(index: 0)).number - (try rt.get(args[1], PropertyKey(index: 0)).number))
        }
        _ = try e.method(pairs, "sort", [byFirst])
        var seconds: [Double] = []
        for i in 0..<20 { seconds.append(try e.rt.get(try e.rt.get(pairs, PropertyKey(index: UInt32(i))), PropertyKey(index: 1)).number) }
        #expect(seconds == [0, 3, 6, 9, 12, 15, 18, 1, 4, 7, 10, 13, 16, 19, 2, 5, 8, 11, 14, 17])
    }

    @Test func arrayMapFilterReduce() throws {
        let e = Env()
        let a = e.array([Value(1.0), Value(2.0), Value(3.0), Value(4.0)])
        let dbl = e.native(1) { _, _, args throws(VMError) in Value(args[0].number * 2) }
        #expect(e.joined(try e.method(a, "map", [dbl])) == "2,4,6,8")
        let even = e.native(1) { _, _, args throws(VMError) in Value(args[0].number.truncatingRemainder(dividingBy: 2) == 0) }
        #expect(e.joined(try e.method(a, "filter", [even])) == "2,4")
        let sum = e.native(2) { _, _, args throws(VMError) in Value(args[0].number + args[1].number) }
        #expect(try e.method(a, "reduce", [sum]).number == 10)
        #expect(try e.method(a, "reduceRight", [sum, Value(5.0)]).number == 15)
        #expect(try e.method(a, "findLast", [even]).number == 4)
        #expect(try e.method(a, "findIndex", [even]).number == 1)
        #expect(e.errorName { () throws(VMError) in try e.method(e.array([]), "reduce", [sum]) } == "TypeError")
    }

    @Test func arrayGenericOnArrayLike() throws {
        let e = Env()
        let o = try e.rt.newObject()
        try e.rt.set(o, e.rt.key("length"), Value(2.0))
        try e.rt.set(o, PropertyKey(index: 0), e.str("a"))
        try e.rt.set(o, PropertyKey(index: 1), e.str("b"))
        #expect(e.s(try e.call("Array.prototype.join", this: Value(o), [e.str("-")])) == "a-b")
        #expect(try e.call("Array.prototype.push", this: Value(o), [e.str("c")]).number == 3)
        #expect(try e.rt.get(Value(o), e.rt.key("length")).number == 3)
        let from = try e.call("Array.from", this: e.global("Array"), [Value(o)])
        #expect(e.joined(from) == "a,b,c")
        // Array-like with a huge length.
        let big = try e.rt.newObject()
        try e.rt.set(big, e.rt.key("length"), Value(9007199254740991.0))
        #expect(e.errorName { () throws(VMError) in try e.call("Array.prototype.push", this: Value(big), [Value(1.0)]) } == "TypeError")
        try e.rt.set(big, e.rt.key("length"), Value(4294967296.0))
        try e.rt.set(big, e.rt.key("4294967295"), e.str("x"))
        #expect(try e.call("Array.prototype.indexOf", this: Value(big), [e.str("x")]).number == 4294967295)
    }

    @Test func arrayConstructor() throws {
        let e = Env()
        let a = try e.rt.construct(e.global("Array"), arguments: [Value(5.0)])
        #expect(try e.rt.get(a, e.rt.key("length")).number == 5)
        #expect(e.errorName { () throws(VMError) in try e.rt.construct(e.global("Array"), arguments: [Value(1.5)]) } == "RangeError")
        let b = try e.call("Array", [e.str("x"), e.str("y")])
        #expect(e.joined(b) == "x,y")
        #expect(try e.call("Array.isArray", [b]) == .true)
        #expect(e.joined(try e.call("Array.of", this: e.global("Array"), [Value(7.0)])) == "7")
    }

    @Test func arrayIterator() throws {
        let e = Env()
        let a = e.array([e.str("a"), e.str("b")])
        let it = try e.method(a, "entries")
        let r1 = try e.method(it, "next")
        #expect(e.joined(try e.rt.get(r1, e.rt.key("value"))) == "0,a")
        _ = try e.method(it, "next")
        let r3 = try e.method(it, "next")
        #expect(try e.rt.get(r3, e.rt.key("done")) == .true)
        // Stays done after growing the array.
        _ = try e.method(a, "push", [e.str("c")])
        #expect(try e.rt.get(try e.method(it, "next"), e.rt.key("done")) == .true)
        #expect(e.rt.hasDefaultArrayIteration(a))
        let list = try e.rt.iterableToList(e.str("a\u{1F600}b"))
        #expect(list.count == 3)
    }

    @Test func joinCycleAndBudget() throws {
        let e = Env()
        let a = e.array([Value(1.0)])
        _ = try e.method(a, "push", [a])
        #expect(e.joined(a) == "1,")
        // A large join is charged and fits.
        let big = try e.rt.construct(e.global("Array"), arguments: [Value(100_000.0)])
        let s = try e.method(big, "join", [e.str("ab")])
        #expect(s.string.count == 199_998)
        e.rt.heap.limitBytes = e.rt.heap.usedBytes + 100_000
        if case .terminated(.memory)? = { () -> VMError? in
            do throws(VMError) { _ = try e.method(big, "join", [e.str("abcdefgh")]); return nil } catch { return error }
        }() {} else { Issue.record("expected memory termination") }
    }

    // MARK: Map and Set

    @Test func mapBasicsAndIterationWithDeletion() throws {
        let e = Env()
        let m = try e.rt.construct(e.global("Map"), arguments: [])
        for i in 0..<40 { _ = try e.method(m, "set", [Value(Double(i)), e.str("v\(i)")]) }
        _ = try e.method(m, "set", [Value(-0.0), e.str("zero")])
        #expect(e.s(try e.method(m, "get", [Value(0.0)])) == "zero")
        #expect(try e.rt.get(m, e.rt.key("size")).number == 40)
        let it = try e.method(m, "keys")
        #expect(try e.rt.get(try e.method(it, "next"), e.rt.key("value")).number == 0)
        // Delete most entries (forces compaction) while iterating.
        for i in 1..<35 { _ = try e.method(m, "delete", [Value(Double(i))]) }
        #expect(try e.rt.get(try e.method(it, "next"), e.rt.key("value")).number == 35)
        _ = try e.method(m, "clear")
        _ = try e.method(m, "set", [e.str("after"), Value(1.0)])
        #expect(e.s(try e.rt.get(try e.method(it, "next"), e.rt.key("value"))) == "after")
        #expect(try e.rt.get(try e.method(it, "next"), e.rt.key("done")) == .true)
        #expect(e.errorName { () throws(VMError) in try e.call("Map", []) } == "TypeError")
        // NaN and string keys by content.
        _ = try e.method(m, "set", [Value(Double.nan), Value(1.0)])
        #expect(try e.method(m, "has", [Value(Double.nan)]) == .true)
        #expect(try e.method(m, "has", [e.str("aft" + "er")]) == .true)
    }

    @Test func setFromArrayAndForEach() throws {
        let e = Env()
        let s = try e.rt.construct(e.global("Set"), arguments: [e.array([Value(1.0), Value(2.0), Value(1.0), e.str("x")])])
        #expect(try e.rt.get(s, e.rt.key("size")).number == 3)
        var seen: [String] = []
        let cb = e.native(1) { rt, _, args throws(VMError) in
            seen.append(try rt.toSwiftString(args[0]))
            return .undefined
        }
        _ = try e.method(s, "forEach", [cb])
        #expect(seen == ["1", "2", "x"])
        let keys = try e.rt.get(e.global("Set.prototype"), e.rt.key("keys"))
        let values = try e.rt.get(e.global("Set.prototype"), e.rt.key("values"))
        #expect(keys == values)
        let grouped = try e.call("Map.groupBy", [e.array([Value(1.0), Value(2.0), Value(3.0)]),
                                                 e.native(1) { _, _, args throws(VMError) in Value(args[0].number.truncatingRemainder(dividingBy: 2)) }])
        #expect(e.joined(try e.method(grouped, "get", [Value(1.0)])) == "1,3")
    }

    // MARK: Globals, Symbol, Boolean

    @Test func parseIntAndFloat() throws {
        let e = Env()
        #expect(try e.call("parseInt", [e.str("  0x1F")]).number == 31)
        #expect(try e.call("parseInt", [e.str("-12px")]).number == -12)
        #expect(try e.call("parseInt", [e.str("z"), Value(36.0)]).number == 35)
        #expect(try e.call("parseInt", [e.str("12"), Value(1.0)]).number.isNaN)
        #expect(try e.call("parseInt", [e.str("-0")]).number.sign == .minus)
        #expect(try e.call("parseInt", [e.str("0x1000000000000081")]).number == 1152921504606847232)
        #expect(try e.call("parseInt", [e.str("0x1000000000000080")]).number == 1152921504606846976)
        #expect(try e.call("parseFloat", [e.str("  3.5e2xyz")]).number == 350)
        #expect(try e.call("parseFloat", [e.str("-Infinityx")]).number == -.infinity)
        #expect(try e.call("parseFloat", [e.str(".5")]).number == 0.5)
        #expect(try e.call("parseFloat", [e.str("1e")]).number == 1)
        #expect(try e.call("parseFloat", [e.str("e1")]).number.isNaN)
        #expect(try e.call("isNaN", [e.str("abc")]) == .true)
        #expect(try e.call("isFinite", [e.str("12")]) == .true)
    }

    @Test func uriFunctions() throws {
        let e = Env()
        #expect(e.s(try e.call("encodeURIComponent", [e.str("a b&c/é😀")])) == "a%20b%26c%2F%C3%A9%F0%9F%98%80")
        #expect(e.s(try e.call("encodeURI", [e.str("http://x/a b?c=d#e")])) == "http://x/a%20b?c=d#e")
        #expect(e.s(try e.call("decodeURIComponent", [e.str("a%20b%26c%2F%C3%A9%F0%9F%98%80")])) == "a b&c/é😀")
        #expect(e.s(try e.call("decodeURI", [e.str("%2F%20")])) == "%2F ")
        #expect(e.errorName { () throws(VMError) in try e.call("decodeURIComponent", [e.str("%E0%A4%A")]) } == "URIError")
        #expect(e.errorName { () throws(VMError) in try e.call("decodeURIComponent", [e.str("%C0%80")]) } == "URIError")
        let lone = Value(try e.rt.newString(ContiguousArray<UInt16>([0xD800])))
        #expect(e.errorName { () throws(VMError) in try e.call("encodeURIComponent", [lone]) } == "URIError")
    }

    @Test func symbols() throws {
        let e = Env()
        let s1 = try e.call("Symbol.for", [e.str("k")])
        let s2 = try e.call("Symbol.for", [e.str("k")])
        #expect(s1 == s2)
        #expect(e.s(try e.call("Symbol.keyFor", [s1])) == "k")
        let s3 = try e.call("Symbol", [e.str("d")])
        #expect(try e.call("Symbol.keyFor", [s3]) == .undefined)
        #expect(e.s(try e.method(s3, "toString")) == "Symbol(d)")
        #expect(e.s(try e.rt.get(s3, e.rt.key("description"))) == "d")
        #expect(e.errorName { () throws(VMError) in try e.rt.construct(e.global("Symbol"), arguments: []) } == "TypeError")
        #expect(try e.rt.get(e.global("Symbol"), e.rt.key("iterator")) == Value(e.rt.wellKnownSymbols.iterator))
    }

    @Test func booleans() throws {
        let e = Env()
        let b = try e.rt.construct(e.global("Boolean"), arguments: [e.str("")])
        #expect(try e.method(b, "valueOf") == .false)
        #expect(e.s(try e.method(.true, "toString")) == "true")
        #expect(e.errorName { () throws(VMError) in try e.call("Boolean.prototype.valueOf", this: Value(1.0)) } == "TypeError")
        #expect(try e.call("Boolean", [Value(1.0)]) == .true)
    }

    @Test func groupByAndFromEntries() throws {
        let e = Env()
        let parity = e.native(1) { rt, _, args throws(VMError) in
            try rt.string(args[0].number.truncatingRemainder(dividingBy: 2) == 0 ? "even" : "odd")
        }
        let g = try e.call("Object.groupBy", [e.array([Value(1.0), Value(2.0), Value(3.0)]), parity])
        #expect(e.joined(try e.rt.get(g, e.rt.key("odd"))) == "1,3")
        #expect(try e.call("Object.getPrototypeOf", [g]) == .null)
        let entries = e.array([e.array([e.str("a"), Value(1.0)]), e.array([e.str("b"), Value(2.0)])])
        let o = try e.call("Object.fromEntries", [entries])
        #expect(try e.rt.get(o, e.rt.key("b")).number == 2)
    }
}
