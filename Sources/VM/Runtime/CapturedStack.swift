/// An error's call stack as captured when the error was made: code and instruction offsets
/// only. The `stack` text ("TypeError: msg\n    at f (file:3:7)…") is formatted the first time a
/// script or the host reads it; most errors a script throws and catches are never printed, and
/// formatting twenty frames per error was a visible share of scripts that reject bad input.
/// As in V8, the header shows the error's `name` and `message` as they are when first read.
final class CapturedStack: GCTraceable {
    /// Innermost first, at most `Runtime.capturedFrameLimit`.
    let frames: [(code: FunctionCode, offset: Int)]

    init(frames: [(code: FunctionCode, offset: Int)]) {
        self.frames = frames
    }

    /// Code objects are not heap cells; there is nothing to mark.
    func trace(_ marker: inout GCMarker) {}

    /// "    at name (file:line:column)" lines, innermost first.
    var traceText: String {
        var lines: [String] = []
        lines.reserveCapacity(frames.count)
        for (code, offset) in frames {
            let pos = code.position(at: offset)
            let name = code.name.isEmpty ? (code.flags.contains(.topLevel) ? "<main>" : "<anonymous>") : code.name
            lines.append("    at \(name) (\(code.sourceName):\(pos.line):\(pos.column))")
        }
        return lines.joined(separator: "\n")
    }
}
