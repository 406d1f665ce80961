/// A compile-time error: a syntax error or an early error, with the position it was found at.
///
/// `description` renders as `file:line:column: SyntaxError: message` followed by the source line
/// and a caret under the column, the form `sluice check` prints.
public struct SyntaxError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public let sourceName: String
    public let position: SourcePosition
    /// The source line the error is on (without its line terminator), for the caret excerpt.
    public let sourceLine: String

    public init(message: String, sourceName: String, position: SourcePosition, sourceLine: String) {
        self.message = message
        self.sourceName = sourceName
        self.position = position
        self.sourceLine = sourceLine
    }

    /// `file:line:column: SyntaxError: message`
    public var headline: String {
        "\(sourceName):\(position.line):\(position.column): SyntaxError: \(message)"
    }

    public var description: String {
        guard !sourceLine.isEmpty else { return headline }
        let caretColumn = max(0, Int(position.column) - 1)
        let pad = String(sourceLine.prefix(caretColumn).map { $0 == "\t" ? "\t" : " " })
        return "\(headline)\n    \(sourceLine)\n    \(pad)^"
    }
}

/// Options that change what the parser accepts.
public struct ParseOptions: Sendable {
    /// Allow `return` at the top level (scripts compiled as the body of a function: Sluice pages).
    public var allowTopLevelReturn: Bool
    /// Accept `import`/`export` declarations at the top level (they are collected on `ProgramNode`).
    public var allowImportExport: Bool
    /// Treat the whole source as strict mode code.
    public var forceStrict: Bool

    public init(allowTopLevelReturn: Bool = false, allowImportExport: Bool = false, forceStrict: Bool = false) {
        self.allowTopLevelReturn = allowTopLevelReturn
        self.allowImportExport = allowImportExport
        self.forceStrict = forceStrict
    }

    /// How Sluice compiles page scripts and `sluice run` files: the script is the body of a function.
    public static let functionBody = ParseOptions(allowTopLevelReturn: true, allowImportExport: true)
    /// Plain ECMAScript global code (test262).
    public static let script = ParseOptions()
}
