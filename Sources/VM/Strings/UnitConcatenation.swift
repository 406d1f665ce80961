/// Building the code units of short concatenations.
///
/// `ContiguousArray.append(contentsOf:)` on another array's storage retains it and goes through
/// the generic sequence path; concatenation is the hottest string operation (`s += piece`,
/// `'key' + n`), so its units are copied from buffer views into a buffer sized once.
extension JSString {
    /// The units of `a` followed by `b`.
    static func concatenatedUnits(_ a: JSString, _ b: JSString) -> ContiguousArray<UInt16> {
        concatenatedUnits(a.unitBuffer, b.unitBuffer)
    }

    /// The units of `x` followed by `y`.
    static func concatenatedUnits(_ x: UnsafeBufferPointer<UInt16>, _ y: UnsafeBufferPointer<UInt16>) -> ContiguousArray<UInt16> {
        // reserve + append from buffer views: `init(unsafeUninitializedCapacity:)` looks up the
        // storage class's generic metadata at run time on every call (measured: ~2% of template.js).
        var out = ContiguousArray<UInt16>()
        out.reserveCapacity(x.count &+ y.count)
        out.append(contentsOf: x)
        out.append(contentsOf: y)
        return out
    }

    /// A copy of `x` as an array (sized once; see `concatenatedUnits` for why not `init(unsafeUninitializedCapacity:)`).
    static func copiedUnits(_ x: UnsafeBufferPointer<UInt16>) -> ContiguousArray<UInt16> {
        var out = ContiguousArray<UInt16>()
        out.reserveCapacity(x.count)
        out.append(contentsOf: x)
        return out
    }
}
