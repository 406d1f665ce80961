// Helpers for the parser tests: an S-expression printer for the AST and a small-stack thread runner.

import Testing
@testable import SluiceCompiler
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func u16(_ s: UTF16String) -> String { String(decoding: s, as: UTF16.self) }

func describe(_ program: ProgramNode) -> String {
    program.body.map(describe).joined(separator: " ")
}

func describe(_ s: Statement) -> String {
    switch s.kind {
    case .expression(let e): return describe(e)
    case .variableDeclaration(let kind, let decls): return describeDecl(kind, decls)
    case .functionDeclaration(let f): return describeFunction("function", f)
    case .classDeclaration(let c): return describe(c)
    case .block(let body): return "{" + body.map(describe).joined(separator: " ") + "}"
    case .empty: return ";"
    case .if(let t, let c, let a):
        return "(if \(describe(t)) \(describe(c))" + (a.map { " " + describe($0) } ?? "") + ")"
    case .for(let i, let t, let u, let b):
        var initText = "_"
        switch i {
        case .declaration(let k, let d)?: initText = describeDecl(k, d)
        case .expression(let e)?: initText = describe(e)
        case nil: break
        }
        return "(for \(initText) \(t.map(describe) ?? "_") \(u.map(describe) ?? "_") \(describe(b)))"
    case .forIn(let l, let r, let b): return "(for-in \(describe(l)) \(describe(r)) \(describe(b)))"
    case .forOf(let l, let r, let b): return "(for-of \(describe(l)) \(describe(r)) \(describe(b)))"
    case .while(let t, let b): return "(while \(describe(t)) \(describe(b)))"
    case .doWhile(let b, let t): return "(do \(describe(b)) \(describe(t)))"
    case .return(let e): return e.map { "(return \(describe($0)))" } ?? "(return)"
    case .break(let l): return l.map { "(break \($0))" } ?? "(break)"
    case .continue(let l): return l.map { "(continue \($0))" } ?? "(continue)"
    case .throw(let e): return "(throw \(describe(e)))"
    case .try(let block, let param, let catchBody, let fin):
        var out = "(try {" + block.map(describe).joined(separator: " ") + "}"
        if let catchBody {
            out += " (catch \(param.map(describe) ?? "_") {" + catchBody.map(describe).joined(separator: " ") + "})"
        }
        if let fin { out += " (finally {" + fin.map(describe).joined(separator: " ") + "})" }
        return out + ")"
    case .switch(let d, let cases):
        let cs = cases.map { c in
            "(" + (c.test.map { "case " + describe($0) } ?? "default") + (c.body.isEmpty ? "" : " ")
                + c.body.map(describe).joined(separator: " ") + ")"
        }
        return "(switch \(describe(d)) " + cs.joined(separator: " ") + ")"
    case .labeled(let l, let b): return "(label \(l) \(describe(b)))"
    case .debugger: return "(debugger)"
    case .importDeclaration(let i):
        return "(import \"\(i.module)\"" + i.specifiers.map { " \($0.imported):\($0.local)" }.joined() + ")"
    case .exportDeclaration(let e):
        if case .specifiers(let pairs) = e.kind {
            return "(export" + pairs.map { " \($0.local):\($0.exported)" }.joined() + ")"
        }
        return "(export)"
    }
}

func describe(_ b: ForBinding) -> String {
    switch b {
    case .declaration(let k, let p): return "(\(k) \(describe(p)))"
    case .target(let p): return describe(p)
    }
}

func describeDecl(_ kind: VariableKind, _ decls: [VariableDeclarator]) -> String {
    "(\(kind)" + decls.map { d in " " + describe(d.target) + (d.initializer.map { "=" + describe($0) } ?? "") }.joined() + ")"
}

func describe(_ k: PropertyName) -> String {
    switch k {
    case .identifier(let s): return s
    case .string(let s): return "\"\(u16(s))\""
    case .number(let n): return "#\(n)"
    case .computed(let e): return "[\(describe(e))]"
    }
}

func describe(_ p: Pattern) -> String {
    switch p {
    case .identifier(let n, _): return n
    case .expression(let e): return describe(e)
    case .withDefault(let t, let v): return describe(t) + "=" + describe(v)
    case .array(let elems, let rest, _):
        var parts = elems.map { $0.map(describe) ?? "" }
        if let rest { parts.append("..." + describe(rest)) }
        return "[" + parts.joined(separator: ",") + "]"
    case .object(let props, let rest, _):
        var parts = props.map { p in p.isShorthand ? describe(p.value) : describe(p.key) + ":" + describe(p.value) }
        if let rest { parts.append("..." + describe(rest)) }
        return "{" + parts.joined(separator: ",") + "}"
    }
}

func describeArgs(_ args: [Argument]) -> String {
    args.map { a -> String in
        switch a {
        case .expression(let e): return " " + describe(e)
        case .spread(let e): return " ..." + describe(e)
        }
    }.joined()
}

func describeFunction(_ tag: String, _ f: FunctionNode) -> String {
    var params = f.parameters.map(describe)
    if let rest = f.rest { params.append("..." + describe(rest)) }
    var out = "(\(tag)"
    if !f.name.isEmpty { out += " " + f.name }
    out += " (" + params.joined(separator: " ") + ")"
    if let e = f.expressionBody {
        out += " " + describe(e)
    } else {
        out += " {" + f.body.map(describe).joined(separator: " ") + "}"
    }
    return out + ")"
}

