// Slow paths of the dispatch loop: inline-cache misses, generic property access, object and
// class construction, iteration helpers. Kept out of line so the loop stays small.

extension Runtime {
    // MARK: Budget and GC

    /// Called at loop back-edges when the budget ran low, periodically, or a collection is due.
    @inline(never)
    func safePoint() throws(VMError) {
        chargeTicks = 0
        try checkBudget()
        if heap.collectionRequested { collectGarbage() }
    }

    // MARK: Globals

    @inline(never)
    func getGlobalSlow(_ block: CodeBlock, _ ci: Int, _ cacheIndex: Int, throwIfMissing: Bool) throws(VMError) -> Value {
        let key = block.keys[ci]
        let g = globalObject!
        if let slot = g.shape.lookup(key) {
            let attrs = g.shape.attributes[slot]
            if !attrs.contains(.accessor) {
                block.caches[cacheIndex] = InlineCache(shapeID: g.shape.id, slot: Int32(slot))
                return g.slots[slot]
            }
            return try get(g, key)
        }
        if hasProperty(g, key) { return try get(g, key) }
        if throwIfMissing { throw referenceError("\(describeKey(key)) is not defined") }
        return .undefined
    }

    @inline(never)
    func setGlobalSlow(_ block: CodeBlock, _ ci: Int, _ cacheIndex: Int, _ value: Value) throws(VMError) {
        let key = block.keys[ci]
        let g = globalObject!
        if let slot = g.shape.lookup(key) {
            let attrs = g.shape.attributes[slot]
            if attrs.contains(.writable) && !attrs.contains(.accessor) {
                g.slots[slot] = value
                block.caches[cacheIndex] = InlineCache(shapeID: g.shape.id, slot: Int32(slot))
                return
            }
        }
        let strict = block.code.flags.contains(.strict)
        if !hasProperty(g, key) {
            if strict { throw referenceError("\(describeKey(key)) is not defined") }
            try createDataProperty(g, key, value)
            return
        }
        try put(Value(g), key, value, throwOnFailure: strict)
    }

    func declareGlobalVar(_ key: PropertyKey) throws(VMError) {
        let g = globalObject!
        if hasOwnProperty(g, key) { return }
        try defineDataProperty(g, key, .undefined, [.writable, .enumerable])
    }

    func declareGlobalFunction(_ key: PropertyKey, _ value: Value) throws(VMError) {
        let g = globalObject!
        if let existing = getOwnProperty(g, key), existing.configurable != true {
            if existing.isData && existing.writable == true && existing.enumerable == true {
                try set(g, key, value)
                return
            }
            throw typeError("Cannot redefine global function '\(describeKey(key))'")
        }
        _ = try defineOwnProperty(g, key, PropertyDescriptor(value: value, writable: true, enumerable: true, configurable: false))
    }

    // MARK: Functions and classes

    func makeClosure(_ block: CodeBlock, _ childIndex: Int, _ fi: Int, _ base: UnsafeMutablePointer<Value>) throws(VMError) -> JSFunction {
        let child = block.child(childIndex, self)
        let code = child.code
        var flags: ObjectFlags = [.extensible]
        let isPlainConstructor = code.flags.contains(.constructor) && !code.flags.contains(.arrow)
            && !code.flags.contains(.method)
        if isPlainConstructor { flags.insert(.constructor) }
        let f = try newScriptFunction(block: child, prototype: intrinsics.functionPrototype, flags: flags)
        f.environment = frames[fi].env
        if code.flags.contains(.arrow) {
            f.capturedThis = base[0]
            f.capturedNewTarget = frames[fi].newTarget
            f.homeObject = frames[fi].function?.homeObject
        }
        let name: JSString
        if let atom = child.nameAtom { name = atom } else {
            name = intern(code.name)
            child.nameAtom = name
        }
        try defineFunctionNameAndLength(f, name: Value(name), length: code.length)
        if isPlainConstructor {
            let proto = try newObject(prototype: intrinsics.objectPrototype)
            try defineDataProperty(proto, names.constructor, Value(f), .hidden)
            try defineDataProperty(f, names.prototype, Value(proto), [.writable])
        }
        return f
    }

