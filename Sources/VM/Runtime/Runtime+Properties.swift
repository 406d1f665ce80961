// Property access: the ordinary object algorithms ([[Get]], [[Set]], [[DefineOwnProperty]],
// [[Delete]], [[OwnPropertyKeys]]) plus the exotic behaviour of arrays (`length`, elements) and
// String wrapper objects (indices, `length`).

extension Runtime {
    // MARK: Lookup helpers

    /// Elements dense threshold: writing index `i` past `elements.count` stays dense while the gap is small.
    static let maxDenseGap = 1024

    /// `key`'s slot and attributes in `o`'s shape, read without retaining the shape (transition
    /// shapes are owned by the shape tree, dictionary shapes by the object).
    @inline(__always) func findOwnSlot(_ o: JSObject, _ key: PropertyKey) -> PropertyTable.Found? {
        Unmanaged.passUnretained(o.shapeRef)._withUnsafeGuaranteedRef { $0.find(key) }
    }

    @inline(__always) func usesElements(_ o: JSObject) -> Bool {
        (o.kind == .array || o.kind == .arguments) && !o.flags.contains(.sparseElements)
    }

    /// The own property descriptor, or nil.
    public func getOwnProperty(_ o: JSObject, _ key: PropertyKey) -> PropertyDescriptor? {
        if key.isIndex {
            if usesElements(o) {
                let i = Int(key.index)
                if i < o.elements.count {
                    let v = o.elements[i]
                    if !v.isHole { return PropertyDescriptor(value: v, attributes: .normal) }
                }
            } else if o.kind == .string, let s = o.primitiveValue.asString, Int(key.index) < s.count {
                let unit = s.unitBuffer[Int(key.index)]
                let str = (try? singleCharacterString(unit)) ?? Value.undefined
                return PropertyDescriptor(value: str, attributes: [.enumerable])
            }
        } else if key == names.length {
            if o.kind == .array {
                return PropertyDescriptor(value: Value(Double(o.arrayLength)),
                                          attributes: o.flags.contains(.lengthReadOnly) ? [] : [.writable])
            }
            if o.kind == .string, let s = o.primitiveValue.asString {
                return PropertyDescriptor(value: Value(Double(s.count)), attributes: [])
            }
        }
        guard let found = findOwnSlot(o, key) else { return nil }
        let attrs = found.attributes
        let v = o.slots[found.slot]
        if attrs.contains(.accessor) {
            let pair = unsafeDowncast(v.object, to: AccessorPair.self)
            return PropertyDescriptor(get: pair.getter, set: pair.setter,
                                      enumerable: attrs.contains(.enumerable), configurable: attrs.contains(.configurable))
        }
        return PropertyDescriptor(value: v, attributes: attrs)
    }

    public func hasOwnProperty(_ o: JSObject, _ key: PropertyKey) -> Bool {
        if key.isIndex, usesElements(o) {
            let i = Int(key.index)
            if i < o.elements.count && !o.elements[i].isHole { return true }
        }
        if findOwnSlot(o, key) != nil { return true }
        // Only exotic own properties (string indices, `length`) live outside the shape.
        if o.kind == .string || (o.kind == .array && key == names.length) { return getOwnProperty(o, key) != nil }
        return false
    }

    /// [[HasProperty]]: own or inherited.
    public func hasProperty(_ o: JSObject, _ key: PropertyKey) -> Bool {
        unowned(unsafe) var c = o
        while true {
            if hasOwnProperty(c, key) { return true }
            guard let p = c.prototype else { return false }
            c = p
        }
    }

    // MARK: [[Get]]

