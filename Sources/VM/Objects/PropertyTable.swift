/// A shape's map from property key to slot index: open addressing with linear probing.
///
/// Keys are `PropertyKey.raw` words, hashed by their bits (Fibonacci hashing), so a lookup is a
/// multiply, a shift and usually one compare — no `Hasher`, no reference counting. Every property
/// access that misses an inline cache goes through here, and dictionary-mode objects used as hash
/// maps (`obj[key]` with thousands of keys) live on it. Each entry also holds the property's
/// attributes, so a [[Get]] or [[Set]] on a big dictionary reads one table entry and the slot,
/// not a third array (each of them a cache miss when the object holds thousands of keys).
struct PropertyTable: ~Copyable {
    struct Entry {
        var key: UInt64
        var slot: UInt32
        var attributes: PropertyAttributes
    }

    /// A found key: its slot and attributes.
    struct Found {
        let slot: Int
        let attributes: PropertyAttributes
    }

    /// No key is 0 (index keys have bit 0 set, cell pointers are non-null).
    private static let emptyKey: UInt64 = 0
    /// A removed entry; never a real key (index keys have bit 1 clear, symbols bit 0 clear).
    private static let deletedKey: UInt64 = 3

    private var entries: UnsafeMutablePointer<Entry>
    private var mask: Int
    private var shift: UInt64
    /// Live keys.
    private(set) var count = 0
    /// Live plus deleted entries (deleted ones still lengthen probes until a rehash).
    private var used = 0

    /// A table with room for `minimumCount` keys before it grows.
    init(minimumCount: Int = 0) {
        (entries, mask, shift) = PropertyTable.emptyEntries(minimumCount: minimumCount)
    }

    /// Empty entries with room for `minimumCount` keys at half load, with their mask and shift.
    private static func emptyEntries(minimumCount: Int) -> (UnsafeMutablePointer<Entry>, Int, UInt64) {
        var capacity = 4
        while capacity < minimumCount * 2 { capacity <<= 1 }
        let entries = UnsafeMutablePointer<Entry>.allocate(capacity: capacity)
        entries.initialize(repeating: Entry(key: PropertyTable.emptyKey, slot: 0, attributes: []), count: capacity)
        return (entries, capacity - 1, UInt64(64 - capacity.trailingZeroBitCount))
    }

    deinit { entries.deallocate() }

    /// An independent copy (a transition's table starts as its parent's).
    func copy() -> PropertyTable {
        var t = PropertyTable(minimumCount: 0)
        t.entries.deallocate()
        let capacity = mask + 1
        t.entries = .allocate(capacity: capacity)
        t.entries.initialize(from: entries, count: capacity)
        t.mask = mask
        t.shift = shift
        t.count = count
        t.used = used
        return t
    }

    @inline(__always) private func home(_ raw: UInt64) -> Int {
        Int(truncatingIfNeeded: (raw &* 0x9E37_79B9_7F4A_7C15) &>> shift)
    }

    /// The slot of `key`, or nil.
    @inline(__always) func lookup(_ key: PropertyKey) -> Int? {
        find(key)?.slot
    }

    /// The slot and attributes of `key`, or nil.
    @inline(__always) func find(_ key: PropertyKey) -> Found? {
        var i = home(key.raw)
        while true {
            let e = entries[i]
            if e.key == key.raw { return Found(slot: Int(e.slot), attributes: e.attributes) }
            if e.key == PropertyTable.emptyKey { return nil }
            i = (i &+ 1) & mask
        }
    }

    /// Adds `key` (which must be absent) at `slot`.
    mutating func insert(_ key: PropertyKey, slot: Int, attributes: PropertyAttributes) {
        if (used + 1) * 2 > mask + 1 { rehash(minimumCount: count + 1) }
        var i = home(key.raw)
        while entries[i].key != PropertyTable.emptyKey { i = (i &+ 1) & mask }
        entries[i] = Entry(key: key.raw, slot: UInt32(truncatingIfNeeded: slot), attributes: attributes)
        count += 1
        used += 1
    }

    /// Changes the recorded attributes of `key` (which must be present).
    mutating func setAttributes(_ key: PropertyKey, _ attributes: PropertyAttributes) {
        var i = home(key.raw)
        while true {
            if entries[i].key == key.raw { entries[i].attributes = attributes; return }
            if entries[i].key == PropertyTable.emptyKey { return }
            i = (i &+ 1) & mask
        }
    }

    /// Removes `key`; returns its slot, or nil when absent.
    mutating func remove(_ key: PropertyKey) -> Int? {
        var i = home(key.raw)
        while true {
            let e = entries[i]
            if e.key == key.raw {
                entries[i].key = PropertyTable.deletedKey
                count -= 1
                return Int(e.slot)
            }
            if e.key == PropertyTable.emptyKey { return nil }
            i = (i &+ 1) & mask
        }
    }

    /// Drops every key, keeping a capacity for `minimumCount` keys.
    mutating func removeAll(minimumCount: Int) {
        self = PropertyTable(minimumCount: minimumCount)
    }

    private mutating func rehash(minimumCount: Int) {
        let old = entries
        let oldCapacity = mask + 1
        (entries, mask, shift) = PropertyTable.emptyEntries(minimumCount: minimumCount)
        used = 0
        for j in 0..<oldCapacity {
            let e = old[j]
            if e.key == PropertyTable.emptyKey || e.key == PropertyTable.deletedKey { continue }
            var i = home(e.key)
            while entries[i].key != PropertyTable.emptyKey { i = (i &+ 1) & mask }
            entries[i] = e
            used += 1
        }
        old.deallocate()
    }
}
