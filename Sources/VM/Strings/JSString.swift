#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// A JavaScript string: an immutable sequence of UTF-16 code units.
///
/// `length`, indexing and `charCodeAt` work on code units, as the language requires, so
/// non-ASCII text and lone surrogates behave exactly as in other engines.
///
/// Three shapes share this class:
/// - short strings (up to `inlineCapacity` units) keep their units inside the cell, so making
///   one is a single allocation (most strings scripts make are short: split pieces, keys,
///   `'n' + i`) and freeing one is a single free;
/// - longer flat strings keep them in a `ContiguousArray`;
/// - ropes (concatenation results, see `Runtime.concat`) hold their two halves until first read.
///
/// Hot paths read the units through `unitBuffer` / `withUnits`, a pointer kept in the cell, so
/// reading never retains a buffer. `units` (an array) stays for everything else: for a short
/// string it is made on first use and kept.
public final class JSString: HeapCell {
    /// The code units of a flat string made from an array, or of a short string once `units` was
    /// asked for; nil otherwise (nil rather than an empty array: storing or dropping the shared
    /// empty array would cost a retain and a release per short string).
    @exclusivity(unchecked) private var storage: ContiguousArray<UInt16>?
    /// The first code unit: in `storage`'s buffer (never mutated while this cell holds it) or in
    /// `inlineWords`. nil exactly while this string is an unflattened rope.
    @exclusivity(unchecked) private var base: UnsafePointer<UInt16>?
    /// Length in UTF-16 code units.
    public let count: Int
    /// Set when this string is the runtime's canonical copy of its contents (an atom):
    /// atoms compare by identity and serve as property keys.
    @exclusivity(unchecked) final var isAtom = false
    @exclusivity(unchecked) final var cachedHash: Int = 0
    /// Cached result of parsing as an array index: -2 unknown, -1 not an index.
    @exclusivity(unchecked) final var cachedIndex: Int64 = -2
    /// The atom with this string's contents once it was interned (atoms live as long as the
    /// runtime), so a string used as a property key again is not looked up again.
    @exclusivity(unchecked) final unowned(unsafe) var internedAtom: JSString?
    /// A short string's code units; a rope's left half, right half and heap (as raw pointers:
    /// the collector marks the halves through `visitChildren`, the heap outlives its cells).
    @exclusivity(unchecked) private var inlineWords: (UInt64, UInt64, UInt64) = (0, 0, 0)

    /// Strings up to this many code units live inside their cell (24 bytes, which keeps the cell
    /// in the same allocator size class as the rope fields it shares them with).
    /// (`Runtime.asciiCaseMapped` sizes a stack buffer to match.)
    static let inlineCapacity = 12

    /// A flat string that keeps `units` as its storage.
    init(units: ContiguousArray<UInt16>) {
        self.storage = units
        self.count = units.count
        let p = units.withUnsafeBufferPointer { $0.baseAddress }
        self.base = p ?? UnsafePointer(withUnsafeMutablePointer(to: &self.inlineWords) { JSString.unitPointer($0) })
        super.init()
    }

    /// A short string (`units.count <= inlineCapacity`) with its units copied into the cell.
    init(inline units: UnsafeBufferPointer<UInt16>) {
        self.storage = nil
        self.count = units.count
        // Before `super.init`: taking the field's address afterwards retains and releases self.
        let p = withUnsafeMutablePointer(to: &self.inlineWords) { JSString.unitPointer($0) }
        if units.count > 0 { p.update(from: units.baseAddress!, count: units.count) }
        self.base = UnsafePointer(p)
        super.init()
    }

    /// A short string of two parts, copied into the cell (`a.count + b.count <= inlineCapacity`).
    init(inline a: UnsafeBufferPointer<UInt16>, _ b: UnsafeBufferPointer<UInt16>) {
        self.storage = nil
        self.count = a.count &+ b.count
        let p = withUnsafeMutablePointer(to: &self.inlineWords) { JSString.unitPointer($0) }
        if a.count > 0 { p.update(from: a.baseAddress!, count: a.count) }
        if b.count > 0 { (p + a.count).update(from: b.baseAddress!, count: b.count) }
        self.base = UnsafePointer(p)
        super.init()
    }

