#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Per-runtime memory of JSON.parse and JSON.stringify: documents repeat their keys, short string
/// values and object layouts from one call to the next, and finding them again through the atom
/// table, the shape tree's transition dictionaries or a prototype walk costs hashing and allocation.
///
/// Every table is direct-mapped and lossy (a collision overwrites), so lookups are a hash and one
/// comparison. Entries about shapes are keyed by shape id: ids are never reused and a shape with a
/// given id never changes (dictionary shapes take a fresh id on every change), so no entry goes
/// stale. Created once per runtime by `installJSONBuiltins` and kept alive (and traced) through a
/// holder object in `Intrinsics.extra`.
final class JSONCache: GCTraceable {
    static let keySlots = 512
    static let stringSlots = 256
    static let transitionSlots = 1024
    static let shapeFactSlots = 64
    /// Longest string value (in code units) the parser looks for in `strings`.
    static let maxCachedStringLength = 32

    /// Recently parsed object keys (atoms).
    let keys: UnsafeMutablePointer<Unmanaged<JSString>?>
    /// Recently parsed short string values (ordinary heap strings: traced).
    let strings: UnsafeMutablePointer<Unmanaged<JSString>?>

    struct Transition {
        var fromID: UInt32 = 0
        var key: UInt64 = 0
        var to: Unmanaged<Shape>?
    }
    /// Shape transitions the parser verified (the key was not in the `from` shape).
    let transitions: UnsafeMutablePointer<Transition>
    /// Ids of shapes known to have no own `toJSON` property.
    let noToJSON: UnsafeMutablePointer<UInt32>
    /// Ids of non-dictionary shapes known to have no accessor property.
    let dataOnly: UnsafeMutablePointer<UInt32>

    /// Scratch buffers of the parser, reused between calls (taken while a parse runs).
    var scratchKeys: [PropertyKey] = []
    var scratchMemberValues = ContiguousArray<Value>()
    var scratchValues = ContiguousArray<Value>()
    /// An output buffer of the serializer, reused between calls (nil while one is in use).
    var spareOutput: JSONOutputBuffer?

    init() {
        keys = .allocate(capacity: JSONCache.keySlots)
        keys.initialize(repeating: nil, count: JSONCache.keySlots)
        strings = .allocate(capacity: JSONCache.stringSlots)
        strings.initialize(repeating: nil, count: JSONCache.stringSlots)
        transitions = .allocate(capacity: JSONCache.transitionSlots)
        transitions.initialize(repeating: Transition(), count: JSONCache.transitionSlots)
        noToJSON = .allocate(capacity: JSONCache.shapeFactSlots)
        noToJSON.initialize(repeating: 0, count: JSONCache.shapeFactSlots)
        dataOnly = .allocate(capacity: JSONCache.shapeFactSlots)
        dataOnly.initialize(repeating: 0, count: JSONCache.shapeFactSlots)
    }

    deinit {
        keys.deallocate()
        strings.deallocate()
        transitions.deallocate()
        noToJSON.deallocate()
        dataOnly.deallocate()
    }

    func trace(_ marker: inout GCMarker) {
        for i in 0..<JSONCache.keySlots {
            if let s = keys[i] { marker.mark(s.takeUnretainedValue()) }
        }
        for i in 0..<JSONCache.stringSlots {
            if let s = strings[i] { marker.mark(s.takeUnretainedValue()) }
        }
    }

    @inline(__always) static func hash(_ units: UnsafeBufferPointer<UInt16>) -> UInt32 {
        var h: UInt32 = 2166136261
        for u in units { h = (h ^ UInt32(u)) &* 16777619 }
        return h
    }

    @inline(__always) static func same(_ s: JSString, _ units: UnsafeBufferPointer<UInt16>) -> Bool {
        guard s.count == units.count else { return false }
        return s.units.withUnsafeBufferPointer { b in
            units.count == 0 || memcmp(b.baseAddress!, units.baseAddress!, units.count &* 2) == 0
        }
    }