    func createClass(_ block: CodeBlock, _ childIndex: Int, _ fi: Int, _ base: UnsafeMutablePointer<Value>,
                     _ a: Int, _ heritage: Int) throws(VMError) {
        var protoParent: JSObject? = intrinsics.objectPrototype
        var ctorParent: JSObject = intrinsics.functionPrototype
        if heritage >= 0 {
            let h = base[heritage]
            if h.isNull {
                protoParent = nil
            } else {
                guard let hf = h.asFunction, hf.isConstructor else {
                    throw typeError("Class extends value \(describeForError(h)) is not a constructor or null")
                }
                let pp = try get(hf, names.prototype)
                if pp.isObject { protoParent = pp.object } else if pp.isNull { protoParent = nil } else {
                    throw typeError("Class extends value does not have valid prototype property \(describeForError(pp))")
                }
                ctorParent = hf
            }
        }
        let proto = try newObject(prototype: protoParent)
        let child = block.child(childIndex, self)
        var flags: ObjectFlags = [.extensible, .constructor, .classConstructor]
        if child.code.flags.contains(.derivedConstructor) { flags.insert(.derivedConstructor) }
        let f = try newScriptFunction(block: child, prototype: ctorParent, flags: flags)
        f.environment = frames[fi].env
        f.homeObject = proto
        try defineFunctionNameAndLength(f, name: Value(intern(child.code.name)), length: child.code.length)
        try defineDataProperty(f, names.prototype, Value(proto), [])
        try defineDataProperty(proto, names.constructor, Value(f), .hidden)
        base[a] = Value(f)
        base[a + 1] = Value(proto)
    }

    /// The `name` a function gets from a property key ("[desc]" for symbols), with an optional prefix.
    func functionNameValue(forKey keyValue: Value, prefix: String) throws(VMError) -> Value {
        var name: String
        if keyValue.isSymbol {
            let d = keyValue.symbol.descriptionString
            name = d.map { "[\($0)]" } ?? ""
        } else {
            name = try toSwiftString(keyValue)
        }
        if !prefix.isEmpty { name = prefix + " " + name }
        return Value(try newString(name))
    }

    func setFunctionNameOp(_ fv: Value, key: Value, prefix: String) throws(VMError) {
        guard fv.isObject else { return }
        let f = fv.object
        // Classes with a static `name` member keep it.
        if let d = getOwnProperty(f, names.name), d.isAccessor || (d.value.map { !$0.isString || $0.string.count > 0 } ?? false) {
            if !(d.value?.isString ?? false) || d.isAccessor { return }
        }
        try defineDataProperty(f, names.name, try functionNameValue(forKey: key, prefix: prefix), [.configurable])
    }

    func defineMethodOp(_ fv: Value, on target: Value, key keyValue: Value, flags: Int) throws(VMError) {
        let o = target.object
        let key = try toPropertyKey(keyValue)
        let kv = try keyToValue(key)
        let enumerable = flags & 1 != 0
        let kind = (flags >> 1) & 3
        if let f = fv.asFunction {
            f.homeObject = o
            try setFunctionNameOp(fv, key: kv, prefix: kind == 1 ? "get" : kind == 2 ? "set" : "")
        }
        var attrs: PropertyAttributes = [.configurable]
        if enumerable { attrs.insert(.enumerable) }
        switch kind {
        case 1, 2:
            var d = PropertyDescriptor()
            if kind == 1 { d.get = fv } else { d.set = fv }
            d.enumerable = enumerable
            d.configurable = true
            if !(try defineOwnProperty(o, key, d)) {
                throw typeError("Cannot redefine property: \(describeKey(key))")
            }
        default:
            attrs.insert(.writable)
            if !(try defineOwnProperty(o, key, PropertyDescriptor(value: fv, attributes: attrs))) {
                throw typeError("Cannot redefine property: \(describeKey(key))")
            }
        }
    }

