// Map, Set, %MapIteratorPrototype%, %SetIteratorPrototype%.
//
// A Map or Set keeps an `OrderedTable` in `internalStorage`: entries in insertion order (deleted
// ones become tombstones) plus a hash index from key to entry position. Every entry carries a
// sequence number that only grows, so an iterator remembers "the next sequence number to visit"
// and stays valid across deletions, compaction and `clear()`, as the spec requires.

/// The ordered hash table behind a Map or a Set.
///
/// Keys compare by SameValueZero: numbers are normalised on the way in (-0 becomes +0, every NaN
/// the same NaN) so equal numbers have equal bits; strings compare by content; everything else by
/// identity. Collisions chain through `Entry.chain` (indices into `entries`), so lookups touch no
/// reference counts.
final class OrderedTable: GCTraceable {
    struct Entry {
        /// `.hole` once deleted (the entry stays in its chain until compaction).
        var key: Value
        var value: Value
        let seq: Int
        let hash: UInt32
        var chain: Int32
    }

    var entries: ContiguousArray<Entry> = []
    /// Chain heads by `hash & (buckets.count - 1)`; -1 for none.
    private var buckets: ContiguousArray<Int32> = ContiguousArray(repeating: -1, count: 8)
    var nextSeq = 0
    var liveCount = 0
    var deletedCount = 0

    static let bytesPerEntry = 48

    func trace(_ marker: inout GCMarker) {
        for e in entries {
            marker.mark(e.key)
            marker.mark(e.value)
        }
    }

    /// The key as stored: SameValueZero-equal numbers get identical bits.
    @inline(__always) static func normalize(_ key: Value) -> Value {
        if key.isNumber {
            let d = key.number
            if d == 0 { return Value(0.0) }
            if d.isNaN { return Value(Double.nan) }
        }
        return key
    }

    @inline(__always) static func hash(_ k: Value) -> UInt32 {
        if k.isString { return UInt32(truncatingIfNeeded: k.string.contentHash) }
        var x = k.bits
        x ^= x >> 33
        x &*= 0xff51afd7ed558ccd
        x ^= x >> 33
        x &*= 0xc4ceb9fe1a85ec53
        x ^= x >> 33
        return UInt32(truncatingIfNeeded: x)
    }

    @inline(__always) static func equal(_ a: Value, _ b: Value) -> Bool {
        if a.bits == b.bits { return true }
        return a.isString && b.isString && a.string.units == b.string.units
    }

    /// The entry index of `key`, or nil.
    @inline(__always) func find(_ key: Value) -> Int? {
        let k = OrderedTable.normalize(key)
        let h = OrderedTable.hash(k)
        var i = Int(buckets[Int(h) & (buckets.count - 1)])
        while i >= 0 {
            let e = entries[i]
            if e.hash == h && OrderedTable.equal(e.key, k) { return i }
            i = Int(e.chain)
        }
        return nil
    }

    func get(_ key: Value) -> Value? {
        guard let i = find(key) else { return nil }
        return entries[i].value
    }

    /// Inserts or updates; returns true when a new entry was added.
    @discardableResult
    func set(_ key: Value, _ value: Value) -> Bool {
        let k = OrderedTable.normalize(key)
        let h = OrderedTable.hash(k)
        let b = Int(h) & (buckets.count - 1)
        var i = Int(buckets[b])
        while i >= 0 {
            if entries[i].hash == h && OrderedTable.equal(entries[i].key, k) {
                entries[i].value = value
                return false
            }
            i = Int(entries[i].chain)
        }
        entries.append(Entry(key: k, value: value, seq: nextSeq, hash: h, chain: buckets[b]))
        buckets[b] = Int32(entries.count - 1)
        nextSeq += 1
        liveCount += 1
        if entries.count > buckets.count * 2 { rebuild(bucketCount: buckets.count * 2) }
        return true
    }