    /// The property key for an object key's code units (no escapes), reusing a cached atom.
    @inline(__always)
    func key(_ units: UnsafeBufferPointer<UInt16>, _ rt: Runtime) throws(VMError) -> PropertyKey {
        let slot = Int(JSONCache.hash(units) & UInt32(JSONCache.keySlots - 1))
        if let a = keys[slot], JSONCache.same(a.takeUnretainedValue(), units) {
            return PropertyKey(atom: a.takeUnretainedValue())
        }
        let k = try rt.propertyKey(units: units)
        if k.isString { keys[slot] = Unmanaged.passUnretained(k.atom) }
        return k
    }

    /// A string with these code units (2...maxCachedStringLength of them), reusing a recent one:
    /// strings are immutable, so sharing a cell is not observable.
    @inline(__always)
    func string(_ units: UnsafeBufferPointer<UInt16>, _ rt: Runtime) throws(VMError) -> JSString {
        let slot = Int(JSONCache.hash(units) & UInt32(JSONCache.stringSlots - 1))
        if let s = strings[slot], JSONCache.same(s.takeUnretainedValue(), units) {
            return s.takeUnretainedValue()
        }
        let s = try rt.newString(ContiguousArray(units))
        strings[slot] = Unmanaged.passUnretained(s)
        return s
    }

    @inline(__always) static func transitionSlot(_ fromID: UInt32, _ key: UInt64) -> Int {
        let h = (key ^ (UInt64(fromID) << 40)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: h >> 54)  // 10 bits: transitionSlots
    }

    /// The shape after adding `key` (a normal data property) to the shape with id `fromID`, if
    /// recorded.
    @inline(__always) func transition(from fromID: UInt32, adding key: PropertyKey) -> Unmanaged<Shape>? {
        let e = transitions[JSONCache.transitionSlot(fromID, key.raw)]
        if e.fromID == fromID && e.key == key.raw { return e.to }
        return nil
    }

    /// Records a transition (`key` was verified absent from `from`; shapes in the transition tree
    /// live as long as the runtime).
    @inline(__always) func remember(from fromID: UInt32, adding key: PropertyKey, to: Unmanaged<Shape>) {
        transitions[JSONCache.transitionSlot(fromID, key.raw)] = Transition(fromID: fromID, key: key.raw, to: to)
    }

    @inline(__always) static func factSlot(_ id: UInt32) -> Int {
        Int(truncatingIfNeeded: (id ^ (id >> 6)) & UInt32(JSONCache.shapeFactSlots - 1))
    }

    @inline(__always) func lacksToJSON(_ shape: Shape) -> Bool {
        noToJSON[JSONCache.factSlot(shape.id)] == shape.id
    }
    @inline(__always) func rememberLacksToJSON(_ shape: Shape) {
        noToJSON[JSONCache.factSlot(shape.id)] = shape.id
    }

    /// True if `shape` is a non-dictionary shape without accessor properties.
    @inline(__always) func isDataOnly(_ shape: Shape) -> Bool {
        if dataOnly[JSONCache.factSlot(shape.id)] == shape.id { return true }
        if shape.isDictionary || shape.attributes.contains(where: { $0.contains(.accessor) }) { return false }
        dataOnly[JSONCache.factSlot(shape.id)] = shape.id
        return true
    }
}

extension Runtime {
    /// The runtime's JSON cache (made by `installJSONBuiltins`).
    var jsonCache: JSONCache {
        if let holder = intrinsics.extra[JSONCache.holderName], let c = holder.internalStorage as? JSONCache { return c }
        let c = JSONCache()
        if let holder = try? newObject(prototype: nil) {
            holder.internalStorage = c
            intrinsics.extra[JSONCache.holderName] = holder
        }
        return c
    }

    /// The property key for a run of code units, reusing an existing atom without allocating.
    func propertyKey(units: UnsafeBufferPointer<UInt16>) throws(VMError) -> PropertyKey {
        if let i = JSString.parseArrayIndex(units) { return PropertyKey(index: i) }
        if let a = existingAtom(units) { return PropertyKey(atom: a) }
        let s = try newString(ContiguousArray(units))
        return PropertyKey(atom: intern(s))
    }

    /// The atom for an ASCII code unit.
    @inline(__always) func singleCharacterString(ascii unit: UInt16) -> JSString {
        asciiCharacterStrings[Int(unit)]
    }
}

extension JSONCache {
    static let holderName = "JSON.cache"
}
