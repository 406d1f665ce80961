// Reusing a runtime for another run without leaking state between runs.
//
// Creating a Runtime builds every builtin (about a thousand objects and functions), which costs far
// more than a typical page script. A host that runs many short scripts keeps runtimes in a pool
// instead, and before reusing one checks that no builtin was changed by the previous run: every
// object reachable from the global object and the intrinsics is compared with a record taken when
// the runtime was fresh. Globals a run added (sloppy-mode implicit globals, module exports) are
// deleted again; a script that patched a prototype or redefined a builtin leaves the runtime "not
// pristine", and the host discards it.

/// The recorded state of one builtin object (a class: checking reads it in place, never copies it).
final class PristineEntry {
    let object: JSObject
    let shapeID: UInt32
    let slotCount: Int
    let slotsBase: UnsafeRawPointer?
    let slots: ContiguousArray<Value>
    let elements: ContiguousArray<Value>
    let flags: ObjectFlags
    let prototype: ObjectIdentifier?
    let arrayLength: UInt32
    let primitiveBits: UInt64
    let getterBits: UInt64
    let setterBits: UInt64

    init(object: JSObject, shapeID: UInt32, slotCount: Int, slotsBase: UnsafeRawPointer?, slots: ContiguousArray<Value>,
         elements: ContiguousArray<Value>, flags: ObjectFlags, prototype: ObjectIdentifier?, arrayLength: UInt32,
         primitiveBits: UInt64, getterBits: UInt64, setterBits: UInt64) {
        self.object = object
        self.shapeID = shapeID
        self.slotCount = slotCount
        self.slotsBase = slotsBase
        self.slots = slots
        self.elements = elements
        self.flags = flags
        self.prototype = prototype
        self.arrayLength = arrayLength
        self.primitiveBits = primitiveBits
        self.getterBits = getterBits
        self.setterBits = setterBits
    }
}

/// One global property as recorded.
struct PristineGlobal {
    let key: PropertyKey
    let attributes: PropertyAttributes
    let bits: UInt64
    let replaceable: Bool
}

/// Every builtin's recorded state, plus the global object's properties.
public final class PristineState {
    var entries: [PristineEntry] = []
    var globals: [PristineGlobal] = []
    var globalKeys: Set<PropertyKey> = []
}

extension Runtime {
    /// Records the state of every object reachable from the global object and the intrinsics.
    /// Call it once the runtime is set up (builtins and host bindings installed). Globals named in
    /// `replaceableGlobals` may have their values changed by the host between runs (per-run data
    /// such as the current request) without making the runtime dirty.
    public func recordPristineState(replaceableGlobals: [String] = []) {
        let state = PristineState()
        var seen = Set<ObjectIdentifier>()
        var stack: [JSObject] = [globalObject] + intrinsics.allObjects
        while let o = stack.popLast() {
            guard seen.insert(ObjectIdentifier(o)).inserted else { continue }
            let pair = o as? AccessorPair
            state.entries.append(PristineEntry(
                object: o, shapeID: o.shape.id, slotCount: o.slots.count,
                slotsBase: o.slots.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) },
                slots: o.slots, elements: o.elements, flags: o.flags,
                prototype: o.prototype.map(ObjectIdentifier.init), arrayLength: o.arrayLength,
                primitiveBits: o.primitiveValue.bits, getterBits: pair?.getter.bits ?? 0, setterBits: pair?.setter.bits ?? 0))
            if let p = o.prototype { stack.append(p) }
            if let pair {
                if pair.getter.isObject { stack.append(pair.getter.object) }
                if pair.setter.isObject { stack.append(pair.setter.object) }
            }
            for v in o.slots where v.isObject { stack.append(v.object) }
            for v in o.elements where v.isObject { stack.append(v.object) }
        }
        let replaceable = Set(replaceableGlobals.map { key($0) })
        let shape = globalObject.shape
        for (slot, k) in shape.keys.enumerated() where k != .tombstone {
            state.globals.append(PristineGlobal(key: k, attributes: shape.attributes[slot], bits: globalObject.slots[slot].bits,
                                                replaceable: replaceable.contains(k)))
            state.globalKeys.insert(k)
        }
        pristine = state
    }

    /// Deletes the global properties added since `recordPristineState` (implicit globals, host
    /// additions) and reports whether the runtime is now exactly as recorded: true means it can
    /// serve another run without anything of the last run being reachable through the global
    /// object or a builtin. False when something cannot be undone (a changed builtin, a
    /// non-configurable new global) or nothing was recorded.
    public func resetToPristine() -> Bool {
        guard let state = pristine else { return false }
        let shape = globalObject.shape
        var added: [PropertyKey] = []
        for k in shape.keys where k != .tombstone && !state.globalKeys.contains(k) { added.append(k) }
        for k in added where !deleteProperty(globalObject, k) { return false }
        return isPristine()
    }

    /// True when every recorded object still has its recorded shape, values and prototype and the
    /// global object has exactly its recorded properties. False when nothing was recorded.
    public func isPristine() -> Bool {
        guard let state = pristine else { return false }
        let global = globalObject!
        guard global.shape.propertyCount == state.globals.count else { return false }
        for g in state.globals {
            guard let slot = global.shape.lookup(g.key), global.shape.attributes[slot] == g.attributes else { return false }
            if !g.replaceable && global.slots[slot].bits != g.bits { return false }
        }
        return state.entries.withUnsafeBufferPointer { entries in
            for i in 0..<entries.count where !unchanged(entries[i], global: global) { return false }
            return true
        }
    }

    /// Whether one recorded builtin is as recorded (read in place: no copies, no dynamic casts).
    @inline(__always)
    private func unchanged(_ e: PristineEntry, global: JSObject) -> Bool {
        let o = e.object
        if o === global {
            return o.flags == e.flags && o.prototype.map(ObjectIdentifier.init) == e.prototype
                && o.elements.count == e.elements.count
        }
        guard o.shape.id == e.shapeID, o.flags == e.flags, o.arrayLength == e.arrayLength,
              o.slots.count == e.slotCount, o.elements.count == e.elements.count,
              o.primitiveValue.bits == e.primitiveBits,
              o.prototype.map(ObjectIdentifier.init) == e.prototype else { return false }
        if o.kind == .accessorPair {
            let pair = unsafeDowncast(o, to: AccessorPair.self)
            if pair.getter.bits != e.getterBits || pair.setter.bits != e.setterBits { return false }
        }
        // Writing to a slot copies the array (the record holds a reference), so an unchanged
        // buffer address means unchanged values; otherwise compare them.
        let base = o.slots.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        if base != e.slotsBase {
            for i in 0..<e.slotCount where o.slots[i].bits != e.slots[i].bits { return false }
        }
        if !e.elements.isEmpty {
            for i in 0..<e.elements.count where o.elements[i].bits != e.elements[i].bits { return false }
        }
        return true
    }

    /// Replaces the value of an existing global data property (host privilege: ignores its
    /// attributes, keeps the shape). Returns false when the global does not exist.
    @discardableResult
    public func replaceGlobalValue(_ name: String, _ value: Value) -> Bool {
        guard let slot = globalObject.shape.lookup(key(name)), slot < globalObject.slots.count,
              !globalObject.shape.attributes[slot].contains(.accessor) else { return false }
        globalObject.slots[slot] = value
        return true
    }
}
