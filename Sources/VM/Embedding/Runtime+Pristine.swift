// Reusing a runtime for another run without leaking state between runs.
//
// Creating a Runtime builds every builtin (about a thousand objects and functions), which costs far
// more than a typical page script. A host that runs many short scripts keeps runtimes in a pool
// instead, and before reusing one checks that no builtin was changed by the previous run: every
// object reachable from the global object and the intrinsics is compared with a record taken when
// the runtime was fresh. A script that patched a prototype, added a global or redefined a builtin
// leaves the runtime "not pristine", and the host discards it.

/// The recorded state of one builtin object.
struct PristineEntry {
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
}

/// Every builtin's recorded state, plus the global slots the host replaces between runs.
public final class PristineState {
    var entries: [PristineEntry] = []
    var replaceableGlobalSlots: Set<Int> = []
}

extension Runtime {
    /// Records the state of every object reachable from the global object and the intrinsics.
    /// Call it once the runtime is set up (builtins and host bindings installed). Globals named in
    /// `replaceableGlobals` may have their values changed by the host between runs (per-run data
    /// such as the current request) without making the runtime dirty.
    public func recordPristineState(replaceableGlobals: [String] = []) {
        let state = PristineState()
        var seen = Set<ObjectIdentifier>()
        var stack: [JSObject] = [globalObject]
        for child in Mirror(reflecting: intrinsics!).children {
            if let o = child.value as? JSObject { stack.append(o) }
        }
        stack += Array(intrinsics.errorPrototypes.values) + Array(intrinsics.errorConstructors.values)
        stack += Array(intrinsics.extra.values)
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
        for name in replaceableGlobals {
            if let slot = globalObject.shape.lookup(key(name)) { state.replaceableGlobalSlots.insert(slot) }
        }
        pristine = state
    }

    /// True when every recorded object still has its recorded shape, values and prototype, i.e.
    /// the last run changed no builtin and added no global. False when nothing was recorded.
    public func isPristine() -> Bool {
        guard let state = pristine else { return false }
        let global = ObjectIdentifier(globalObject)
        for e in state.entries {
            let o = e.object
            guard o.shape.id == e.shapeID, o.flags == e.flags, o.arrayLength == e.arrayLength,
                  o.slots.count == e.slotCount, o.elements.count == e.elements.count,
                  o.primitiveValue.bits == e.primitiveBits,
                  o.prototype.map(ObjectIdentifier.init) == e.prototype else { return false }
            if let pair = o as? AccessorPair, pair.getter.bits != e.getterBits || pair.setter.bits != e.setterBits {
                return false
            }
            // Writing to a slot copies the array (the record holds a reference), so an unchanged
            // buffer address means unchanged values; otherwise compare them.
            let base = o.slots.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
            if base != e.slotsBase {
                let isGlobal = ObjectIdentifier(o) == global
                for i in 0..<e.slotCount where o.slots[i].bits != e.slots[i].bits {
                    if isGlobal && state.replaceableGlobalSlots.contains(i) { continue }
                    return false
                }
            }
            if !e.elements.isEmpty {
                for i in 0..<e.elements.count where o.elements[i].bits != e.elements[i].bits { return false }
            }
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
