// Reusing a runtime for another run without leaking state between runs.
//
// Creating a Runtime builds every builtin (about a thousand objects and functions), which costs far
// more than a typical page script. A host that runs many short scripts keeps runtimes in a pool
// instead, and before reusing one checks that no builtin was changed by the previous run. Globals a
// run added (sloppy-mode implicit globals, module exports) are deleted again; a script that patched
// a prototype or redefined a builtin leaves the runtime "not pristine", and the host discards it.
//
// Checking is O(globals) in the common case: recording flags every builtin object
// `recordedBuiltin`, and every path that changes an object's own properties, prototype,
// extensibility or elements calls `noteWrite(_:)`, which marks the runtime when the object is a
// recorded builtin. Only then is every builtin compared with its record (the full walk, which also
// runs in debug builds to catch a mutation path that lacks its hook). The global object itself is
// not flagged (scripts write globals all the time): its properties are compared on every check.
//
// Mutation paths that call `noteWrite` (keep this list current when adding one):
// - Runtime+Properties: set (own-property fast path), createDataProperty, addProperty,
//   setPrototype, defineOwnProperty, setArrayLength, deleteProperty, preventExtensions,
//   setIntegrityLevel.
// - ObjectBuiltins+Helpers: setPrototypeOf (Object.setPrototypeOf, Reflect, __proto__).
// - Interpreter+Slow: setFieldSlow (stores straight into an existing slot).
// - Interpreter: the setField inline cache treats a recorded builtin as a miss. (The defineField
//   cache only ever sees new object literals.)
// Element fast paths (interpreter setIndex, Array.prototype builtins) never see a recorded builtin
// array: recording moves such arrays' elements into the property table (`sparseElements`), so every
// element write takes the generic paths above.

extension ObjectFlags {
    /// The object was recorded by `Runtime.recordPristineState`: a change to it marks the runtime
    /// as possibly not pristine (see `Runtime.noteWrite`). A high bit, away from the object model's own.
    public static let recordedBuiltin = ObjectFlags(rawValue: 0x8000)
}

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

    init(_ o: JSObject) {
        let pair = o as? AccessorPair
        object = o
        shapeID = o.shape.id
        slotCount = o.slots.count
        slotsBase = o.slots.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        slots = o.slots
        elements = o.elements
        flags = o.flags
        prototype = o.prototype.map(ObjectIdentifier.init)
        arrayLength = o.arrayLength
        primitiveBits = o.primitiveValue.bits
        getterBits = pair?.getter.bits ?? 0
        setterBits = pair?.setter.bits ?? 0
    }
}

/// One global property as recorded.
struct PristineGlobal {
    let key: PropertyKey
    let attributes: PropertyAttributes
    let bits: UInt64
    let replaceable: Bool
    /// Where the property lives in the global object's slots (updated when the layout changes).
    var slot: Int
}

/// Every builtin's recorded state, plus the global object's properties.
public final class PristineState {
    var entries: [PristineEntry] = []
    var globals: [PristineGlobal] = []
    var globalKeys: Set<PropertyKey> = []
    /// The global object's shape id for which every `PristineGlobal.slot` was last verified.
    var globalShapeID: UInt32 = 0
    var globalFlags: ObjectFlags = []
    var globalPrototype: ObjectIdentifier?
    var globalElementCount = 0
    /// Set by `noteWrite` when a recorded builtin may have changed; cleared when the full
    /// comparison finds everything as recorded.
    var builtinsTouched = false
    /// Recording could not make every builtin array take the hooked paths: always compare fully.
    var hooksIncomplete = false
}

