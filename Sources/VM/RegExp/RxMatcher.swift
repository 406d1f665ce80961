// The backtracking matcher: runs an RxProgram over UTF-16 code units.
//
// All state lives in explicit buffers: captures, registers (group starts, loop counters, saved
// positions) and a backtrack stack of choice points and undo records. Every write to a capture
// or register is logged so that backtracking restores the exact earlier state, which gives the
// spec's semantics for captures inside quantifiers and lookarounds. No native recursion depends
// on the input or the pattern, and the work is charged to the runtime's instruction budget.

/// A backtrack-stack record: `tag` is the kind (low 3 bits) and a program counter (the rest).
struct RxEntry {
    var tag: Int32
    var a: Int32
    var b: Int
}

final class RxMatcher {
    static let tChoice: Int32 = 0
    static let tUndoReg: Int32 = 1
    static let tUndoCap: Int32 = 2
    static let tGreedyFwd: Int32 = 3
    static let tGreedyBack: Int32 = 4
    static let tLazy: Int32 = 5
    static let tLook: Int32 = 6

    static let initialStackEntries = 64

    /// Gives back a backtrack stack that grew large (called after a match).
    func shrinkStack() {
        if stackCapacity > 1 << 14 {
            stack.deallocate()
            stackCapacity = RxMatcher.initialStackEntries
            stack = .allocate(capacity: stackCapacity)
        }
    }

    /// Largest backtrack stack (entries) before the match fails with a RangeError.
    static let maxStackEntries = 1 << 23