    /// [[Get]] on an object, walking the prototype chain; getters receive `receiver`.
    public func get(_ o: JSObject, _ key: PropertyKey, receiver: Value) throws(VMError) -> Value {
        unowned(unsafe) var obj = o
        while true {
            if key.isIndex {
                if usesElements(obj) {
                    let i = Int(key.index)
                    if i < obj.elements.count {
                        let v = obj.elements[i]
                        if !v.isHole { return v }
                    }
                } else if obj.kind == .string, let s = obj.primitiveValue.asString, Int(key.index) < s.count {
                    return try singleCharacterString(s.unitBuffer[Int(key.index)])
                }
            }
            if let found = findOwnSlot(obj, key) {
                let v = obj.slots[found.slot]
                if found.attributes.contains(.accessor) {
                    let getter = unsafeDowncast(v.object, to: AccessorPair.self).getter
                    if getter.isUndefined { return .undefined }
                    return try call(getter, this: receiver, arguments: [])
                }
                return v
            }
            if key == names.length {
                if obj.kind == .array { return Value(Double(obj.arrayLength)) }
                if obj.kind == .string, let s = obj.primitiveValue.asString { return Value(Double(s.count)) }
            }
            guard let p = obj.prototype else { return .undefined }
            obj = p
        }
    }

    @inline(__always)
    public func get(_ o: JSObject, _ key: PropertyKey) throws(VMError) -> Value {
        try get(o, key, receiver: Value(o))
    }

    /// [[Get]] on any value: primitives use their prototype (strings have `length` and indices).
    public func get(_ v: Value, _ key: PropertyKey) throws(VMError) -> Value {
        if v.isObject { return try get(v.object, key, receiver: v) }
        if v.isString {
            let s = v.string
            if key == names.length { return Value(Double(s.count)) }
            if key.isIndex, Int(key.index) < s.count { return try singleCharacterString(s.unitBuffer[Int(key.index)]) }
            return try get(intrinsics.stringPrototype, key, receiver: v)
        }
        if v.isNumber { return try get(intrinsics.numberPrototype, key, receiver: v) }
        if v.isBoolean { return try get(intrinsics.booleanPrototype, key, receiver: v) }
        if v.isSymbol { return try get(intrinsics.symbolPrototype, key, receiver: v) }
        throw typeError("Cannot read properties of \(v.isNull ? "null" : "undefined") (reading '\(describeKey(key))')")
    }

    /// `GetMethod`: undefined/null → nil; a non-callable → TypeError.
    public func getMethod(_ v: Value, _ key: PropertyKey) throws(VMError) -> JSFunction? {
        let f = try get(v, key)
        if f.isNullish { return nil }
        guard let fn = f.asFunction else { throw typeError("\(describeKey(key)) is not a function") }
        return fn
    }

    // MARK: [[Set]]

    /// [[Set]]: assigns through setters and the prototype chain. Returns false when the assignment
    /// was refused (read-only, non-extensible); strict code turns that into a TypeError.
    @discardableResult
    public func set(_ o: JSObject, _ key: PropertyKey, _ value: Value, receiver: Value) throws(VMError) -> Bool {
        // Fast path: own writable data property or dense element on the receiver itself.
        if receiver.isObject && receiver.object === o {
            noteWrite(o)
            if key.isIndex, usesElements(o) {
                let i = Int(key.index)
                if i < o.elements.count, !o.elements[i].isHole {
                    o.elements[i] = value
                    return true
                }
            } else if let found = findOwnSlot(o, key) {
                if found.attributes.contains(.writable) {
                    o.slots[found.slot] = value
                    return true
                }
            }
        }
        // Walk the chain for setters and read-only properties.
        var cur: JSObject? = o
        while let c = cur {
            if let d = getOwnProperty(c, key) {
                if d.isAccessor {
                    guard let setter = d.set, !setter.isUndefined else { return false }
                    _ = try call(setter, this: receiver, arguments: [value])
                    return true
                }
                if d.writable != true { return false }
                break
            }
            cur = c.prototype
        }
        guard receiver.isObject else { return false }
        let r = receiver.object
        if let existing = getOwnProperty(r, key) {
            if existing.isAccessor || existing.writable != true { return false }
            return try defineOwnProperty(r, key, PropertyDescriptor(value: value))
        }
        return try createDataProperty(r, key, value)
    }

