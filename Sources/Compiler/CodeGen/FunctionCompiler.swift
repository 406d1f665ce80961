import SluiceVM

/// State shared by all functions of one compilation.
final class CGCompilationContext {
    let sourceName: String
    let source: [UInt16]
    let resolver: CGResolver
    let isScript: Bool
    let program: ProgramNode
    /// (exported name, local name) pairs, for the functionBody export stores.
    let exportPairs: [(exported: String, local: String)]

    init(sourceName: String, source: [UInt16], resolver: CGResolver, isScript: Bool, program: ProgramNode,
         exportPairs: [(exported: String, local: String)]) {
        self.sourceName = sourceName
        self.source = source
        self.resolver = resolver
        self.isScript = isScript
        self.program = program
        self.exportPairs = exportPairs
    }

    func error(_ message: String, at pos: SourcePosition) -> SyntaxError {
        // Extract the source line for the caret excerpt.
        var lineStart = min(Int(pos.offset), source.count)
        while lineStart > 0 && !isLineTerminator(source[lineStart - 1]) { lineStart -= 1 }
        var lineEnd = lineStart
        while lineEnd < source.count && !isLineTerminator(source[lineEnd]) { lineEnd += 1 }
        let line = String(decoding: source[lineStart..<lineEnd], as: UTF16.self)
        return SyntaxError(message: message, sourceName: sourceName, position: pos, sourceLine: line)
    }

    private func isLineTerminator(_ c: UInt16) -> Bool { c == 10 || c == 13 || c == 0x2028 || c == 0x2029 }

    func text(_ start: Int32, _ end: Int32) -> String {
        let s = max(0, min(Int(start), source.count)), e = max(s, min(Int(end), source.count))
        return String(decoding: source[s..<e], as: UTF16.self)
    }
}

/// Where a binding lives.
enum CGLocation {
    case register(Int)
    case env(slot: Int)
}

/// A scope as instantiated in the code being generated.
final class CGScope {
    let info: CGScopeInfo
    var hasEnv = false
    var locations: [String: CGLocation] = [:]
    /// First register allocated for this scope's locals (freed on exit).
    var registerMark = 0
    init(info: CGScopeInfo) { self.info = info }
}

/// A resolved variable reference.
enum CGVarRef {
    case register(Int, CGBinding)
    case env(hops: Int, slot: Int, CGBinding)
    case global(String)
}

enum LiteralKey: Hashable {
    case number(UInt64)
    case string([UInt16])
}

struct PreloadState {
    let map: [ObjectIdentifier: Int]
    let values: [LiteralKey: Int]
}

/// A jump target.
final class CGLabel {
    var pc: Int? = nil
    /// Instruction indices of jumps to patch; `aux` when the offset lives in the AUX word.
    var fixups: [(index: Int, aux: Bool)] = []
}

/// An exception-handler region that may be split around inlined cleanup code.
final class CGRegion {
    var segments: [(Int, Int)] = []
    var openStart: Int? = nil
    /// Control-stack index of the construct that owns the region.
    let owner: Int
    init(owner: Int) { self.owner = owner }
}

struct CGControlEntry {
    enum Kind {
        case loop
        /// switch or labelled statement: `break` only.
        case breakable
        /// try with finally: exits run the finally block (inlined).
        case finally([Statement], CGScopeKey)
        /// for-of: exits close the iterator in this register.
        case forOf(Int)
        /// try/catch (only owns a handler region).
        case tryCatch
    }
    var kind: Kind
    var labels: [String]
    var breakLabel: CGLabel?
    var continueLabel: CGLabel?
    /// Env depth at the break target / continue target.
    var envDepth: Int
    var continueEnvDepth: Int
    /// Scope-stack count where the construct starts (finally blocks compile there).
    var scopeCount: Int
    /// `break` without a label targets this entry (loops and switch).
    var isUnlabeledBreakTarget: Bool
}

final class CGFunctionCompiler {
    let ctx: CGCompilationContext
    let parent: CGFunctionCompiler?
    /// Number of the parent's scopes visible from this function (those active at closure creation).
    let parentScopeCount: Int
    let node: FunctionNode?
    let info: CGFunctionInfo
    let isStrict: Bool
    let name: String
    /// `this` may be uninitialised (derived constructors and arrows inside them).
    let thisNeedsCheck: Bool
    let isDerivedConstructor: Bool

