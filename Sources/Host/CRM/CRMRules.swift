import SluiceVM

/// The CRM's input rules (reference-notes §2.6): what a slug, field key, reference or value may be.
public enum CRMRules {
    /// String values longer than this (UTF-16 units, as JavaScript counts) are rejected.
    public static let maxStringLength = 10_000
    /// Object and array values whose JSON text is longer than this (UTF-8 bytes) are rejected.
    public static let maxJSONBytes = 10 * 1024
    /// An entry's values together (JSON, UTF-8 bytes): a write that would grow an entry past this
    /// returns false, so one reference cannot grow without bound through repeated upserts.
    public static let maxEntryJSONBytes = 1 << 20
    /// `referenceId` length limit.
    public static let maxReferenceIDLength = 512
    /// `getCrmEntries` / `getCrmFieldValues`: default and maximum `limit`.
    public static let defaultListLimit = 50
    public static let maxListLimit = 200
    /// `setCrmField` without `force` looks for the key in this many newest entries.
    public static let upsertScanLimit = 100
    /// `ensureCrmEntity` calls allowed per script run.
    public static let ensureEntityCallsPerRun = 5

    /// `^[a-z0-9][a-z0-9_-]*$`: entity slugs.
    public static func isEntitySlug(_ s: String) -> Bool {
        guard let first = s.utf8.first, isLowerOrDigit(first) else { return false }
        return s.utf8.allSatisfy { isLowerOrDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    /// Pipeline and stage slugs: letters, digits, `-` and `_`, starting with a letter or digit.
    public static func isWorkflowSlug(_ s: String) -> Bool {
        guard let first = s.utf8.first, isAlnum(first) else { return false }
        return s.utf8.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    /// `^[a-zA-Z0-9_.-]+$`: field keys.
    public static func isFieldKey(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy {
            isAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
        }
    }

    /// `^[a-zA-Z0-9_-]+$`: reference types.
    public static func isReferenceType(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    /// Reference ids: 1 to 512 characters, none of `{ } [ ] " \`.
    public static func isReferenceID(_ s: String) -> Bool {
        let length = s.utf16.count
        guard length >= 1 && length <= maxReferenceIDLength else { return false }
        return !s.utf8.contains { b in
            b == UInt8(ascii: "{") || b == UInt8(ascii: "}") || b == UInt8(ascii: "[") || b == UInt8(ascii: "]")
                || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\")
        }
    }

    /// Is `value` storable: a string of at most 10,000 characters, a finite number, a boolean, or an
    /// object or array whose JSON is at most 10 KB. (`null` and `undefined` are not.)
    public static func isStorableValue(_ value: ScriptValue) -> Bool {
        switch value {
        case .string(let s): return s.utf16.count <= maxStringLength
        case .number(let d): return d.isFinite
        case .bool: return true
        case .object, .array: return JSONText.serialize(value).utf8.count <= maxJSONBytes && !containsNonFinite(value)
        case .null, .undefined: return false
        }
    }

    /// JSON has no NaN or Infinity: a nested one would silently turn into null.
    private static func containsNonFinite(_ v: ScriptValue) -> Bool {
        switch v {
        case .number(let d): return !d.isFinite
        case .array(let items): return items.contains(where: containsNonFinite)
        case .object(let props): return props.contains { containsNonFinite($0.value) }
        default: return false
        }
    }

    private static func isLowerOrDigit(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        isLowerOrDigit(b) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }
}

/// Which record CRM entries attach to: a type (`customer`, `order`, `quiz_visitor` …) and an id.
public struct CRMReference: Sendable, Hashable, CustomStringConvertible {
    public let type: String
    public let id: String

    /// A checked reference; nil when the type or id breaks the rules of `CRMRules`.
    public init?(type: String, id: String) {
        guard CRMRules.isReferenceType(type), CRMRules.isReferenceID(id) else { return nil }
        self.type = type
        self.id = id
    }

    /// The reference of a customer's own entries.
    public static func customer(_ id: String) -> CRMReference? { CRMReference(type: "customer", id: id) }

    public var isCustomer: Bool { type == "customer" }
    public var description: String { "\(type):\(id)" }
}
