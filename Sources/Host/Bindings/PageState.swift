import SluiceVM

/// Everything a page's script did that outlives the script: template variables, status, headers,
/// cookies, the terminal response and log lines. Filled by the bindings during one run.
final class PageState {
    /// How the script asked to answer, when it made a terminal call.
    enum Terminal {
        case json(String)
        case html(String)
        case redirect(url: String, status: Int)
    }

    /// `setVariable` overrides, in first-set order.
    private(set) var variables: [ScriptProperty] = []
    /// Positions in `variables` by key, kept only once there are many (a page usually sets a
    /// handful, where scanning beats hashing).
    private var variableIndex: [String: Int]?
    private static let scanLimit = 16
    var status = 200
    var headers: [(name: String, value: String)] = []
    var setCookies: [String] = []
    var terminal: Terminal?
    var warnings: [String] = []
    /// Bytes of variables stored, capped so a script cannot publish more than fits a response.
    private var variableBytes = 0
    static let variableByteCap = 1 << 20

    private func position(of key: String) -> Int? {
        if let variableIndex { return variableIndex[key] }
        return variables.firstIndex { $0.key == key }
    }

    func variable(_ key: String) -> ScriptValue? {
        position(of: key).map { variables[$0].value }
    }

    /// Returns false when the cap would be exceeded (nothing stored then).
    func setVariable(_ key: String, _ value: ScriptValue?) -> Bool {
        guard let value else {
            if let at = position(of: key) {
                variables.remove(at: at)
                if variableIndex != nil {
                    variableIndex![key] = nil
                    for (k, i) in variableIndex! where i > at { variableIndex![k] = i - 1 }
                }
            }
            return true
        }
        let size = PageState.jsonByteCount(value) + key.utf8.count
        if variableBytes + size > PageState.variableByteCap { return false }
        variableBytes += size
        if let at = position(of: key) { variables[at] = ScriptProperty(key, value) } else {
            variableIndex?[key] = variables.count
            variables.append(ScriptProperty(key, value))
            if variableIndex == nil && variables.count > PageState.scanLimit {
                variableIndex = Dictionary(uniqueKeysWithValues: variables.enumerated().map { ($1.key, $0) })
            }
        }
        return true
    }

    /// `value.jsonText.utf8.count`, counted without building the text (variables are measured on
    /// every `setVariable`).
    static func jsonByteCount(_ value: ScriptValue) -> Int {
        switch value {
        case .undefined: return 9
        case .null: return 4
        case .bool(let b): return b ? 4 : 5
        case .number: return value.jsonText.utf8.count
        case .string(let s): return quotedByteCount(s)
        case .array(let items):
            var n = 2 + max(0, items.count - 1)
            for item in items { n += item == .undefined ? 4 : jsonByteCount(item) }
            return n
        case .object(let props):
            var n = 2, written = 0
            for p in props where p.value != .undefined {
                n += quotedByteCount(p.key) + 1 + jsonByteCount(p.value)
                written += 1
            }
            return n + max(0, written - 1)
        }
    }

    /// Bytes of `s` as a JSON string literal (as `ScriptValue.jsonText` escapes it).
    static func quotedByteCount(_ s: String) -> Int {
        var n = 2
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x0A, 0x0D, 0x09, 0x08, 0x0C: n += 2
            case ..<0x20: n += 6
            default: n += 1
            }
        }
        return n
    }
}
