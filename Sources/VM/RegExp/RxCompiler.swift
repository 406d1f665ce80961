// Compiles a parsed pattern to a small program for the backtracking matcher (RxMatcher.swift).

/// One instruction of a compiled pattern.
enum RxOp {
    /// Match one code unit (forward / backward).
    case unit(UInt16)
    case unitBack(UInt16)
    /// Match one character in `sets[i]` (a code point in Unicode mode).
    case set(Int)
    case setBack(Int)
    case bol
    case bolMulti
    case eol
    case eolMulti
    case wordBoundary(negated: Bool)
    /// Try pc+1 first; on failure resume at the target.
    case splitNext(Int)
    /// Try the target first; on failure resume at pc+1.
    case splitJump(Int)
    case jump(Int)
    /// Remember where a group starts (forward) or ends (backward) in `regs[reg]`.
    case open(reg: Int)
    /// Record capture `group` from `regs[reg]` to the current position.
    case close(group: Int, reg: Int, back: Bool)
    /// Set captures [from, to) to undefined (start of a quantifier iteration).
    case resetCaps(from: Int, to: Int)
    case backref(group: Int, back: Bool)
    case counterInit(reg: Int)
    /// Decide whether to run another iteration; the body follows, `exit` is after the loop.
    case loopHead(counter: Int, min: Int, max: Int, greedy: Bool, exit: Int)
    case setPosReg(Int)
    /// End of an iteration: empty check (posReg ≥ 0), count, and jump back to the head.
    case loopTail(counter: Int, posReg: Int, min: Int, head: Int)
    /// Fail if no input was consumed since `regs[posReg]` (optional iterations of `*` and `?`).
    case emptyCheck(posReg: Int)
    case lookStart(reg: Int, negative: Bool, end: Int)
    case lookEnd(reg: Int, negative: Bool)
    /// A quantified single character: consumes greedily or lazily without per-iteration state.
    case repeatSet(set: Int, min: Int, max: Int, greedy: Bool, back: Bool)
    case succeed
}

/// A compiled pattern. Immutable; shared between regexp objects and runtimes.
final class RxProgram: @unchecked Sendable {
    let ops: ContiguousArray<RxOp>
    let sets: [RxCharSet]
    /// Number of capturing groups (not counting the whole match).
    let captureCount: Int
    let groupNames: [(name: [UInt16], index: Int)]
    let registerCount: Int
    let ignoreCase: Bool
    let multiline: Bool
    let unicode: Bool
    /// Only matches at position 0 (starts with `^` without the m flag).
    let anchoredAtStart: Bool
    /// Code units a match can start with (nil: any, or the pattern may match empty).
    let firstUnits: RxCharSet?
    /// Index of a leading greedy unbounded single-character repeat when the program has no
    /// backreferences (a failed attempt then rules out starts inside the run it scanned), or -1.
    let leadRepeatPC: Int
    /// Rough size of this program in bytes (charged to the heap of each RegExp object using it).
    let approximateBytes: Int

    init(ops: ContiguousArray<RxOp>, sets: [RxCharSet], captureCount: Int, groupNames: [(name: [UInt16], index: Int)],
         registerCount: Int, flags: RxFlags, anchoredAtStart: Bool, firstUnits: RxCharSet?) {
        self.ops = ops
        self.sets = sets
        self.captureCount = captureCount
        self.groupNames = groupNames
        self.registerCount = registerCount
        ignoreCase = flags.contains(.ignoreCase)
        multiline = flags.contains(.multiline)
        unicode = flags.isUnicodeMode
        self.anchoredAtStart = anchoredAtStart
        self.firstUnits = firstUnits
        var lead = -1
        var k = 0
        while k < ops.count, case .open = ops[k] { k += 1 }
        if k < ops.count, case .repeatSet(_, _, let mx, true, false) = ops[k], mx == RxParser.infinity {
            lead = k
            for op in ops { if case .backref = op { lead = -1; break } }
        }
        leadRepeatPC = lead
        var bytes = 128 + ops.count * MemoryLayout<RxOp>.stride + (firstUnits?.rangeCount ?? 0) * 8
        for set in sets { bytes += 32 + set.rangeCount * 8 }
        approximateBytes = bytes
    }

