/// A hidden class: the ordered list of an object's own named properties and their attributes.
///
/// Objects built the same way share a `Shape` through the transition tree, so an inline cache can
/// test one pointer-sized id and load a slot directly. An object whose properties are deleted,
/// reconfigured, or grow past `maxTransitionProperties` gets a private *dictionary* shape that it
/// mutates in place (tombstones mark deleted entries; slot index == entry index).
public final class Shape {
    /// Unique per shape layout in its runtime; inline caches compare these. Dictionary shapes take
    /// a fresh id on every change, so a cached (id, slot) pair is never stale.
    @exclusivity(unchecked) public internal(set) var id: UInt32
    public let isDictionary: Bool
    @exclusivity(unchecked) public private(set) var keys: ContiguousArray<PropertyKey>
    @exclusivity(unchecked) public private(set) var attributes: ContiguousArray<PropertyAttributes>
    @exclusivity(unchecked) var table: PropertyTable
    @exclusivity(unchecked) var transitions: [TransitionKey: Shape] = [:]
    /// The transition taken last (also in `transitions`): objects built the same way again take
    /// the same one, found without hashing. `lastTransitionKey` is a `PropertyKey.raw` (never 0).
    @exclusivity(unchecked) var lastTransitionKey: UInt64 = 0
    @exclusivity(unchecked) var lastTransitionAttributes = PropertyAttributes()
    @exclusivity(unchecked) var lastTransition: Shape?
    /// True once an array-index key was added (conservative: never reset). Element fast paths
    /// check that prototypes have none.
    @exclusivity(unchecked) var hasIndexKeys = false
    /// Dictionary shapes: number of tombstones in `keys`.
    @exclusivity(unchecked) var deletedCount = 0

    static let maxTransitionProperties = 128

    struct TransitionKey: Hashable {
        let key: PropertyKey
        let attributes: PropertyAttributes
    }

    init(id: UInt32, isDictionary: Bool, keys: ContiguousArray<PropertyKey> = [],
         attributes: ContiguousArray<PropertyAttributes> = [], table: consuming PropertyTable = PropertyTable()) {
        self.id = id
        self.isDictionary = isDictionary
        self.keys = keys
        self.attributes = attributes
        self.table = table
    }

    @inline(__always) func rememberTransition(_ key: PropertyKey, _ attrs: PropertyAttributes, _ next: Shape) {
        lastTransitionKey = key.raw
        lastTransitionAttributes = attrs
        lastTransition = next
    }

    /// Number of slots an object of this shape uses (tombstones included).
    @inline(__always) public var slotCount: Int { keys.count }
    /// Number of live properties.
    public var propertyCount: Int { keys.count - deletedCount }

    @inline(__always) public func lookup(_ key: PropertyKey) -> Int? {
        table.lookup(key)
    }

    /// The slot and attributes of `key`, or nil (one table probe, no read of `attributes`).
    @inline(__always) func find(_ key: PropertyKey) -> PropertyTable.Found? {
        table.find(key)
    }

    // MARK: Dictionary-mode mutation (only on a shape owned by a single object)

    func dictionaryAppend(_ key: PropertyKey, _ attrs: PropertyAttributes) -> Int {
        let slot = keys.count
        if key.isIndex { hasIndexKeys = true }
        keys.append(key)
        attributes.append(attrs)
        table.insert(key, slot: slot, attributes: attrs)
        return slot
    }

    func dictionaryRemove(_ key: PropertyKey) -> Int? {
        guard let slot = table.remove(key) else { return nil }
        keys[slot] = .tombstone
        attributes[slot] = []
        deletedCount += 1
        return slot
    }

    func dictionarySetAttributes(_ slot: Int, _ attrs: PropertyAttributes) {
        attributes[slot] = attrs
        table.setAttributes(keys[slot], attrs)
    }

    /// Rebuilds without tombstones; returns the old slot index for each new slot.
    func dictionaryCompact() -> [Int] {
        var newKeys = ContiguousArray<PropertyKey>()
        var newAttrs = ContiguousArray<PropertyAttributes>()
        var mapping: [Int] = []
        newKeys.reserveCapacity(propertyCount)
        table.removeAll(minimumCount: propertyCount)
        for (i, k) in keys.enumerated() where k != .tombstone {
            table.insert(k, slot: newKeys.count, attributes: attributes[i])
            newKeys.append(k)
            newAttrs.append(attributes[i])
            mapping.append(i)
        }
        keys = newKeys
        attributes = newAttrs
        deletedCount = 0
        return mapping
    }
}

/// Creates shapes and hands out ids. One per runtime.
final class ShapeTable {
    private var nextID: UInt32 = 1
    /// The empty root shape all ordinary objects start from.
    private(set) var root: Shape!

    init() {
        root = Shape(id: takeID(), isDictionary: false)
    }

    func takeID() -> UInt32 {
        let id = nextID
        nextID &+= 1
        return id
    }

    /// The shape after adding `key` with `attrs` to `shape` (a non-dictionary shape), or nil when
    /// the object should switch to dictionary mode instead.
    func transition(from shape: Shape, adding key: PropertyKey, _ attrs: PropertyAttributes) -> Shape? {
        if shape.lastTransitionKey == key.raw && shape.lastTransitionAttributes == attrs, let next = shape.lastTransition {
            return next
        }
        let tk = Shape.TransitionKey(key: key, attributes: attrs)
        if let next = shape.transitions[tk] {
            shape.rememberTransition(key, attrs, next)
            return next
        }
        if shape.keys.count >= Shape.maxTransitionProperties { return nil }
        var keys = shape.keys
        keys.append(key)
        var attributes = shape.attributes
        attributes.append(attrs)
        var table = shape.table.copy()
        table.insert(key, slot: keys.count - 1, attributes: attrs)
        let next = Shape(id: takeID(), isDictionary: false, keys: keys, attributes: attributes, table: table)
        shape.transitions[tk] = next
        shape.rememberTransition(key, attrs, next)
        return next
    }

    /// A private, mutable copy of `shape` for one object.
    func makeDictionary(from shape: Shape) -> Shape {
        Shape(id: takeID(), isDictionary: true, keys: shape.keys, attributes: shape.attributes, table: shape.table.copy())
    }

    /// Gives a changed dictionary shape a fresh id (invalidates inline caches keyed on the old one).
    func renew(_ shape: Shape) {
        shape.id = takeID()
    }
}
