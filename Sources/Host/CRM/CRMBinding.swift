import SluiceVM

/// Installs the CRM functions of README §4 / reference-notes §2.6 as globals of a script run:
/// `getCrmEntries getCrmField getCrmFields setCrmField setCrmFields addCrmFieldValue
/// getCrmFieldValues clearCrmEntries ensureCrmEntity moveCrmToStage moveCrmToPipeline
/// moveCrmToEntity moveCrmLead reassignCrmReference`.
///
/// Every function takes one options object. A missing or unknown `slug` (and a missing `fieldKey`
/// or `value` where one is needed) throws `TypeError`; any other bad input returns the function's
/// empty result (`false`, `null`, `[]`, `{}` or `{ ok: false, … }`). With no customer logged in
/// and no explicit reference, reads return empty results and writes return `false`.
/// A storage failure throws an `Error` (and is logged) rather than pretend the call worked.
public enum CRMBinding {
    /// Instruction-budget units charged per call (a database round trip), plus per element handled.
    public static let callCost = 1_000
    static let elementCost = 10

    /// Defines the CRM functions in `rt` (a fresh runtime for one request, before the script runs).
    public static func install(into rt: Runtime, context: CRMRequestContext) throws(VMError) {
        try install(into: rt, handle: CRMBindingHandle(context: context))
    }

    /// Defines the CRM functions so that they serve whatever context `handle` holds when called:
    /// a pooled runtime is installed once, then `handle.context` is set for each request.
    public static func install(into rt: Runtime, handle: CRMBindingHandle) throws(VMError) {
        try define(rt, "getCrmEntries", handle, getEntries)
        try define(rt, "getCrmField", handle, getField)
        try define(rt, "getCrmFields", handle, getFields)
        try define(rt, "getCrmFieldValues", handle, getFieldValues)
        try define(rt, "setCrmField", handle, setField)
        try define(rt, "setCrmFields", handle, setFields)
        try define(rt, "addCrmFieldValue", handle, addFieldValue)
        try define(rt, "clearCrmEntries", handle, clearEntries)
        try define(rt, "ensureCrmEntity", handle, ensureEntity)
        try define(rt, "moveCrmToStage", handle) { (call) throws(VMError) in try move(call, kind: .toStage) }
        try define(rt, "moveCrmToPipeline", handle) { (call) throws(VMError) in try move(call, kind: .toPipeline) }
        try define(rt, "moveCrmLead", handle) { (call) throws(VMError) in try move(call, kind: .lead) }
        try define(rt, "moveCrmToEntity", handle, moveToEntity)
        try define(rt, "reassignCrmReference", handle, reassignReference)
    }

    private static func define(_ rt: Runtime, _ name: String, _ handle: CRMBindingHandle,
                               _ body: @escaping (CRMScriptCall) throws(VMError) -> ScriptValue) throws(VMError) {
        let f = try rt.newNativeFunction(name: name, length: 1) { rt, _, args throws(VMError) in
            try rt.charge(callCost)
            let call = try CRMScriptCall(rt: rt, arguments: args, function: name, context: handle.context)
            return try makeValue(try body(call), in: rt)
        }
        try rt.defineGlobal(name, Value(f))
    }

    /// Converts a result into script values, charging for its size and refusing one that would not
    /// fit in the run's memory budget.
    static func makeValue(_ result: ScriptValue, in rt: Runtime) throws(VMError) -> Value {
        let (nodes, bytes) = size(of: result)
        try rt.charge(nodes * elementCost)
        guard rt.heap.canAllocate(bytes) else { throw VMError.terminated(.memory) }
        return try rt.value(from: result)
    }

    /// Node count and a generous estimate of heap bytes for a result.
    private static func size(of v: ScriptValue) -> (nodes: Int, bytes: Int) {
        switch v {
        case .string(let s): return (1, 64 + 2 * s.utf8.count)
        case .array(let items):
            return items.reduce((1, 96)) { acc, item in let s = size(of: item); return (acc.0 + s.0, acc.1 + s.1 + 8) }
        case .object(let props):
            return props.reduce((1, 96)) { acc, p in
                let s = size(of: p.value)
                return (acc.0 + s.0, acc.1 + s.1 + 48 + 2 * p.key.utf8.count)
            }
        default: return (1, 16)
        }
    }
}

/// The request a runtime's CRM functions currently serve (see `CRMBinding.install(into:handle:)`).
public final class CRMBindingHandle {
    public var context: CRMRequestContext

    public init(context: CRMRequestContext) { self.context = context }
}
