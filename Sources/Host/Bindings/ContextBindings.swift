import SluiceVM

/// Read-only context globals (`request`, `query`, `customer`, `is_customer`, `customer_id`, `brand`),
/// template variables (`setVariable`/`getVariable`) and `console`.
enum ContextBindings {
    /// Console output kept per run (reference notes Q19): beyond it lines are dropped with one notice.
    static let consoleLineCap = 100
    static let consoleByteCap = 64 << 10
    /// Where a run's `request` object is kept once a script first reads it.
    static let requestObjectKey = IntrinsicSlot()

    static func requestValue(_ request: PageRequest, routeParams: [(key: String, value: String)]?) -> ScriptValue {
        func object(_ pairs: [(key: String, value: String)]) -> ScriptValue {
            .object(pairs.map { ScriptProperty($0.key, .string($0.value)) })
        }
        // Keep the names and order in step with `RequestObjectBuilder.topLevelNames`.
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
        // `request` and `query` are getters that build the frozen request object on first read:
        // many pages never look at it, and building it (headers, cookies, body) was ~5% of a GET.
        let builder = RequestObjectBuilder(runtime: rt)
        let request = try rt.newNativeFunction(name: "get request", length: 0) { rt, _, _ throws(VMError) in
            try requestObject(rt, context, builder)
        }
        let query = try rt.newNativeFunction(name: "get query", length: 0) { rt, _, _ throws(VMError) in
            let value = try requestObject(rt, context, builder)
            let query = value.isObject ? try rt.get(value, builder.queryKey) : .undefined
            return query.isObject ? query : try rt.readOnlyValue(from: .object([]))
        }
        for (name, getter) in [("request", request), ("query", query)] {
            try rt.defineAccessorProperty(rt.globalObject, rt.key(name), getter: Value(getter), setter: .undefined, [])
        }
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

    /// Points `request` and `query` at a new request (its object is built when first read).
    static func setRequest(_ request: ScriptValue, in rt: Runtime, context: PageContext) {
        context.request = request
        rt.intrinsics[requestObjectKey] = nil
    }

    /// The run's frozen request object (`query` is the same object as `request.query`).
    private static func requestObject(_ rt: Runtime, _ context: PageContext,
                                      _ builder: RequestObjectBuilder) throws(VMError) -> Value {
        if let built = rt.intrinsics[requestObjectKey] { return Value(built) }
        let value = try builder.build(context.request, in: rt)
        if value.isObject { rt.intrinsics[requestObjectKey] = value.object }
        return value
    }
}
