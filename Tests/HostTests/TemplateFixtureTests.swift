import SluiceVM
import Testing

@testable import SluiceHost

/// Helpers for the template tests: contexts written as JSON (key order kept), and one-call render.
enum TemplateFixture {
    /// Parses JSON into a `ScriptValue`, keeping object key order. Crashes on bad JSON (test input).
    static func json(_ text: String) -> ScriptValue {
        var parser = MiniJSON(bytes: Array(text.utf8))
        let value = parser.value()
        precondition(parser.atEnd, "bad test JSON: \(text)")
        return value
    }

    /// Compiles and renders in one go.
    static func render(_ source: String, _ context: String = "{}") throws -> String {
        try Template(source: source, name: "test.html").render(context: json(context))
    }

    /// Where `needle` first occurs in `haystack` (no Foundation in these tests).
    static func firstIndex(of needle: String, in haystack: String) -> String.Index? {
        var index = haystack.startIndex
        while index < haystack.endIndex {
            if haystack[index...].hasPrefix(needle) { return index }
            index = haystack.index(after: index)
        }
        return nil
    }

    /// The compile error of `source`, or nil if it compiles.
    static func compileError(_ source: String, name: String = "test.html") -> TemplateError? {
        do {
            _ = try Template(source: source, name: name)
            return nil
        } catch {
            return error
        }
    }

    private struct MiniJSON {
        let bytes: [UInt8]
        var i = 0

        var atEnd: Bool {
            mutating get {
                skipSpace()
                return i == bytes.count
            }
        }

        mutating func skipSpace() {
            while i < bytes.count && (bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09) { i += 1 }
        }

        mutating func value() -> ScriptValue {
            skipSpace()
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var props: [ScriptProperty] = []
                skipSpace()
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(props) }
                while true {
                    skipSpace()
                    guard case .string(let key) = value() else { preconditionFailure("bad key") }
                    skipSpace()
                    precondition(bytes[i] == UInt8(ascii: ":"))
                    i += 1
                    props.append(ScriptProperty(key, value()))
                    skipSpace()
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    precondition(bytes[i] == UInt8(ascii: "}"))
                    i += 1
                    return .object(props)
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [ScriptValue] = []
                skipSpace()
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    items.append(value())
                    skipSpace()
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    precondition(bytes[i] == UInt8(ascii: "]"))
                    i += 1
                    return .array(items)
                }
            case UInt8(ascii: "\""):
                i += 1
                var out: [UInt8] = []
                while bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\") {
                        i += 1
                        switch bytes[i] {
                        case UInt8(ascii: "n"): out.append(0x0A)
                        case UInt8(ascii: "t"): out.append(0x09)
                        default: out.append(bytes[i])
                        }
                    } else {
                        out.append(bytes[i])
                    }
                    i += 1
                }
                i += 1
                return .string(String(decoding: out, as: UTF8.self))
            default:
                let start = i
                while i < bytes.count && !",]} \n\r\t".utf8.contains(bytes[i]) { i += 1 }
                let word = String(decoding: bytes[start..<i], as: UTF8.self)
                switch word {
                case "true": return .bool(true)
                case "false": return .bool(false)
                case "null": return .null
                default: return .number(Double(word)!)
                }
            }
        }
    }
}

@Suite struct TemplateFixtureTests {
    @Test func jsonFixtureKeepsKeyOrderAndTypes() {
        let v = TemplateFixture.json(#"{"b": 1, "a": [true, null, "x\"y"], "c": {"d": -2.5}}"#)
        #expect(v.jsonText == #"{"b":1,"a":[true,null,"x\"y"],"c":{"d":-2.5}}"#)
    }
}