    func superCallOp(_ fi: Int, _ base: UnsafeMutablePointer<Value>, _ a: Int, _ argc: Int) throws(VMError) -> Value {
        // The active function: for arrows inside constructors, the frame below that owns `this`.
        var owner = fi
        while owner > 0, let fn = frames[owner].function, fn.block?.code.flags.contains(.arrow) == true {
            owner -= 1
        }
        guard let active = frames[owner].function else { throw syntaxError("'super' keyword unexpected here") }
        guard let superCtor = active.prototype as? JSFunction, superCtor.isConstructor else {
            throw typeError("Super constructor \(describeForError(Value(active.prototype))) of anonymous class is not a constructor")
        }
        let args = Array(UnsafeBufferPointer(start: base + a + 2, count: argc))
        let result = try construct(Value(superCtor), arguments: args, newTarget: frames[owner].newTarget)
        let thisSlot = frames[owner].base
        if !registers[thisSlot].isUninitialized {
            throw referenceError("Super constructor may only be called once")
        }
        registers[thisSlot] = result
        if owner != fi { base[0] = result }
        return result
    }

    func homeObjectPrototype(_ fi: Int) throws(VMError) -> JSObject? {
        guard let home = frames[fi].function?.homeObject else {
            throw syntaxError("'super' keyword unexpected here")
        }
        return home.prototype
    }

    func getSuperOp(_ fi: Int, key: Value, this: Value) throws(VMError) -> Value {
        let pk = try toPropertyKey(key)
        guard let proto = try homeObjectPrototype(fi) else {
            throw typeError("Cannot read properties of null (reading '\(describeKey(pk))')")
        }
        return try get(proto, pk, receiver: this)
    }

    func setSuperOp(_ fi: Int, key: Value, value: Value, this: Value, strict: Bool) throws(VMError) {
        let pk = try toPropertyKey(key)
        guard let proto = try homeObjectPrototype(fi) else {
            throw typeError("Cannot set properties of null (setting '\(describeKey(pk))')")
        }
        let ok = try set(proto, pk, value, receiver: this)
        if !ok && strict { throw typeError("Cannot assign to read only property '\(describeKey(pk))'") }
    }

    // MARK: Properties

    @inline(never)
    func getFieldSlow(_ obj: Value, _ block: CodeBlock, _ ci: Int, _ cacheIndex: Int) throws(VMError) -> Value {
        let key = block.keys[ci]
        if obj.isObject {
            let o = obj.object
            if key == names.length && o.kind == .array { return Value(Double(o.arrayLength)) }
            if let slot = o.shape.lookup(key) {
                if !o.shape.attributes[slot].contains(.accessor) {
                    let old = block.caches[cacheIndex]
                    var entry = InlineCache(shapeID: o.shape.id, slot: Int32(slot))
                    // Keep the previous own-property entry as the second one (two-shape sites).
                    if old.shapeID != 0 && old.holder == nil && old.shapeID != entry.shapeID {
                        entry.shapeID2 = old.shapeID
                        entry.slot2 = old.slot
                    }
                    block.caches[cacheIndex] = entry
                    return o.slots[slot]
                }
            } else if !key.isIndex || !usesElements(o), let p = o.prototype, o.kind != .string {
                if let slot = p.shape.lookup(key) {
                    if !p.shape.attributes[slot].contains(.accessor) {
                        block.caches[cacheIndex] = InlineCache(shapeID: o.shape.id, slot: Int32(slot), holder: p,
                                                               holderShapeID: p.shape.id)
                        return p.slots[slot]
                    }
                } else if !key.isIndex && o.kind == .ordinary && p.kind == .ordinary && p.prototype == nil {
                    // Absent from an ordinary object and its root prototype (optional fields such as
                    // `rule.min`): cache the miss; the hit re-checks both shapes and the root.
                    block.caches[cacheIndex] = InlineCache(shapeID: o.shape.id, slot: -1, holder: p,
                                                           holderShapeID: p.shape.id)
                    return .undefined
                }
            }
            return try get(o, key, receiver: obj)
        }
        if obj.isString {
            if key == names.length {
                block.caches[cacheIndex] = InlineCache(shapeID: InlineCache.stringReceiver, slot: InlineCache.stringLengthSlot)
                return Value(Double(obj.string.count))
            }
            if !key.isIndex, let p = intrinsics.stringPrototype, let slot = p.shape.lookup(key), !p.shape.attributes[slot].contains(.accessor) {
                block.caches[cacheIndex] = InlineCache(shapeID: InlineCache.stringReceiver, slot: Int32(slot), holder: p,
                                                       holderShapeID: p.shape.id)
                return p.slots[slot]
            }
        }
        if obj.isNullish {
            throw typeError("Cannot read properties of \(obj.isNull ? "null" : "undefined") (reading '\(describeKey(key))')")
        }
        return try get(obj, key)
    }