    @inline(__always) @discardableResult
    public func set(_ o: JSObject, _ key: PropertyKey, _ value: Value) throws(VMError) -> Bool {
        try set(o, key, value, receiver: Value(o))
    }

    /// PutValue on any base: primitives look up setters on their prototype; `throwOnFailure` is strict mode.
    public func put(_ base: Value, _ key: PropertyKey, _ value: Value, throwOnFailure: Bool) throws(VMError) {
        let ok: Bool
        if base.isObject {
            ok = try set(base.object, key, value, receiver: base)
        } else if base.isNullish {
            throw typeError("Cannot set properties of \(base.isNull ? "null" : "undefined") (setting '\(describeKey(key))')")
        } else {
            let proto = try toObject(base)
            ok = try set(proto, key, value, receiver: base)
        }
        if !ok && throwOnFailure {
            throw typeError("Cannot assign to read only property '\(describeKey(key))' of \(typeofString(base))")
        }
    }

    // MARK: Creating and defining

    /// CreateDataProperty: define an enumerable, writable, configurable data property.
    @discardableResult
    public func createDataProperty(_ o: JSObject, _ key: PropertyKey, _ value: Value) throws(VMError) -> Bool {
        noteWrite(o)
        if key.isIndex, usesElements(o) {
            let i = Int(key.index)
            // Appending to a dense array (map/filter results): no index key can be in the shape
            // while it has none at all.
            if i == o.elements.count && o.kind == .array && o.isExtensible && !o.flags.contains(.lengthReadOnly)
                && !o.shape.hasIndexKeys {
                try heap.charge(8, to: o)
                o.elements.append(value)
                if UInt32(i) >= o.arrayLength { o.arrayLength = UInt32(i) + 1 }
                return true
            }
            if i < o.elements.count {
                if !o.elements[i].isHole { o.elements[i] = value; return true }
                if !o.isExtensible { return false }
                o.elements[i] = value
                return true
            }
            if o.isExtensible && i - o.elements.count <= Runtime.maxDenseGap
                && (o.kind != .array || !o.flags.contains(.lengthReadOnly) || i < Int(o.arrayLength)) {
                if o.shape.lookup(key) == nil {
                    try heap.charge((i - o.elements.count + 1) * 8, to: o)
                    while o.elements.count < i { o.elements.append(.hole) }
                    o.elements.append(value)
                    if o.kind == .array && UInt32(i) >= o.arrayLength { o.arrayLength = UInt32(i) + 1 }
                    return true
                }
            }
        }
        if o.shape.lookup(key) == nil, !(key == names.length && (o.kind == .array || o.kind == .string)),
           o.kind != .string || !key.isIndex {
            guard o.isExtensible else { return false }
            if o.kind == .array && key.isIndex {
                if key.index >= o.arrayLength {
                    if o.flags.contains(.lengthReadOnly) { return false }
                    o.arrayLength = key.index + 1
                }
            }
            try addProperty(o, key, value, .normal)
            return true
        }
        return try defineOwnProperty(o, key, PropertyDescriptor(value: value, attributes: .normal))
    }

    /// Defines a data property with exact attributes, replacing whatever was there (installers, literals).
    public func defineDataProperty(_ o: JSObject, _ key: PropertyKey, _ value: Value,
                                   _ attrs: PropertyAttributes) throws(VMError) {
        if o.shape.lookup(key) == nil && !key.isIndex && !(key == names.length && o.kind == .array) && o.isExtensible {
            try addProperty(o, key, value, attrs)
            return
        }
        _ = try defineOwnProperty(o, key, PropertyDescriptor(value: value, attributes: attrs))
    }

