/// The base of every garbage-collected JavaScript value: strings, symbols, objects, environments.
///
/// Cells refer to each other only through `Value` bit patterns or `unowned(unsafe)` references, so
/// ARC never sees cycles between them. The `Heap` holds the one strong reference to each cell and
/// drops it when the collector finds the cell unreachable.
open class HeapCell {
    /// Set by the collector's mark phase.
    @exclusivity(unchecked) final var isMarked = false
    /// Set on cells that live as long as the runtime and are owned elsewhere (atoms, owned by the
    /// atom table). They stay marked, so marking never visits them, and the next sweep drops
    /// them from the heap's list, so sweeps do not walk them again.
    @exclusivity(unchecked) final var isPermanent = false
    /// Bytes charged to the heap budget for this cell (header plus owned buffers).
    @exclusivity(unchecked) final var chargedBytes: Int = 0

    public init() {}

    /// Pushes every cell this cell refers to. Subclasses call `super` and add their own.
    open func visitChildren(_ marker: inout GCMarker) {}
}

/// Something that is not a cell but owns values the collector must see (Map storage, bound arguments).
public protocol GCTraceable: AnyObject {
    func trace(_ marker: inout GCMarker)
}

/// The mark stack of a collection. Marking is iterative, so deep object graphs cannot overflow
/// the native stack.
public struct GCMarker {
    @usableFromInline var stack: [HeapCell] = []

    @inline(__always) public mutating func mark(_ value: Value) {
        guard value.isCell else { return }
        mark(value.cell)
    }

    @inline(__always) public mutating func mark(_ cell: HeapCell?) {
        guard let cell, !cell.isMarked else { return }
        cell.isMarked = true
        stack.append(cell)
    }

    public mutating func mark<C: Collection>(values: C) where C.Element == Value {
        for v in values { mark(v) }
    }

    mutating func drain() {
        while let cell = stack.popLast() {
            cell.visitChildren(&self)
        }
    }
}