    /// `f.prototype` for `new f(...)`, caching the slot in the construct instruction's cache when
    /// it is an own data property (it always is for script functions, unless redefined).
    @inline(never)
    func constructorPrototypeSlow(_ f: JSFunction, _ block: CodeBlock, _ cacheIndex: Int) throws(VMError) -> Value {
        if let slot = f.shape.lookup(names.prototype), !f.shape.attributes[slot].contains(.accessor) {
            block.caches[cacheIndex] = InlineCache(shapeID: f.shape.id, slot: Int32(slot))
            return f.slots[slot]
        }
        return try get(f, names.prototype)
    }

    @inline(never)
    func setFieldSlow(_ obj: Value, _ block: CodeBlock, _ ci: Int, _ cacheIndex: Int, _ value: Value) throws(VMError) {
        let key = block.keys[ci]
        let strict = block.code.flags.contains(.strict)
        if obj.isObject {
            let o = obj.object
            if let slot = o.shape.lookup(key) {
                let attrs = o.shape.attributes[slot]
                if attrs.contains(.writable) && !attrs.contains(.accessor) {
                    noteWrite(o)
                    o.slots[slot] = value
                    block.caches[cacheIndex] = InlineCache(shapeID: o.shape.id, slot: Int32(slot))
                    return
                }
            } else if !key.isIndex && o.isExtensible && !o.shape.isDictionary && o.kind != .array
                        && o.kind != .string && !protoChainHasSetterOrReadOnly(o, key) {
                let before = o.shape
                let epoch = accessorEpoch
                try addProperty(o, key, value, .normal)
                if !o.shape.isDictionary && o.shape !== before {
                    block.caches[cacheIndex] = InlineCache(shapeID: before.id, slot: 0, addShape: o.shape, epoch: epoch)
                }
                return
            }
        }
        try put(obj, key, value, throwOnFailure: strict)
    }

    /// True when some prototype of `o` has `key` as an accessor or read-only property (then adding
    /// an own property by assignment is not a plain add).
    func protoChainHasSetterOrReadOnly(_ o: JSObject, _ key: PropertyKey) -> Bool {
        var p = o.prototype
        while let cur = p {
            if let slot = cur.shape.lookup(key) {
                let attrs = cur.shape.attributes[slot]
                return attrs.contains(.accessor) || !attrs.contains(.writable)
            }
            if cur.kind == .string || cur.kind == .array && key == names.length { return true }
            p = cur.prototype
        }
        return false
    }

    @inline(__always)
    func prototypeChainHasIndexedProperties(_ o: JSObject) -> Bool {
        var p = o.prototype
        while let cur = p {
            if !cur.elements.isEmpty || cur.shape.hasIndexKeys || cur.kind == .string { return true }
            p = cur.prototype
        }
        return false
    }

    @inline(never)
    func getIndexSlow(_ obj: Value, _ idx: Value) throws(VMError) -> Value {
        if obj.isNullish {
            let what = (try? toSwiftString(idx)) ?? "?"
            throw typeError("Cannot read properties of \(obj.isNull ? "null" : "undefined") (reading '\(what)')")
        }
        let key = try toPropertyKey(idx)
        return try get(obj, key)
    }

    @inline(never)
    func setIndexSlow(_ obj: Value, _ idx: Value, _ value: Value, strict: Bool) throws(VMError) {
        if obj.isNullish {
            let what = (try? toSwiftString(idx)) ?? "?"
            throw typeError("Cannot set properties of \(obj.isNull ? "null" : "undefined") (setting '\(what)')")
        }
        let key = try toPropertyKey(idx)
        try put(obj, key, value, throwOnFailure: strict)
    }

    func deleteOp(_ target: Value, _ key: PropertyKey, strict: Bool) throws(VMError) -> Bool {
        let o = try toObject(target)
        let ok = deleteProperty(o, key)
        if !ok && strict { throw typeError("Cannot delete property '\(describeKey(key))' of \(describeForError(target))") }
        return ok
    }

