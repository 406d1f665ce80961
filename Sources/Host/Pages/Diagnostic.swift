/// A problem in a site's file, positioned for the site author: `path:line:column: message`.
public struct Diagnostic: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String
    /// The offending source line, when known (shown with a caret in `--dev` panels and `check`).
    public let sourceLine: String

    public init(file: String, line: Int, column: Int, message: String, sourceLine: String = "") {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.sourceLine = sourceLine
    }

    public var description: String { "\(file):\(line):\(column): \(message)" }

    /// The description plus the source line and a caret under the column.
    public var excerpt: String {
        guard !sourceLine.isEmpty else { return description }
        let pad = String(repeating: " ", count: max(0, column - 1))
        return "\(description)\n    \(sourceLine)\n    \(pad)^"
    }
}
