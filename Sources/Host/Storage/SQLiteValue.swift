/// A value bound to or read from an SQL statement.
public enum SQLiteValue: Sendable, Equatable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// The value as an integer (integers, and reals without a fractional part), else nil.
    public var integerValue: Int64? {
        switch self {
        case .integer(let i): return i
        case .real(let d) where d.rounded() == d && abs(d) < 9.2e18: return Int64(d)
        default: return nil
        }
    }

    /// The value as text (text only), else nil.
    public var textValue: String? {
        if case .text(let s) = self { return s }
        return nil
    }

    /// The value as a double (reals and integers), else nil.
    public var realValue: Double? {
        switch self {
        case .real(let d): return d
        case .integer(let i): return Double(i)
        default: return nil
        }
    }

    public var isNull: Bool { self == .null }
}

extension SQLiteValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(nilLiteral: ()) { self = .null }
}

extension SQLiteValue {
    /// `.text(s)`, or `.null` for nil.
    public static func text(_ s: String?) -> SQLiteValue { s.map { .text($0) } ?? .null }
    /// `.integer(i)`, or `.null` for nil.
    public static func integer(_ i: Int?) -> SQLiteValue { i.map { .integer(Int64($0)) } ?? .null }
}

/// One result row: the column values in SELECT order.
public struct SQLiteRow: Sendable, Equatable {
    public let values: [SQLiteValue]

    public init(_ values: [SQLiteValue]) { self.values = values }

    public subscript(column: Int) -> SQLiteValue { column < values.count ? values[column] : .null }

    public func int64(_ column: Int) -> Int64? { self[column].integerValue }
    public func int(_ column: Int) -> Int? { self[column].integerValue.map { Int($0) } }
    public func text(_ column: Int) -> String? { self[column].textValue }
}