    /// Removes `key`; returns true if it was present.
    func remove(_ key: Value) -> Bool {
        guard let i = find(key) else { return false }
        entries[i].key = .hole
        entries[i].value = .undefined
        liveCount -= 1
        deletedCount += 1
        if deletedCount > 16 && deletedCount * 2 > entries.count { compact() }
        return true
    }

    func clear() {
        entries.removeAll()
        buckets = ContiguousArray(repeating: -1, count: 8)
        deletedCount = 0
        liveCount = 0
    }

    private func compact() {
        var fresh = ContiguousArray<Entry>()
        fresh.reserveCapacity(liveCount)
        for e in entries where !e.key.isHole { fresh.append(e) }
        entries = fresh
        deletedCount = 0
        var n = 8
        while n * 2 < entries.count { n *= 2 }
        rebuild(bucketCount: n)
    }

    /// Recomputes the chains for `bucketCount` buckets (a power of two).
    private func rebuild(bucketCount: Int) {
        buckets = ContiguousArray(repeating: -1, count: bucketCount)
        let mask = bucketCount - 1
        for i in 0..<entries.count {
            let b = Int(entries[i].hash) & mask
            entries[i].chain = buckets[b]
            buckets[b] = Int32(i)
        }
    }

    /// The position of the first live entry whose sequence number is >= `seq`, starting the
    /// search at `hint`; nil when there is none.
    func position(fromSeq seq: Int, hint: Int) -> Int? {
        var i: Int
        if hint < entries.count && entries[hint].seq >= seq && (hint == 0 || entries[hint - 1].seq < seq) {
            i = hint
        } else if hint >= entries.count && (entries.isEmpty || entries[entries.count - 1].seq < seq) {
            return nil
        } else {
            // Binary search: sequence numbers increase along `entries`.
            var lo = 0, hi = entries.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if entries[mid].seq < seq { lo = mid + 1 } else { hi = mid }
            }
            i = lo
        }
        while i < entries.count && entries[i].key.isHole { i += 1 }
        return i < entries.count ? i : nil
    }
}

extension Runtime {
    func installMapSetBuiltins() throws(VMError) {
        try installMap()
        try installSet()
    }

    // MARK: Map

