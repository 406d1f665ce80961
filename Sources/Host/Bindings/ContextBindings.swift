import SluiceVM

/// Read-only context globals (`request`, `query`, `customer`, `is_customer`, `customer_id`, `brand`),
/// template variables (`setVariable`/`getVariable`) and `console`.
enum ContextBindings {
    /// Console output kept per run (reference notes Q19): beyond it lines are dropped with one notice.
    static let consoleLineCap = 100
    static let consoleByteCap = 64 << 10
    /// The globals that change with every request (replaced in place on a pooled runtime).
    /// (`customer`, `is_customer` and `customer_id` are getters that follow the session.)
    static let perRequestGlobals = ["request", "query"]

    static func requestValue(_ request: PageRequest, routeParams: [(key: String, value: String)]?) -> ScriptValue {
        func object(_ pairs: [(key: String, value: String)]) -> ScriptValue {
            .object(pairs.map { ScriptProperty($0.key, .string($0.value)) })
        }
        return .object([
            ScriptProperty("method", .string(request.method)),
            ScriptProperty("path", .string(request.path)),
            ScriptProperty("query", object(request.query)),
            ScriptProperty("body", request.body),
            ScriptProperty("headers", object(request.headers)),
            ScriptProperty("ip", .string(request.ip)),
            ScriptProperty("cookies", object(request.cookies)),
            ScriptProperty("is_mobile", .bool(request.isMobile)),
            ScriptProperty("is_tablet", .bool(request.isTablet)),
            ScriptProperty("route_params", routeParams.map(object) ?? .null),
        ])
    }

    /// Installs the functions and the per-site globals, with placeholders for the per-request ones.
    static func install(into rt: Runtime, context: PageContext, brand: ScriptValue,
                        brandVariables: [ScriptProperty]) throws(VMError) {
        for name in perRequestGlobals { try rt.defineReadOnlyGlobal(name, .null) }
        try rt.defineReadOnlyGlobal("brand", brand)

        let setVariable = try rt.newNativeFunction(name: "setVariable", length: 2) { rt, _, args throws(VMError) in
            guard args[0].isString, let key = Optional(try rt.toSwiftString(args[0])), !key.isEmpty else {
                throw rt.typeError("setVariable(key, value) needs a non-empty string key")
            }
            if args[1].isUndefined {
                _ = context.state.setVariable(key, nil)
            } else if !context.state.setVariable(key, rt.scriptValue(from: args[1])) {
                throw rt.error(.rangeError, "setVariable: template variables are limited to \(PageState.variableByteCap) bytes per page")
            }
            return .undefined
        }
        try rt.defineGlobal("setVariable", Value(setVariable))
        let getVariable = try rt.newNativeFunction(name: "getVariable", length: 1) { rt, _, args throws(VMError) in
            let key = try rt.toSwiftString(args[0])
            if let v = context.state.variable(key) { return try rt.value(from: v) }
            if let v = brandVariables.first(where: { $0.key == key })?.value { return try rt.value(from: v) }
            return .null
        }
        try rt.defineGlobal("getVariable", Value(getVariable))

        try rt.installConsole { level, text in
            context.consoleLines += 1
            context.consoleBytes += text.utf8.count
            let lines = context.consoleLines, bytes = context.consoleBytes
            if lines == consoleLineCap + 1 || (bytes > consoleByteCap && bytes - text.utf8.count <= consoleByteCap) {
                context.log("warn", "console output limit reached; further lines of this run are dropped")
            }
            if lines > consoleLineCap || bytes > consoleByteCap { return }
            context.log(level, text)
        }
    }

    /// Sets the per-request globals for the coming run (deeply frozen copies; `query` is the same
    /// object as `request.query`).
    static func setRequestGlobals(in rt: Runtime, request: ScriptValue) throws(VMError) {
        let value = try rt.readOnlyValue(from: request)
        rt.replaceGlobalValue("request", value)
        var query = value.isObject ? try rt.get(value, rt.key("query")) : .undefined
        if !query.isObject { query = try rt.readOnlyValue(from: .object([])) }
        rt.replaceGlobalValue("query", query)
    }
}
