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
public final class JSString: HeapCell {
    /// The code units; empty while this string is an unflattened rope.
    @exclusivity(unchecked) private var storage: ContiguousArray<UInt16>
    /// Rope halves (concatenation results are built lazily; see `Runtime.concat`). Both nil once flat.
    @exclusivity(unchecked) private unowned(unsafe) var ropeLeft: JSString?
    @exclusivity(unchecked) private unowned(unsafe) var ropeRight: JSString?
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

    init(units: ContiguousArray<UInt16>) {
        self.storage = units
        self.count = units.count
    }

    /// The heap to charge when a rope is flattened.
    @exclusivity(unchecked) private unowned(unsafe) var ropeHeap: Heap?

    /// A rope: `left + right`, flattened on first access to `units`.
    init(left: JSString, right: JSString, heap: Heap) {
        self.storage = []
        self.count = left.count + right.count
        self.ropeLeft = left
        self.ropeRight = right
        self.ropeHeap = heap
    }

    /// The UTF-16 code units.
    public var units: ContiguousArray<UInt16> {
        _read {
            if ropeLeft != nil { flatten() }
            yield storage
        }
    }

    var isRope: Bool { ropeLeft != nil }

    /// Copies a rope's pieces into one buffer (ropes can be 100k levels deep).
    private func flatten() {
        let n = count
        var out = ContiguousArray<UInt16>(repeating: 0, count: n)
        out.withUnsafeMutableBufferPointer { buf in
            JSString.copyUnits(of: self, into: buf.baseAddress!, end: n, depth: 0)
        }
        storage = out
        ropeLeft = nil
        ropeRight = nil
        // The budget was checked when the rope was made (`Runtime.concat`); charge the copy now.
        ropeHeap?.chargeUnchecked(count &* 2, to: self)
        ropeHeap = nil
    }

    /// Writes `node`'s units so they end at `out[end]`, walking left spines iteratively (what
    /// `s += piece` builds) and recursing into right halves a bounded number of levels.
    private static func copyUnits(of root: JSString, into out: UnsafeMutablePointer<UInt16>, end: Int, depth: Int) {
        unowned(unsafe) var node = root
        var end = end
        while true {
            if let l = node.ropeLeft, let r = node.ropeRight {
                if r.ropeLeft == nil {
                    r.storage.withUnsafeBufferPointer { src in
                        if src.count > 0 { (out + (end &- src.count)).update(from: src.baseAddress!, count: src.count) }
                    }
                } else if depth < 256 {
                    copyUnits(of: r, into: out, end: end, depth: depth &+ 1)
                } else {
                    copyUnitsWithStack(of: r, into: out, end: end)
                }
                end &-= r.count
                node = l
            } else {
                node.storage.withUnsafeBufferPointer { src in
                    if src.count > 0 { (out + (end &- src.count)).update(from: src.baseAddress!, count: src.count) }
                }
                return
            }
        }
    }

    /// The same copy with an explicit stack, for deeply right-nested ropes.
    private static func copyUnitsWithStack(of root: JSString, into out: UnsafeMutablePointer<UInt16>, end: Int) {
        var position = end &- root.count
        var stack: [JSString] = [root]
        while let node = stack.popLast() {
            if let l = node.ropeLeft, let r = node.ropeRight {
                stack.append(r)
                stack.append(l)
            } else {
                node.storage.withUnsafeBufferPointer { src in
                    if src.count > 0 { (out + position).update(from: src.baseAddress!, count: src.count) }
                }
                position &+= node.count
            }
        }
    }

    public override func visitChildren(_ marker: inout GCMarker) {
        marker.mark(ropeLeft)
        marker.mark(ropeRight)
    }

    /// The contents as a Swift string (lone surrogates become U+FFFD).
    public var swiftString: String {
        units.withUnsafeBufferPointer { buffer in
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
        let r = units.withUnsafeBufferPointer { JSString.hash(of: $0) }
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
        return units.withUnsafeBufferPointer { mine in
            count == 0 || memcmp(mine.baseAddress!, other.baseAddress!, count &* 2) == 0
        }
    }

    @inline(__always) public func equals(_ other: JSString) -> Bool {
        if self === other { return true }
        if isAtom && other.isAtom { return false }
        if count != other.count { return false }
        return other.units.withUnsafeBufferPointer { hasUnits($0) }
    }

    /// The canonical array index this string denotes ("0"…"4294967294"), or nil.
    public var arrayIndex: UInt32? {
        if cachedIndex == -2 { cachedIndex = JSString.parseArrayIndex(units).map { Int64($0) } ?? -1 }
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
    static func == (a: StringContentKey, b: StringContentKey) -> Bool { a.string.units == b.string.units }
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