    var code: [Instruction] = []
    var constants: [Constant] = []
    private var constantIndex: [ConstKey: Int] = [:]
    var children: [FunctionCode] = []
    var handlers: [ExceptionHandler] = []
    var lineTable: [LineTableEntry] = []

    var freeReg = 1
    var maxReg = 1
    var isLocal: [Bool] = [true]
    var envDepth = 0
    var scopes: [CGScope] = []
    var control: [CGControlEntry] = []
    var activeRegions: [CGRegion] = []
    /// Labels of the optional chains being compiled (innermost last).
    var chainLabels: [CGLabel] = []
    /// Literal expressions preloaded into registers for a loop (loop-invariant comparison operands).
    var preloaded: [ObjectIdentifier: Int] = [:]
    var preloadedValues: [LiteralKey: Int] = [:]
    static let maxPreloads = 8
    /// Emit `subtractConst` for `x - <number>` (turn on once the interpreter implements it).
    static let emitSubtractConst = true
    /// Memo for `mayWriteLocals`.
    var writeMemo: [ObjectIdentifier: Bool] = [:]
    /// While compiling the default / pattern of parameter i: i, and each parameter name's index.
    /// A same-function reference to a parameter not yet initialised throws (parameter TDZ).
    var currentParameter: Int? = nil
    var parameterIndex: [String: Int] = [:]
    var simpleParameterNames: Set<String> = []
    /// Labels that apply to the next loop statement (`L: for ...`).
    var pendingLabels: [String] = []
    /// The source position last recorded in the line table (for compile-time errors).
    var lastPosition: SourcePosition? = nil
    var lastLine: Int32 = -1
    var lastColumn: Int32 = -1
    let position: SourcePosition

    init(ctx: CGCompilationContext, parent: CGFunctionCompiler?, node: FunctionNode?, info: CGFunctionInfo, isStrict: Bool,
         name: String, position: SourcePosition) {
        self.ctx = ctx
        self.parent = parent
        self.parentScopeCount = parent?.scopes.count ?? 0
        self.node = node
        self.info = info
        self.isStrict = isStrict
        self.name = name
        self.position = position
        let kind = node?.kind
        isDerivedConstructor = kind == .derivedConstructor
        if kind == .arrow {
            thisNeedsCheck = parent?.thisNeedsCheck ?? false
        } else {
            thisNeedsCheck = kind == .derivedConstructor
        }
    }

    // MARK: Errors

    func error(_ message: String, at pos: SourcePosition? = nil) -> SyntaxError {
        ctx.error(message, at: pos ?? lastPosition ?? position)
    }

    // MARK: Registers

    func allocReg() throws(SyntaxError) -> Int {
        let r = freeReg
        if r >= 0xFFFF { throw error("function too large") }
        freeReg += 1
        if freeReg > maxReg { maxReg = freeReg }
        if isLocal.count <= r { isLocal.append(false) } else { isLocal[r] = false }
        return r
    }

    func allocRegs(_ n: Int) throws(SyntaxError) -> Int {
        let base = freeReg
        for _ in 0..<n { _ = try allocReg() }
        return base
    }

    func allocLocal() throws(SyntaxError) -> Int {
        let r = try allocReg()
        isLocal[r] = true
        return r
    }

    /// Releases registers down to `mark` (LIFO).
    func release(to mark: Int) {
        var r = mark
        while r < freeReg && r < isLocal.count {
            isLocal[r] = false
            r += 1
        }
        freeReg = mark
    }

    func isLocalReg(_ r: Int) -> Bool { r < isLocal.count && isLocal[r] }

    // MARK: Constants

    private enum ConstKey: Hashable {
        case number(UInt64)
        case string([UInt16])
    }

    func constant(_ c: Constant) -> Int {
        let key: ConstKey
        switch c {
        case .number(let d): key = .number(d.bitPattern)
        case .string(let s): key = .string(s)
        }
        if let i = constantIndex[key] { return i }
        let i = constants.count
        constants.append(c)
        constantIndex[key] = i
        return i
    }