    private func installMap() throws(VMError) {
        let mp = intrinsics.mapPrototype!
        let ctor = try defineConstructor("Map", length: 0, prototype: mp) { rt, _, args throws(VMError) in
            guard args.isConstructCall else { throw rt.typeError("Constructor Map requires 'new'") }
            let proto = try rt.prototypeFromConstructor(args.newTarget, fallback: rt.intrinsics.mapPrototype)
            let map = try rt.newObject(kind: .map, prototype: proto)
            map.internalStorage = OrderedTable()
            let iterable = args[0]
            if iterable.isNullish { return Value(map) }
            let m = rt.pushTemporaryRoot(Value(map))
            defer { rt.popTemporaryRoots(to: m) }
            let adder = try rt.get(map, rt.names.set)
            guard let adderFn = adder.asFunction else { throw rt.typeError("'\(rt.describeForError(adder))' returned for property 'set' of object '#<Map>' is not callable") }
            let intrinsicSet = adderFn === rt.intrinsics[.mapPrototypeSet]
            try rt.forEachIterated(iterable) { (entry) throws(VMError) in
                guard entry.isObject else {
                    throw rt.typeError("Iterator value \(rt.describeForError(entry)) is not an entry object")
                }
                let k = try rt.get(entry.object, PropertyKey(index: 0))
                let m2 = rt.pushTemporaryRoot(k)
                defer { rt.popTemporaryRoots(to: m2) }
                let v = try rt.get(entry.object, PropertyKey(index: 1))
                if intrinsicSet {
                    try rt.tableInsert(map, k, v)
                } else {
                    _ = try rt.call2(adderFn, Value(map), k, v)
                }
            }
            return Value(map)
        }
        intrinsics.mapConstructor = ctor
        try defineGetter(ctor, PropertyKey(symbol: wellKnownSymbols.species), name: "[Symbol.species]") {
            _, this, _ throws(VMError) in this
        }
        try defineMethod(ctor, "groupBy", 2) { rt, _, args throws(VMError) in
            let map = try rt.newObject(kind: .map, prototype: rt.intrinsics.mapPrototype)
            let table = OrderedTable()
            map.internalStorage = table
            let m = rt.pushTemporaryRoot(Value(map))
            defer { rt.popTemporaryRoots(to: m) }
            try rt.groupBy(args[0], args[1]) { (kv, v) throws(VMError) in
                let key = OrderedTable.normalize(kv)
                if let list = table.get(key) {
                    let arr = list.object
                    try rt.heap.charge(8, to: arr)
                    arr.elements.append(v)
                    arr.arrayLength += 1
                } else {
                    let arr = try rt.newArray([v])
                    try rt.tableInsert(map, key, Value(arr))
                }
            }
            return Value(map)
        }

        try defineMethod(mp, "clear", 0) { rt, this, _ throws(VMError) in
            let (_, t) = try rt.thisTable(this, .map, "Map.prototype.clear")
            t.clear()
            return .undefined
        }
        try defineMethod(mp, "delete", 1) { rt, this, args throws(VMError) in
            let (_, t) = try rt.thisTable(this, .map, "Map.prototype.delete")
            return Value(t.remove(args[0]))
        }
        let entries = try defineMethod(mp, "entries", 0) { rt, this, _ throws(VMError) in
            let (o, _) = try rt.thisTable(this, .map, "Map.prototype.entries")
            return try rt.createTableIterator(o, .map, .entries)
        }
        try defineMethod(mp, "forEach", 1) { rt, this, args throws(VMError) in
            let (o, t) = try rt.thisTable(this, .map, "Map.prototype.forEach")
            let f = try rt.callbackArgument(args[0], "Map.prototype.forEach")
            var seq = 0
            var hint = 0
            while let i = t.position(fromSeq: seq, hint: hint) {
                try rt.charge(1)
                let e = t.entries[i]
                seq = e.seq + 1
                hint = i + 1
                _ = try rt.call3(f, args[1], e.value, e.key, Value(o))
            }
            return .undefined
        }
        try defineMethod(mp, "get", 1) { rt, this, args throws(VMError) in
            let (_, t) = try rt.thisTable(this, .map, "Map.prototype.get")
            return t.get(args[0]) ?? .undefined
        }
        try defineMethod(mp, "has", 1) { rt, this, args throws(VMError) in
            let (_, t) = try rt.thisTable(this, .map, "Map.prototype.has")
            return Value(t.find(args[0]) != nil)
        }
        try defineMethod(mp, "keys", 0) { rt, this, _ throws(VMError) in
            let (o, _) = try rt.thisTable(this, .map, "Map.prototype.keys")
            return try rt.createTableIterator(o, .map, .keys)
        }
        let setFn = try defineMethod(mp, "set", 2) { rt, this, args throws(VMError) in
            let (o, _) = try rt.thisTable(this, .map, "Map.prototype.set")
            try rt.tableInsert(o, args[0], args[1])
            return this
        }
        intrinsics[.mapPrototypeSet] = setFn
        try defineGetter(mp, key("size"), name: "size") { rt, this, _ throws(VMError) in
            let (_, t) = try rt.thisTable(this, .map, "get Map.prototype.size")
            return Value(Double(t.liveCount))
        }
        try defineMethod(mp, "values", 0) { rt, this, _ throws(VMError) in
            let (o, _) = try rt.thisTable(this, .map, "Map.prototype.values")
            return try rt.createTableIterator(o, .map, .values)
        }
        try defineDataProperty(mp, PropertyKey(symbol: wellKnownSymbols.iterator), Value(entries), .hidden)
        try defineDataProperty(mp, PropertyKey(symbol: wellKnownSymbols.toStringTag), Value(intern("Map")), [.configurable])

        let mip = intrinsics.mapIteratorPrototype!
        try defineMethod(mip, "next", 0) { rt, this, _ throws(VMError) in
            try rt.tableIteratorNext(this, .map)
        }
        try defineDataProperty(mip, PropertyKey(symbol: wellKnownSymbols.toStringTag),
                               Value(intern("Map Iterator")), [.configurable])
    }

