// The instruction set of Sluice's register VM. This file is the contract between the code
// generator (SluiceCompiler) and the interpreter (Interpreter/).
//
// Encoding: one 64-bit word per instruction (`Instruction`):
//   bits 0–7 opcode, 8–23 A, 24–39 B, 40–55 C, 56–63 D (small flags)
//   Bx  = bits 24–55 as UInt32 (constant / child indices), sBx = the same bits as Int32 (jumps).
// Some instructions are followed by one AUX word (the next 64-bit word, a raw Int64/UInt64),
// noted "+AUX" below; pc skips it.
// Registers: R[n] is the frame's register n (R[0] is `this`, R[1…paramCount] the parameters).
// Constants: K[n] is the function's constant n (numbers and strings; strings are property-key atoms).
// Jumps are relative to the instruction after the jump (and after its AUX word, if any).
// `env` is the frame's current Environment; env^n is its n-th parent.
// IC: property instructions use an inline-cache entry indexed by their own pc (side table; the
// code is never patched).

public enum Opcode: UInt8, CaseIterable, Sendable {
    // MARK: Loads and moves
    case nop                  // -
    case loadUndefined        // R[A] = undefined
    case loadNull             // R[A] = null
    case loadTrue             // R[A] = true
    case loadFalse            // R[A] = false
    case loadInt              // R[A] = Double(sBx)
    case loadConst            // R[A] = K[Bx]
    case move                 // R[A] = R[B]
    case loadUninitialized    // R[A] = <uninitialized> (start of a let/const/class binding's TDZ)
    case checkInitialized     // if R[A] is <uninitialized>: throw ReferenceError "Cannot access 'K[Bx]' before initialization"
    case checkThis            // if R[A] is <uninitialized>: throw ReferenceError (this before super() in a derived constructor)
    case loadFunction         // R[A] = the running function object (callee)
    case loadNewTarget        // R[A] = new.target (undefined in a plain call)

    // MARK: Globals (property access on the global object, with IC)
    case getGlobal            // R[A] = global[K[Bx]]; ReferenceError "K is not defined" when absent
    case getGlobalOrUndefined // R[A] = global[K[Bx]] or undefined when absent (typeof x)
    case setGlobal            // global[K[Bx]] = R[A]; when absent: strict code throws ReferenceError, sloppy creates it
    case declareGlobalVar     // script mode `var K[Bx]`: define global[K[Bx]] = undefined if absent (configurable: false)
    case declareGlobalFunction// script mode function declaration: global[K[Bx]] = R[A] (define, enumerable, writable)

    // MARK: Environments (captured variables)
    case pushEnvironment      // env = new Environment(slots: A, parent: env)
    case popEnvironment       // env = env.parent
    case copyEnvironment      // env = copy of env (same parent, same slot values): per-iteration let bindings
    case saveEnvironment      // R[A] = env (as an opaque value, for exception handlers)
    case restoreEnvironment   // env = R[A] (saved by saveEnvironment)
    case getEnv               // R[A] = env^B.slots[C]
    case getEnvChecked        // R[A] = env^B.slots[C]; ReferenceError "Cannot access 'K[AUX]' before initialization" if uninitialized  +AUX
    case setEnv               // env^B.slots[C] = R[A]
    case setEnvChecked        // like setEnv but ReferenceError if the slot is uninitialized (TDZ)  +AUX (name constant)

    // MARK: Functions and classes
    case closure              // R[A] = new function for child code Bx, capturing env (and this/new.target for arrows)
    /// R[A] = class constructor made from child code Bx; R[A+1] = its prototype object.
    /// AUX = register of the heritage (superclass) value, or -1 for no `extends`.
    /// With heritage H: null → prototype's [[Prototype]] is null and the constructor's is
    /// Function.prototype; else H must be a constructor (TypeError) whose `prototype` is an object or null.
    case createClass          // +AUX
    /// Define method R[A] on object R[B] under key R[C]; sets R[A].homeObject = R[B].
    /// D bit 0: enumerable (object literal) vs not (class); D bits 1–2: 0 method, 1 getter, 2 setter.
    /// Also sets the function's `name` from the key ("get "/"set " prefixes for accessors).
    case defineMethod
    case setHomeObject        // R[A].homeObject = R[B]
    /// Set the `name` property of function/class R[A] from the key R[B] (computed keys, `name` inference at run time).
    case setFunctionName