    /// Defines a getter/setter pair (either may be undefined).
    public func defineAccessorProperty(_ o: JSObject, _ key: PropertyKey, getter: Value, setter: Value,
                                       _ attrs: PropertyAttributes) throws(VMError) {
        var d = PropertyDescriptor(get: getter, set: setter)
        d.enumerable = attrs.contains(.enumerable)
        d.configurable = attrs.contains(.configurable)
        _ = try defineOwnProperty(o, key, d)
    }

    /// Appends a new named property (the key must not exist).
    func addProperty(_ o: JSObject, _ key: PropertyKey, _ value: Value, _ attrs: PropertyAttributes) throws(VMError) {
        noteWrite(o)
        try heap.charge(8, to: o)
        if !o.shape.isDictionary {
            if !key.isIndex, !(installingBuiltins && o.shape.slotCount >= 4),
               let next = shapes.transition(from: o.shape, adding: key, attrs) {
                o.shape = next
                o.slots.append(value)
                if attrs.contains(.accessor) || !attrs.contains(.writable) { accessorEpoch &+= 1 }
                return
            }
            o.shape = shapes.makeDictionary(from: o.shape)
        }
        _ = o.shape.dictionaryAppend(key, attrs)
        shapes.renew(o.shape)
        o.slots.append(value)
        if attrs.contains(.accessor) || !attrs.contains(.writable) { accessorEpoch &+= 1 }
    }

    /// Sets an object's [[Prototype]] (no checks; see `setPrototypeChecked` for Object.setPrototypeOf).
    public func setPrototype(_ o: JSObject, _ proto: JSObject?) {
        if o.prototype === proto { return }
        noteWrite(o)
        o.prototype = proto
        accessorEpoch &+= 1
    }

    /// [[SetPrototypeOf]]: false when `o` is not extensible or the chain would become a cycle.
    public func setPrototypeChecked(_ o: JSObject, _ proto: JSObject?) -> Bool {
        if o.prototype === proto { return true }
        if !o.isExtensible { return false }
        var p = proto
        while let cur = p {
            if cur === o { return false }
            p = cur.prototype
        }
        setPrototype(o, proto)
        return true
    }

    /// Gives `o` a private dictionary shape (before deleting or reconfiguring a property).
    func ensureDictionary(_ o: JSObject) {
        if !o.shape.isDictionary { o.shape = shapes.makeDictionary(from: o.shape) }
    }

    /// Moves every element into the property table (before giving an element special attributes).
    func sparsifyElements(_ o: JSObject) throws(VMError) {
        guard usesElements(o) else { return }
        let elems = o.elements
        o.elements = []
        o.flags.insert(.sparseElements)
        ensureDictionary(o)
        for (i, v) in elems.enumerated() where !v.isHole {
            try addProperty(o, PropertyKey(index: UInt32(i)), v, .normal)
        }
    }

    /// [[DefineOwnProperty]] (ValidateAndApplyPropertyDescriptor). Returns false when refused.
    @discardableResult
    public func defineOwnProperty(_ o: JSObject, _ key: PropertyKey, _ desc: PropertyDescriptor) throws(VMError) -> Bool {
        noteWrite(o)
        if o.kind == .array {
            if key == names.length { return try defineArrayLength(o, desc) }
            if key.isIndex {
                if key.index >= o.arrayLength && o.flags.contains(.lengthReadOnly) { return false }
                let ok = try defineOrdinary(o, key, desc)
                if ok && key.index >= o.arrayLength { o.arrayLength = key.index + 1 }
                return ok
            }
        }
        if o.kind == .string, let s = o.primitiveValue.asString {
            if key == names.length || (key.isIndex && Int(key.index) < s.count) {
                guard let cur = getOwnProperty(o, key) else { return false }
                return isCompatibleNoChange(cur, desc)
            }
        }
        return try defineOrdinary(o, key, desc)
    }