func describe(_ c: ClassNode) -> String {
    var out = "(class"
    if !c.name.isEmpty { out += " " + c.name }
    if let s = c.superClass { out += " extends " + describe(s) }
    if let ctor = c.constructor { out += " " + describeFunction("constructor", ctor) }
    for m in c.members {
        let kind = m.kind == .method ? "method" : m.kind == .getter ? "get" : "set"
        out += " (" + (m.isStatic ? "static " : "") + kind + " " + describe(m.key) + " "
            + describeFunction("function", m.function) + ")"
    }
    return out + ")"
}

func describe(_ e: Expression) -> String {
    switch e.kind {
    case .number(let n):
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        return "\(n)"
    case .string(let s): return "\"\(u16(s))\""
    case .template(let quasis, let exprs):
        var out = "(template"
        for (i, q) in quasis.enumerated() {
            out += " \"" + (q.cooked.map(u16) ?? "<invalid>") + "\""
            if i < exprs.count { out += " " + describe(exprs[i]) }
        }
        return out + ")"
    case .taggedTemplate(let tag, let quasis, let exprs):
        var out = "(tagged " + describe(tag)
        for (i, q) in quasis.enumerated() {
            out += " \"" + (q.cooked.map(u16) ?? "<invalid>") + "\"/\"" + u16(q.raw) + "\""
            if i < exprs.count { out += " " + describe(exprs[i]) }
        }
        return out + ")"
    case .regExp(let p, let f): return "/\(u16(p))/\(f)"
    case .boolean(let b): return b ? "true" : "false"
    case .null: return "null"
    case .identifier(let n): return n
    case .this: return "this"
    case .superMember(let p): return "(super. \(describe(p)))"
    case .superIndex(let e): return "(super[] \(describe(e)))"
    case .superCall(let args): return "(super" + describeArgs(args) + ")"
    case .newTarget: return "new.target"
    case .array(let elems):
        return "[" + elems.map { el -> String in
            switch el {
            case .expression(let e): return describe(e)
            case .spread(let e): return "..." + describe(e)
            case .hole: return ""
            }
        }.joined(separator: ",") + "]"
    case .object(let props):
        return "{" + props.map { p -> String in
            switch p.kind {
            case .spread: return "..." + describe(p.value)
            case .getter: return "get " + describe(p.key) + " " + describe(p.value)
            case .setter: return "set " + describe(p.key) + " " + describe(p.value)
            case .initialize:
                if p.isShorthand { return describe(p.value) }
                return describe(p.key) + ":" + describe(p.value)
            }
        }.joined(separator: ",") + "}"
    case .function(let f): return describeFunction("function", f)
    case .arrowFunction(let f): return describeFunction("arrow", f)
    case .class(let c): return describe(c)
    case .unary(let op, let a): return "(\(op.rawValue) \(describe(a)))"
    case .update(let op, let prefix, let a): return prefix ? "(\(op.rawValue)pre \(describe(a)))" : "(post\(op.rawValue) \(describe(a)))"
    case .binary(let op, let l, let r): return "(\(op.rawValue) \(describe(l)) \(describe(r)))"
    case .logical(let op, let l, let r): return "(\(op.rawValue) \(describe(l)) \(describe(r)))"
    case .assignment(let op, let t, let v): return "(\(op.rawValue) \(describe(t)) \(describe(v)))"
    case .conditional(let t, let c, let a): return "(? \(describe(t)) \(describe(c)) \(describe(a)))"
    case .call(let callee, let args, let opt): return "(call\(opt ? "?" : "") \(describe(callee))" + describeArgs(args) + ")"
    case .new(let callee, let args): return "(new \(describe(callee))" + describeArgs(args) + ")"
    case .member(let o, let n, let opt): return "(\(opt ? "?." : ".") \(describe(o)) \(n))"
    case .index(let o, let i, let opt): return "(\(opt ? "?.[]" : "[]") \(describe(o)) \(describe(i)))"
    case .optionalChain(let e): return "(chain \(describe(e)))"
    case .sequence(let list): return "(," + list.map { " " + describe($0) }.joined() + ")"
    case .await(let e): return "(await \(describe(e)))"
    case .parenthesized(let e): return "(paren \(describe(e)))"
    }
}

/// Parses and describes; returns "error: line:col message" on SyntaxError.
func sexp(_ source: String, _ options: ParseOptions = .script) -> String {
    do {
        return describe(try Parser.parse(source: source, name: "test.js", options: options))
    } catch {
        return "error: \(error.position) \(error.message)"
    }
}

func parseError(_ source: String, _ options: ParseOptions = .script) -> SyntaxError? {
    do {
        _ = try Parser.parse(source: source, name: "test.js", options: options)
        return nil
    } catch {
        return error
    }
}

func parses(_ source: String, _ options: ParseOptions = .script) -> Bool {
    parseError(source, options) == nil
}

func program(_ source: String, _ options: ParseOptions = .script) throws -> ProgramNode {
    try Parser.parse(source: source, name: "test.js", options: options)
}

private final class ThreadBody: @unchecked Sendable {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

/// Runs `body` on a new thread with the given stack size and waits for it.
func runOnThread(stackSize: Int, _ body: @escaping () -> Void) {
    let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var attr = pthread_attr_t()
    pthread_attr_init(&attr)
    pthread_attr_setstacksize(&attr, stackSize)
    #if canImport(Glibc)
    var tid = pthread_t()
    #else
    var tid: pthread_t? = nil
    #endif
    let rc = pthread_create(&tid, &attr, { ctx in
        let b = Unmanaged<ThreadBody>.fromOpaque(ctx!).takeRetainedValue()
        b.body()
        return nil
    }, box)
    precondition(rc == 0)
    pthread_attr_destroy(&attr)
    #if canImport(Glibc)
    pthread_join(tid, nil)
    #else
    pthread_join(tid!, nil)
    #endif
}
