/// JSON.stringify's growable UTF-16 output: a raw buffer written without the uniqueness checks and
/// bounds checks of `ContiguousArray.append` on every code unit. Reused between calls through
/// `JSONCache.spareOutput`.
final class JSONOutputBuffer {
    private(set) var base: UnsafeMutablePointer<UInt16>
    private(set) var capacity: Int
    /// Code units written so far; lowering it drops the tail (an omitted property).
    var count = 0

    init(capacity: Int = 256) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// Makes room for `n` more code units.
    @inline(__always) func reserve(_ n: Int) {
        if count &+ n > capacity { grow(count &+ n) }
    }

    @inline(never) private func grow(_ needed: Int) {
        var c = capacity &* 2
        while c < needed { c &*= 2 }
        let p = UnsafeMutablePointer<UInt16>.allocate(capacity: c)
        p.update(from: base, count: count)
        base.deallocate()
        base = p
        capacity = c
    }

    @inline(__always) func append(_ u: UInt16) {
        reserve(1)
        base[count] = u
        count &+= 1
    }

    @inline(__always) func append(_ u: UnsafeBufferPointer<UInt16>) {
        let n = u.count
        if n == 0 { return }
        reserve(n)
        (base + count).update(from: u.baseAddress!, count: n)
        count &+= n
    }

    @inline(__always) func append(repeating u: UInt16, count n: Int) {
        reserve(n)
        (base + count).initialize(repeating: u, count: n)
        count &+= n
    }

    /// Appends ASCII text.
    @inline(__always) func append(ascii s: StaticString) {
        let n = s.utf8CodeUnitCount
        reserve(n)
        let p = s.utf8Start
        for i in 0..<n { base[count &+ i] = UInt16(p[i]) }
        count &+= n
    }

    /// Appends Number::toString(d).
    @inline(__always) func append(number d: Double) {
        reserve(NumberConversion.maxFormattedLength)
        count &+= NumberConversion.write(d, into: base + count)
    }

    /// The text written so far.
    func contents() -> ContiguousArray<UInt16> {
        ContiguousArray(UnsafeBufferPointer(start: base, count: count))
    }

    /// Forgets the text (keeping a modest buffer for the next call).
    func reset() -> Bool {
        count = 0
        return capacity <= 1 << 20
    }
}