    /// True when applying `desc` to a non-configurable, non-writable `current` changes nothing.
    private func isCompatibleNoChange(_ current: PropertyDescriptor, _ desc: PropertyDescriptor) -> Bool {
        if desc.configurable == true { return false }
        if let e = desc.enumerable, e != current.enumerable { return false }
        if desc.isAccessor { return false }
        if desc.writable == true { return false }
        if let v = desc.value, let cv = current.value, !sameValue(v, cv) { return false }
        return true
    }

    private func defineOrdinary(_ o: JSObject, _ key: PropertyKey, _ desc: PropertyDescriptor) throws(VMError) -> Bool {
        // Elements with default attributes stay in `elements`.
        if key.isIndex, usesElements(o) {
            let i = Int(key.index)
            let existing = i < o.elements.count && !o.elements[i].isHole
            let defaultAttrs = !desc.isAccessor && desc.writable != false && desc.enumerable != false && desc.configurable != false
            if existing && defaultAttrs && desc.writable != nil && desc.enumerable != nil && desc.configurable != nil {
                if let v = desc.value { o.elements[i] = v }
                return true
            }
            if existing && defaultAttrs && desc.writable == nil && desc.enumerable == nil && desc.configurable == nil
                && !desc.isAccessor {
                if let v = desc.value { o.elements[i] = v }
                return true
            }
            if !existing && defaultAttrs && desc.writable == true && desc.enumerable == true && desc.configurable == true
                && o.isExtensible && i - o.elements.count <= Runtime.maxDenseGap && o.shape.lookup(key) == nil {
                return try createDataProperty(o, key, desc.value ?? .undefined)
            }
            try sparsifyElements(o)
        }
        guard let slot = o.shape.lookup(key) else {
            guard o.isExtensible else { return false }
            if desc.isAccessor {
                let pair = try newAccessorPair(getter: desc.get ?? .undefined, setter: desc.set ?? .undefined)
                var attrs: PropertyAttributes = [.accessor]
                if desc.enumerable == true { attrs.insert(.enumerable) }
                if desc.configurable == true { attrs.insert(.configurable) }
                try addProperty(o, key, Value(pair), attrs)
            } else {
                var attrs: PropertyAttributes = []
                if desc.writable == true { attrs.insert(.writable) }
                if desc.enumerable == true { attrs.insert(.enumerable) }
                if desc.configurable == true { attrs.insert(.configurable) }
                try addProperty(o, key, desc.value ?? .undefined, attrs)
            }
            return true
        }
        let cur = o.shape.attributes[slot]
        let curIsAccessor = cur.contains(.accessor)
        if !cur.contains(.configurable) {
            if desc.configurable == true { return false }
            if let e = desc.enumerable, e != cur.contains(.enumerable) { return false }
            if desc.isAccessor != curIsAccessor && (desc.isAccessor || desc.isData) { return false }
            if curIsAccessor {
                let pair = unsafeDowncast(o.slots[slot].object, to: AccessorPair.self)
                if let g = desc.get, !sameValue(g, pair.getter) { return false }
                if let s = desc.set, !sameValue(s, pair.setter) { return false }
            } else if !cur.contains(.writable) {
                if desc.writable == true { return false }
                if let v = desc.value, !sameValue(v, o.slots[slot]) { return false }
            }
        }
        // Apply.
        var attrs = cur
        if let e = desc.enumerable { if e { attrs.insert(.enumerable) } else { attrs.remove(.enumerable) } }
        if let c = desc.configurable { if c { attrs.insert(.configurable) } else { attrs.remove(.configurable) } }
        var newValue = o.slots[slot]
        if desc.isAccessor {
            if curIsAccessor {
                let pair = unsafeDowncast(o.slots[slot].object, to: AccessorPair.self)
                if let g = desc.get { pair.getter = g }
                if let s = desc.set { pair.setter = s }
            } else {
                newValue = Value(try newAccessorPair(getter: desc.get ?? .undefined, setter: desc.set ?? .undefined))
                attrs.remove(.writable)
                attrs.insert(.accessor)
            }
        } else if desc.isData {
            if curIsAccessor {
                attrs.remove(.accessor)
                newValue = desc.value ?? .undefined
                if desc.writable == true { attrs.insert(.writable) } else { attrs.remove(.writable) }
            } else {
                if let v = desc.value { newValue = v }
                if let w = desc.writable { if w { attrs.insert(.writable) } else { attrs.remove(.writable) } }
            }
        }
        if attrs != cur {
            ensureDictionary(o)
            o.shape.dictionarySetAttributes(slot, attrs)
            shapes.renew(o.shape)
            accessorEpoch &+= 1
        }
        o.slots[slot] = newValue
        return true
    }