    // MARK: Property access
    case getField             // R[A] = R[B][K[C]]               (IC)
    case setField             // R[B][K[C]] = R[A]               (IC; strict code throws on failure)
    case getIndex             // R[A] = R[B][R[C]]
    case setIndex             // R[B][R[C]] = R[A]
    case deleteField          // R[A] = delete R[B][K[C]]        (strict code throws when it returns false)
    case deleteIndex          // R[A] = delete R[B][R[C]]
    case getSuper             // R[A] = super[R[B]] with this = R[C] (lookup starts at homeObject.[[Prototype]])
    case setSuper             // super[R[B]] = R[A] with this = R[C]
    case hasProperty          // R[A] = R[B] in R[C]             (TypeError if R[C] is not an object)
    case instanceOf           // R[A] = R[B] instanceof R[C]

    // MARK: Literals
    case newObject            // R[A] = {} (B = expected property count, a slot capacity hint)
    case newArray             // R[A] = [] (B = expected element count, a capacity hint)
    case arrayPush            // R[A].push(R[B]) for array literals (no setters involved)
    case arrayPushHole        // R[A].length += 1 (an elision)
    case arraySpread          // append every value of iterable R[B] to array R[A]
    case defineField          // define own property R[B][K[C]] = R[A] (enumerable, writable, configurable)
    case defineIndex          // define own property R[B][R[C]] = R[A] (R[C] already a property key value)
    case copyDataProperties   // copy own enumerable properties of R[B] into object R[A], skipping the keys listed in array R[C] (C == 0xFFFF: none)
    case setPrototype         // `__proto__: v` in a literal: if R[B] is an object or null, R[A].[[Prototype]] = R[B]
    case regExp               // R[A] = new RegExp(K[B], K[C])
    case templateObject       // R[A] = frozen template strings array for tagged template: cooked strings from array R[B], raw from array R[C]

    // MARK: Operators (R[A] = R[B] op R[C])
    case add, subtract, multiply, divide, remainder, exponent
    case bitAnd, bitOr, bitXor, shiftLeft, shiftRight, unsignedShiftRight
    case equal, notEqual, strictEqual, strictNotEqual
    case less, lessEqual, greater, greaterEqual
    // Unary (R[A] = op R[B])
    case not                  // R[A] = !R[B]
    case negate               // R[A] = -R[B]
    case toNumber             // R[A] = +R[B]   (ToNumber; also the old value of postfix ++/--)
    case bitNot               // R[A] = ~R[B]
    case typeOf               // R[A] = typeof R[B]
    case increment            // R[A] = ToNumber(R[B]) + 1
    case decrement            // R[A] = ToNumber(R[B]) - 1
    case toPropertyKey        // R[A] = ToPropertyKey(R[B]) (as a string or symbol value; numbers that are indices may stay numbers)
    case toString             // R[A] = ToString(R[B]) (template literal substitutions)
    case addConst             // R[A] = R[B] + K[C]
    case lessConst            // R[A] = R[B] < K[C]

    // MARK: Control flow
    case jump                 // pc += sBx
    case loop                 // pc += sBx (a backward jump: charges the instruction budget, may collect garbage)
    case jumpIfTrue           // if ToBoolean(R[A]): pc += sBx
    case jumpIfFalse          // if !ToBoolean(R[A]): pc += sBx
    case jumpIfNullish        // if R[A] is undefined or null: pc += sBx
    case jumpIfNotNullish     // if R[A] is neither: pc += sBx
    case jumpIfUndefined      // if R[A] is undefined: pc += sBx (default parameter / destructuring defaults)
    case jumpIfNotUndefined   // if R[A] is not undefined: pc += sBx
    /// Fused compare-and-branch: if !(R[A] < R[B]): pc += AUX. (Loop conditions `i < n`.)
    case jumpIfNotLess        // +AUX
    case jumpIfNotLessEqual   // +AUX
    case jumpIfNotGreater     // +AUX
    case jumpIfNotGreaterEqual// +AUX
    case jumpIfNotStrictEqual // if !(R[A] === R[B]): pc += AUX (switch cases)  +AUX

