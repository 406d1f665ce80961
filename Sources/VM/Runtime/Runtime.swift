import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// One isolated JavaScript world: a heap, the builtins, a global object, and the execution state.
///
/// A `Runtime` is confined to one thread at a time. Compiled programs are shared between runtimes;
/// values are not (they live in one runtime's heap). `cancel()` is the only method that may be
/// called from another thread.
public final class Runtime {
    public let heap = Heap()
    let shapes = ShapeTable()
    /// Interned strings by content.
    let atoms = AtomTable()
    var symbolRegistry: [StringContentKey: JSSymbol] = [:]
    // Set once during init and read everywhere: no exclusivity checks (each costs a runtime call).
    @exclusivity(unchecked) public internal(set) var intrinsics: Intrinsics!
    @exclusivity(unchecked) public internal(set) var globalObject: JSObject!
    @exclusivity(unchecked) public internal(set) var names: CommonNames!
    @exclusivity(unchecked) public internal(set) var wellKnownSymbols: WellKnownSymbols!

    // MARK: Execution state shared with the interpreter

    /// The register file: frames are windows into it. GC roots are `registers[0..<registerTop]`.
    public let registers: UnsafeMutablePointer<Value>
    public let registerCapacity: Int
    /// One past the highest register in use by any live frame.
    @exclusivity(unchecked) public var registerTop: Int = 0
    /// Values native code holds across calls into script code (see `withTemporaryRoots`).
    @exclusivity(unchecked) var temporaryRoots: [Value] = []
    /// Values that live as long as the runtime (tagged-template objects cached per call site).
    @exclusivity(unchecked) var permanentRoots: [Value] = []
    /// Extra root sets the interpreter or host registers (e.g. pending exception values).
    @exclusivity(unchecked) public var extraRoots: [Value] = []
    /// Current depth of nested calls (script and native).
    @exclusivity(unchecked) public var callDepth: Int = 0
    /// Per-run limits and counters.
    @exclusivity(unchecked) public var budget = Budget()
    let cancelFlag = Atomic<Bool>(false)
    /// Bumped whenever an accessor or read-only property appears, a prototype changes, or an object
    /// stops being extensible: cached property-add transitions are valid only within one epoch.
    @exclusivity(unchecked) public internal(set) var accessorEpoch: UInt32 = 0
    /// Per-runtime state of compiled functions (constants, inline caches), by code identity.
    var codeBlocks: [ObjectIdentifier: CodeBlock] = [:]
    /// The call stack of script frames (GC roots: functions, environments, saved arguments).
    @exclusivity(unchecked) var frames = FrameStack()
    /// All arguments of frames that use `arguments` or a rest parameter (see `Frame.savedArgumentsIndex`).
    @exclusivity(unchecked) var savedArguments: ContiguousArray<[Value]> = []
    /// True while the realm's builtins are being installed: their many-property objects then go
    /// straight to dictionary mode instead of growing a transition chain (a new shape per method).
    var installingBuiltins = false
    /// `intrinsics.objectPrototype` and `functionPrototype`, read on hot allocation paths (object
    /// literals, closures) without unwrapping two optionals and retaining (they live as long as
    /// the runtime: the intrinsics are roots).
    @exclusivity(unchecked) unowned(unsafe) var hotObjectPrototype: JSObject? = nil
    @exclusivity(unchecked) unowned(unsafe) var hotFunctionPrototype: JSObject? = nil
    /// `globalObject` as a value (sloppy-mode `this`) and as a raw pointer (global inline caches).
    @exclusivity(unchecked) var globalObjectValue: Value = .undefined
    @exclusivity(unchecked) var globalObjectPointer: UnsafeMutableRawPointer? = nil
    /// The shape of native functions: `length` then `name`, both configurable only.
    var nativeFunctionShape: Shape?
    /// The atom `'key' + n` last returned (see `shortConcat`), known not to be an array index:
    /// `key(_:)` turns it into a property key without reading its cell, which is usually cold
    /// in a big hash map. Atoms live as long as the runtime, so the pointer never dangles.
    @exclusivity(unchecked) var recentKeyAtom: UnsafeMutableRawPointer? = nil
    /// Heap bytes in use when the current run started.
    var runStartBytes = 0
    /// Where thrown error objects were thrown (filled by the interpreter), for host reports.
    public var errorLocations: [ObjectIdentifier: (file: String, line: Int, column: Int)] = [:]
    /// Where the last uncaught throw happened (any value), for host reports.
    public var lastThrowLocation: (file: String, line: Int, column: Int)?
    /// Work charged by builtins since the last full budget check.
    @exclusivity(unchecked) var chargeTicks = 0
    /// Host data the embedder attaches (e.g. the request being served).
    public var hostData: AnyObject?
    /// The builtins' state recorded by `recordPristineState` (runtime reuse).
    var pristine: PristineState?
    /// When set, called as each error is made to describe the current call stack ("    at f
    /// (file:3:5)" lines), and the error's `stack` is built at once. When nil (the default), the
    /// interpreter captures the frames and `stack` is formatted only if it is read.
    public var stackTraceProvider: ((Runtime) -> String)?
    /// Output of `console.log`/`print` when the host does not replace them.
    public var printHandler: (String) -> Void = { print($0) }

