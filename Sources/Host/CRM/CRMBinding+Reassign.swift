import SluiceVM

extension CRMBinding {
    /// The session key holding the anonymous visitor's reference id (the documented migration flow).
    public static let visitorSessionKey = "quiz_visitor_id"

    /// `reassignCrmReference({ slug, fromReferenceType, fromReferenceId, toReferenceType?,
    /// toReferenceId?, async? })` → `{ ok, migrated, merged, pending?, error? }`.
    ///
    /// Security (reference-notes §1.7.4): a customer must be logged in (`forbidden` otherwise);
    /// `fromReferenceId` must equal `session.get('quiz_visitor_id')` exactly and `fromReferenceType`
    /// must not be `customer` (`forbidden`: nobody takes over another customer's entries); the
    /// target is always the logged-in customer, and `to*` values naming anything else give
    /// `forbidden_target`.
    static func reassignReference(_ call: CRMScriptCall) throws(VMError) -> ScriptValue {
        let entity = try call.entity()
        let async = try call.flag(CRMScriptCall.asyncNames)
        guard let customerID = call.context.customerID, let target = CRMReference.customer(customerID) else {
            return CRMReassignResult.failure("forbidden").scriptValue
        }
        guard case .value(let fromType) = try call.string(["fromReferenceType", "from_reference_type"]),
              CRMRules.isReferenceType(fromType) else {
            return CRMReassignResult.failure("invalid_reference").scriptValue
        }
        let fromIDValue = try call.value(["fromReferenceId", "from_reference_id", "fromReferenceID"])
        guard let fromID = try call.referenceIDString(fromIDValue), let from = CRMReference(type: fromType, id: fromID) else {
            return CRMReassignResult.failure(fromIDValue.isUndefined ? "forbidden" : "invalid_reference").scriptValue
        }
        guard fromType != "customer", sessionVisitorID(call.context) == fromID else {
            return CRMReassignResult.failure("forbidden").scriptValue
        }
        switch try call.string(["toReferenceType", "to_reference_type"]) {
        case .missing: break
        case .value(let t) where t == "customer": break
        default: return CRMReassignResult.failure("forbidden_target").scriptValue
        }
        let toIDValue = try call.value(["toReferenceId", "to_reference_id", "toReferenceID"])
        if !toIDValue.isUndefined {
            guard try call.referenceIDString(toIDValue) == customerID else {
                return CRMReassignResult.failure("forbidden_target").scriptValue
            }
        }
        let slug = entity.slug
        if async {
            call.deferWrite("\(slug) \(from)→\(target)") { (s) throws(CRMError) in
                _ = try s.reassign(slug: slug, from: from, to: target)
            }
            var pending = CRMReassignResult(ok: true, migrated: 0, merged: false)
            pending.pending = true
            return pending.scriptValue
        }
        return try call.store { (s) throws(CRMError) in try s.reassign(slug: slug, from: from, to: target) }.scriptValue
    }

    /// `session.get('quiz_visitor_id')` as a string (a number in its JavaScript form), or nil.
    private static func sessionVisitorID(_ context: CRMRequestContext) -> String? {
        switch context.session.value(forKey: visitorSessionKey) {
        case .string(let s)? where !s.isEmpty: return s
        case .number(let d)? where d.isFinite:
            return ScriptValue.number(d).jsonText
        default: return nil
        }
    }
}