extension Runtime {
    /// Records the state of every object reachable from the global object and the intrinsics.
    /// Call it once the runtime is set up (builtins and host bindings installed). Globals named in
    /// `replaceableGlobals` may have their values changed by the host between runs (per-run data
    /// such as the current request) without making the runtime dirty.
    public func recordPristineState(replaceableGlobals: [String] = []) {
        let state = PristineState()
        let global = globalObject!
        var seen: Set<ObjectIdentifier> = [ObjectIdentifier(global)]
        var objects: [JSObject] = []
        var stack: [JSObject] = intrinsics.allObjects
        func push(_ v: Value) { if v.isObject { stack.append(v.object) } }
        if let p = global.prototype { stack.append(p) }
        for v in global.slots { push(v) }
        for v in global.elements { push(v) }
        while let o = stack.popLast() {
            guard seen.insert(ObjectIdentifier(o)).inserted else { continue }
            objects.append(o)
            if let p = o.prototype { stack.append(p) }
            if let pair = o as? AccessorPair {
                push(pair.getter)
                push(pair.setter)
            }
            for v in o.slots { push(v) }
            for v in o.elements { push(v) }
        }
        for o in objects {
            // Element writes have fast paths that bypass `noteWrite`; a sparse array takes the
            // generic (hooked) ones. If that fails (heap budget), the hook cannot be trusted.
            if usesElements(o) && (try? sparsifyElements(o)) == nil { state.hooksIncomplete = true }
            o.flags.insert(.recordedBuiltin)
            state.entries.append(PristineEntry(o))
        }
        let replaceable = Set(replaceableGlobals.map { key($0) })
        let shape = global.shape
        for (slot, k) in shape.keys.enumerated() where k != .tombstone {
            state.globals.append(PristineGlobal(key: k, attributes: shape.attributes[slot], bits: global.slots[slot].bits,
                                                replaceable: replaceable.contains(k), slot: slot))
            state.globalKeys.insert(k)
        }
        state.globalShapeID = shape.id
        state.globalFlags = global.flags
        state.globalPrototype = global.prototype.map(ObjectIdentifier.init)
        state.globalElementCount = global.elements.count
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
        let addedCount = shape.propertyCount - state.globals.count
        if addedCount > 0 {
            // Added keys come after every recorded one (keys keep their order, compaction
            // included), so scan from the end until all are found. If a recorded global was
            // deleted, some may be missed; `isPristine` fails then anyway.
            var added: [PropertyKey] = []
            let keys = shape.keys
            var i = keys.count - 1
            while i >= 0 && added.count < addedCount {
                let k = keys[i]
                if k != .tombstone && !state.globalKeys.contains(k) { added.append(k) }
                i -= 1
            }
            for k in added where !deleteProperty(globalObject, k) { return false }
        }
        return isPristine()
    }

    /// True when the global object has exactly its recorded properties and every recorded builtin
    /// still has its recorded shape, values and prototype. False when nothing was recorded.
    public func isPristine() -> Bool {
        guard let state = pristine, globalsAsRecorded(state) else { return false }
        if !state.builtinsTouched && !state.hooksIncomplete {
            assert(builtinsAsRecorded(state), "a builtin changed without noteWrite: a mutation path lacks its hook")
            return true
        }
        guard builtinsAsRecorded(state) else { return false }
        state.builtinsTouched = false
        return true
    }

    /// Whether a recorded builtin may have changed since the last successful check (a script
    /// wrote to one, or recording could not route every write through the hooks). `isPristine`
    /// then compares every builtin with its record.
    public var builtinsMayHaveChanged: Bool { pristine.map { $0.builtinsTouched || $0.hooksIncomplete } ?? false }

    /// The full comparison of every recorded builtin and global with the record, ignoring the
    /// write hooks (verification and tests).
    public func isPristineByFullComparison() -> Bool {
        guard let state = pristine else { return false }
        return globalsAsRecorded(state) && builtinsAsRecorded(state)
    }

    /// Marks the runtime for a full comparison if `o` is a recorded builtin. Every path that changes
    /// an object's own properties, prototype, extensibility or elements calls it (see the list at
    /// the top of this file).
    @inline(__always)
    func noteWrite(_ o: JSObject) {
        if o.flags.contains(.recordedBuiltin) { builtinWritten() }
    }

    @inline(never)
    func builtinWritten() {
        pristine?.builtinsTouched = true
    }

    /// The global object's own properties, flags and prototype against the record. Linear in the
    /// number of globals: slots are re-located (hash lookups) only after the layout changed.
    private func globalsAsRecorded(_ state: PristineState) -> Bool {
        let global = globalObject!
        guard global.flags == state.globalFlags, global.prototype.map(ObjectIdentifier.init) == state.globalPrototype,
              global.elements.count == state.globalElementCount else { return false }
        let shape = global.shape
        guard shape.propertyCount == state.globals.count else { return false }
        if shape.id != state.globalShapeID {
            // Keys or attributes changed somewhere (e.g. an added global was deleted again).
            let keys = shape.keys
            for i in state.globals.indices {
                let g = state.globals[i]
                var slot = g.slot
                if slot >= keys.count || keys[slot] != g.key {
                    guard let found = shape.lookup(g.key) else { return false }
                    slot = found
                    state.globals[i].slot = found
                }
                guard shape.attributes[slot] == g.attributes else { return false }
            }
            state.globalShapeID = shape.id
        }
        return state.globals.withUnsafeBufferPointer { globals in
            global.slots.withUnsafeBufferPointer { slots in
                for g in globals where !g.replaceable && slots[g.slot].bits != g.bits { return false }
                return true
            }
        }
    }

    /// Every recorded builtin against its record.
    private func builtinsAsRecorded(_ state: PristineState) -> Bool {
        state.entries.withUnsafeBufferPointer { entries in
            for i in 0..<entries.count where !unchanged(entries[i]) { return false }
            return true
        }
    }

    /// Whether one recorded builtin is as recorded (read in place: no copies, no dynamic casts).
    @inline(__always)
    private func unchanged(_ e: PristineEntry) -> Bool {
        let o = e.object
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