    // MARK: Set

    private func installSet() throws(VMError) {
        let sp = intrinsics.setPrototype!
        let ctor = try defineConstructor("Set", length: 0, prototype: sp) { rt, _, args throws(VMError) in
            guard args.isConstructCall else { throw rt.typeError("Constructor Set requires 'new'") }
            let proto = try rt.prototypeFromConstructor(args.newTarget, fallback: rt.intrinsics.setPrototype)
            let set = try rt.newObject(kind: .set, prototype: proto)
            set.internalStorage = OrderedTable()
            let iterable = args[0]
            if iterable.isNullish { return Value(set) }
            let m = rt.pushTemporaryRoot(Value(set))
            defer { rt.popTemporaryRoots(to: m) }
            let adder = try rt.get(set, rt.key("add"))
            guard let adderFn = adder.asFunction else { throw rt.typeError("'\(rt.describeForError(adder))' returned for property 'add' of object '#<Set>' is not callable") }
            if adderFn === rt.intrinsics[.setPrototypeAdd] && rt.hasDefaultArrayIteration(iterable) {
                let src = iterable.object
                var i = 0
                while i < Int(src.arrayLength) {
                    try rt.charge(1)
                    try rt.tableInsert(set, try rt.getIndex(src, i), .undefined)
                    i += 1
                }
                return Value(set)
            }
            try rt.forEachIterated(iterable) { (v) throws(VMError) in
                _ = try rt.call(Value(adderFn), this: Value(set), arguments: [v])
            }
            return Value(set)
        }
        intrinsics.setConstructor = ctor
        try defineGetter(ctor, PropertyKey(symbol: wellKnownSymbols.species), name: "[Symbol.species]") {
            _, this, _ throws(VMError) in this
        }
        let addFn = try defineMethod(sp, "add", 1) { rt, this, args throws(VMError) in
            let (o, _) = try rt.thisTable(this, .set, "Set.prototype.add")
            try rt.tableInsert(o, args[0], .undefined)
            return this
        }
        intrinsics[.setPrototypeAdd] = addFn
        try defineMethod(sp, "clear", 0) { rt, this, _ throws(VMError) in
            let (_, t) = try rt.thisTable(this, .set, "Set.prototype.clear")
            t.clear()
            return .undefined
        }
        try defineMethod(sp, "delete", 1) { rt, this, args throws(VMError) in
            let (_, t) = try rt.thisTable(this, .set, "Set.prototype.delete")
            return Value(t.remove(args[0]))
        }
        try defineMethod(sp, "entries", 0) { rt, this, _ throws(VMError) in
            let (o, _) = try rt.thisTable(this, .set, "Set.prototype.entries")
            return try rt.createTableIterator(o, .set, .entries)
        }
        try defineMethod(sp, "forEach", 1) { rt, this, args throws(VMError) in
            let (o, t) = try rt.thisTable(this, .set, "Set.prototype.forEach")
            let f = try rt.callbackArgument(args[0], "Set.prototype.forEach")
            var seq = 0
            var hint = 0
            while let i = t.position(fromSeq: seq, hint: hint) {
                try rt.charge(1)
                let e = t.entries[i]
                seq = e.seq + 1
                hint = i + 1
                _ = try rt.call3(f, args[1], e.key, e.key, Value(o))
            }
            return .undefined
        }
        try defineMethod(sp, "has", 1) { rt, this, args throws(VMError) in
            let (_, t) = try rt.thisTable(this, .set, "Set.prototype.has")
            return Value(t.find(args[0]) != nil)
        }
        try defineGetter(sp, key("size"), name: "size") { rt, this, _ throws(VMError) in
            let (_, t) = try rt.thisTable(this, .set, "get Set.prototype.size")
            return Value(Double(t.liveCount))
        }
        let values = try defineMethod(sp, "values", 0) { rt, this, _ throws(VMError) in
            let (o, _) = try rt.thisTable(this, .set, "Set.prototype.values")
            return try rt.createTableIterator(o, .set, .values)
        }
        try defineDataProperty(sp, key("keys"), Value(values), .hidden)
        try defineDataProperty(sp, PropertyKey(symbol: wellKnownSymbols.iterator), Value(values), .hidden)
        try defineDataProperty(sp, PropertyKey(symbol: wellKnownSymbols.toStringTag), Value(intern("Set")), [.configurable])

        let sip = intrinsics.setIteratorPrototype!
        try defineMethod(sip, "next", 0) { rt, this, _ throws(VMError) in
            try rt.tableIteratorNext(this, .set)
        }
        try defineDataProperty(sip, PropertyKey(symbol: wellKnownSymbols.toStringTag),
                               Value(intern("Set Iterator")), [.configurable])
    }

