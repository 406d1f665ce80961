/// The arguments of a call as seen by a native function: a view of the caller's registers
/// (or of a temporary buffer), plus `new.target` (undefined for a plain call).
public struct Arguments: @unchecked Sendable {
    public let base: UnsafePointer<Value>?
    public let count: Int
    /// The constructor `new` was applied to, or `undefined` for a call.
    public let newTarget: Value

    @inline(__always) public init(base: UnsafePointer<Value>?, count: Int, newTarget: Value = .undefined) {
        self.base = base
        self.count = count
        self.newTarget = newTarget
    }

    public static let none = Arguments(base: nil, count: 0)

    /// The argument at `i`, or `undefined` past the end.
    @inline(__always) public subscript(i: Int) -> Value {
        i < count ? base.unsafelyUnwrapped[i] : .undefined
    }

    public var isConstructCall: Bool { !newTarget.isUndefined }

    /// The arguments from `start` on, as an array.
    public func array(from start: Int = 0) -> [Value] {
        guard start < count, let base else { return [] }
        return Array(UnsafeBufferPointer(start: base + start, count: count - start))
    }
}

/// A function implemented in Swift. Throws `VMError.exception` for a JavaScript error.
public typealias NativeFunction = (_ runtime: Runtime, _ this: Value, _ arguments: Arguments) throws(VMError) -> Value

/// A callable object: a compiled script function, a native function, or a bound function.
public final class JSFunction: JSObject {
    /// Set for native functions.
    public let native: NativeFunction?
    /// Set for script functions: the compiled code with this runtime's constants and caches
    /// (owned by the runtime's code-block tree, which lives as long as the runtime).
    unowned(unsafe) let block: CodeBlock?
    /// `block` as a raw pointer: testing and loading it involves no reference counting.
    let blockPointer: UnsafeMutableRawPointer?
    /// Set for script functions: the compiled code (shared, immutable).
    public var code: FunctionCode? { block?.code }
    /// Script functions: the closure's captured scope.
    @exclusivity(unchecked) public unowned(unsafe) var environment: Environment?
    /// Methods: the object whose prototype `super` refers to.
    @exclusivity(unchecked) public unowned(unsafe) var homeObject: JSObject?
    /// Arrow functions: the captured `this` (and bound functions: the bound `this`).
    @exclusivity(unchecked) public var capturedThis: Value = .undefined
    /// Arrow functions: the captured `new.target`.
    @exclusivity(unchecked) public var capturedNewTarget: Value = .undefined
    /// Bound functions: the target and the bound arguments.
    @exclusivity(unchecked) public unowned(unsafe) var boundTarget: JSFunction?
    @exclusivity(unchecked) public var boundArguments: [Value] = []

    init(shape: Shape, prototype: JSObject?, native: NativeFunction?, block: CodeBlock?, flags: ObjectFlags) {
        self.native = native
        self.block = block
        self.blockPointer = block.map { Unmanaged.passUnretained($0).toOpaque() }
        super.init(shape: shape, prototype: prototype, kind: .function, flags: flags)
    }

    public var isConstructor: Bool { flags.contains(.constructor) }
    public var isClassConstructor: Bool { flags.contains(.classConstructor) }
    public var isBound: Bool { boundTarget != nil }

    public override func visitChildren(_ marker: inout GCMarker) {
        super.visitChildren(&marker)
        marker.mark(environment)
        marker.mark(homeObject)
        marker.mark(capturedThis)
        marker.mark(capturedNewTarget)
        marker.mark(boundTarget)
        for v in boundArguments { marker.mark(v) }
    }
}

/// A scope record for variables captured by closures. Each scope that has captured variables
/// gets one when it is entered (per iteration for `let` loop bodies); closures keep a pointer
/// to the innermost one and reach outer scopes through `parent`.
public final class Environment: HeapCell {
    /// The captured variables (fixed count, allocated with the environment).
    public let slots: UnsafeMutablePointer<Value>
    public let slotCount: Int
    @exclusivity(unchecked) public unowned(unsafe) var parent: Environment?

    public init(slotCount: Int, parent: Environment?) {
        self.slotCount = slotCount
        slots = .allocate(capacity: max(1, slotCount))
        slots.initialize(repeating: .undefined, count: max(1, slotCount))
        self.parent = parent
    }

    /// A new environment with the same parent and a copy of `other`'s values (per-iteration bindings).
    public init(copying other: Environment) {
        slotCount = other.slotCount
        slots = .allocate(capacity: max(1, slotCount))
        slots.initialize(from: other.slots, count: max(1, slotCount))
        parent = other.parent
    }

    deinit { slots.deallocate() }

    public override func visitChildren(_ marker: inout GCMarker) {
        marker.mark(parent)
        for i in 0..<slotCount { marker.mark(slots[i]) }
    }
}