    private func defineArrayLength(_ o: JSObject, _ desc: PropertyDescriptor) throws(VMError) -> Bool {
        if desc.isAccessor || desc.configurable == true || desc.enumerable == true { return false }
        let readOnly = o.flags.contains(.lengthReadOnly)
        guard let v = desc.value else {
            if desc.writable == true && readOnly { return false }
            if desc.writable == false { o.flags.insert(.lengthReadOnly) }
            return true
        }
        let number = try toNumber(v)
        let newLen = UInt32(truncatingIfNeeded: Int64(number.isFinite ? number : -1))
        if Double(newLen) != number || number < 0 || number > 4294967295 {
            throw rangeError("Invalid array length")
        }
        if readOnly {
            return newLen == o.arrayLength
        }
        let ok = try setArrayLength(o, newLen)
        if desc.writable == false { o.flags.insert(.lengthReadOnly) }
        return ok
    }

    /// Sets an array's length, deleting elements past it. Returns false when a non-configurable
    /// element stopped the truncation.
    public func setArrayLength(_ o: JSObject, _ newLen: UInt32) throws(VMError) -> Bool {
        noteWrite(o)
        if newLen >= o.arrayLength {
            o.arrayLength = newLen
            return true
        }
        if Int(newLen) < o.elements.count { o.elements.removeLast(o.elements.count - Int(newLen)) }
        // Index keys in the property table past the new length.
        let indexKeys = o.shape.keys.filter { $0.isIndex && $0.index >= newLen }.sorted { $0.index > $1.index }
        for k in indexKeys {
            if !deleteProperty(o, k) {
                o.arrayLength = k.index + 1
                return false
            }
        }
        o.arrayLength = newLen
        return true
    }

    // MARK: [[Delete]]

    /// [[Delete]]. Returns false for a non-configurable property.
    @discardableResult
    public func deleteProperty(_ o: JSObject, _ key: PropertyKey) -> Bool {
        noteWrite(o)
        if key.isIndex, usesElements(o) {
            let i = Int(key.index)
            if i < o.elements.count {
                if i == o.elements.count - 1 {
                    o.elements.removeLast()
                    while let last = o.elements.last, last.isHole { o.elements.removeLast() }
                } else {
                    o.elements[i] = .hole
                }
                return true
            }
        }
        if key == names.length && (o.kind == .array || o.kind == .string) { return false }
        if o.kind == .string, key.isIndex, let s = o.primitiveValue.asString, Int(key.index) < s.count { return false }
        guard let slot = o.shape.lookup(key) else { return true }
        if !o.shape.attributes[slot].contains(.configurable) { return false }
        ensureDictionary(o)
        _ = o.shape.dictionaryRemove(key)
        shapes.renew(o.shape)
        o.slots[slot] = .hole
        if o.shape.deletedCount > 8 && o.shape.deletedCount * 2 > o.shape.slotCount {
            let mapping = o.shape.dictionaryCompact()
            var newSlots = ContiguousArray<Value>()
            newSlots.reserveCapacity(mapping.count)
            for old in mapping { newSlots.append(o.slots[old]) }
            o.slots = newSlots
        }
        return true
    }