    func stringConstant(_ s: String) -> Int { constant(.string(Array(s.utf16))) }
    func stringConstant(_ s: [UInt16]) -> Int { constant(.string(s)) }

    /// A constant index usable in a 16-bit operand.
    func smallConstant(_ c: Constant) throws(SyntaxError) -> Int {
        let i = constant(c)
        if i > 0xFFFF { throw error("function too large") }
        return i
    }

    func nameConstant(_ s: String) throws(SyntaxError) -> Int { try smallConstant(.string(Array(s.utf16))) }

    // MARK: Emission

    var pc: Int { code.count }

    @discardableResult
    func emit(_ op: Opcode, _ a: Int = 0, _ b: Int = 0, _ c: Int = 0, d: Int = 0) -> Int {
        code.append(Instruction(op, a: a, b: b, c: c, d: d))
        return code.count - 1
    }

    @discardableResult
    func emitBx(_ op: Opcode, _ a: Int, _ bx: Int) -> Int {
        code.append(Instruction(op, a: a, bx: UInt32(truncatingIfNeeded: bx)))
        return code.count - 1
    }

    /// `throwError`: D = the ErrorKind index, Bx = the message constant.
    func emitThrowError(_ kind: ErrorKind, _ message: String) {
        let k = ErrorKind.allCases.firstIndex(of: kind)!
        code.append(Instruction(.throwError, a: 0, bx: UInt32(stringConstant(message)), d: k))
    }

    func emitAux(_ value: Int64) {
        code.append(Instruction(raw: UInt64(bitPattern: value)))
    }

    func newLabel() -> CGLabel { CGLabel() }

    func bind(_ l: CGLabel) {
        let target = pc
        l.pc = target
        for f in l.fixups {
            if f.aux {
                code[f.index + 1] = Instruction(raw: UInt64(bitPattern: Int64(target - (f.index + 2))))
            } else {
                let off = Int32(target - (f.index + 1))
                let op = code[f.index].opcode
                let a = code[f.index].a
                code[f.index] = Instruction(op, a: a, sbx: off)
            }
        }
        l.fixups.removeAll()
    }

    /// Unconditional jump; backward jumps are `loop` (the budget check point).
    func emitJump(to l: CGLabel) {
        if let t = l.pc {
            let i = pc
            code.append(Instruction(.loop, a: 0, sbx: Int32(t - (i + 1))))
        } else {
            let i = emit(.jump)
            l.fixups.append((i, false))
        }
    }

    /// Conditional jump with an sBx offset (forward targets only).
    func emitCondJump(_ op: Opcode, _ a: Int, to l: CGLabel) {
        let i = emit(op, a)
        precondition(l.pc == nil, "backward conditional jump")
        l.fixups.append((i, false))
    }

    /// Instruction with an AUX jump offset (forward targets only).
    func emitAuxJump(_ op: Opcode, _ a: Int, _ b: Int, _ c: Int = 0, to l: CGLabel) {
        let i = emit(op, a, b, c)
        emitAux(0)
        precondition(l.pc == nil, "backward conditional jump")
        l.fixups.append((i, true))
    }

    func markPosition(_ pos: SourcePosition) {
        lastPosition = pos
        if pos.line == lastLine && pos.column == lastColumn { return }
        lastLine = pos.line
        lastColumn = pos.column
        let entry = LineTableEntry(pc: pc, line: pos.line, column: pos.column)
        if let last = lineTable.last, last.pc == pc {
            lineTable[lineTable.count - 1] = entry
        } else {
            lineTable.append(entry)
        }
    }

    func loadNumber(_ d: Double, into r: Int) {
        if d == d.rounded(.towardZero), abs(d) <= 2_000_000_000, !(d == 0 && d.sign == .minus) {
            emitBx(.loadInt, r, Int(Int32(d)) & 0xFFFF_FFFF)
        } else {
            emitBx(.loadConst, r, constant(.number(d)))
        }
    }

    // MARK: Scopes

    func scopeInfo(_ key: CGScopeKey) -> CGScopeInfo? { ctx.resolver.scopes[key] }

