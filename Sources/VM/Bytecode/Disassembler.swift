// A human-readable listing of compiled code, for tests and `sluice disasm`-style debugging.

public enum Disassembler {
    /// Lists `code` (one instruction per line with operands and constants), then its children.
    public static func disassemble(_ code: FunctionCode) -> String {
        var out = ""
        disassemble(code, path: "", into: &out)
        return out
    }

    /// Only the instructions of `code` (no header, no children): one line per instruction.
    public static func instructions(_ code: FunctionCode) -> [String] {
        var lines: [String] = []
        var pc = 0
        while pc < code.code.count {
            let (text, size) = describe(code, pc)
            lines.append(text)
            pc += size
        }
        return lines
    }

    private static func disassemble(_ code: FunctionCode, path: String, into out: inout String) {
        let title = code.name.isEmpty ? "<anonymous>" : code.name
        out += "function \(title)\(path.isEmpty ? "" : " [\(path)]") params=\(code.parameterCount) length=\(code.length)"
        out += " registers=\(code.registerCount) flags=\(flagNames(code.flags))\n"
        var pc = 0
        while pc < code.code.count {
            let (text, size) = describe(code, pc)
            out += pad(String(pc), 5) + "  " + text + "\n"
            pc += size
        }
        for h in code.handlers {
            out += "  handler [\(h.start), \(h.end)) -> \(h.handler) r\(h.register)\n"
        }
        for (i, child) in code.children.enumerated() {
            out += "\n"
            disassemble(child, path: path.isEmpty ? "\(i)" : "\(path).\(i)", into: &out)
        }
    }

    static func flagNames(_ f: FunctionCode.Flags) -> String {
        var names: [String] = []
        if f.contains(.strict) { names.append("strict") }
        if f.contains(.arrow) { names.append("arrow") }
        if f.contains(.constructor) { names.append("constructor") }
        if f.contains(.classConstructor) { names.append("class") }
        if f.contains(.derivedConstructor) { names.append("derived") }
        if f.contains(.method) { names.append("method") }
        if f.contains(.needsExtraArguments) { names.append("extraArgs") }
        if f.contains(.topLevel) { names.append("topLevel") }
        return names.isEmpty ? "-" : names.joined(separator: ",")
    }

