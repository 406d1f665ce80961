#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// The runtime's interned strings (atoms), found by content.
///
/// Open addressing on each string's cached content hash. Interning runs on every computed
/// property access with a fresh string key (`map['key' + n]`), and with many atoms the table and
/// the cells are far apart in memory, so each entry also holds the length and the first eight
/// code units: a probe of a short key decides equality from the entry alone, and a longer one
/// reads the cell only when hash, length and prefix all agree (almost always a hit). A probe
/// must not allocate or hash twice: callers pass the units and their `JSString.hash(of:)`.
///
/// A probe for contents that are not interned (a fresh `'n' + i` that is never used as a key)
/// would read one random table entry, usually a cache miss; a bit filter with eight bits per
/// slot (a thirty-second of the table's bytes) answers most such probes from cache.
///
/// The table owns its atoms (one retain each): atoms live as long as the runtime, so the
/// collector neither marks nor sweeps them (see `HeapCell.isPermanent`).
final class AtomTable {
    private struct Entry {
        /// Low 32 bits of the content hash.
        var hash: UInt32
        var length: UInt32
        var cell: UnsafeMutableRawPointer?
        /// The first eight code units, zero-padded.
        var prefix: UnitPrefix
    }

    /// Up to eight UTF-16 code units packed into two words.
    struct UnitPrefix: Equatable {
        var low: UInt64 = 0
        var high: UInt64 = 0

        @inline(__always) init() {}

        @inline(__always) init(_ units: UnsafeBufferPointer<UInt16>) {
            let n = min(units.count, 8)
            if n > 0 {
                withUnsafeMutableBytes(of: &self) { raw in
                    raw.baseAddress!.copyMemory(from: units.baseAddress!, byteCount: n &* 2)
                }
            }
        }
    }

    /// Strings this long are compared completely by their entry's prefix.
    private static let prefixUnits = 8

    private var entries: UnsafeMutablePointer<Entry>
    private var mask: Int
    private var shift: UInt64
    /// One bit per filter position, set for the hash of every atom (`capacity * 8` bits).
    private var filter: UnsafeMutablePointer<UInt64>
    private var filterShift: UInt64
    private(set) var count = 0

    init() {
        let capacity = 2048
        entries = .allocate(capacity: capacity)
        entries.initialize(repeating: Entry(hash: 0, length: 0, cell: nil, prefix: UnitPrefix()), count: capacity)
        mask = capacity - 1
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        (filter, filterShift) = AtomTable.makeFilter(capacity: capacity)
    }

    deinit {
        for j in 0...mask {
            if let cell = entries[j].cell { Unmanaged<JSString>.fromOpaque(cell).release() }
        }
        entries.deallocate()
        filter.deallocate()
    }

    /// An empty filter of `capacity * 8` bits and the shift that maps a hash onto it.
    private static func makeFilter(capacity: Int) -> (UnsafeMutablePointer<UInt64>, UInt64) {
        let words = capacity / 8
        let f = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
        f.initialize(repeating: 0, count: words)
        return (f, UInt64(64 - (capacity * 8).trailingZeroBitCount))
    }

    /// The filter bit of an entry's hash (the low 32 bits, which the entries keep for rebuilding
    /// the filter when the table grows), spread by a different odd constant than `home`.
    @inline(__always) private func filterBit(_ hash: UInt32) -> Int {
        Int(truncatingIfNeeded: (UInt64(hash) &* 0xFF51_AFD7_ED55_8CCD) &>> filterShift)
    }

    @inline(__always) private func setFilterBit(_ hash: UInt32) {
        let b = filterBit(hash)
        filter[b &>> 6] |= 1 &<< UInt64(b & 63)
    }

    /// Fibonacci hashing spreads the hash bits over the table.
    @inline(__always) private func home(_ hash: UInt32) -> Int {
        Int(truncatingIfNeeded: (UInt64(hash) &* 0x9E37_79B9_7F4A_7C15) &>> shift)
    }

    /// The atom with these contents, or nil.
    @inline(__always)
    func find(_ units: UnsafeBufferPointer<UInt16>, hash: Int) -> JSString? {
        guard let cell = findCell(units, hash: hash) else { return nil }
        return Unmanaged<JSString>.fromOpaque(cell).takeUnretainedValue()
    }

    /// The cell of the atom with these contents, or nil. Reads the cell only for strings longer
    /// than the prefix, and never retains it.
    @inline(__always)
    func findCell(_ units: UnsafeBufferPointer<UInt16>, hash: Int) -> UnsafeMutableRawPointer? {
        let h = UInt32(truncatingIfNeeded: hash)
        let b = filterBit(h)
        if filter[b &>> 6] & (1 &<< UInt64(b & 63)) == 0 { return nil }
        let n = units.count
        let length = UInt32(truncatingIfNeeded: n)
        let prefix = UnitPrefix(units)
        var i = home(h)
        while true {
            let e = entries[i]
            guard let cell = e.cell else { return nil }
            if e.hash == h && e.length == length && e.prefix == prefix {
                if n <= AtomTable.prefixUnits { return cell }
                let same = Unmanaged<JSString>.fromOpaque(cell)._withUnsafeGuaranteedRef { s in
                    memcmp(s.unitBuffer.baseAddress! + AtomTable.prefixUnits, units.baseAddress! + AtomTable.prefixUnits,
                           (n &- AtomTable.prefixUnits) &* 2) == 0
                }
                if same { return cell }
            }
            i = (i &+ 1) & mask
        }
    }

    /// Adds `atom` (whose contents must not be present yet); the table takes a reference to it.
    func insert(_ atom: JSString, hash: Int) {
        if (count + 1) * 2 > mask + 1 { grow() }
        let prefix = UnitPrefix(atom.unitBuffer)
        place(Entry(hash: UInt32(truncatingIfNeeded: hash), length: UInt32(truncatingIfNeeded: atom.count),
                    cell: Unmanaged.passRetained(atom).toOpaque(), prefix: prefix))
        count += 1
    }

    private func place(_ e: Entry) {
        setFilterBit(e.hash)
        var i = home(e.hash)
        while entries[i].cell != nil { i = (i &+ 1) & mask }
        entries[i] = e
    }

    private func grow() {
        let old = entries
        let oldCapacity = mask + 1
        let capacity = oldCapacity * 2
        entries = .allocate(capacity: capacity)
        entries.initialize(repeating: Entry(hash: 0, length: 0, cell: nil, prefix: UnitPrefix()), count: capacity)
        mask = capacity - 1
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        filter.deallocate()
        (filter, filterShift) = AtomTable.makeFilter(capacity: capacity)
        for j in 0..<oldCapacity where old[j].cell != nil { place(old[j]) }
        old.deallocate()
    }
}