    /// Enters a scope: allocates registers / env slots for its bindings, pushes an environment when
    /// some binding is captured, and starts the TDZ of lexical bindings that need it.
    /// `fixed` gives registers for bindings that already live somewhere (parameters, catch value).
    @discardableResult
    func enterScope(_ info: CGScopeInfo, fixed: [String: Int] = [:], pushEnv: Bool = true) throws(SyntaxError) -> CGScope {
        let s = CGScope(info: info)
        s.registerMark = freeReg
        var slot = 0
        for b in info.order where b.captured {
            s.locations[b.name] = .env(slot: slot)
            slot += 1
        }
        if slot > 0 {
            s.hasEnv = true
            if pushEnv {
                emit(.pushEnvironment, slot)
                envDepth += 1
            }
        }
        for b in info.order where !b.captured {
            if let r = fixed[b.name] {
                s.locations[b.name] = .register(r)
                if r < isLocal.count { isLocal[r] = true }
            } else {
                s.locations[b.name] = .register(try allocLocal())
            }
        }
        scopes.append(s)
        try startTDZ(s)
        return s
    }

    func startTDZ(_ s: CGScope) throws(SyntaxError) {
        var tmp: Int? = nil
        let mark = freeReg
        for b in s.info.order where b.kind.hasTDZ && b.needsTDZ {
            switch s.locations[b.name]! {
            case .register(let r): emit(.loadUninitialized, r)
            case .env(let slot):
                if tmp == nil {
                    tmp = try allocReg()
                    emit(.loadUninitialized, tmp!)
                }
                emit(.setEnv, tmp!, 0, slot)
            }
        }
        release(to: mark)
    }

    func exitScope(emitPop: Bool = true) {
        let s = scopes.removeLast()
        if s.hasEnv && emitPop {
            emit(.popEnvironment)
            envDepth -= 1
        }
        release(to: s.registerMark)
    }

    func popEnvironments(to depth: Int) {
        var d = envDepth
        while d > depth {
            emit(.popEnvironment)
            d -= 1
        }
    }

    /// Resolves a name through this function's scopes and the enclosing functions'.
    func lookup(_ name: String) throws(SyntaxError) -> CGVarRef {
        var hops = 0
        var fc: CGFunctionCompiler? = self
        var limit = scopes.count
        while let f = fc {
            var i = limit - 1
            while i >= 0 {
                let sc = f.scopes[i]
                if let b = sc.info.bindings[name], let loc = sc.locations[name] {
                    switch loc {
                    case .register(let r):
                        if f !== self { throw error("internal error: uncaptured variable '\(name)'") }
                        return .register(r, b)
                    case .env(let slot):
                        return .env(hops: hops, slot: slot, b)
                    }
                }
                if sc.hasEnv { hops += 1 }
                i -= 1
            }
            limit = f.parentScopeCount
            fc = f.parent
        }
        return .global(name)
    }

    // MARK: Exception regions

    func openRegion(owner: Int) -> CGRegion {
        let r = CGRegion(owner: owner)
        r.openStart = pc
        activeRegions.append(r)
        return r
    }

    func suspend(_ r: CGRegion) -> Bool {
        guard let s = r.openStart else { return false }
        if pc > s { r.segments.append((s, pc)) }
        r.openStart = nil
        return true
    }

    func resume(_ r: CGRegion) { r.openStart = pc }

    func closeRegion(_ r: CGRegion) {
        _ = suspend(r)
        if let i = activeRegions.lastIndex(where: { $0 === r }) { activeRegions.remove(at: i) }
    }

    func addHandlers(_ r: CGRegion, handler: Int, register: Int) {
        for (s, e) in r.segments where e > s {
            handlers.append(ExceptionHandler(start: s, end: e, handler: handler, register: register))
        }
    }

    // MARK: Finishing

    func finish(parameterCount: Int, length: Int, flags: FunctionCode.Flags, sourceText: String) throws(SyntaxError) -> FunctionCode {
        if maxReg > 0xFFFF { throw error("function too large") }
        return FunctionCode(name: name, code: code, constants: constants, children: children,
                            parameterCount: parameterCount, length: length, registerCount: maxReg, flags: flags,
                            handlers: handlers, lineTable: lineTable, sourceName: ctx.sourceName, sourceText: sourceText)
    }
}