    // MARK: Shared

    /// The receiver as a Map (or Set) and its table, or a TypeError.
    @inline(__always)
    func thisTable(_ this: Value, _ kind: ObjectKind, _ method: String) throws(VMError) -> (JSObject, OrderedTable) {
        if this.isObject {
            let o = this.object
            if o.kind == kind, let storage = o.internalStorage {
                return (o, unsafeDowncast(storage as AnyObject, to: OrderedTable.self))
            }
        }
        throw typeError("Method \(method) called on incompatible receiver \(describeForError(this))")
    }

    /// Adds or updates an entry, charging the heap for a new one.
    func tableInsert(_ o: JSObject, _ key: Value, _ value: Value) throws(VMError) {
        let t = unsafeDowncast(o.internalStorage! as AnyObject, to: OrderedTable.self)
        if t.set(key, value) { try heap.charge(OrderedTable.bytesPerEntry, to: o) }
    }

    func createTableIterator(_ o: JSObject, _ family: IteratorFamily, _ kind: IterationKind) throws(VMError) -> Value {
        let proto = family == .map ? intrinsics.mapIteratorPrototype : intrinsics.setIteratorPrototype
        let it = try newObject(kind: .iterator, prototype: proto)
        it.primitiveValue = Value(o)
        it.internalStorage = BuiltinIteratorState(family: family, kind: kind)
        it.internalIndex = 0
        return Value(it)
    }

    /// %MapIteratorPrototype%.next / %SetIteratorPrototype%.next.
    func tableIteratorNext(_ this: Value, _ family: IteratorFamily) throws(VMError) -> Value {
        guard this.isObject, let state = this.object.iteratorState(family) else {
            throw typeError("next method called on incompatible receiver \(describeForError(this))")
        }
        let it = this.object
        guard it.primitiveValue.isObject, let storage = it.primitiveValue.object.internalStorage else {
            return try iterResult(.undefined, done: true)
        }
        let t = unsafeDowncast(storage as AnyObject, to: OrderedTable.self)
        guard let i = t.position(fromSeq: it.internalIndex, hint: state.hint) else {
            it.primitiveValue = .undefined
            return try iterResult(.undefined, done: true)
        }
        let e = t.entries[i]
        it.internalIndex = e.seq + 1
        state.hint = i + 1
        switch state.kind {
        case .keys: return try iterResult(e.key, done: false)
        case .values: return try iterResult(family == .map ? e.value : e.key, done: false)
        case .entries:
            let pair = try newArray([e.key, family == .map ? e.value : e.key])
            return try iterResult(Value(pair), done: false)
        }
    }
}