    @inline(never)
    func defineFieldSlow(_ o: JSObject, _ block: CodeBlock, _ ci: Int, _ cacheIndex: Int, _ value: Value) throws(VMError) {
        let key = block.keys[ci]
        if !key.isIndex && o.shape.lookup(key) == nil && o.isExtensible && !o.shape.isDictionary && o.kind == .ordinary {
            let before = o.shape
            try addProperty(o, key, value, .normal)
            if !o.shape.isDictionary && o.shape !== before {
                block.caches[cacheIndex] = InlineCache(shapeID: before.id, slot: 0, addShape: o.shape, epoch: 0)
            }
            return
        }
        try createDataPropertyOrThrow(o, key, value)
    }


    func copyDataPropertiesOp(_ target: JSObject, _ source: Value, excluded: Value?) throws(VMError) {
        if source.isNullish { return }
        let from = try toObject(source)
        var excludedKeys: [PropertyKey] = []
        if let ex = excluded, ex.isObject {
            let list = ex.object
            for i in 0..<Int(list.arrayLength) {
                excludedKeys.append(try toPropertyKey(try get(list, PropertyKey(index: UInt32(i)))))
            }
        }
        for key in ownPropertyKeys(from) {
            if excludedKeys.contains(key) { continue }
            guard let d = getOwnProperty(from, key), d.enumerable == true else { continue }
            let v = try get(from, key, receiver: Value(from))
            try createDataPropertyOrThrow(target, key, v)
        }
    }

    func arraySpreadOp(_ array: JSObject, _ iterable: Value) throws(VMError) {
        let values = try iterableToList(iterable)
        try heap.charge(values.count * 8, to: array)
        for v in values { array.elements.append(v) }
        array.arrayLength = UInt32(array.elements.count)
    }

    /// Replaces the array in R[a+2] by its elements in R[a+2…]; returns the argument count.
    func spreadArgumentsIntoRegisters(_ base: UnsafeMutablePointer<Value>, _ a: Int) throws(VMError) -> Int {
        let list = base[a + 2]
        guard list.isObject else { return 0 }
        let o = list.object
        let n = Int(o.arrayLength)
        let start = (base - registers) + a + 2
        if start + n + 256 >= registerCapacity { throw rangeError("Maximum call stack size exceeded") }
        for i in 0..<n {
            base[a + 2 + i] = i < o.elements.count ? (o.elements[i].isHole ? .undefined : o.elements[i]) : .undefined
        }
        registerTop = max(registerTop, start + n)
        return n
    }

    func templateObjectOp(_ cooked: Value, _ raw: Value) throws(VMError) -> Value {
        let strings = try newArray(cooked.object.elements)
        let rawArray = try newArray(raw.object.elements)
        try setIntegrityLevel(rawArray, frozen: true)
        try defineDataProperty(strings, names.raw, Value(rawArray), [])
        try setIntegrityLevel(strings, frozen: true)
        return Value(strings)
    }

    // MARK: Operators

    static func arithmeticOperator(_ op: Opcode) -> ArithmeticOperator {
        switch op {
        case .exponent: return .exponent
        case .bitAnd: return .bitAnd
        case .bitOr: return .bitOr
        case .bitXor: return .bitXor
        case .shiftLeft: return .shiftLeft
        case .shiftRight: return .shiftRight
        default: return .unsignedShiftRight
        }
    }

    /// Relational operators on any values (`op` is less/lessEqual/greater/greaterEqual).
    @inline(never)
    func compareSlow(_ op: Opcode, _ x: Value, _ y: Value) throws(VMError) -> Bool {
        switch op {
        case .less: return try lessThan(x, y) == true
        case .greater: return try lessThan(y, x, leftFirst: false) == true
        case .lessEqual: return try lessThan(y, x, leftFirst: false) == false
        default: return try lessThan(x, y) == false
        }
    }

    func typeofAtom(_ v: Value) -> JSString {
        let n = names.unsafelyUnwrapped
        if v.isNumber { return n.typeNumber }
        if v.isString { return n.typeString }
        if v.isBoolean { return n.typeBoolean }
        if v.isUndefined { return n.typeUndefined }
        if v.isNull { return n.typeObject }
        if v.isSymbol { return n.typeSymbol }
        return v.object.isCallable ? n.typeFunction : n.typeObject
    }

    // MARK: Iteration

