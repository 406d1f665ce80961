/// Building the code units of new flat strings.
///
/// `ContiguousArray.append(contentsOf:)` goes through the generic sequence copy (a call per
/// piece, measured at 3-7% of string.js), and `init(unsafeUninitializedCapacity:)` looks up the
/// storage class's generic metadata at run time on every call (~2% of template.js). So arrays
/// are made zeroed at their final size and the pieces are copied in with plain memory copies.
extension JSString {
    /// An array of `count` code units written by `fill` (which must write all of them).
    @inline(__always)
    static func makeUnits(count: Int, _ fill: (UnsafeMutablePointer<UInt16>) -> Void) -> ContiguousArray<UInt16> {
        var out = ContiguousArray<UInt16>(repeating: 0, count: count)
        if count > 0 { out.withUnsafeMutableBufferPointer { fill($0.baseAddress!) } }
        return out
    }

    /// Copies `x` to `p`; returns the position after it.
    @inline(__always)
    static func copy(_ x: UnsafeBufferPointer<UInt16>, to p: UnsafeMutablePointer<UInt16>) -> UnsafeMutablePointer<UInt16> {
        if x.count > 0 { p.update(from: x.baseAddress!, count: x.count) }
        return p + x.count
    }

    /// The units of `a` followed by `b`.
    static func concatenatedUnits(_ a: JSString, _ b: JSString) -> ContiguousArray<UInt16> {
        concatenatedUnits(a.unitBuffer, b.unitBuffer)
    }

    /// The units of `x` followed by `y`.
    static func concatenatedUnits(_ x: UnsafeBufferPointer<UInt16>, _ y: UnsafeBufferPointer<UInt16>) -> ContiguousArray<UInt16> {
        makeUnits(count: x.count &+ y.count) { p in _ = copy(y, to: copy(x, to: p)) }
    }

    /// A copy of `x` as an array.
    static func copiedUnits(_ x: UnsafeBufferPointer<UInt16>) -> ContiguousArray<UInt16> {
        makeUnits(count: x.count) { p in _ = copy(x, to: p) }
    }
}