    /// A rope: `left + right`, flattened on first read of its units.
    init(left: borrowing JSString, right: borrowing JSString, heap: borrowing Heap) {
        self.storage = nil
        self.count = left.count + right.count
        self.base = nil
        self.inlineWords = (JSString.word(left), JSString.word(right),
                            UInt64(UInt(bitPattern: Unmanaged.passUnretained(heap).toOpaque())))
        super.init()
    }

    @inline(__always) private static func word(_ s: JSString) -> UInt64 {
        UInt64(UInt(bitPattern: Unmanaged.passUnretained(s).toOpaque()))
    }

    @inline(__always) private static func cell(_ word: UInt64) -> JSString {
        Unmanaged<JSString>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(word))!).takeUnretainedValue()
    }

    /// `inlineWords`' address as code units (a stored property of a final class has a fixed
    /// address in the cell, so the pointer stays valid as long as the cell).
    @inline(__always) private static func unitPointer(_ words: UnsafeMutablePointer<(UInt64, UInt64, UInt64)>) -> UnsafeMutablePointer<UInt16> {
        UnsafeMutableRawPointer(words).assumingMemoryBound(to: UInt16.self)
    }

    /// The UTF-16 code units as an array (made on first use for a short string, and kept).
    /// Hot paths use `unitBuffer` or `withUnits`, which never allocate for a flat string.
    public var units: ContiguousArray<UInt16> {
        _read {
            if _slowPath(storage == nil) { makeStorage() }
            yield storage.unsafelyUnwrapped
        }
    }

    /// The code units in place (a rope is flattened first). The buffer is valid while this
    /// string is alive: only use it while the caller holds the string.
    public var unitBuffer: UnsafeBufferPointer<UInt16> {
        @inline(__always) get {
            if _slowPath(base == nil) { flatten() }
            return UnsafeBufferPointer(start: base, count: count)
        }
    }

    /// Calls `body` with the code units in place, without copying, allocating (except to
    /// flatten a rope) or retaining anything.
    @inline(__always)
    public func withUnits<R, E: Error>(_ body: (UnsafeBufferPointer<UInt16>) throws(E) -> R) throws(E) -> R {
        try body(unitBuffer)
    }

    var isRope: Bool { base == nil }

    @inline(never)
    private func makeStorage() {
        if base == nil { flatten() }
        if storage != nil { return }
        // A short string's array: the budget charged when the cell was made already counts
        // `count * 2` bytes of units, as it did when every string had one.
        storage = ContiguousArray(UnsafeBufferPointer(start: base, count: count))
    }

    /// Copies a rope's pieces into one buffer (ropes can be 100k levels deep).
    @inline(never)
    private func flatten() {
        let n = count
        var out = ContiguousArray<UInt16>(repeating: 0, count: n)
        out.withUnsafeMutableBufferPointer { buf in
            JSString.copyUnits(of: self, into: buf.baseAddress!, end: n, depth: 0)
        }
        let heap = Unmanaged<Heap>.fromOpaque(UnsafeRawPointer(bitPattern: UInt(inlineWords.2))!)
        inlineWords = (0, 0, 0)
        base = out.withUnsafeBufferPointer { $0.baseAddress }
        storage = out
        // The budget was checked when the rope was made (`Runtime.concat`); charge the copy now.
        heap._withUnsafeGuaranteedRef { $0.chargeUnchecked(count &* 2, to: self) }
    }

    /// Writes `node`'s units so they end at `out[end]`, walking left spines iteratively (what
    /// `s += piece` builds) and recursing into right halves a bounded number of levels.
    private static func copyUnits(of root: JSString, into out: UnsafeMutablePointer<UInt16>, end: Int, depth: Int) {
        unowned(unsafe) var node = root
        var end = end
        while true {
            if node.base == nil {
                unowned(unsafe) let r = cell(node.inlineWords.1)
                if let src = r.base {
                    if r.count > 0 { (out + (end &- r.count)).update(from: src, count: r.count) }
                } else if depth < 256 {
                    copyUnits(of: r, into: out, end: end, depth: depth &+ 1)
                } else {
                    copyUnitsWithStack(of: r, into: out, end: end)
                }
                end &-= r.count
                node = cell(node.inlineWords.0)
            } else {
                if node.count > 0 { (out + (end &- node.count)).update(from: node.base!, count: node.count) }
                return
            }
        }
    }

    /// The same copy with an explicit stack, for deeply right-nested ropes.
    private static func copyUnitsWithStack(of root: JSString, into out: UnsafeMutablePointer<UInt16>, end: Int) {
        var position = end &- root.count
        var stack: [Unmanaged<JSString>] = [Unmanaged.passUnretained(root)]
        while let next = stack.popLast() {
            unowned(unsafe) let node = next.takeUnretainedValue()
            if node.base == nil {
                stack.append(Unmanaged.passUnretained(cell(node.inlineWords.1)))
                stack.append(Unmanaged.passUnretained(cell(node.inlineWords.0)))
            } else {
                if node.count > 0 { (out + position).update(from: node.base!, count: node.count) }
                position &+= node.count
            }
        }
    }

    public override func visitChildren(_ marker: inout GCMarker) {
        if base == nil {
            marker.mark(JSString.cell(inlineWords.0))
            marker.mark(JSString.cell(inlineWords.1))
        }
    }

    /// The contents as a Swift string (lone surrogates become U+FFFD).
    public var swiftString: String {
        withUnits { buffer in
            // ASCII (the common case for keys and host data) is copied byte for byte; anything
            // else goes through the UTF-16 decoder, which is slow when called generically.
            var ascii = true
            for u in buffer where u >= 0x80 { ascii = false; break }
            if ascii {
                return String(unsafeUninitializedCapacity: buffer.count) { bytes in
                    for i in 0..<buffer.count { bytes[i] = UInt8(truncatingIfNeeded: buffer[i]) }
                    return buffer.count
                }
            }
            return String(decoding: buffer, as: UTF16.self)
        }
    }

    /// Content hash, cached.
    public var contentHash: Int {
        if cachedHash != 0 { return cachedHash }
        let r = JSString.hash(of: unitBuffer)
        cachedHash = r
        return r
    }

    /// The content hash of `units` (FNV-1a; never 0, so 0 can mean "not computed").
    @inline(__always)
    static func hash(of units: UnsafeBufferPointer<UInt16>) -> Int {
        var h: UInt64 = 0xcbf29ce484222325
        for u in units { h = (h ^ UInt64(u)) &* 0x100000001b3 }
        return Int(truncatingIfNeeded: h) | 1
    }

    /// True when this string's code units equal `other`.
    @inline(__always)
    func hasUnits(_ other: UnsafeBufferPointer<UInt16>) -> Bool {
        if count != other.count { return false }
        return count == 0 || memcmp(unitBuffer.baseAddress!, other.baseAddress!, count &* 2) == 0
    }

    @inline(__always) public func equals(_ other: JSString) -> Bool {
        if self === other { return true }
        if isAtom && other.isAtom { return false }
        if count != other.count { return false }
        return hasUnits(other.unitBuffer)
    }

    /// The canonical array index this string denotes ("0"…"4294967294"), or nil.
    public var arrayIndex: UInt32? {
        if cachedIndex == -2 { cachedIndex = JSString.parseArrayIndex(unitBuffer).map { Int64($0) } ?? -1 }
        return cachedIndex >= 0 ? UInt32(cachedIndex) : nil
    }

    static func parseArrayIndex<C: Collection>(_ u: C) -> UInt32? where C.Element == UInt16 {
        let n = u.count
        if n == 0 || n > 10 { return nil }
        var first = true
        var v: UInt64 = 0
        for c in u {
            guard c >= 48 && c <= 57 else { return nil }
            if first && c == 48 && n > 1 { return nil }
            first = false
            v = v * 10 + UInt64(c - 48)
        }
        return v < 4294967295 ? UInt32(v) : nil
    }
}

/// Hash key for interning strings by content.
struct StringContentKey: Hashable {
    let string: JSString
    func hash(into h: inout Hasher) { h.combine(string.contentHash) }
    static func == (a: StringContentKey, b: StringContentKey) -> Bool { a.string.equals(b.string) }
}

/// A `Symbol` value.
public final class JSSymbol: HeapCell {
    /// nil for `Symbol()` without a description.
    public let descriptionValue: JSString?
    /// The key for `Symbol.for` registrations.
    let registryKey: JSString?

    init(description: JSString?, registryKey: JSString? = nil) {
        self.descriptionValue = description
        self.registryKey = registryKey
    }

    public var descriptionString: String? { descriptionValue?.swiftString }

    public override func visitChildren(_ marker: inout GCMarker) {
        marker.mark(descriptionValue)
        marker.mark(registryKey)
    }
}