    // MARK: [[OwnPropertyKeys]]

    /// Own keys in spec order: array indices ascending, then strings and then symbols in creation order.
    public func ownPropertyKeys(_ o: JSObject) -> [PropertyKey] {
        var result: [PropertyKey] = []
        var indexKeys: [PropertyKey] = []
        if usesElements(o) {
            for (i, v) in o.elements.enumerated() where !v.isHole { result.append(PropertyKey(index: UInt32(i))) }
        } else if o.kind == .string, let s = o.primitiveValue.asString {
            for i in 0..<s.count { result.append(PropertyKey(index: UInt32(i))) }
        }
        var strings: [PropertyKey] = []
        var symbols: [PropertyKey] = []
        for k in o.shape.keys where k != .tombstone {
            if k.isIndex { indexKeys.append(k) } else if k.isSymbol { symbols.append(k) } else { strings.append(k) }
        }
        if !indexKeys.isEmpty {
            indexKeys.sort { $0.index < $1.index }
            if result.isEmpty { result = indexKeys } else { result = (result + indexKeys).sorted { $0.index < $1.index } }
        }
        if o.kind == .array || o.kind == .string { result.append(names.length) }
        result.append(contentsOf: strings)
        result.append(contentsOf: symbols)
        return result
    }

    /// Own enumerable string keys (for-in, Object.keys, JSON).
    public func ownEnumerableStringKeys(_ o: JSObject) -> [PropertyKey] {
        var out: [PropertyKey] = []
        for k in ownPropertyKeys(o) where !k.isSymbol {
            if k.isIndex && usesElements(o) { out.append(k); continue }
            if let slot = o.shape.lookup(k) {
                if o.shape.attributes[slot].contains(.enumerable) { out.append(k) }
            } else if let d = getOwnProperty(o, k), d.enumerable == true {
                out.append(k)
            }
        }
        return out
    }

    /// The key as a string value (index keys become their decimal form).
    public func keyToValue(_ key: PropertyKey) throws(VMError) -> Value {
        if key.isIndex { return Value(try newString(String(key.index))) }
        if key.isSymbol { return Value(key.symbol) }
        return Value(key.atom)
    }

    /// Human-readable key for error messages.
    public func describeKey(_ key: PropertyKey) -> String {
        if key.isIndex { return String(key.index) }
        if key.isSymbol { return "Symbol(\(key.symbol.descriptionString ?? ""))" }
        return key.atom.swiftString
    }

    // MARK: Integrity

    /// `Object.preventExtensions`.
    public func preventExtensions(_ o: JSObject) {
        noteWrite(o)
        o.flags.remove(.extensible)
        accessorEpoch &+= 1
    }

    /// `Object.freeze` (`frozen: true`) or `Object.seal`.
    public func setIntegrityLevel(_ o: JSObject, frozen: Bool) throws(VMError) {
        noteWrite(o)
        o.flags.remove(.extensible)
        accessorEpoch &+= 1
        try sparsifyElements(o)
        ensureDictionary(o)
        for (slot, k) in o.shape.keys.enumerated() where k != .tombstone {
            var a = o.shape.attributes[slot]
            a.remove(.configurable)
            if frozen && !a.contains(.accessor) { a.remove(.writable) }
            o.shape.dictionarySetAttributes(slot, a)
        }
        shapes.renew(o.shape)
        accessorEpoch &+= 1
        if frozen && o.kind == .array { o.flags.insert(.lengthReadOnly) }
    }

    /// `Object.isFrozen` / `Object.isSealed`.
    public func testIntegrityLevel(_ o: JSObject, frozen: Bool) -> Bool {
        if o.isExtensible { return false }
        for k in ownPropertyKeys(o) {
            guard let d = getOwnProperty(o, k) else { continue }
            if d.configurable == true { return false }
            if frozen && d.isData && d.writable == true { return false }
        }
        return true
    }
}
