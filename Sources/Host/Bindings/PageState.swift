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
    private var variableIndex: [String: Int] = [:]
    var status = 200
    var headers: [(name: String, value: String)] = []
    var setCookies: [String] = []
    var terminal: Terminal?
    var warnings: [String] = []
    /// Bytes of variables stored, capped so a script cannot publish more than fits a response.
    private var variableBytes = 0
    static let variableByteCap = 1 << 20

    func variable(_ key: String) -> ScriptValue? {
        variableIndex[key].map { variables[$0].value }
    }

    /// Returns false when the cap would be exceeded (nothing stored then).
    func setVariable(_ key: String, _ value: ScriptValue?) -> Bool {
        guard let value else {
            if let at = variableIndex.removeValue(forKey: key) {
                variables.remove(at: at)
                for (k, i) in variableIndex where i > at { variableIndex[k] = i - 1 }
            }
            return true
        }
        let size = value.jsonText.utf8.count + key.utf8.count
        if variableBytes + size > PageState.variableByteCap { return false }
        variableBytes += size
        if let at = variableIndex[key] { variables[at] = ScriptProperty(key, value) } else {
            variableIndex[key] = variables.count
            variables.append(ScriptProperty(key, value))
        }
        return true
    }
}