    /// Group name of capture `i`, if named.
    func name(ofGroup i: Int) -> [UInt16]? {
        for g in groupNames where g.index == i { return g.name }
        return nil
    }

    /// Parses and compiles; a SyntaxError message on failure.
    static func compile(pattern: [UInt16], flags: RxFlags) -> Result<RxProgram, RxSyntaxError> {
        switch RxParser.parse(pattern, flags: flags) {
        case .failure(let e): return .failure(e)
        case .success(let parsed):
            var c = RxCompiler(flags: flags)
            return c.compile(parsed)
        }
    }
}

struct RxCompiler {
    static let maxProgramSize = 1 << 22

    var ops = ContiguousArray<RxOp>()
    var sets: [RxCharSet] = []
    var setIndex: [[UInt32]: Int] = [:]
    var registerCount = 0
    var groupRegs: [Int] = []
    let flags: RxFlags
    let unicode: Bool
    let ignoreCase: Bool
    let caseTable: RxCaseTable?
    var tooLarge = false

    init(flags: RxFlags) {
        self.flags = flags
        unicode = flags.isUnicodeMode
        ignoreCase = flags.contains(.ignoreCase)
        caseTable = ignoreCase ? (unicode ? RxCaseTable.unicode : RxCaseTable.legacy) : nil
    }

    mutating func compile(_ parsed: RxParsed) -> Result<RxProgram, RxSyntaxError> {
        let node = lower(parsed.node)
        groupRegs = (0...parsed.captureCount).map { _ in -1 }
        for i in 1..<(parsed.captureCount + 1) { groupRegs[i] = newReg() }
        emit(node, back: false)
        ops.append(.succeed)
        if tooLarge || ops.count > RxCompiler.maxProgramSize {
            return .failure(RxSyntaxError(message: "Regular expression too large"))
        }
        let anchored = !flags.contains(.multiline) && RxCompiler.isAnchored(node)
        var first: RxCharSet? = nil
        if !anchored, let fs = firstSet(node) {
            let units = unitSet(fs)
            if units.rangeCount > 0 && !(units.rangeCount == 1 && units.pairs[0].0 == 0 && units.pairs[0].1 >= 0xFFFF) {
                first = units
            }
        }
        return .success(RxProgram(ops: ops, sets: sets, captureCount: parsed.captureCount,
                                  groupNames: parsed.groupNames, registerCount: registerCount, flags: flags,
                                  anchoredAtStart: anchored, firstUnits: first))
    }

    mutating func newReg() -> Int {
        registerCount += 1
        return registerCount - 1
    }

    mutating func addSet(_ s: RxCharSet) -> Int {
        if let i = setIndex[s.ranges] { return i }
        sets.append(s)
        setIndex[s.ranges] = sets.count - 1
        return sets.count - 1
    }

    // MARK: Lowering

    /// Applies case-insensitivity to literal characters and merges alternations of single
    /// characters into one set.
    func lower(_ n: RxNode) -> RxNode {
        switch n {
        case .char(let c):
            if let t = caseTable {
                let eq = t.equivalents(c)
                if eq.count > 1 { return .set(RxCharSet(ranges: eq.map { ($0, $0) })) }
            }
            return n
        case .seq(let items): return .seq(items.map { lower($0) })
        case .alt(let items):
            let l = items.map { lower($0) }
            var merged: RxCharSet? = RxCharSet()
            for x in l {
                switch x {
                case .char(let c): merged = merged?.union(.single(c))
                case .set(let s): merged = merged?.union(s)
                default: merged = nil
                }
                if merged == nil { break }
            }
            if let m = merged { return .set(m) }
            return .alt(l)
        case .group(let i, let b): return .group(i, lower(b))
        case .look(let behind, let negative, let b): return .look(behind: behind, negative: negative, lower(b))
        case .quant(let b, let mn, let mx, let g, let cf, let ce):
            return .quant(lower(b), min: mn, max: mx, greedy: g, capFirst: cf, capEnd: ce)
        default: return n
        }
    }

