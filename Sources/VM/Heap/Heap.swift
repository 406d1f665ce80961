/// Owns every cell of one `Runtime` and enforces its heap-byte budget.
///
/// Allocation appends the cell to the cell list (the only strong reference) and charges its size.
/// Collection is a non-moving mark-sweep run only at safe points chosen by the interpreter
/// (`Runtime.collectGarbageIfNeeded`), never in the middle of a builtin, so builtins may hold
/// cells they just made in Swift locals as long as they do not call back into script code
/// (if they do, they must root them with `Runtime.withTemporaryRoots`).
public final class Heap {
    /// Every cell, each holding one retain. A raw buffer rather than a `ContiguousArray`:
    /// appending to the array made four out-of-line calls per allocation (uniqueness check,
    /// reserve, append, end of mutation), and its retain could not be paired away.
    @exclusivity(unchecked) private var cellList: UnsafeMutablePointer<Unmanaged<HeapCell>>
    @exclusivity(unchecked) private(set) var cellCount = 0
    @exclusivity(unchecked) private var cellCapacity: Int
    /// Bytes currently charged (live plus garbage not yet collected).
    @exclusivity(unchecked) public internal(set) var usedBytes: Int = 0
    /// Highest `usedBytes` seen since the last `resetPeak()`.
    @exclusivity(unchecked) public internal(set) var peakBytes: Int = 0
    /// The budget; `Int.max` for none.
    @exclusivity(unchecked) public var limitBytes: Int = .max
    /// When `usedBytes` passes this, the next safe point collects.
    @exclusivity(unchecked) var nextCollectionAt: Int = 4 << 20
    /// Set when an allocation passed `nextCollectionAt`; the interpreter polls it at safe points.
    @exclusivity(unchecked) public internal(set) var collectionRequested = false
    /// When true (tests), every safe point collects: finds missing roots quickly.
    @exclusivity(unchecked) public var stressMode = false
    public internal(set) var collectionCount = 0
    /// Bytes of the permanent part (intrinsics, atoms) after realm setup; used to size thresholds.
    var baselineBytes = 0

    /// Typical size charged for a small cell before its buffers.
    public static let cellHeaderBytes = 48

    init() {
        cellCapacity = 1024
        cellList = .allocate(capacity: cellCapacity)
    }

    deinit {
        for i in 0..<cellCount { cellList[i].release() }
        cellList.deallocate()
    }

    /// Adds `cell` to the cells this heap owns (taking a reference to it), without charging it.
    @inline(__always)
    func append(_ cell: HeapCell) {
        if _slowPath(cellCount == cellCapacity) { growCellList() }
        (cellList + cellCount).initialize(to: Unmanaged.passRetained(cell))
        cellCount &+= 1
    }

    @inline(never)
    private func growCellList() {
        let bigger = UnsafeMutablePointer<Unmanaged<HeapCell>>.allocate(capacity: cellCapacity * 2)
        bigger.moveInitialize(from: cellList, count: cellCount)
        cellList.deallocate()
        cellList = bigger
        cellCapacity *= 2
    }

    /// Registers a newly made cell and charges `bytes` for it. Throws when over budget.
    @inline(__always)
    func register<C: HeapCell>(_ cell: C, bytes: Int) throws(VMError) -> C {
        try charge(bytes)
        cell.chargedBytes = bytes
        append(cell)
        return cell
    }

    /// Registers a string cell whose `bytes` were already charged and returns it as a value.
    /// The heap's reference is the only one: the caller's reference is handed over, so making
    /// a string this way costs no retain/release pair.
    @inline(__always)
    func adopt(_ cell: __owned JSString, charged bytes: Int) -> Value {
        cell.chargedBytes = bytes
        let v = Value(cell)
        append(cell)
        return v
    }

    /// Charges `bytes` to the budget (for buffers that grow after the cell was made).
    @inline(__always)
    func charge(_ bytes: Int) throws(VMError) {
        let now = usedBytes &+ bytes
        if now > limitBytes { throw VMError.terminated(.memory) }
        usedBytes = now
        if now > peakBytes { peakBytes = now }
        if now > nextCollectionAt || stressMode { collectionRequested = true }
    }

    /// Charges growth of a cell's buffers, remembering it on the cell so a sweep refunds it.
    @inline(__always)
    func charge(_ bytes: Int, to cell: HeapCell) throws(VMError) {
        try charge(bytes)
        cell.chargedBytes &+= bytes
    }

    /// Charges without failing (for work already checked against the budget, like flattening a rope).
    func chargeUnchecked(_ bytes: Int, to cell: HeapCell) {
        usedBytes &+= bytes
        cell.chargedBytes &+= bytes
        if usedBytes > peakBytes { peakBytes = usedBytes }
        if usedBytes > nextCollectionAt { collectionRequested = true }
    }

    /// Would `bytes` more fit in the budget? Builtins that know their output size ask first.
    public func canAllocate(_ bytes: Int) -> Bool {
        bytes >= 0 && usedBytes &+ bytes <= limitBytes
    }

    /// Marks from `roots` (a closure that marks every root), then frees every unmarked cell.
    func collect(markRoots: (inout GCMarker) -> Void) {
        var marker = GCMarker()
        markRoots(&marker)
        marker.drain()
        var freed = 0
        var write = 0
        let count = cellCount
        let list = cellList
        for read in 0..<count {
            let entry = list[read]
            let (permanent, marked) = entry._withUnsafeGuaranteedRef { cell in
                let state = (cell.isPermanent, cell.isMarked)
                if state.1 && !state.0 { cell.isMarked = false }
                return state
            }
            if permanent {
                // Owned elsewhere from now on; its bytes stay charged (it is never freed).
                entry.release()
            } else if marked {
                list[write] = entry
                write &+= 1
            } else {
                freed &+= entry._withUnsafeGuaranteedRef { $0.chargedBytes }
                entry.release()
            }
        }
        cellCount = write
        usedBytes -= freed
        collectionCount += 1
        collectionRequested = false
        // Grow the threshold with the live size (amortised O(1) per allocated byte), but collect
        // well before the budget so churn fits in a small budget.
        let live = usedBytes
        var next = max(live * 2, live + (2 << 20))
        if limitBytes != .max {
            let room = limitBytes - live
            next = min(next, live + max(room / 2, 64 << 10))
        }
        nextCollectionAt = next
    }

    func resetPeak() { peakBytes = usedBytes }
}
