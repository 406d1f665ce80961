import SluiceVM

extension SchemaValidator {
    /// A deep copy of data no schema describes (`Schema.any()`, arrays without `.items`,
    /// `Schema.object()` without keys, defaults): arrays and plain objects are copied (own
    /// enumerable keys), everything else (primitives, functions, dates, maps …) is kept as is.
    ///
    /// Returns nil after recording an error (naming `label`, else the current path) when the data
    /// is cyclic or nested deeper than `maxDepth`.
    mutating func copyValue(_ v: Value, label: Value?, depth: Int) throws(VMError) -> Value? {
        guard v.isObject else { return v }
        let o = v.object
        let isArray = o.kind == .array
        guard isArray || SchemaValidator.isPlainObject(o) else { return v }
        if depth > SchemaValidator.maxDepth {
            try fail(label, "is nested too deeply")
            return nil
        }
        let id = ObjectIdentifier(o)
        guard !objectsBeingCopied.contains(id) else {
            try fail(label, "contains a circular reference")
            return nil
        }
        objectsBeingCopied.insert(id)
        defer { objectsBeingCopied.remove(id) }
        // Getters may run script code: root the source and the copy.
        let mark = rt.pushTemporaryRoot(v)
        defer { rt.popTemporaryRoots(to: mark) }

        if isArray {
            let copy = try rt.newArray()
            _ = rt.pushTemporaryRoot(Value(copy))
            for i in 0..<o.arrayLength {
                try rt.charge(1)
                let element = try rt.get(o, PropertyKey(index: i))
                guard let c = try copyValue(element, label: label, depth: depth + 1) else { return nil }
                try rt.createDataProperty(copy, PropertyKey(index: i), c)
            }
            return Value(copy)
        }
        let copy = try rt.newObject()
        _ = rt.pushTemporaryRoot(Value(copy))
        for key in rt.ownEnumerableStringKeys(o) {
            try rt.charge(1)
            let element = try rt.get(o, key)
            guard let c = try copyValue(element, label: label, depth: depth + 1) else { return nil }
            try rt.createDataProperty(copy, key, c)
        }
        return Value(copy)
    }
}