    // MARK: Calls
    case call                 // R[A] = R[A](this: R[A+1], args: R[A+2 ..< A+2+C])
    case callSpread           // R[A] = R[A](this: R[A+1], args: elements of array R[A+2])
    case construct            // R[A] = new R[A](args: R[A+2 ..< A+2+C]) (R[A+1] is scratch)
    case constructSpread      // R[A] = new R[A](args: elements of array R[A+2])
    case superCall            // R[A] = super(args: R[A+2 ..< A+2+C]); binds `this` (R[0]) and returns it
    case superCallSpread      // like superCall with args from array R[A+2]
    case `return`             // return R[A]
    case returnUndefined      // return undefined

    // MARK: Exceptions
    case `throw`              // throw R[A]
    /// throw a new error: D = ErrorKind index (ErrorKind.allCases order), message K[Bx]
    case throwError
    case throwConstAssignment // throw TypeError "Assignment to constant variable." (K[Bx] is the name)

    // MARK: Iteration
    /// R[A] = iterator of R[B], R[A+1] = its `next` method (GetIterator). TypeError if not iterable.
    case getIterator
    /// R[A] = next value of the iterator in R[B], R[B+1]; when done: pc += AUX.  +AUX
    case iteratorNext
    /// Calls the `return` method of iterator R[A], if any (break/return out of for-of, destructuring).
    /// B == 1: the exit is a throw, so errors from `return` are ignored.
    case iteratorClose
    /// R[A] = a for-in key iterator over R[B] (enumerable string keys, own then inherited, no duplicates;
    /// keys deleted during the loop are skipped).
    case forInPrepare
    /// R[A] = next key of for-in iterator R[B]; when exhausted: pc += AUX.  +AUX
    case forInNext

    // MARK: Arguments
    case createArguments      // R[A] = arguments object for this call (unmapped)
    case createRest           // R[A] = array of the arguments from index B on
    case debugger             // no effect

    // MARK: Added by the code generator
    /// R[A] = R[B] - K[C] (K[C] is a number constant): `n - 1` without loading the constant.
    /// Same result as `subtract` with the constant in a register.
    case subtractConst
}

/// One encoded instruction.
public struct Instruction: Sendable, Hashable {
    public var raw: UInt64

    @inline(__always) public init(raw: UInt64) { self.raw = raw }

    @inline(__always)
    public init(_ op: Opcode, a: Int = 0, b: Int = 0, c: Int = 0, d: Int = 0) {
        raw = UInt64(op.rawValue)
            | (UInt64(UInt16(truncatingIfNeeded: a)) << 8)
            | (UInt64(UInt16(truncatingIfNeeded: b)) << 24)
            | (UInt64(UInt16(truncatingIfNeeded: c)) << 40)
            | (UInt64(UInt8(truncatingIfNeeded: d)) << 56)
    }

    @inline(__always)
    public init(_ op: Opcode, a: Int = 0, bx: UInt32, d: Int = 0) {
        raw = UInt64(op.rawValue) | (UInt64(UInt16(truncatingIfNeeded: a)) << 8) | (UInt64(bx) << 24)
            | (UInt64(UInt8(truncatingIfNeeded: d)) << 56)
    }

    @inline(__always)
    public init(_ op: Opcode, a: Int = 0, sbx: Int32) {
        self.init(op, a: a, bx: UInt32(bitPattern: sbx))
    }

    @inline(__always) public var opcodeByte: UInt8 { UInt8(truncatingIfNeeded: raw) }
    @inline(__always) public var opcode: Opcode { Opcode(rawValue: opcodeByte)! }
    @inline(__always) public var a: Int { Int((raw >> 8) & 0xFFFF) }
    @inline(__always) public var b: Int { Int((raw >> 24) & 0xFFFF) }
    @inline(__always) public var c: Int { Int((raw >> 40) & 0xFFFF) }
    @inline(__always) public var d: Int { Int(raw >> 56) }
    @inline(__always) public var bx: Int { Int((raw >> 24) & 0xFFFF_FFFF) }
    @inline(__always) public var sbx: Int { Int(Int32(bitPattern: UInt32(truncatingIfNeeded: raw >> 24))) }

    /// Whether this opcode is followed by an AUX word.
    public static func hasAux(_ op: Opcode) -> Bool {
        switch op {
        case .getEnvChecked, .setEnvChecked, .createClass, .jumpIfNotLess, .jumpIfNotLessEqual, .jumpIfNotGreater,
             .jumpIfNotGreaterEqual, .jumpIfNotStrictEqual, .iteratorNext, .forInNext:
            return true
        default:
            return false
        }
    }
}

/// Version of the bytecode format; bump on any change to `Opcode` order or encoding.
public let bytecodeFormatVersion = 1
