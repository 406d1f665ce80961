/// The runtime's interned strings (atoms), found by content.
///
/// Open addressing on each string's cached content hash; entries hold unretained pointers (the
/// heap owns the cells, and atoms are GC roots for the runtime's lifetime). Interning runs on
/// every computed property access with a fresh string key, so a probe must not allocate or hash
/// twice: callers pass the units and their `JSString.contentHash`-compatible hash.
final class AtomTable {
    private struct Entry {
        var hash: Int
        var cell: UnsafeMutableRawPointer?
    }

    private var entries: UnsafeMutablePointer<Entry>
    private var mask: Int
    private var shift: UInt64
    private(set) var count = 0

    init() {
        let capacity = 2048
        entries = .allocate(capacity: capacity)
        entries.initialize(repeating: Entry(hash: 0, cell: nil), count: capacity)
        mask = capacity - 1
        shift = UInt64(64 - capacity.trailingZeroBitCount)
    }

    deinit { entries.deallocate() }

    /// Fibonacci hashing spreads the content hash (whose low bit is always set) over the table.
    @inline(__always) private func home(_ hash: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(UInt(bitPattern: hash)) &* 0x9E37_79B9_7F4A_7C15) &>> shift)
    }

    /// The atom with these contents, or nil.
    @inline(__always)
    func find(_ units: UnsafeBufferPointer<UInt16>, hash: Int) -> JSString? {
        var i = home(hash)
        while true {
            let e = entries[i]
            guard let cell = e.cell else { return nil }
            if e.hash == hash {
                let s = Unmanaged<JSString>.fromOpaque(cell).takeUnretainedValue()
                if s.hasUnits(units) { return s }
            }
            i = (i &+ 1) & mask
        }
    }

    /// Adds `atom` (whose contents must not be present yet).
    func insert(_ atom: JSString, hash: Int) {
        if (count + 1) * 2 > mask + 1 { grow() }
        place(Entry(hash: hash, cell: Unmanaged.passUnretained(atom).toOpaque()))
        count += 1
    }

    private func place(_ e: Entry) {
        var i = home(e.hash)
        while entries[i].cell != nil { i = (i &+ 1) & mask }
        entries[i] = e
    }

    private func grow() {
        let old = entries
        let oldCapacity = mask + 1
        let capacity = oldCapacity * 2
        entries = .allocate(capacity: capacity)
        entries.initialize(repeating: Entry(hash: 0, cell: nil), count: capacity)
        mask = capacity - 1
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        for j in 0..<oldCapacity where old[j].cell != nil { place(old[j]) }
        old.deallocate()
    }

    /// Marks every atom (they live as long as the runtime).
    func markAll(_ m: inout GCMarker) {
        for j in 0...mask {
            if let cell = entries[j].cell { m.mark(Unmanaged<JSString>.fromOpaque(cell).takeUnretainedValue()) }
        }
    }
}