    /// Creates a runtime with all builtins installed.
    /// - Parameter registerCapacity: size of the register file in values (bounds recursion depth × frame size).
    public init(registerCapacity: Int = 1 << 18) {
        self.registerCapacity = registerCapacity
        // Anonymous pages are zeroed by the kernel on first touch, so an unused register file
        // costs nothing (writing `.undefined` into all of it cost a 2 MB fill per runtime, and
        // calloc reuses freed heap memory, so it fills too). Zero bits are the
        // number 0, a valid value; frames initialise their registers before reading them.
        let raw = mmap(nil, registerCapacity * MemoryLayout<Value>.stride, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let raw, raw != MAP_FAILED else { fatalError("cannot map the register file") }
        registers = raw.bindMemory(to: Value.self, capacity: registerCapacity)
        names = CommonNames(self)
        wellKnownSymbols = WellKnownSymbols(self)
        installingBuiltins = true
        setUpIntrinsics()
        hotObjectPrototype = intrinsics.objectPrototype
        hotFunctionPrototype = intrinsics.functionPrototype
        globalObjectValue = Value(globalObject)
        globalObjectPointer = Unmanaged.passUnretained(globalObject).toOpaque()
        installingBuiltins = false
        heap.baselineBytes = heap.usedBytes
        heap.nextCollectionAt = heap.usedBytes + (4 << 20)
    }

    deinit {
        frames.deallocate()
        munmap(registers, registerCapacity * MemoryLayout<Value>.stride)
    }

    /// Asks a running script to stop; it ends with `VMError.terminated(.cancelled)`. Thread-safe.
    public func cancel() { cancelFlag.store(true, ordering: .relaxed) }
    var isCancelled: Bool { cancelFlag.load(ordering: .relaxed) }
    func clearCancel() { cancelFlag.store(false, ordering: .relaxed) }

    // MARK: Garbage collection

    /// Collects if an allocation asked for it. Call only at safe points: every live value must be
    /// reachable from the registers below `registerTop`, the global object, or registered roots.
    @inline(__always) public func collectGarbageIfNeeded() {
        if heap.collectionRequested { collectGarbage() }
    }

    /// Runs a full collection now (same rule as `collectGarbageIfNeeded`).
    public func collectGarbage() {
        heap.collect { m in
            for i in 0..<registerTop { m.mark(registers[i]) }
            for v in temporaryRoots { m.mark(v) }
            for v in extraRoots { m.mark(v) }
            for v in permanentRoots { m.mark(v) }
            m.mark(globalObject)
            for i in 0..<frames.count {
                m.mark(frames[i].function)
                m.mark(frames[i].env)
                m.mark(frames[i].newTarget)
            }
            for list in savedArguments { for v in list { m.mark(v) } }
            intrinsics?.markAll(&m)
            names?.markAll(&m)
            wellKnownSymbols?.markAll(&m)
            for s in symbolRegistry.values { m.mark(s) }
        }
    }

    /// Keeps `values` alive across calls into script code made by `body` (which may collect).
    public func withTemporaryRoots<R>(_ values: [Value], _ body: () throws(VMError) -> R) throws(VMError) -> R {
        let mark = temporaryRoots.count
        temporaryRoots.append(contentsOf: values)
        defer { temporaryRoots.removeLast(temporaryRoots.count - mark) }
        return try body()
    }

    /// Roots one value until `popTemporaryRoots(to:)`; returns the mark to pop to.
    public func pushTemporaryRoot(_ v: Value) -> Int {
        temporaryRoots.append(v)
        return temporaryRoots.count - 1
    }
    public func popTemporaryRoots(to mark: Int) {
        if temporaryRoots.count > mark { temporaryRoots.removeLast(temporaryRoots.count - mark) }
    }

    // MARK: Allocation

    /// A new interned-or-not string from UTF-16 code units.
    @inline(__always)
    public func newString(_ units: ContiguousArray<UInt16>) throws(VMError) -> JSString {
        try heap.register(JSString(units: units), bytes: Heap.cellHeaderBytes &+ units.count &* 2)
    }
    /// A new string with a copy of `units`. Short strings keep their units inside the cell (one
    /// allocation instead of a cell and an array), so producers that have the units in a buffer
    /// (substrings, short concatenations, number text) should use this.
    @inline(__always)
    public func newString(copying units: UnsafeBufferPointer<UInt16>) throws(VMError) -> JSString {
        let n = units.count
        if n <= JSString.inlineCapacity {
            return try heap.register(JSString(inline: units), bytes: Heap.cellHeaderBytes &+ n &* 2)
        }
        return try newString(JSString.copiedUnits(units))
    }
    /// `newString(copying:)` as a value, referenced only by the heap (no retain/release pair).
    @inline(__always)
    func newStringValue(copying units: UnsafeBufferPointer<UInt16>) throws(VMError) -> Value {
        let n = units.count
        let bytes = Heap.cellHeaderBytes &+ n &* 2
        try heap.charge(bytes)
        if n <= JSString.inlineCapacity { return heap.adopt(JSString(inline: units), charged: bytes) }
        return heap.adopt(JSString(units: JSString.copiedUnits(units)), charged: bytes)
    }
    public func newString<S: Sequence>(units: S) throws(VMError) -> JSString where S.Element == UInt16 {
        try newString(ContiguousArray(units))
    }
    /// A new string with the UTF-16 units of `s`. ASCII text (nearly every string a host passes
    /// in: names, headers, stored values) is widened on the stack and copied once, so a short one
    /// lives inside its cell with no array at all.
    public func newString(_ s: String) throws(VMError) -> JSString {
        var s = s
        let ascii = s.withUTF8 { bytes -> Result<JSString, VMError>? in
            guard bytes.count <= Runtime.stackWideningLimit else { return nil }
            return withUnsafeTemporaryAllocation(of: UInt16.self, capacity: bytes.count) { units -> Result<JSString, VMError>? in
                var high: UInt8 = 0
                for i in 0..<bytes.count {
                    high |= bytes[i]
                    units[i] = UInt16(bytes[i])
                }
                guard high < 0x80 else { return nil }
                return Result { () throws(VMError) in try newString(copying: UnsafeBufferPointer(units)) }
            }
        }
        if let ascii { return try ascii.get() }
        return try newString(JSString.units(of: s))
    }
    /// Longest text (UTF-8 bytes) `newString(_:)` widens in a stack buffer.
    static let stackWideningLimit = 512
    /// A string value.
    public func string(_ s: String) throws(VMError) -> Value { Value(try newString(s)) }

    /// The canonical (interned) string with these contents; atoms live as long as the runtime.
    public func intern(_ s: JSString) -> JSString {
        if s.isAtom { return s }
        if let a = s.internedAtom { return a }
        let hash = s.contentHash
        if let a = atoms.find(s.unitBuffer, hash: hash) {
            s.internedAtom = a
            return a
        }
        addAtom(s, hash: hash)
        return s
    }

    /// Makes `s` (a flat string whose contents are not interned yet) the atom for its contents.
    /// Atoms live as long as the runtime: the atom table owns them and the collector skips them.
    private func addAtom(_ s: JSString, hash: Int) {
        s.isAtom = true
        s.cachedHash = hash
        s.isPermanent = true
        s.isMarked = true
        atoms.insert(s, hash: hash)
    }
    public func intern(_ s: String) -> JSString {
        existingAtom(named: s) ?? internUnits(JSString.units(of: s))
    }

    /// The existing atom for a short ASCII name, found from a stack copy of its units: host code
    /// names keys with literals many times per request, and allocating units for each lookup
    /// cost more than the lookup. Nil for other names and names not interned yet.
    func existingAtom(named name: String) -> JSString? {
        var name = name
        return name.withUTF8 { (bytes) -> JSString? in
            guard bytes.count <= 32 else { return nil }
            return withUnsafeTemporaryAllocation(of: UInt16.self, capacity: 32) { (buffer) -> JSString? in
                for i in 0..<bytes.count {
                    let b = bytes[i]
                    guard b < 0x80 else { return nil }
                    buffer[i] = UInt16(b)
                }
                return existingAtom(UnsafeBufferPointer(rebasing: buffer[0..<bytes.count]))
            }
        }
    }

    /// Interns UTF-16 units as an atom (allocating a cell only when the atom is new).
    func internUnits(_ units: ContiguousArray<UInt16>) -> JSString {
        let hash = units.withUnsafeBufferPointer { JSString.hash(of: $0) }
        if let a = units.withUnsafeBufferPointer({ atoms.find($0, hash: hash) }) { return a }
        // Atoms are part of the runtime's permanent state; charge them without failing. The atom
        // table owns the cell, so it never enters the heap's sweep list.
        let cell = JSString(units: units)
        cell.chargedBytes = Heap.cellHeaderBytes + units.count * 2
        heap.usedBytes += cell.chargedBytes
        addAtom(cell, hash: hash)
        return cell
    }

    /// The existing atom with these units, or nil (never allocates).
    func existingAtom(_ units: UnsafeBufferPointer<UInt16>) -> JSString? {
        atoms.find(units, hash: JSString.hash(of: units))
    }

    /// The property key for a name.
    public func key(_ name: String) -> PropertyKey {
        if let first = name.utf8.first, !(first >= 0x30 && first <= 0x39), let atom = existingAtom(named: name) {
            return PropertyKey(atom: atom)  // (a name not starting with a digit is no array index)
        }
        let units = JSString.units(of: name)
        if let i = JSString.parseArrayIndex(units) { return PropertyKey(index: i) }
        return PropertyKey(atom: internUnits(units))
    }

    /// The property key a string denotes (array index or atom).
    @inline(__always)
    public func key(_ s: JSString) -> PropertyKey {
        let cell = Unmanaged.passUnretained(s).toOpaque()
        if cell == recentKeyAtom { return PropertyKey(raw: UInt64(UInt(bitPattern: cell))) }
        if s.isAtom { return s.cachedIndex == -1 ? PropertyKey(atom: s) : keySlow(s) }
        if let a = s.internedAtom { return PropertyKey(atom: a) }
        return keySlow(s)
    }

    /// The property key a string value denotes, without retaining the string (a retain writes
    /// to its cell, which is usually cold when a big hash map is probed with fresh keys).
    @inline(__always)
    func key(stringValue v: Value) -> PropertyKey {
        let cell = v.rawPointer
        if cell == recentKeyAtom { return PropertyKey(raw: UInt64(UInt(bitPattern: cell))) }
        return Unmanaged<JSString>.fromOpaque(cell)._withUnsafeGuaranteedRef { key($0) }
    }

    @inline(never)
    func keySlow(_ s: JSString) -> PropertyKey {
        if let i = s.arrayIndex { return PropertyKey(index: i) }
        return PropertyKey(atom: intern(s))
    }

    public func newSymbol(description: JSString?) throws(VMError) -> JSSymbol {
        try heap.register(JSSymbol(description: description), bytes: Heap.cellHeaderBytes)
    }

    /// `Symbol.for(key)`.
    public func registeredSymbol(for key: JSString) throws(VMError) -> JSSymbol {
        let k = StringContentKey(string: key)
        if let s = symbolRegistry[k] { return s }
        let s = try heap.register(JSSymbol(description: key, registryKey: key), bytes: Heap.cellHeaderBytes)
        symbolRegistry[k] = s
        return s
    }

    /// A new ordinary object with the given prototype (default `Object.prototype`).
    @inline(__always)
    public func newObject(prototype: JSObject?) throws(VMError) -> JSObject {
        try heap.register(JSObject(shape: shapes.root, prototype: prototype, kind: .ordinary), bytes: Heap.cellHeaderBytes &+ 32)
    }
    public func newObject() throws(VMError) -> JSObject {
        try newObject(prototype: intrinsics.objectPrototype)
    }

    /// A new object of a special kind (wrappers, dates, maps …).
    public func newObject(kind: ObjectKind, prototype: JSObject?) throws(VMError) -> JSObject {
        try heap.register(JSObject(shape: shapes.root, prototype: prototype, kind: kind), bytes: Heap.cellHeaderBytes &+ 32)
    }

    /// A new array holding `values` (may contain `.hole`).
    public func newArray(_ values: ContiguousArray<Value> = []) throws(VMError) -> JSObject {
        let a = try heap.register(JSObject(shape: shapes.root, prototype: intrinsics.arrayPrototype, kind: .array),
                                  bytes: Heap.cellHeaderBytes &+ 16 &+ values.count &* 8)
        a.elements = values
        a.arrayLength = UInt32(values.count)
        return a
    }
    public func newArray(_ values: [Value]) throws(VMError) -> JSObject {
        try newArray(ContiguousArray(values))
    }

    /// A new native function object with `name` and `length` properties.
    public func newNativeFunction(name: String, length: Int, isConstructor: Bool = false,
                                  prototype: JSObject? = nil,
                                  _ body: @escaping NativeFunction) throws(VMError) -> JSFunction {
        var flags: ObjectFlags = [.extensible]
        if isConstructor { flags.insert(.constructor) }
        return try newNativeFunction(name: Value(try newString(name)), length: length, flags: flags,
                                     prototype: prototype ?? intrinsics.functionPrototype, body)
    }

    /// A native function whose `length` and `name` go straight into slots of a shared shape.
    func newNativeFunction(name: Value, length: Int, flags: ObjectFlags, prototype: JSObject,
                           _ body: @escaping NativeFunction) throws(VMError) -> JSFunction {
        let shape: Shape
        if let s = nativeFunctionShape {
            shape = s
        } else {
            let withLength = shapes.transition(from: shapes.root, adding: names.length, [.configurable])!
            shape = shapes.transition(from: withLength, adding: names.name, [.configurable])!
            nativeFunctionShape = shape
        }
        let f = try heap.register(JSFunction(shape: shape, prototype: prototype, native: body, block: nil, flags: flags),
                                  bytes: Heap.cellHeaderBytes &+ 80)
        f.slots = [Value(Double(length)), name]
        // As `addProperty` does for read-only properties (cached add-transitions assume none appeared).
        accessorEpoch &+= 1
        return f
    }

    /// Defines `length` then `name` (non-writable, non-enumerable, configurable), in the spec's order.
    public func defineFunctionNameAndLength(_ f: JSFunction, name: Value, length: Int) throws(VMError) {
        try defineDataProperty(f, names.length, Value(Double(length)), [.configurable])
        try defineDataProperty(f, names.name, name, [.configurable])
    }

    /// A new script function object for `code` (used by the interpreter's closure instruction).
    func newScriptFunction(block: CodeBlock, prototype: JSObject?, flags: ObjectFlags) throws(VMError) -> JSFunction {
        try heap.register(JSFunction(shape: shapes.root, prototype: prototype, native: nil, block: block, flags: flags),
                          bytes: Heap.cellHeaderBytes &+ 64)
    }

    /// A new bound function (`Function.prototype.bind`).
    public func newBoundFunction(target: JSFunction, boundThis: Value, boundArguments: [Value]) throws(VMError) -> JSFunction {
        var flags: ObjectFlags = [.extensible]
        if target.isConstructor { flags.insert(.constructor) }
        let f = try heap.register(
            JSFunction(shape: shapes.root, prototype: target.prototype, native: nil, block: nil, flags: flags),
            bytes: Heap.cellHeaderBytes &+ 64 &+ boundArguments.count &* 8)
        f.boundTarget = target
        f.capturedThis = boundThis
        f.boundArguments = boundArguments
        return f
    }

    public func newEnvironment(slotCount: Int, parent: Environment?) throws(VMError) -> Environment {
        try heap.register(Environment(slotCount: slotCount, parent: parent), bytes: Heap.cellHeaderBytes &+ slotCount &* 8)
    }

    public func newAccessorPair(getter: Value, setter: Value) throws(VMError) -> AccessorPair {
        let p = try heap.register(AccessorPair(shape: shapes.root, prototype: nil, kind: .accessorPair),
                                  bytes: Heap.cellHeaderBytes &+ 16)
        p.getter = getter
        p.setter = setter
        return p
    }
}

/// Limits and counters of one run. Reset by the host before every run.
public struct Budget {
    /// Instructions left before the run ends with `.instructions` (`Int.max`: unlimited).
    public var instructionsLeft: Int = .max
    /// Instructions allowed at the start of this run (for reporting).
    public var instructionLimit: Int = .max
    /// Monotonic deadline in nanoseconds (`UInt64.max`: none).
    public var deadlineNanos: UInt64 = .max
    /// Maximum nested calls before a catchable `RangeError`.
    public var maxCallDepth: Int = 1000

    public init() {}

    /// Instructions executed so far in this run.
    public var instructionsUsed: Int {
        instructionLimit == .max ? Int.max - instructionsLeft : instructionLimit - instructionsLeft
    }
}
