/// A constant in a function's constant pool.
public enum Constant: Sendable, Hashable {
    case number(Double)
    /// A string (also used for property names); materialised as an atom in each runtime.
    case string([UInt16])
}

/// A try region: an exception thrown while `start <= pc < end` jumps to `handler` with the
/// exception value in register `register`. Listed innermost first.
public struct ExceptionHandler: Sendable {
    public let start: Int
    public let end: Int
    public let handler: Int
    public let register: Int
    public init(start: Int, end: Int, handler: Int, register: Int) {
        self.start = start
        self.end = end
        self.handler = handler
        self.register = register
    }
}

/// Maps instruction indices to source positions: entry i covers pcs from `pc` up to the next entry.
public struct LineTableEntry: Sendable {
    public let pc: Int
    public let line: Int32
    public let column: Int32
    public init(pc: Int, line: Int32, column: Int32) {
        self.pc = pc
        self.line = line
        self.column = column
    }
}

/// Compiled code of one script function: immutable and shared between threads and runtimes.
public final class FunctionCode: Sendable {
    public struct Flags: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let strict = Flags(rawValue: 1)
        /// Arrow function: `this`, `arguments`, `new.target` and `super` come from the enclosing function.
        public static let arrow = Flags(rawValue: 2)
        /// Can be called with `new` (plain functions and class constructors).
        public static let constructor = Flags(rawValue: 4)
        public static let classConstructor = Flags(rawValue: 8)
        public static let derivedConstructor = Flags(rawValue: 16)
        /// Method, getter or setter (has a home object; not a constructor).
        public static let method = Flags(rawValue: 32)
        /// Uses `arguments` or a rest parameter: the interpreter keeps the arguments past `parameterCount`.
        public static let needsExtraArguments = Flags(rawValue: 64)
        /// Top-level code of a script (`this` is the global object in sloppy mode).
        public static let topLevel = Flags(rawValue: 128)
    }

    public let name: String
    public let code: [Instruction]
    public let constants: [Constant]
    public let children: [FunctionCode]
    /// Registers R[1…parameterCount] receive the arguments.
    public let parameterCount: Int
    /// The function's `length` property.
    public let length: Int
    /// Registers the frame needs (R[0] = this included).
    public let registerCount: Int
    public let flags: Flags
    public let handlers: [ExceptionHandler]
    public let lineTable: [LineTableEntry]
    public let sourceName: String
    /// The function's source text (for Function.prototype.toString).
    public let sourceText: String

    public init(name: String, code: [Instruction], constants: [Constant], children: [FunctionCode],
                parameterCount: Int, length: Int, registerCount: Int, flags: Flags,
                handlers: [ExceptionHandler], lineTable: [LineTableEntry], sourceName: String, sourceText: String) {
        self.name = name
        self.code = code
        self.constants = constants
        self.children = children
        self.parameterCount = parameterCount
        self.length = length
        self.registerCount = registerCount
        self.flags = flags
        self.handlers = handlers
        self.lineTable = lineTable
        self.sourceName = sourceName
        self.sourceText = sourceText
    }

    /// The source position of the instruction at `pc`.
    public func position(at pc: Int) -> (line: Int32, column: Int32) {
        var lo = 0, hi = lineTable.count - 1
        var best: LineTableEntry? = nil
        while lo <= hi {
            let mid = (lo + hi) / 2
            if lineTable[mid].pc <= pc { best = lineTable[mid]; lo = mid + 1 } else { hi = mid - 1 }
        }
        return best.map { ($0.line, $0.column) } ?? (0, 0)
    }
}

/// A compiled script: its top-level code plus what the host needs to link it.
public final class Program: Sendable {
    public let main: FunctionCode
    public let sourceName: String
    /// Module specifiers imported by the script, with (imported, local) name pairs.
    public let imports: [(module: String, bindings: [(imported: String, local: String)])]
    /// Names the script exports: (exported name, local name).
    public let exports: [(exported: String, local: String)]
    /// Where each import declaration starts (line, column), parallel to `imports`, for diagnostics.
    public let importPositions: [(line: Int, column: Int)]

    public init(main: FunctionCode, sourceName: String,
                imports: [(module: String, bindings: [(imported: String, local: String)])] = [],
                exports: [(exported: String, local: String)] = [],
                importPositions: [(line: Int, column: Int)] = []) {
        self.main = main
        self.sourceName = sourceName
        self.imports = imports
        self.exports = exports
        self.importPositions = importPositions
    }
}