    static func canMatchEmpty(_ n: RxNode) -> Bool {
        switch n {
        case .char, .set: return false
        case .seq(let items): return items.allSatisfy { canMatchEmpty($0) }
        case .alt(let items): return items.contains { canMatchEmpty($0) }
        case .group(_, let b): return canMatchEmpty(b)
        case .quant(let b, let mn, _, _, _, _): return mn == 0 || canMatchEmpty(b)
        default: return true
        }
    }

    static func isAnchored(_ n: RxNode) -> Bool {
        switch n {
        case .bol: return true
        case .seq(let items): return items.first.map { isAnchored($0) } ?? false
        case .alt(let items): return items.allSatisfy { isAnchored($0) }
        case .group(_, let b): return isAnchored(b)
        default: return false
        }
    }

    /// The characters a forward match of `n` can start with; nil when unknown or when `n` can
    /// match the empty string.
    func firstSet(_ n: RxNode) -> RxCharSet? {
        switch n {
        case .char(let c): return .single(c)
        case .set(let s): return s
        case .seq(let items):
            var acc = RxCharSet()
            for x in items {
                switch x {
                case .bol, .eol, .wordBoundary, .look: continue
                default: break
                }
                if RxCompiler.canMatchEmpty(x) {
                    guard let f = firstSetAllowingEmpty(x) else { return nil }
                    acc = acc.union(f)
                    continue
                }
                guard let f = firstSet(x) else { return nil }
                return acc.union(f)
            }
            return nil
        case .alt(let items):
            var acc = RxCharSet()
            for x in items {
                guard let f = firstSet(x) else { return nil }
                acc = acc.union(f)
            }
            return acc
        case .group(_, let b): return firstSet(b)
        case .quant(let b, let mn, let mx, _, _, _):
            if mn == 0 || mx == 0 { return nil }
            return firstSet(b)
        default: return nil
        }
    }

    /// First characters of the non-empty matches of `n` (for an item that may match empty).
    func firstSetAllowingEmpty(_ n: RxNode) -> RxCharSet? {
        switch n {
        case .quant(let b, _, let mx, _, _, _):
            if mx == 0 { return RxCharSet() }
            return firstSet(b) ?? firstSetAllowingEmpty(b)
        case .group(_, let b): return firstSetAllowingEmpty(b)
        case .seq, .alt:
            // Conservative: only handle when every part is known.
            switch n {
            case .alt(let items):
                var acc = RxCharSet()
                for x in items {
                    if let f = firstSet(x) { acc = acc.union(f); continue }
                    guard let f = firstSetAllowingEmpty(x) else { return nil }
                    acc = acc.union(f)
                }
                return acc
            default: return nil
            }
        case .empty: return RxCharSet()
        default: return nil
        }
    }

    /// A code-point set as the set of first code units of its members.
    func unitSet(_ s: RxCharSet) -> RxCharSet {
        guard s.hasAstral else { return s }
        var out: [(UInt32, UInt32)] = []
        for (lo, hi) in s.pairs {
            if lo <= 0xFFFF { out.append((lo, min(hi, 0xFFFF))) }
            if hi > 0xFFFF {
                let a = max(lo, 0x10000)
                out.append((0xD800 + ((a - 0x10000) >> 10), 0xD800 + ((hi - 0x10000) >> 10)))
            }
        }
        return RxCharSet(ranges: out)
    }

    // MARK: Emission

    var pc: Int { ops.count }

    mutating func patch(_ at: Int, _ op: RxOp) { ops[at] = op }

    mutating func emitChar(_ c: UInt32, back: Bool) {
        if c <= 0xFFFF && (!unicode || c & 0xF800 != 0xD800) {
            ops.append(back ? .unitBack(UInt16(c)) : .unit(UInt16(c)))
        } else if c > 0xFFFF {
            let hi = UInt16(0xD800 + ((c - 0x10000) >> 10)), lo = UInt16(0xDC00 + ((c - 0x10000) & 0x3FF))
            if back {
                ops.append(.unitBack(lo)); ops.append(.unitBack(hi))
            } else {
                ops.append(.unit(hi)); ops.append(.unit(lo))
            }
        } else {
            let i = addSet(.single(c))
            ops.append(back ? .setBack(i) : .set(i))
        }
    }

