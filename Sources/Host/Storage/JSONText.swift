import SluiceVM

/// JSON text ⇄ `ScriptValue`, for values the host stores (CRM values, session data).
///
/// Writing uses `ScriptValue.jsonText`; reading is a strict RFC 8259 parser. Objects keep their
/// key order; a repeated key keeps its last value, as `JSON.parse` does.
public enum JSONText {
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public let offset: Int
        public var description: String { "invalid JSON at byte \(offset): \(message)" }
    }

    /// Nesting deeper than this is rejected (stored values are small; this bounds recursion).
    public static let maxDepth = 256

    /// Parses one JSON value (surrounding whitespace allowed).
    public static func parse(_ text: String) throws(ParseError) -> ScriptValue {
        var bytes = Array(text.utf8)
        bytes.append(0)  // sentinel: never a valid JSON byte, so lookahead needs no bounds checks
        var parser = Parser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.atEnd else { throw parser.error("unexpected text after the value") }
        return value
    }

    /// The properties of a stored JSON object by key (session data, customer details); nil, `{}`,
    /// text that is not a JSON object, or invalid JSON read as no properties.
    public static func objectProperties(_ text: String?) -> [String: ScriptValue] {
        guard let text, text != "{}", case .object(let props)? = try? parse(text) else { return [:] }
        var properties: [String: ScriptValue] = [:]
        for p in props { properties[p.key] = p.value }
        return properties
    }

    /// The JSON text of `value`, the same text as `value.jsonText` (`undefined` inside objects is
    /// skipped, inside arrays becomes null) built on bytes, so long strings serialize quickly.
    public static func serialize(_ value: ScriptValue) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        write(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func write(_ value: ScriptValue, to out: inout [UInt8]) {
        switch value {
        case .undefined: out.append(contentsOf: "undefined".utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number: out.append(contentsOf: value.jsonText.utf8)
        case .string(let s): writeString(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(item == .undefined ? .null : item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let props):
            out.append(UInt8(ascii: "{"))
            var first = true
            for p in props where p.value != .undefined {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(p.key, to: &out)
                out.append(UInt8(ascii: ":"))
                write(p.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(b)
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(b)
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0x08: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "f"))
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0
        var end: Int { bytes.count - 1 }
        var atEnd: Bool { i >= end }

        func error(_ message: String) -> ParseError { ParseError(message: message, offset: i) }

        mutating func skipWhitespace() {
            while i < end, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func parseValue(depth: Int) throws(ParseError) -> ScriptValue {
            guard depth < JSONText.maxDepth else { throw error("nesting too deep") }
            guard i < end else { throw error("unexpected end") }
            switch bytes[i] {
            case UInt8(ascii: "{"): return try parseObject(depth: depth)
            case UInt8(ascii: "["): return try parseArray(depth: depth)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
            case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
            case UInt8(ascii: "n"): try expectWord("null"); return .null
            default: return .number(try parseNumber())
            }
        }

        mutating func expectWord(_ word: StaticString) throws(ParseError) {
            let count = word.utf8CodeUnitCount
            guard i + count <= end else { throw error("unexpected end") }
            let matches = word.withUTF8Buffer { w in (0..<count).allSatisfy { bytes[i + $0] == w[$0] } }
            guard matches else { throw error("unexpected character") }
            i += count
        }

        mutating func parseObject(depth: Int) throws(ParseError) -> ScriptValue {
            i += 1
            var props: [ScriptProperty] = []
            skipWhitespace()
            if i < end, bytes[i] == UInt8(ascii: "}") { i += 1; return .object([]) }
            while true {
                skipWhitespace()
                guard i < end, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a property name") }
                let key = try parseString()
                skipWhitespace()
                guard i < end, bytes[i] == UInt8(ascii: ":") else { throw error("expected ':'") }
                i += 1
                skipWhitespace()
                let value = try parseValue(depth: depth + 1)
                props.append(ScriptProperty(key, value))
                skipWhitespace()
                guard i < end else { throw error("unexpected end") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    // A repeated key keeps its first place and its last value, as in JSON.parse.
                    return .object(ScriptProperty.lastValuePerKey(props))
                }
                throw error("expected ',' or '}'")
            }
        }

        mutating func parseArray(depth: Int) throws(ParseError) -> ScriptValue {
            i += 1
            var items: [ScriptValue] = []
            skipWhitespace()
            if i < end, bytes[i] == UInt8(ascii: "]") { i += 1; return .array([]) }
            while true {
                skipWhitespace()
                items.append(try parseValue(depth: depth + 1))
                skipWhitespace()
                guard i < end else { throw error("unexpected end") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw error("expected ',' or ']'")
            }
        }

        mutating func parseString() throws(ParseError) -> String {
            i += 1
            var utf16: [UInt16] = []
            var runStart = i
            var output = ""
            func flushRun(_ p: inout Parser, _ upTo: Int) {
                if upTo > runStart {
                    output += String(decoding: p.bytes[runStart..<upTo], as: UTF8.self)
                }
            }
            while true {
                guard i < end else { throw error("unterminated string") }
                let b = bytes[i]
                if b == UInt8(ascii: "\"") {
                    flushRun(&self, i)
                    i += 1
                    return output
                }
                if b < 0x20 { throw error("control character in string") }
                if b != UInt8(ascii: "\\") { i += 1; continue }
                flushRun(&self, i)
                i += 1
                guard i < end else { throw error("unterminated string") }
                let escape = bytes[i]
                i += 1
                switch escape {
                case UInt8(ascii: "\""): output += "\""
                case UInt8(ascii: "\\"): output += "\\"
                case UInt8(ascii: "/"): output += "/"
                case UInt8(ascii: "b"): output += "\u{08}"
                case UInt8(ascii: "f"): output += "\u{0C}"
                case UInt8(ascii: "n"): output += "\n"
                case UInt8(ascii: "r"): output += "\r"
                case UInt8(ascii: "t"): output += "\t"
                case UInt8(ascii: "u"):
                    utf16.removeAll(keepingCapacity: true)
                    utf16.append(try hex4())
                    // A high surrogate followed by an escaped low surrogate is one character.
                    if (0xD800...0xDBFF).contains(utf16[0]), i + 1 < end,
                       bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                        let save = i
                        i += 2
                        let low = try hex4()
                        if (0xDC00...0xDFFF).contains(low) { utf16.append(low) } else { i = save }
                    }
                    output += String(decoding: utf16, as: UTF16.self)
                default: throw error("invalid escape")
                }
                runStart = i
            }
        }

        mutating func hex4() throws(ParseError) -> UInt16 {
            guard i + 4 <= end else { throw error("unterminated \\u escape") }
            var v: UInt16 = 0
            for _ in 0..<4 {
                let c = bytes[i]
                let digit: UInt16
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt16(c - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt16(c - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt16(c - UInt8(ascii: "A") + 10)
                default: throw error("invalid \\u escape")
                }
                v = v << 4 | digit
                i += 1
            }
            return v
        }

        mutating func parseNumber() throws(ParseError) -> Double {
            let start = i
            func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < end, isDigit(bytes[i]) else { throw error("unexpected character") }
            if bytes[i] == UInt8(ascii: "0") {
                i += 1
            } else {
                while i < end, isDigit(bytes[i]) { i += 1 }
            }
            if i < end, bytes[i] == UInt8(ascii: ".") {
                i += 1
                guard i < end, isDigit(bytes[i]) else { throw error("digit expected after '.'") }
                while i < end, isDigit(bytes[i]) { i += 1 }
            }
            if i < end, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < end, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard i < end, isDigit(bytes[i]) else { throw error("digit expected in exponent") }
                while i < end, isDigit(bytes[i]) { i += 1 }
            }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            guard let d = Double(text) else { throw error("invalid number") }
            return d
        }
    }
}