    let program: RxProgram
    /// 2 × (captureCount + 1) positions; -1 for undefined. Valid after a successful match.
    let caps: UnsafeMutablePointer<Int>
    let capsCount: Int
    let regs: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) var stack: UnsafeMutablePointer<RxEntry>
    @exclusivity(unchecked) var stackCapacity: Int
    let caseTable: RxCaseTable?
    let extendedWord: Bool
    /// Copies of the program's instructions and sets (stable pointers for the run loop).
    let opsBuffer: UnsafeMutableBufferPointer<RxOp>
    let setsBuffer: UnsafeMutableBufferPointer<RxCharSet>
    /// Where the scan of the program's leading greedy repeat ended in the last run (-1: not reached).
    @exclusivity(unchecked) var leadScanEnd = -1

    nonisolated(unsafe) private static let emptyInput: UnsafeMutablePointer<UInt16> = {
        let p = UnsafeMutablePointer<UInt16>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()

    init(program: RxProgram) {
        self.program = program
        capsCount = 2 * (program.captureCount + 1)
        caps = .allocate(capacity: capsCount)
        caps.initialize(repeating: -1, count: capsCount)
        regs = .allocate(capacity: max(program.registerCount, 1))
        regs.initialize(repeating: -1, count: max(program.registerCount, 1))
        stackCapacity = RxMatcher.initialStackEntries
        stack = .allocate(capacity: stackCapacity)
        caseTable = program.ignoreCase ? (program.unicode ? RxCaseTable.unicode : RxCaseTable.legacy) : nil
        extendedWord = program.ignoreCase && program.unicode
        opsBuffer = .allocate(capacity: program.ops.count)
        _ = opsBuffer.initialize(from: program.ops)
        setsBuffer = .allocate(capacity: max(program.sets.count, 1))
        _ = setsBuffer.initialize(from: program.sets)
    }

    deinit {
        opsBuffer.deallocate()
        setsBuffer.baseAddress!.deinitialize(count: program.sets.count)
        setsBuffer.deallocate()
        caps.deallocate()
        regs.deallocate()
        stack.deallocate()
    }

    /// Capture `i` as a code-unit range, or nil when undefined.
    func capture(_ i: Int) -> Range<Int>? {
        let s = caps[2 * i], e = caps[2 * i + 1]
        if s < 0 || e < 0 { return nil }
        return s..<e
    }

    private func growStack(_ rt: Runtime) throws(VMError) {
        let newCap = stackCapacity * 2
        if newCap > RxMatcher.maxStackEntries {
            throw rt.rangeError("Maximum call stack size exceeded (regular expression too complex)")
        }
        let bytes = newCap * MemoryLayout<RxEntry>.stride
        if bytes > (1 << 20) && !rt.heap.canAllocate(bytes) { throw VMError.terminated(.memory) }
        let n = UnsafeMutablePointer<RxEntry>.allocate(capacity: newCap)
        n.moveInitialize(from: stack, count: stackCapacity)
        stack.deallocate()
        stack = n
        stackCapacity = newCap
    }

    // MARK: Search

    /// Finds the first match starting at or after `start` (exactly at `start` when sticky).
    /// On success `caps` holds the match.
    func search(_ input: ContiguousArray<UInt16>, from start: Int, sticky: Bool, rt: Runtime) throws(VMError) -> Bool {
        defer { shrinkStack() }
        return try input.withUnsafeBufferPointer { (buf) throws(VMError) -> Bool in
            let p = buf.baseAddress ?? UnsafePointer(RxMatcher.emptyInput)
            return try search(p, count: buf.count, from: start, sticky: sticky, rt: rt)
        }
    }

    func search(_ p: UnsafePointer<UInt16>, count n: Int, from start: Int, sticky: Bool,
                rt: Runtime) throws(VMError) -> Bool {
        let unicode = program.unicode
        var s = start
        if s > n { return false }
        if unicode && s > 0 && s < n && p[s] & 0xFC00 == 0xDC00 && p[s - 1] & 0xFC00 == 0xD800 { s -= 1 }
        if program.anchoredAtStart {
            if s != 0 { return false }
            return try run(p, n, 0, rt)
        }
        if sticky { return try run(p, n, s, rt) }
        var skipped = 0
        defer { if skipped > 0 { try? rt.charge(skipped >> 2) } }
        if let first = program.firstUnits {
            while true {
                let from = s
                while s < n {
                    let u = p[s]
                    if first.contains(UInt32(u)) {
                        if unicode && u & 0xFC00 == 0xDC00 && s > 0 && p[s - 1] & 0xFC00 == 0xD800 {
                            s += 1
                            continue
                        }
                        break
                    }
                    s += 1
                }
                skipped &+= s - from
                if skipped > 4096 { try rt.charge(skipped >> 2); skipped = 0 }
                if s >= n { return false }
                if try run(p, n, s, rt) { return true }
                s = leadScanEnd > s ? leadScanEnd : s + 1
            }
        }
        while true {
            if try run(p, n, s, rt) { return true }
            if s >= n { return false }
            if leadScanEnd > s { s = leadScanEnd; continue }
            if unicode && p[s] & 0xFC00 == 0xD800 && s + 1 < n && p[s + 1] & 0xFC00 == 0xDC00 { s += 2 } else { s += 1 }
        }
    }

    // MARK: Running

    /// Tries to match at exactly `start`.
    func run(_ p: UnsafePointer<UInt16>, _ n: Int, _ start: Int, _ rt: Runtime) throws(VMError) -> Bool {
        let program = self.program
        let unicode = program.unicode
        let caps = self.caps
        let regs = self.regs
        sp = 0
        var pc = 0
        var pos = start
        var steps = 0

        @inline(__always) func readFwd(_ q: Int) -> (UInt32, Int) {
            let u = p[q]
            if unicode && u & 0xFC00 == 0xD800 && q + 1 < n && p[q + 1] & 0xFC00 == 0xDC00 {
                return (0x10000 + ((UInt32(u) - 0xD800) << 10) + (UInt32(p[q + 1]) - 0xDC00), 2)
            }
            return (UInt32(u), 1)
        }
        @inline(__always) func readBack(_ q: Int) -> (UInt32, Int) {
            let u = p[q - 1]
            if unicode && u & 0xFC00 == 0xDC00 && q - 2 >= 0 && p[q - 2] & 0xFC00 == 0xD800 {
                return (0x10000 + ((UInt32(p[q - 2]) - 0xD800) << 10) + (UInt32(u) - 0xDC00), 2)
            }
            return (UInt32(u), 1)
        }
        let extendedWord = self.extendedWord
        @inline(__always) func isWord(_ q: Int) -> Bool {
            q >= 0 && q < n && RxClasses.isWordUnit(p[q], extended: extendedWord)
        }

        let ops = self.opsBuffer
        let sets = self.setsBuffer
        leadScanEnd = -1
        let leadPC = program.leadRepeatPC
        do {
            do {
                while true {
                    steps &+= 1
                    if steps >= 2048 { try rt.charge(steps); steps = 0 }
                    var ok = true
                    switch ops[pc] {
                    case .unit(let c):
                        if pos < n && p[pos] == c { pos += 1; pc += 1 } else { ok = false }
                    case .unitBack(let c):
                        if pos > 0 && p[pos - 1] == c { pos -= 1; pc += 1 } else { ok = false }
                    case .set(let i):
                        if pos < n {
                            let (c, w) = readFwd(pos)
                            if sets[i].contains(c) { pos += w; pc += 1 } else { ok = false }
                        } else { ok = false }
                    case .setBack(let i):
                        if pos > 0 {
                            let (c, w) = readBack(pos)
                            if sets[i].contains(c) { pos -= w; pc += 1 } else { ok = false }
                        } else { ok = false }
                    case .bol:
                        if pos == 0 { pc += 1 } else { ok = false }
                    case .bolMulti:
                        if pos == 0 || RxClasses.isLineTerminator(p[pos - 1]) { pc += 1 } else { ok = false }
                    case .eol:
                        if pos == n { pc += 1 } else { ok = false }
                    case .eolMulti:
                        if pos == n || RxClasses.isLineTerminator(p[pos]) { pc += 1 } else { ok = false }
                    case .wordBoundary(let negated):
                        let a = isWord(pos - 1), b = isWord(pos)
                        if (a != b) != negated { pc += 1 } else { ok = false }
                    case .splitNext(let t):
                        try push(rt, RxMatcher.tChoice | Int32(t << 3), 0, pos)
                        pc += 1
                    case .splitJump(let t):
                        try push(rt, RxMatcher.tChoice | Int32((pc + 1) << 3), 0, pos)
                        pc = t
                    case .jump(let t):
                        pc = t
                    case .open(let r):
                        try setReg(rt, r, pos)
                        pc += 1
                    case .close(let g, let r, let back):
                        let o = regs[r]
                        if back { try setCap(rt, g, pos, o) } else { try setCap(rt, g, o, pos) }
                        pc += 1
                    case .resetCaps(let from, let to):
                        for g in from..<to where caps[2 * g] >= 0 || caps[2 * g + 1] >= 0 {
                            try setCap(rt, g, -1, -1)
                        }
                        pc += 1
                    case .backref(let g, let back):
                        let s = caps[2 * g], e = caps[2 * g + 1]
                        if s < 0 || e < 0 { pc += 1; break }
                        let len = e - s
                        if back {
                            if pos - len < 0 || !equalRanges(p, s, pos - len, len) { ok = false }
                            else { pos -= len; pc += 1 }
                        } else {
                            if pos + len > n || !equalRanges(p, s, pos, len) { ok = false }
                            else { pos += len; pc += 1 }
                        }
                    case .counterInit(let r):
                        try setReg(rt, r, 0)
                        pc += 1
                    case .loopHead(let counter, let min, let max, let greedy, let exit):
                        let c = regs[counter]
                        if c < min {
                            pc += 1
                        } else if c >= max {
                            pc = exit
                        } else if greedy {
                            try push(rt, RxMatcher.tChoice | Int32(exit << 3), 0, pos)
                            pc += 1
                        } else {
                            try push(rt, RxMatcher.tChoice | Int32((pc + 1) << 3), 0, pos)
                            pc = exit
                        }
                    case .setPosReg(let r):
                        try setReg(rt, r, pos)
                        pc += 1
                    case .loopTail(let counter, let posReg, let min, let head):
                        let c = regs[counter]
                        if posReg >= 0 && c >= min && regs[posReg] == pos {
                            ok = false
                        } else {
                            try setReg(rt, counter, c + 1)
                            pc = head
                        }
                    case .emptyCheck(let r):
                        if regs[r] == pos { ok = false } else { pc += 1 }
                    case .lookStart(let r, let negative, let end):
                        regs[r] = sp
                        try push(rt, RxMatcher.tLook | Int32(end << 3), negative ? 1 : 0, pos)
                        pc += 1
                    case .lookEnd(let r, let negative):
                        let k = regs[r]
                        let saved = stack[k].b
                        if !negative {
                            // Keep the undo records (captures made inside stay, and are undone if
                            // matching later backtracks past here); drop the choice points.
                            var w = k
                            for i in k..<sp {
                                let t = stack[i].tag & 7
                                if t == RxMatcher.tUndoReg || t == RxMatcher.tUndoCap {
                                    stack[w] = stack[i]
                                    w += 1
                                }
                            }
                            sp = w
                            pos = saved
                            pc += 1
                        } else {
                            while sp > k + 1 {
                                sp -= 1
                                undo(stack[sp])
                            }
                            sp = k
                            ok = false
                        }
                    case .repeatSet(let si, let min, let max, let greedy, let back):
                        let set = sets[si]
                        var count = 0
                        var q = pos
                        if greedy {
                            var minPos = min == 0 ? pos : -1
                            if back {
                                while count < max && q > 0 {
                                    let (c, w) = readBack(q)
                                    if !set.contains(c) { break }
                                    q -= w
                                    count += 1
                                    if count == min { minPos = q }
                                }
                            } else {
                                while count < max && q < n {
                                    let (c, w) = readFwd(q)
                                    if !set.contains(c) { break }
                                    q += w
                                    count += 1
                                    if count == min { minPos = q }
                                }
                            }
                            steps &+= count >> 2
                            if pc == leadPC { leadScanEnd = q }
                            if count < min { ok = false; break }
                            if count > min {
                                try push(rt, (back ? RxMatcher.tGreedyBack : RxMatcher.tGreedyFwd) | Int32((pc + 1) << 3),
                                         Int32(minPos), q)
                            }
                        } else {
                            if back {
                                while count < min && q > 0 {
                                    let (c, w) = readBack(q)
                                    if !set.contains(c) { break }
                                    q -= w
                                    count += 1
                                }
                            } else {
                                while count < min && q < n {
                                    let (c, w) = readFwd(q)
                                    if !set.contains(c) { break }
                                    q += w
                                    count += 1
                                }
                            }
                            steps &+= count >> 2
                            if count < min { ok = false; break }
                            if count < max {
                                try push(rt, RxMatcher.tLazy | Int32(pc << 3), Int32(count), q)
                            }
                        }
                        pos = q
                        pc += 1
                    case .succeed:
                        caps[0] = start
                        caps[1] = pos
                        try rt.charge(steps)
                        return true
                    }
                    if ok { continue }

                    // Backtrack.
                    backtrack: while true {
                        if sp == 0 {
                            try rt.charge(steps)
                            return false
                        }
                        steps &+= 1
                        sp -= 1
                        let e = stack[sp]
                        switch e.tag & 7 {
                        case RxMatcher.tChoice:
                            pc = Int(e.tag >> 3)
                            pos = e.b
                            break backtrack
                        case RxMatcher.tUndoReg, RxMatcher.tUndoCap:
                            undo(e)
                        case RxMatcher.tGreedyFwd:
                            let minPos = Int(e.a)
                            let next = Int(e.tag >> 3)
                            var np = e.b - 1
                            if unicode {
                                if np > minPos && p[np] & 0xFC00 == 0xDC00 && p[np - 1] & 0xFC00 == 0xD800 { np -= 1 }
                            } else {
                                // If a literal must follow (past group bookkeeping that does not
                                // move), skip positions where it cannot match.
                                var k = next
                                while true {
                                    switch ops[k] {
                                    case .open, .close: k += 1; continue
                                    default: break
                                    }
                                    break
                                }
                                if case .unit(let c) = ops[k] {
                                    while np >= minPos && p[np] != c { np -= 1 }
                                    if np < minPos { continue backtrack }
                                }
                            }
                            if np > minPos {
                                stack[sp] = RxEntry(tag: e.tag, a: e.a, b: np)
                                sp += 1
                            }
                            pc = next
                            pos = np
                            break backtrack
                        case RxMatcher.tGreedyBack:
                            let minPos = Int(e.a)
                            var np = e.b + 1
                            if unicode && np < minPos && p[np - 1] & 0xFC00 == 0xD800 && p[np] & 0xFC00 == 0xDC00 { np += 1 }
                            if np < minPos {
                                stack[sp] = RxEntry(tag: e.tag, a: e.a, b: np)
                                sp += 1
                            }
                            pc = Int(e.tag >> 3)
                            pos = np
                            break backtrack
                        case RxMatcher.tLazy:
                            let at = Int(e.tag >> 3)
                            guard case .repeatSet(let si, _, let max, _, let back) = ops[at] else { continue backtrack }
                            var q = e.b
                            let count = Int(e.a) + 1
                            if back {
                                if q <= 0 { continue backtrack }
                                let (c, w) = readBack(q)
                                if !sets[si].contains(c) { continue backtrack }
                                q -= w
                            } else {
                                if q >= n { continue backtrack }
                                let (c, w) = readFwd(q)
                                if !sets[si].contains(c) { continue backtrack }
                                q += w
                            }
                            if count < max {
                                stack[sp] = RxEntry(tag: e.tag, a: Int32(truncatingIfNeeded: count), b: q)
                                sp += 1
                            }
                            pc = at + 1
                            pos = q
                            break backtrack
                        case RxMatcher.tLook:
                            if e.a == 1 {
                                // The negative lookaround's body failed: the assertion holds.
                                pc = Int(e.tag >> 3)
                                pos = e.b
                                break backtrack
                            }
                        default:
                            break
                        }
                    }
                }
            }
        }
    }

    @exclusivity(unchecked) var sp = 0

    @inline(__always) private func push(_ rt: Runtime, _ tag: Int32, _ a: Int32, _ b: Int) throws(VMError) {
        if sp == stackCapacity { try growStack(rt) }
        stack[sp] = RxEntry(tag: tag, a: a, b: b)
        sp += 1
    }

    @inline(__always) private func setReg(_ rt: Runtime, _ r: Int, _ v: Int) throws(VMError) {
        let old = regs[r]
        if old != v {
            try push(rt, RxMatcher.tUndoReg, Int32(r), old)
            regs[r] = v
        }
    }

    @inline(__always) private func setCap(_ rt: Runtime, _ g: Int, _ s: Int, _ e: Int) throws(VMError) {
        let os = caps[2 * g], oe = caps[2 * g + 1]
        if os != s || oe != e {
            try push(rt, RxMatcher.tUndoCap, Int32(g), ((os + 1) << 32) | (oe + 1))
            caps[2 * g] = s
            caps[2 * g + 1] = e
        }
    }

    @inline(__always) private func undo(_ e: RxEntry) {
        let t = e.tag & 7
        if t == RxMatcher.tUndoReg {
            regs[Int(e.a)] = e.b
        } else if t == RxMatcher.tUndoCap {
            let g = Int(e.a)
            caps[2 * g] = (e.b >> 32) - 1
            caps[2 * g + 1] = (e.b & 0xFFFF_FFFF) - 1
        }
    }

    /// Compares `len` units at `a` and `b` (case-insensitively when the i flag is set).
    private func equalRanges(_ p: UnsafePointer<UInt16>, _ a: Int, _ b: Int, _ len: Int) -> Bool {
        guard let table = caseTable else {
            for i in 0..<len where p[a + i] != p[b + i] { return false }
            return true
        }
        if !program.unicode {
            for i in 0..<len where table.bmp[Int(p[a + i])] != table.bmp[Int(p[b + i])] { return false }
            return true
        }
        var i = 0
        while i < len {
            var x = UInt32(p[a + i]), y = UInt32(p[b + i])
            var w = 1
            if x & 0xFC00 == 0xD800 && i + 1 < len && p[a + i + 1] & 0xFC00 == 0xDC00 {
                x = 0x10000 + ((x - 0xD800) << 10) + (UInt32(p[a + i + 1]) - 0xDC00)
                w = 2
            }
            if y & 0xFC00 == 0xD800 && i + 1 < len && p[b + i + 1] & 0xFC00 == 0xDC00 {
                y = 0x10000 + ((y - 0xD800) << 10) + (UInt32(p[b + i + 1]) - 0xDC00)
                if w != 2 { return false }
            } else if w == 2 { return false }
            if table.canonicalize(x) != table.canonicalize(y) { return false }
            i += w
        }
        return true
    }
}
