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
    static let quotedKeySlots = 256
    /// Longest key or string value (in code units) the tables hold; each slot keeps a copy of
    /// its text in an arena, so a probe compares memory without touching the string cell.
    static let maxCachedStringLength = 32
    /// Room per quoted-key slot: quotes, colon and up to `maxCachedStringLength` units unescaped.
    static let quotedKeyRoom = maxCachedStringLength + 8

    /// An entry of `keys`/`strings`: the cell, its length (-1: empty) and text at `arena + slot * 32`.
    struct TextEntry {
        var cell: Unmanaged<JSString>?
        var length = -1
    }
    /// Recently parsed object keys (atoms).
    let keys: UnsafeMutablePointer<TextEntry>
    let keyText: UnsafeMutablePointer<UInt16>
    /// Recently parsed short string values (ordinary heap strings: traced).
    let strings: UnsafeMutablePointer<TextEntry>
    let stringText: UnsafeMutablePointer<UInt16>

    /// An entry of `quotedKeys`: a string key's raw bits and the length of `"key":` as written.
    struct QuotedKey {
        var key: UInt64 = 0
        var length = 0
    }
    /// Recently written keys, quoted and followed by a colon (atoms live as long as the runtime,
    /// so a key's bits name it for good).
    let quotedKeys: UnsafeMutablePointer<QuotedKey>
    let quotedKeyText: UnsafeMutablePointer<UInt16>

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
    var scratchStack: [JSONParser.Container] = []
    /// An output buffer of the serializer, reused between calls (nil while one is in use).
    var spareOutput: JSONOutputBuffer?

    init() {
        keys = .allocate(capacity: JSONCache.keySlots)
        keys.initialize(repeating: TextEntry(), count: JSONCache.keySlots)
        keyText = .allocate(capacity: JSONCache.keySlots * JSONCache.maxCachedStringLength)
        strings = .allocate(capacity: JSONCache.stringSlots)
        strings.initialize(repeating: TextEntry(), count: JSONCache.stringSlots)
        stringText = .allocate(capacity: JSONCache.stringSlots * JSONCache.maxCachedStringLength)
        quotedKeys = .allocate(capacity: JSONCache.quotedKeySlots)
        quotedKeys.initialize(repeating: QuotedKey(), count: JSONCache.quotedKeySlots)
        quotedKeyText = .allocate(capacity: JSONCache.quotedKeySlots * JSONCache.quotedKeyRoom)
        transitions = .allocate(capacity: JSONCache.transitionSlots)
        transitions.initialize(repeating: Transition(), count: JSONCache.transitionSlots)
        noToJSON = .allocate(capacity: JSONCache.shapeFactSlots)
        noToJSON.initialize(repeating: 0, count: JSONCache.shapeFactSlots)
        dataOnly = .allocate(capacity: JSONCache.shapeFactSlots)
        dataOnly.initialize(repeating: 0, count: JSONCache.shapeFactSlots)
    }

    deinit {
        keys.deallocate()
        keyText.deallocate()
        strings.deallocate()
        stringText.deallocate()
        quotedKeys.deallocate()
        quotedKeyText.deallocate()
        transitions.deallocate()
        noToJSON.deallocate()
        dataOnly.deallocate()
    }

    func trace(_ marker: inout GCMarker) {
        for i in 0..<JSONCache.keySlots {
            if let s = keys[i].cell { marker.mark(s.takeUnretainedValue()) }
        }
        for i in 0..<JSONCache.stringSlots {
            if let s = strings[i].cell { marker.mark(s.takeUnretainedValue()) }
        }
    }

    /// FNV-1a over code units: `hash(hash(hashSeed, u0), u1)…`.
    static let hashSeed: UInt32 = 2166136261
    @inline(__always) static func hash(_ h: UInt32, _ u: UInt16) -> UInt32 { (h ^ UInt32(u)) &* 16777619 }

    /// The entry of `table` at `slot` if it holds exactly `units` (text copied in `arena`).
    @inline(__always)
    static func probe(_ table: UnsafeMutablePointer<TextEntry>, _ arena: UnsafeMutablePointer<UInt16>, _ slot: Int,
                      _ units: UnsafeBufferPointer<UInt16>) -> Unmanaged<JSString>? {
        let e = table[slot]
        guard e.length == units.count, let cell = e.cell else { return nil }
        if units.count == 0 { return cell }
        let text = arena + slot &* maxCachedStringLength
        return memcmp(text, units.baseAddress!, units.count &* 2) == 0 ? cell : nil
    }

    @inline(__always)
    static func store(_ table: UnsafeMutablePointer<TextEntry>, _ arena: UnsafeMutablePointer<UInt16>, _ slot: Int,
                      _ units: UnsafeBufferPointer<UInt16>, _ cell: JSString) {
        guard units.count <= maxCachedStringLength else { return }
        if let base = units.baseAddress { (arena + slot &* maxCachedStringLength).update(from: base, count: units.count) }
        table[slot] = TextEntry(cell: Unmanaged.passUnretained(cell), length: units.count)
    }

    /// The property key for an object key's code units (no escapes), reusing a cached atom.
    @inline(__always)
    func key(_ units: UnsafeBufferPointer<UInt16>, hash: UInt32, _ rt: Runtime) throws(VMError) -> PropertyKey {
        let slot = Int(hash & UInt32(JSONCache.keySlots - 1))
        if let a = JSONCache.probe(keys, keyText, slot, units) {
            return PropertyKey(raw: UInt64(UInt(bitPattern: a.toOpaque())))
        }
        let k = try rt.propertyKey(units: units)
        if k.isString { JSONCache.store(keys, keyText, slot, units, k.atom) }
        return k
    }

    /// A string with these code units (2...maxCachedStringLength of them), reusing a recent one:
    /// strings are immutable, so sharing a cell is not observable.
    @inline(__always)
    func string(_ units: UnsafeBufferPointer<UInt16>, hash: UInt32, _ rt: Runtime) throws(VMError) -> JSString {
        let slot = Int(hash & UInt32(JSONCache.stringSlots - 1))
        if let s = JSONCache.probe(strings, stringText, slot, units) { return s.takeUnretainedValue() }
        let s = try rt.newString(copying: units)
        JSONCache.store(strings, stringText, slot, units, s)
        return s
    }

    @inline(__always) static func quotedKeySlot(_ key: PropertyKey) -> Int {
        Int(truncatingIfNeeded: (key.raw &* 0x9E37_79B9_7F4A_7C15) >> 56)  // 8 bits: quotedKeySlots
    }

    /// `"key":` for a string key written before, or nil.
    @inline(__always) func quotedKey(_ key: PropertyKey) -> UnsafeBufferPointer<UInt16>? {
        let slot = JSONCache.quotedKeySlot(key)
        let e = quotedKeys[slot]
        guard e.key == key.raw && e.length > 0 else { return nil }
        return UnsafeBufferPointer(start: quotedKeyText + slot &* JSONCache.quotedKeyRoom, count: e.length)
    }

    /// Remembers the `"key":` text just written (if it fits).
    @inline(__always) func rememberQuotedKey(_ key: PropertyKey, _ text: UnsafeBufferPointer<UInt16>) {
        guard text.count <= JSONCache.quotedKeyRoom, let base = text.baseAddress else { return }
        let slot = JSONCache.quotedKeySlot(key)
        (quotedKeyText + slot &* JSONCache.quotedKeyRoom).update(from: base, count: text.count)
        quotedKeys[slot] = QuotedKey(key: key.raw, length: text.count)
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

    @inline(__always) func lacksToJSON(id: UInt32) -> Bool {
        noToJSON[JSONCache.factSlot(id)] == id
    }
    @inline(__always) func rememberLacksToJSON(_ shape: Shape) {
        noToJSON[JSONCache.factSlot(shape.id)] = shape.id
    }

    /// True if `shape` is a non-dictionary shape without accessor properties.
    @inline(__always) func isDataOnly(_ shape: Shape) -> Bool {
        if dataOnly[JSONCache.factSlot(shape.id)] == shape.id { return true }
        return isDataOnlySlowly(shape)
    }

    @inline(never) func isDataOnlySlowly(_ shape: Shape) -> Bool {
        if shape.isDictionary || shape.attributes.contains(where: { $0.contains(.accessor) }) { return false }
        dataOnly[JSONCache.factSlot(shape.id)] = shape.id
        return true
    }
}

extension Runtime {
    /// The runtime's JSON cache (made by `installJSONBuiltins`).
    var jsonCache: JSONCache {
        if let holder = intrinsics[.jsonCache], let c = holder.internalStorage as? JSONCache { return c }
        let c = JSONCache()
        if let holder = try? newObject(prototype: nil) {
            holder.internalStorage = c
            intrinsics[.jsonCache] = holder
        }
        return c
    }

    /// The property key for a run of code units, reusing an existing atom without allocating.
    func propertyKey(units: UnsafeBufferPointer<UInt16>) throws(VMError) -> PropertyKey {
        if let i = JSString.parseArrayIndex(units) { return PropertyKey(index: i) }
        if let a = existingAtom(units) { return PropertyKey(atom: a) }
        let s = try newString(copying: units)
        return PropertyKey(atom: intern(s))
    }

    /// The atom for an ASCII code unit.
    @inline(__always) func singleCharacterString(ascii unit: UInt16) -> JSString {
        asciiCharacterStrings[Int(unit)]
    }
}

