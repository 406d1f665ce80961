import SluiceVM

/// The `| name:arg,...` filters. String filters count characters as a reader sees them (grapheme
/// clusters), so truncating or slicing never splits an accented letter or an emoji.
enum TemplateFilter: String, Sendable, CaseIterable {
    /// Output without HTML escaping (otherwise the identity).
    case raw
    /// `| default:x`: `x` when the value is `undefined`, `null` or `""`.
    case `default`
    case upper, lower
    /// `| truncate:n` or `| truncate:n:'suffix'`: at most `n` characters, then the suffix (`...`).
    case truncate
    /// `| slice:start` or `| slice:start:length` on strings and arrays; a negative start counts
    /// from the end.
    case slice
    /// `| replace:'a','b'`: every occurrence of `a` becomes `b`.
    case replace
    /// JSON text (escaped like any output unless `| raw` follows).
    case json
    /// Characters of a string, items of an array, keys of an object; 0 for `null`/`undefined`.
    case length

    /// The accepted argument counts, and how to write the filter when they are wrong.
    var arity: (min: Int, max: Int, usage: String) {
        switch self {
        case .raw, .upper, .lower, .json, .length: return (0, 0, "| \(rawValue)")
        case .default: return (1, 1, "| default:'text'")
        case .truncate: return (1, 2, "| truncate:20 or | truncate:20:'…'")
        case .slice: return (1, 2, "| slice:0:10")
        case .replace: return (2, 2, "| replace:'old','new'")
        }
    }

    static var namesList: String { allCases.map(\.rawValue).joined(separator: ", ") }

    func apply(_ value: ScriptValue, _ args: [ScriptValue]) -> ScriptValue {
        switch self {
        case .raw:
            return value
        case .default:
            switch value {
            case .undefined, .null: return args[0]
            case .string(let s) where s.isEmpty: return args[0]
            default: return value
            }
        case .upper:
            return value.isNullish ? value : .string(value.displayText.uppercased())
        case .lower:
            return value.isNullish ? value : .string(value.displayText.lowercased())
        case .truncate:
            guard !value.isNullish else { return value }
            let text = value.displayText
            let limit = max(0, TemplateFilter.integer(args[0]) ?? 0)
            guard text.count > limit else { return .string(text) }
            let suffix = args.count > 1 ? args[1].displayText : "..."
            return .string(String(text.prefix(limit)) + suffix)
        case .slice:
            return TemplateFilter.slice(value, start: args[0], length: args.count > 1 ? args[1] : nil)
        case .replace:
            guard !value.isNullish else { return value }
            let search = args[0].displayText
            let text = value.displayText
            guard !search.isEmpty else { return .string(text) }
            return .string(TemplateFilter.replaceAll(text, search, with: args[1].displayText))
        case .json:
            return .string(value.templateJSON)
        case .length:
            switch value {
            case .undefined, .null: return .number(0)
            case .array(let items): return .number(Double(items.count))
            case .object(let props): return .number(Double(props.count))
            default: return .number(Double(value.displayText.count))
            }
        }
    }

    private static func integer(_ v: ScriptValue) -> Int? {
        let d = v.numberValue
        guard d.isFinite else { return nil }
        return Int(max(min(d, 1e9), -1e9))
    }

    /// Literal replace-all on UTF-8 bytes (UTF-8 never matches inside another character).
    private static func replaceAll(_ text: String, _ search: String, with replacement: String) -> String {
        let bytes = Array(text.utf8), needle = Array(search.utf8), insert = Array(replacement.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == needle[0], i + needle.count <= bytes.count,
                bytes[i..<(i + needle.count)].elementsEqual(needle)
            {
                out.append(contentsOf: insert)
                i += needle.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func slice(_ value: ScriptValue, start: ScriptValue, length: ScriptValue?) -> ScriptValue {
        func bounds(count: Int) -> Range<Int> {
            var from = integer(start) ?? 0
            if from < 0 { from = max(0, count + from) }
            from = min(from, count)
            var to = count
            if let length, let n = integer(length) {
                to = n < 0 ? max(from, count + n) : min(count, from + n)
            }
            return from..<max(from, to)
        }
        switch value {
        case .undefined, .null: return value
        case .array(let items): return .array(Array(items[bounds(count: items.count)]))
        default:
            let characters = Array(value.displayText)
            return .string(String(characters[bounds(count: characters.count)]))
        }
    }
}
