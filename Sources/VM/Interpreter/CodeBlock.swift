/// One compiled function as used by one runtime: its constants materialised as values (strings
/// are atoms, so they double as property keys), the instruction words at a stable address, and
/// the inline caches (one entry per instruction, indexed by pc; the shared code is never patched).
final class CodeBlock {
    let code: FunctionCode
    let instructions: UnsafeMutablePointer<UInt64>
    let instructionCount: Int
    let constants: UnsafeMutablePointer<Value>
    /// The property key of each string constant (undefined raw for numbers).
    let keys: UnsafeMutablePointer<PropertyKey>
    let caches: UnsafeMutablePointer<InlineCache>
    /// Copies of the code's hot header fields (read on every call without touching `code`).
    let flags: FunctionCode.Flags
    let registerCount: Int
    let parameterCount: Int
    /// Constructors: how many slots the last object they constructed ended up with (a capacity hint).
    var constructedSlotCount = 0
    /// Tagged-template strings arrays by pc: each site yields the same frozen array every time.
    var templateObjects: [Int: Value] = [:]
    /// The function's name as an atom, once a closure of it was made (atoms are never freed).
    var nameAtom: JSString?
    /// Child functions' blocks, made on first use.
    var children: [CodeBlock?]

    init(code: FunctionCode, runtime rt: Runtime) {
        self.code = code
        flags = code.flags
        registerCount = code.registerCount
        parameterCount = code.parameterCount
        instructionCount = code.code.count
        instructions = .allocate(capacity: max(1, instructionCount))
        for (i, ins) in code.code.enumerated() { instructions[i] = ins.raw }
        let n = code.constants.count
        constants = .allocate(capacity: max(1, n))
        keys = .allocate(capacity: max(1, n))
        for (i, c) in code.constants.enumerated() {
            switch c {
            case .number(let d):
                constants[i] = Value(d)
                keys[i] = PropertyKey(raw: 3)
            case .string(let units):
                let probe = ContiguousArray(units)
                let s = rt.internUnits(probe)
                constants[i] = Value(s)
                if let idx = JSString.parseArrayIndex(probe) {
                    keys[i] = PropertyKey(index: idx)
                } else {
                    keys[i] = PropertyKey(atom: s)
                }
            }
        }
        caches = .allocate(capacity: max(1, instructionCount))
        caches.initialize(repeating: InlineCache(), count: max(1, instructionCount))
        children = Array(repeating: nil, count: code.children.count)
    }

    deinit {
        instructions.deallocate()
        constants.deallocate()
        keys.deallocate()
        caches.deallocate()
    }

    func child(_ i: Int, _ rt: Runtime) -> CodeBlock {
        if let c = children[i] { return c }
        let c = CodeBlock(code: code.children[i], runtime: rt)
        children[i] = c
        return c
    }
}

/// A monomorphic inline cache for one property instruction.
///
/// Object references are raw pointers: the interpreter tests and follows them without reference
/// counting (holders are prototypes kept alive by their objects; add shapes by the shape tree).
struct InlineCache {
    /// `shapeID` of an entry whose receiver is a string primitive (shape ids never reach it):
    /// slot -2 reads `length`; otherwise the holder is `String.prototype`.
    static let stringReceiver: UInt32 = .max
    static let stringLengthSlot: Int32 = -2

    /// Receiver shape id this entry is valid for (0: empty).
    var shapeID: UInt32 = 0
    /// Slot in the receiver (holder == nil) or in the holder; -1 with a holder: the property is
    /// absent from the receiver and from the holder, which has no prototype (reads give undefined).
    var slot: Int32 = 0
    /// Reads: a second own-property entry, so a site that sees two shapes still hits.
    var shapeID2: UInt32 = 0
    var slot2: Int32 = 0
    /// Reads: the receiver's prototype that holds the property (nil: own property).
    /// Adds (setField): unused.
    var holder: UnsafeMutableRawPointer? = nil
    var holderShapeID: UInt32 = 0
    /// setField add transitions: the shape after adding, valid while `epoch` matches.
    var addShape: UnsafeMutableRawPointer? = nil
    var epoch: UInt32 = 0

    init() {}

    init(shapeID: UInt32, slot: Int32, holder: JSObject? = nil, holderShapeID: UInt32 = 0,
         addShape: Shape? = nil, epoch: UInt32 = 0) {
        self.shapeID = shapeID
        self.slot = slot
        self.holder = holder.map { Unmanaged.passUnretained($0).toOpaque() }
        self.holderShapeID = holderShapeID
        self.addShape = addShape.map { Unmanaged.passUnretained($0).toOpaque() }
        self.epoch = epoch
    }
}

/// A script call frame. Plain data (no reference counting), so pushing and popping is a copy.
struct Frame {
    unowned(unsafe) var block: CodeBlock
    unowned(unsafe) var function: JSFunction?
    unowned(unsafe) var env: Environment?
    /// Saved instruction pointer while a callee runs.
    var pc: UnsafeMutablePointer<UInt64>
    /// Index of R[0] in the register file.
    var base: Int
    /// Where the caller wants the result (absolute register index), or -1 for an entry frame.
    var returnRegister: Int
    var argumentCount: Int
    /// Index into `Runtime.savedArguments` when the function uses `arguments` or a rest parameter; else -1.
    var savedArgumentsIndex: Int
    var newTarget: Value
    /// [[Construct]] frame: a non-object return value is replaced by `this`.
    var isConstruct: Bool
    /// The frame where a nested `execute` started; returning from it leaves that `execute`.
    var isEntry: Bool
}

/// The stack of script frames, in manually managed memory so frames are read and written in
/// place (a `ContiguousArray` subscript would copy the frame on every field read).
struct FrameStack {
    private(set) var storage: UnsafeMutablePointer<Frame>
    private(set) var count = 0
    private var capacity: Int

    init() {
        capacity = 64
        storage = .allocate(capacity: capacity)
    }

    func deallocate() { storage.deallocate() }

    subscript(i: Int) -> Frame {
        @inline(__always) unsafeAddress { UnsafePointer(storage + i) }
        @inline(__always) unsafeMutableAddress { storage + i }
    }

    @inline(__always)
    mutating func append(_ frame: Frame) {
        if count == capacity { grow() }
        (storage + count).initialize(to: frame)
        count += 1
    }

    @inline(__always) @discardableResult
    mutating func removeLast() -> Frame {
        count -= 1
        return (storage + count).move()
    }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<Frame>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = bigger
        capacity *= 2
    }
}

extension Runtime {
    /// The runtime's block for a top-level function code.
    func codeBlock(for code: FunctionCode) -> CodeBlock {
        let id = ObjectIdentifier(code)
        if let b = codeBlocks[id] { return b }
        let b = CodeBlock(code: code, runtime: self)
        codeBlocks[id] = b
        return b
    }

}