    mutating func emit(_ n: RxNode, back: Bool) {
        if ops.count > RxCompiler.maxProgramSize { tooLarge = true; return }
        switch n {
        case .empty:
            break
        case .char(let c):
            emitChar(c, back: back)
        case .set(let s):
            if let c = s.singleMember { emitChar(c, back: back); return }
            let i = addSet(s)
            ops.append(back ? .setBack(i) : .set(i))
        case .seq(let items):
            if back { for x in items.reversed() { emit(x, back: back) } }
            else { for x in items { emit(x, back: back) } }
        case .alt(let items):
            var jumps: [Int] = []
            for (k, x) in items.enumerated() {
                if k < items.count - 1 {
                    let split = pc
                    ops.append(.splitNext(-1))
                    emit(x, back: back)
                    jumps.append(pc)
                    ops.append(.jump(-1))
                    patch(split, .splitNext(pc))
                } else {
                    emit(x, back: back)
                }
            }
            for j in jumps { patch(j, .jump(pc)) }
        case .group(let i, let b):
            ops.append(.open(reg: groupRegs[i]))
            emit(b, back: back)
            ops.append(.close(group: i, reg: groupRegs[i], back: back))
        case .backref(let i):
            ops.append(.backref(group: i, back: back))
        case .bol:
            ops.append(flags.contains(.multiline) ? .bolMulti : .bol)
        case .eol:
            ops.append(flags.contains(.multiline) ? .eolMulti : .eol)
        case .wordBoundary(let neg):
            ops.append(.wordBoundary(negated: neg))
        case .look(let behind, let negative, let b):
            let reg = newReg()
            let start = pc
            ops.append(.lookStart(reg: reg, negative: negative, end: -1))
            emit(b, back: behind)
            ops.append(.lookEnd(reg: reg, negative: negative))
            patch(start, .lookStart(reg: reg, negative: negative, end: pc))
        case .quant(let b, let mn, let mx, let greedy, let cf, let ce):
            emitQuant(b, min: mn, max: mx, greedy: greedy, capFirst: cf, capEnd: ce, back: back)
        }
    }

    mutating func emitQuant(_ b: RxNode, min mn: Int, max mx: Int, greedy: Bool, capFirst: Int, capEnd: Int,
                            back: Bool) {
        if mx == 0 { return }
        // Single characters: one instruction.
        switch b {
        case .char(let c):
            ops.append(.repeatSet(set: addSet(.single(c)), min: mn, max: mx, greedy: greedy, back: back))
            return
        case .set(let s):
            ops.append(.repeatSet(set: addSet(s), min: mn, max: mx, greedy: greedy, back: back))
            return
        default: break
        }
        if mn == 1 && mx == 1 {
            emit(b, back: back)
            return
        }
        let needsEmptyCheck = RxCompiler.canMatchEmpty(b)
        let hasCaps = capEnd > capFirst
        if mn == 0 && (mx == 1 || mx == RxParser.infinity) {
            let posReg = needsEmptyCheck ? newReg() : -1
            let head = pc
            ops.append(.splitNext(-1))
            if posReg >= 0 { ops.append(.setPosReg(posReg)) }
            if hasCaps { ops.append(.resetCaps(from: capFirst, to: capEnd)) }
            emit(b, back: back)
            if posReg >= 0 { ops.append(.emptyCheck(posReg: posReg)) }
            if mx != 1 { ops.append(.jump(head)) }
            // Lazy: splitJump tries the exit first and resumes at head+1 (the body) on failure.
            patch(head, greedy ? .splitNext(pc) : .splitJump(pc))
            return
        }
        let counter = newReg()
        let posReg = needsEmptyCheck ? newReg() : -1
        ops.append(.counterInit(reg: counter))
        let head = pc
        ops.append(.loopHead(counter: counter, min: mn, max: mx, greedy: greedy, exit: -1))
        if posReg >= 0 { ops.append(.setPosReg(posReg)) }
        if hasCaps { ops.append(.resetCaps(from: capFirst, to: capEnd)) }
        emit(b, back: back)
        ops.append(.loopTail(counter: counter, posReg: posReg, min: mn, head: head))
        patch(head, .loopHead(counter: counter, min: mn, max: mx, greedy: greedy, exit: pc))
    }
}