    private static func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : String(repeating: " ", count: n - s.count) + s
    }

    private static func padRight(_ s: String, _ n: Int) -> String {
        s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count)
    }

    static func constantText(_ code: FunctionCode, _ i: Int) -> String {
        guard i >= 0 && i < code.constants.count else { return "K[\(i)]?" }
        switch code.constants[i] {
        case .number(let d): return NumberConversion.toString(d)
        case .string(let s):
            var t = "\""
            for u in s {
                switch u {
                case 0x22: t += "\\\""
                case 0x5C: t += "\\\\"
                case 0x0A: t += "\\n"
                case 0x0D: t += "\\r"
                case 0x09: t += "\\t"
                case 0x20..<0x7F: t.unicodeScalars.append(Unicode.Scalar(UInt8(u)))
                default:
                    let h = String(u, radix: 16)
                    t += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                }
            }
            return t + "\""
        }
    }

    /// The text of the instruction at `pc` and its size in words (2 with an AUX word).
    static func describe(_ code: FunctionCode, _ pc: Int) -> (String, Int) {
        let ins = code.code[pc]
        guard let op = Opcode(rawValue: ins.opcodeByte) else { return ("<bad opcode \(ins.opcodeByte)>", 1) }
        let hasAux = Instruction.hasAux(op)
        let size = hasAux ? 2 : 1
        let aux: Int64 = hasAux && pc + 1 < code.code.count ? Int64(bitPattern: code.code[pc + 1].raw) : 0
        let a = ins.a, b = ins.b, c = ins.c
        func r(_ n: Int) -> String { "r\(n)" }
        func k(_ n: Int) -> String { constantText(code, n) }
        func target(_ off: Int) -> String { "-> \(pc + size + off)" }
        let ops: String
        switch op {
        case .nop, .popEnvironment, .copyEnvironment, .returnUndefined, .debugger:
            ops = ""
        case .loadUndefined, .loadNull, .loadTrue, .loadFalse, .loadUninitialized, .checkThis, .loadFunction,
             .loadNewTarget, .saveEnvironment, .restoreEnvironment, .newObject, .arrayPushHole, .throw, .return,
             .createArguments:
            ops = r(a)
        case .loadInt:
            ops = "\(r(a)), \(ins.sbx)"
        case .loadConst, .checkInitialized, .getGlobal, .getGlobalOrUndefined, .setGlobal, .declareGlobalFunction:
            ops = "\(r(a)), \(k(ins.bx))"
        case .declareGlobalVar, .throwConstAssignment:
            ops = k(ins.bx)
        case .throwError:
            let kinds = ErrorKind.allCases
            ops = "\(ins.d < kinds.count ? kinds[ins.d].rawValue : "?\(ins.d)"), \(k(ins.bx))"
        case .pushEnvironment:
            ops = "\(a) slots"
        case .getEnv, .setEnv:
            ops = "\(r(a)), env^\(b)[\(c)]"
        case .getEnvChecked, .setEnvChecked:
            ops = "\(r(a)), env^\(b)[\(c)] \(k(Int(aux)))"
        case .closure:
            ops = "\(r(a)), child \(ins.bx)"
        case .createClass:
            ops = "\(r(a)), child \(ins.bx), heritage \(aux < 0 ? "none" : r(Int(aux)))"
        case .defineMethod:
            let kind = (ins.d >> 1) & 3
            ops = "\(r(a)), \(r(b)), \(r(c)) \(["method", "getter", "setter", "?"][kind])\(ins.d & 1 == 1 ? " enumerable" : "")"
        case .getField, .setField, .deleteField, .defineField, .addConst, .lessConst, .subtractConst:
            ops = "\(r(a)), \(r(b)), \(k(c))"
        case .regExp:
            ops = "\(r(a)), /\(k(b))/ \(k(c))"
        case .copyDataProperties:
            ops = "\(r(a)), \(r(b)), \(c == 0xFFFF ? "none" : r(c))"
        case .move, .not, .negate, .toNumber, .bitNot, .typeOf, .increment, .decrement, .toPropertyKey, .toString,
             .getIterator, .forInPrepare, .setPrototype, .setHomeObject, .setFunctionName, .arrayPush, .arraySpread:
            ops = "\(r(a)), \(r(b))"
        case .newArray, .createRest, .iteratorClose:
            ops = "\(r(a)), \(b)"
        case .getIndex, .setIndex, .deleteIndex, .getSuper, .setSuper, .hasProperty, .instanceOf, .defineIndex,
             .templateObject, .add, .subtract, .multiply, .divide, .remainder, .exponent, .bitAnd, .bitOr, .bitXor,
             .shiftLeft, .shiftRight, .unsignedShiftRight, .equal, .notEqual, .strictEqual, .strictNotEqual, .less,
             .lessEqual, .greater, .greaterEqual:
            ops = "\(r(a)), \(r(b)), \(r(c))"
        case .jump, .loop:
            ops = target(ins.sbx)
        case .jumpIfTrue, .jumpIfFalse, .jumpIfNullish, .jumpIfNotNullish, .jumpIfUndefined, .jumpIfNotUndefined:
            ops = "\(r(a)) \(target(ins.sbx))"
        case .jumpIfNotLess, .jumpIfNotLessEqual, .jumpIfNotGreater, .jumpIfNotGreaterEqual, .jumpIfNotStrictEqual,
             .iteratorNext, .forInNext:
            ops = "\(r(a)), \(r(b)) \(target(Int(aux)))"
        case .call, .construct, .superCall:
            ops = "\(r(a)), \(c) args"
        case .callSpread, .constructSpread, .superCallSpread:
            ops = "\(r(a)), spread"
        @unknown default:
            ops = "a=\(a) b=\(b) c=\(c) d=\(ins.d)"
        }
        return (ops.isEmpty ? "\(op)" : padRight("\(op)", 22) + ops, size)
    }
}
