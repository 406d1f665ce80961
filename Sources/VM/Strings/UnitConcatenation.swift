/// Building the code units of short concatenations.
///
/// `ContiguousArray.append(contentsOf:)` on another array's storage retains it and goes through
/// the generic sequence path; concatenation is the hottest string operation (`s += piece`,
/// `'key' + n`), so its units are copied from buffer views into a buffer sized once.
extension JSString {
    /// The units of `a` followed by `b`.
    static func concatenatedUnits(_ a: JSString, _ b: JSString) -> ContiguousArray<UInt16> {
        a.units.withUnsafeBufferPointer { x in
            b.units.withUnsafeBufferPointer { y in concatenatedUnits(x, y) }
        }
    }

    /// The units of `x` followed by `y`.
    static func concatenatedUnits(_ x: UnsafeBufferPointer<UInt16>, _ y: UnsafeBufferPointer<UInt16>) -> ContiguousArray<UInt16> {
        ContiguousArray(unsafeUninitializedCapacity: x.count &+ y.count) { buffer, count in
            let p = buffer.baseAddress!
            if x.count > 0 { p.update(from: x.baseAddress!, count: x.count) }
            if y.count > 0 { (p + x.count).update(from: y.baseAddress!, count: y.count) }
            count = x.count &+ y.count
        }
    }
}