    func iteratorNextSlow(_ iterator: Value, _ next: Value) throws(VMError) -> Value? {
        let r = try call(next, this: iterator, arguments: [])
        guard r.isObject else { throw typeError("Iterator result \(describeForError(r)) is not an object") }
        if toBoolean(try get(r, names.done)) { return nil }
        return try get(r, names.value)
    }

    func forInPrepare(_ v: Value) throws(VMError) -> Value {
        let state = ForInState()
        if !v.isNullish {
            let o = try toObject(v)
            state.object = o
            var seen = Set<PropertyKey>()
            var cur: JSObject? = o
            while let c = cur {
                for key in ownPropertyKeys(c) where !key.isSymbol {
                    if seen.contains(key) { continue }
                    seen.insert(key)
                    guard let d = getOwnProperty(c, key), d.enumerable == true else { continue }
                    state.keys.append(try keyToValue(key))
                }
                try charge(seen.count / 8 + 1)
                cur = c.prototype
            }
        }
        let it = try newObject(kind: .iterator, prototype: nil)
        it.internalStorage = state
        return Value(it)
    }

    func forInNext(_ itv: Value) -> Value? {
        guard itv.isObject, let state = itv.object.internalStorage as? ForInState else { return nil }
        while state.position < state.keys.count {
            let k = state.keys[state.position]
            state.position += 1
            // Keys deleted before being visited are skipped.
            if let o = state.object, let key = try? toPropertyKey(k), !hasProperty(o, key) { continue }
            return k
        }
        return nil
    }

    // MARK: Arguments

    func createArgumentsObject(_ fi: Int) throws(VMError) -> JSObject {
        let frame = frames[fi]
        let args = frame.savedArgumentsIndex >= 0 ? savedArguments[frame.savedArgumentsIndex] : []
        let o = try newObject(kind: .arguments, prototype: intrinsics.objectPrototype)
        o.elements = ContiguousArray(args)
        try heap.charge(args.count * 8, to: o)
        try defineDataProperty(o, names.length, Value(Double(args.count)), .hidden)
        if let values = intrinsics.arrayValuesFunction {
            try defineDataProperty(o, PropertyKey(symbol: wellKnownSymbols.iterator), Value(values), .hidden)
        }
        if frame.block.code.flags.contains(.strict) || !frame.block.code.flags.contains(.constructor) && frame.block.code.flags.contains(.method) {
            try defineAccessorProperty(o, names.callee, getter: Value(intrinsics.throwTypeError),
                                       setter: Value(intrinsics.throwTypeError), [])
        } else if let f = frame.function {
            try defineDataProperty(o, names.callee, Value(f), .hidden)
        }
        return o
    }

    // MARK: Errors

    /// Records where an exception was thrown (for host reports and error locations).
    func noteThrowLocation(_ thrown: Value, _ fi: Int, _ pc: UnsafeMutablePointer<UInt64>) {
        let frame = frames[fi]
        let code = frame.block.code
        let pos = code.position(at: pc - frame.block.instructions - 1)
        let loc = (file: code.sourceName, line: Int(pos.line), column: Int(pos.column))
        lastThrowLocation = loc
        if thrown.isObject && thrown.object.kind == .error {
            let id = ObjectIdentifier(thrown.object)
            if errorLocations[id] == nil { errorLocations[id] = loc }
        }
    }

    /// The innermost frames' code and current instruction offsets (at most `capturedFrameLimit`).
    func currentStackFrames() -> [(code: FunctionCode, offset: Int)] {
        var captured: [(code: FunctionCode, offset: Int)] = []
        var i = frames.count - 1
        captured.reserveCapacity(min(frames.count, Runtime.capturedFrameLimit))
        while i >= 0 && captured.count < Runtime.capturedFrameLimit {
            let frame = frames[i]
            i -= 1
            captured.append((frame.block.code, max(0, frame.pc - frame.block.instructions - 1)))
        }
        return captured
    }

    static let capturedFrameLimit = 20
}

/// State of a for-in loop: the keys collected up front and the position.
final class ForInState: GCTraceable {
    unowned(unsafe) var object: JSObject?
    var keys: [Value] = []
    var position = 0

    func trace(_ marker: inout GCMarker) {
        marker.mark(object)
        for k in keys { marker.mark(k) }
    }
}
