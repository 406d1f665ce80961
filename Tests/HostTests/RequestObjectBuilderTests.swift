import SluiceVM
import Testing
@testable import SluiceHost

/// `RequestObjectBuilder` must make exactly what `Runtime.readOnlyValue(from:)` makes of the same
/// request value: keys and their order, values, attributes, extensibility, prototypes, shapes
/// and heap charges. Each case builds both in one runtime and compares full descriptions.
@Suite struct RequestObjectBuilderTests {
    /// Everything observable about `v` (and internal layout: shape kind and id, flags).
    static func describe(_ v: Value, _ rt: Runtime) -> String {
        if v.isUndefined { return "undefined" }
        if v.isNull { return "null" }
        if v.isBoolean { return v.boolean ? "true" : "false" }
        if v.isNumber { return "n\(v.bits)" }
        if v.isString { return "s" + v.string.units.map { String($0, radix: 16) }.joined(separator: ".") }
        guard v.isObject else { return "?" }
        let o = v.object
        let proto = o.prototype === rt.intrinsics.objectPrototype ? "Object"
            : o.prototype === rt.intrinsics.arrayPrototype ? "Array" : "other"
        let shape = o.shape.isDictionary ? "dict" : "shape\(o.shape.id)"
        var parts: [String] = []
        for k in rt.ownPropertyKeys(o) {
            guard let d = rt.getOwnProperty(o, k) else { continue }
            let name = k.isIndex ? "#\(k.index)" : rt.describeKey(k).unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: ".")
            let attrs = "\(d.writable == true ? "w" : "-")\(d.enumerable == true ? "e" : "-")\(d.configurable == true ? "c" : "-")"
            parts.append("\(name):\(attrs)=" + (d.value.map { describe($0, rt) } ?? "accessor"))
        }
        return "\(o.kind)<\(proto),\(shape),flags\(o.flags.rawValue),len\(o.arrayLength)>{" + parts.joined(separator: ",") + "}"
    }

    /// Builds `value` both ways in `rt` and expects the same description and heap charge; the
    /// builder builds it twice (the second time from the layouts the first one left).
    static func expectSame(_ value: ScriptValue, _ rt: Runtime, _ builder: RequestObjectBuilder,
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
        _ = try rt.readOnlyValue(from: value)  // interns new names (charged once per runtime) first
        let before = rt.heap.usedBytes
        let reference = try rt.readOnlyValue(from: value)
        let referenceBytes = rt.heap.usedBytes - before
        for _ in 0..<2 {
            let start = rt.heap.usedBytes
            let built = try builder.build(value, in: rt)
            let builtBytes = rt.heap.usedBytes - start
            #expect(describe(built, rt) == describe(reference, rt), sourceLocation: sourceLocation)
            #expect(builtBytes == referenceBytes, "heap charge", sourceLocation: sourceLocation)
        }
    }

    static func request(method: String = "POST", target: String = "/weight/checkin?ref=mail&x=%C3%A9",
                        headers: [(name: String, value: String)] = [], contentType: String? = "application/json",
                        body: String?, routeParams: [(key: String, value: String)]? = nil) -> ScriptValue {
        var all: [(name: String, value: String)] = [("Host", "localhost"), ("User-Agent", "Mozilla/5.0 (iPhone) Mobile"),
                                                    ("Cookie", "sid=abc123def456ghi789jkl; theme=dark")]
        if let contentType { all.append(("Content-Type", contentType)) }
        all += headers
        let incoming = IncomingRequest(method: method, target: target, headers: all, body: body.map { Array($0.utf8) },
                                       remoteAddress: "203.0.113.9")
        return ContextBindings.requestValue(PageRequest(incoming), routeParams: routeParams)
    }

    @Test func requestValueHasTheNamesTheBuilderExpects() {
        guard case .object(let props) = Self.request(body: nil) else {
            Issue.record("requestValue is not an object")
            return
        }
        #expect(props.map(\.key) == RequestObjectBuilder.topLevelNames)
    }

    @Test func typicalRequestsMatchReadOnlyValue() throws {
        let rt = Runtime()
        let builder = RequestObjectBuilder(runtime: rt)
        // Twice each: the second build takes the remembered names.
        for _ in 0..<2 {
            try Self.expectSame(Self.request(body: #"{"weight":182,"unit":"lbs","notes":"ok"}"#), rt, builder)
            try Self.expectSame(Self.request(method: "GET", target: "/dashboard", contentType: nil, body: nil), rt, builder)
            try Self.expectSame(Self.request(target: "/p/7", contentType: "application/x-www-form-urlencoded",
                                             body: "a=1&b=x+y&a=3&c", routeParams: [("id", "7"), ("slug", "x")]), rt, builder)
            try Self.expectSame(Self.request(body: "{bad"), rt, builder)
            try Self.expectSame(Self.request(body: "[1,2,{\"a\":[3]}]"), rt, builder)
        }
    }

    @Test func unusualNamesAndValuesMatchReadOnlyValue() throws {
        let rt = Runtime()
        let builder = RequestObjectBuilder(runtime: rt)
        let long = String(repeating: "x", count: 600)
        let bodies = [
            // Repeated keys: last value wins, first position kept.
            #"{"a":1,"b":2,"a":3}"#,
            // Index-like keys sort first in JS; "01" and "4294967295" are not indices.
            #"{"z":1,"2":2,"01":3,"0":4,"4294967295":5,"__proto__":6,"length":7,"":8}"#,
            // Nested objects and arrays, deep.
            #"{"o":{"p":{"q":[1,{"r":"s"},[]]}},"e":{},"n":null,"t":true,"f":false,"d":-0.5}"#,
            // Strings: empty, 12 and 13 units (the inline limit), long, non-ASCII, surrogate pairs.
            #"{"s0":"","s12":"abcdefghijkl","s13":"abcdefghijklm","long":"\#(long)","u":"café ☕ 😀","esc":"a\"b\\c\n"}"#,
            // Non-ASCII keys, canonically equivalent pairs (Swift's == merges them, as before).
            #"{"é":1,"e\u0301":2,"\u212Aey":3,"Key":4,"ключ":5}"#,
        ]
        for _ in 0..<2 {
            for body in bodies { try Self.expectSame(Self.request(body: body), rt, builder) }
        }
        // The same names at other positions, then names that only look alike (KELVIN SIGN vs K).
        for body in [#"{"Key":1,"a":2}"#, #"{"\u212Aey":1,"a":2}"#, #"{"a":1,"Key":2}"#, #"{"Key":1,"\u212Aey":2}"#] {
            try Self.expectSame(Self.request(body: body), rt, builder)
        }
        // Many names (past what is remembered) and a long name.
        let many = "{" + (0..<50).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + ",\"\(long)\":1}"
        try Self.expectSame(Self.request(body: many), rt, builder)
        try Self.expectSame(Self.request(body: many), rt, builder)
    }

    /// The remembered names and shapes follow the bodies as they change, and a build that runs
    /// out of memory halfway (after taking new names) leaves no stale shape behind.
    @Test func rememberedLayoutsFollowChangingNames() throws {
        let rt = Runtime()
        let builder = RequestObjectBuilder(runtime: rt)
        let bodies = [#"{"a":1,"b":2}"#, #"{"a":1,"b":2}"#, #"{"c":1,"d":2}"#, #"{"c":1,"b":2}"#, #"{"a":1,"b":2}"#,
                      #"{"a":1}"#, #"{"a":1,"b":2,"c":3}"#, "{}", #"{"0":1,"a":2}"#, #"{"0":1,"a":2}"#, #"{"a":1,"b":2}"#,
                      #"{"a":1,"b":2,"a":3}"#, #"{"b":{"a":1},"a":[{"b":2}]}"#, #"{"b":{"a":1},"a":[{"b":2}]}"#]
        for body in bodies { try Self.expectSame(Self.request(body: body), rt, builder) }

        try Self.expectSame(Self.request(body: #"{"a":1,"b":2}"#), rt, builder)
        let long = String(repeating: "z", count: 2000)
        rt.heap.limitBytes = rt.heap.usedBytes + 1000
        #expect(throws: VMError.self) { _ = try builder.build(Self.request(body: #"{"c":"\#(long)","b":2}"#), in: rt) }
        rt.heap.limitBytes = .max
        try Self.expectSame(Self.request(body: #"{"c":1,"b":2}"#), rt, builder)
    }

    @Test func valuesNotShapedLikeARequestMatchReadOnlyValue() throws {
        let rt = Runtime()
        let builder = RequestObjectBuilder(runtime: rt)
        let values: [ScriptValue] = [
            .null,
            .object([]),
            .object([ScriptProperty("method", .string("GET"))]),
            // The usual names with one repeated (not distinct: the repeated-key pass must run).
            .object(RequestObjectBuilder.topLevelNames.dropLast().map { ScriptProperty($0, .number(1)) }
                    + [ScriptProperty("method", .string("last"))]),
            // The usual names with a non-ASCII twin of one of them.
            .object(RequestObjectBuilder.topLevelNames.map { ScriptProperty($0 == "path" ? "p\u{101}th" : $0, .null) }),
            // Repeated keys inside a nested object that did not come from a parser.
            .object(RequestObjectBuilder.topLevelNames.map {
                ScriptProperty($0, $0 == "headers" ? .object([ScriptProperty("a", .string("1")), ScriptProperty("a", .string("2"))])
                                                   : .array([.string($0), .undefined]))
            }),
        ]
        for value in values { try Self.expectSame(value, rt, builder) }
    }
}
