import Testing
@testable import SluiceCompiler

@Suite struct ParserBasicsTests {
    @Test func literalsAndOperators() {
        #expect(sexp("1 + 2 * 3") == "(+ 1 (* 2 3))")
        #expect(sexp("(1 + 2) * 3") == "(* (paren (+ 1 2)) 3)")
        #expect(sexp("a - b - c") == "(- (- a b) c)")
        #expect(sexp("a ** b ** c") == "(** a (** b c))")
        #expect(sexp("a = b = c") == "(= a (= b c))")
        #expect(sexp("a ? b : c ? d : e") == "(? a b (? c d e))")
        #expect(sexp("a || b && c") == "(|| a (&& b c))")
        #expect(sexp("a ?? b") == "(?? a b)")
        #expect(sexp("(a || b) ?? c") == "(?? (paren (|| a b)) c)")
        #expect(sexp("a < b == c instanceof d") == "(== (< a b) (instanceof c d))")
        #expect(sexp("x in y") == "(in x y)")
        #expect(sexp("a, b, c") == "(, a b c)")
        #expect(sexp("!a; ~b; -c; +d; typeof e; void f; delete g.h") ==
                "(! a) (~ b) (- c) (+ d) (typeof e) (void f) (delete (. g h))")
        #expect(sexp("a++; --b") == "(post++ a) (--pre b)")
        #expect(sexp("a &&= b; c ||= d; e ??= f; g **= 2; h >>>= 1") ==
                "(&&= a b) (||= c d) (??= e f) (**= g 2) (>>>= h 1)")
        #expect(sexp("null; true; false; this") == "null true false this")
    }

    @Test func numbers() throws {
        func num(_ s: String) -> Double? {
            guard let p = try? program(s), case .expression(let e) = p.body[0].kind, case .number(let n) = e.kind else { return nil }
            return n
        }
        #expect(num("0x1F") == 31)
        #expect(num("0o17") == 15)
        #expect(num("0b101") == 5)
        #expect(num("017") == 15)
        #expect(num("019") == 19)
        #expect(num("08.5") == 8.5)
        #expect(num(".5") == 0.5)
        #expect(num("5.") == 5)
        #expect(num("1e3") == 1000)
        #expect(num("1E-2") == 0.01)
        #expect(num("1_000_000") == 1_000_000)
        #expect(num("0x_1") == nil)
        #expect(num("0.000_1") == 0.0001)
        #expect(num("0.1") == 0.1)
        #expect(num("1e400") == .infinity)
        #expect(num("0x20000000000001") == 9007199254740992)
        #expect(num("0x20000000000003") == 9007199254740996)
        #expect(num("0xFFFFFFFFFFFFFFFFF") == 295147905179352825856)
        #expect(parseError("1n")?.message == "BigInt is not supported")
        #expect(parseError("1__0") != nil)
        #expect(parseError("1_") != nil)
        #expect(parseError("0_1") != nil)
        #expect(parseError("1._5") != nil)
        #expect(parseError("1e_5") != nil)
        #expect(parseError("3in x") != nil)
        #expect(parseError("08_1") != nil)
        #expect(parseError("'use strict'; 017") != nil)
        #expect(parseError("'use strict'; 08") != nil)
    }

    @Test func strings() throws {
        func str(_ s: String) -> [UInt16]? {
            guard let p = try? program(s), case .expression(let e) = p.body[0].kind, case .string(let v) = e.kind else { return nil }
            return v
        }
        #expect(str(#"'a\nb'"#) == Array("a\nb".utf16))
        #expect(str(#"'\x41\u0042\u{43}\u{1F600}'"#) == Array("ABC\u{1F600}".utf16))
        #expect(str(#"'\uD800'"#) == [0xD800])
        #expect(str(#"'\0'"#) == [0])
        #expect(str(#"'\101'"#) == [0x41])
        #expect(str(#"'\08'"#) == [0, 0x38])
        #expect(str("'a\\\nb'") == Array("ab".utf16))
        #expect(str("'a\\\r\nb'") == Array("ab".utf16))
        #expect(str("'\u{2028}'") == [0x2028])
        #expect(str(#"'\q'"#) == Array("q".utf16))
        #expect(parseError(#"'\x4'"#) != nil)
        #expect(parseError(#"'\u{110000}'"#) != nil)
        #expect(parseError("'abc\n'") != nil)
        #expect(parseError(#"'use strict'; '\01'"#) != nil)
        #expect(parseError(#"'use strict'; '\8'"#) != nil)
        #expect(parseError(#"function f() { '\01'; 'use strict'; }"#) != nil)
        #expect(parses(#"function f() { '\0'; 'use strict'; }"#))
    }

    @Test func whitespaceAndComments() {
        #expect(sexp("#!/usr/bin/env node\na") == "a")
        #expect(sexp("a /* c */ + /* d\n */ b // e") == "(+ a b)")
        #expect(sexp("\u{FEFF}a\u{00A0}+\u{3000}b\u{2028}c") == "(+ a b) c")
        #expect(parseError("a \u{180E} b") != nil)
        #expect(parseError("/* unterminated") != nil)
        // Annex B HTML-like comments.
        #expect(sexp("a <!-- b\nc") == "a c")
        #expect(sexp("a\n--> b\nc") == "a c")
        #expect(sexp("--> b\nc") == "c")
        #expect(sexp("/*\n*/ --> x\nc") == "c")
        #expect(sexp("a-->b") == "(> (post-- a) b)")
        #expect(parseError(";-->") != nil)
    }

    @Test func identifiers() {
        #expect(sexp("var ünïcödé = 1, $ = 2, _x = 3") == "(var ünïcödé=1 $=2 _x=3)")
        #expect(sexp(#"var \u0061b = 1; \u{62}"#) == "(var ab=1) b")
        #expect(sexp("var ℘ = 1") == "(var ℘=1)")
        #expect(parseError(#"var a\u0020b"#) != nil)
        #expect(parseError(#"var \u0030"#) != nil)
        #expect(parseError(#"v\u0061r x = 1"#) != nil)
        #expect(parseError(#"\u0074his"#) != nil)
        #expect(sexp(#"({ \u0069f: 1 }).\u0069f"#) == "(. (paren {if:1}) if)")
        #expect(sexp("a.if; a.class; ({ for: 1, new: 2 })") == "(. a if) (. a class) (paren {for:1,new:2})")
    }
}

@Suite struct ParserASITests {
    @Test func insertion() {
        #expect(sexp("a\nb") == "a b")
        #expect(sexp("a\n++b") == "a (++pre b)")
        #expect(sexp("a\n(b)") == "(call a b)")
        #expect(sexp("return\na", .functionBody) == "(return) a")
        #expect(sexp("x: while (1) { break\nx }") == "(label x (while 1 {(break) x}))")
        #expect(sexp("x: while (1) { continue\nx }") == "(label x (while 1 {(continue) x}))")
        #expect(sexp("do x; while (0) y") == "(do x 0) y")
        #expect(sexp("{ 1 } 2") == "{1} 2")
        #expect(sexp("var a = 1\nvar b") == "(var a=1) (var b)")
        #expect(sexp("a\n?.5:1") == "(? a 0.5 1)")
        #expect(parseError("throw\na") != nil)
        #expect(parseError("a b") != nil)
        #expect(parseError("for (a\nb\nc) ;") != nil)
        #expect(parseError("for (;\n) ;") != nil)
        #expect(parseError("a\n=>b") != nil)
        #expect(parseError("(a)\n=> b") != nil)
        #expect(sexp("let \n x = 1") == "(let x=1)")
    }

    @Test func errorPositionsAndExcerpt() throws {
        let err = try #require(parseError("var a = 1;\nvar b = ;"))
        #expect(err.position.line == 2)
        #expect(err.position.column == 9)
        #expect(err.position.offset == 19)
        #expect(err.sourceLine == "var b = ;")
        #expect(err.headline == "test.js:2:9: SyntaxError: Unexpected token ';'")
        #expect(err.description == "test.js:2:9: SyntaxError: Unexpected token ';'\n    var b = ;\n            ^")
        let e2 = try #require(parseError("a\r\nb\r\n  c d"))
        #expect(e2.position.line == 3)
        #expect(e2.position.column == 5)
        #expect(e2.sourceLine == "  c d")
        let e3 = try #require(parseError("'\u{1F600}' +"))
        #expect(e3.position.column == 7)
        #expect(e3.message == "Unexpected end of input")
    }
}

@Suite struct ParserRegExpTests {
    @Test func regexVersusDivision() {
        #expect(sexp("a / b / c") == "(/ (/ a b) c)")
        #expect(sexp("/ab+c/gi.test(s)") == "(call (. /ab+c/gi test) s)")
        #expect(sexp("x = /=/") == "(= x /=/)")
        #expect(sexp("a /= 2") == "(/= a 2)")
        #expect(sexp("if (x) /re/.exec(y)") == "(if x (call (. /re/ exec) y))")
        #expect(sexp("(a) / 2") == "(/ (paren a) 2)")
        #expect(sexp("a++ / 2") == "(/ (post++ a) 2)")
        #expect(sexp("x = {} / 1") == "(= x (/ {} 1))")
        #expect(sexp("{} /foo/") == "{} /foo/")
        #expect(sexp("/[/]\\//") == "/[/]\\//")
        #expect(sexp("a\n/b/g") == "(/ (/ a b) g)")
        #expect(sexp("`${1}` / 2") == "(/ (template \"\" 1 \"\") 2)")
        #expect(sexp("function f(){} /x/") == "(function f () {}) /x/")
        #expect(sexp("x = function(){} / 2") == "(= x (/ (function () {}) 2))")
    }

    @Test func flagsAndPatternErrors() {
        #expect(parses("/a/dgimsuy"))
        #expect(parses("/a/v"))
        #expect(parseError("/a/gg") != nil)
        #expect(parseError("/a/x") != nil)
        #expect(parseError("/a/uv") != nil)
        #expect(parseError(#"/a/\u0067"#) != nil)
        #expect(parseError("/a\n/") != nil)
        #expect(parseError("/?/") != nil)
        #expect(parseError("/(/") != nil)
        #expect(parseError("/a{2,1}/") != nil)
        #expect(parseError("/{1}/") != nil)
        #expect(parses("/{/; /a{/; /}/; /]/; /\\1(a)/; /\\c0/; /[\\d-a]/"))
        #expect(parseError("/{/u") != nil)
        #expect(parseError("/\\1/u") != nil)
        #expect(parseError("/[\\d-a]/u") != nil)
        #expect(parseError("/[b-a]/") != nil)
        #expect(parseError("/(?<a>x)(?<a>y)/") != nil)
        #expect(parseError("/(?<a>x)\\k<b>/") != nil)
        #expect(parses("/(?<a>x)\\k<a>/"))
        #expect(parseError("/(?<=a)*/") != nil)
        #expect(parses("/(?=a)*/"))
        #expect(parseError("/(?=a)*/u") != nil)
        #expect(parses("/\\u{1F600}/u; /\\p{Letter}/u; /[\\u{0}-\\u{10FFFF}]/u"))
        #expect(parseError("/\\u{110000}/u") != nil)
    }
}

@Suite struct ParserTemplateTests {
    @Test func templates() {
        #expect(sexp("`a${b}c${d}e`") == "(template \"a\" b \"c\" d \"e\")")
        #expect(sexp("`a\\n${`x${y}`}`") == "(template \"a\n\" (template \"x\" y \"\") \"\")")
        #expect(sexp("tag`a\\u{41}${x}`") == "(tagged tag \"aA\"/\"a\\u{41}\" x \"\"/\"\")")
        #expect(sexp("tag`\\unicode`") == "(tagged tag \"<invalid>\"/\"\\unicode\")")
        #expect(sexp("a.b`x`") == "(tagged (. a b) \"x\"/\"x\")")
        #expect(sexp("`${ {a: 1} }`") == "(template \"\" {a:1} \"\")")
        #expect(parseError("`\\unicode`") != nil)
        #expect(parseError("`\\01`") != nil)
        #expect(parseError("`unterminated") != nil)
        #expect(parseError("a?.b`x`") != nil)
        let p = try? program("`a\r\nb`")
        if let p, case .expression(let e) = p.body[0].kind, case .template(let q, _) = e.kind {
            #expect(q[0].raw == Array("a\nb".utf16))
            #expect(q[0].cooked == Array("a\nb".utf16))
        } else {
            Issue.record("template not parsed")
        }
    }
}

@Suite struct ParserDestructuringTests {
    @Test func bindingPatterns() {
        #expect(sexp("var {a, b: [c, , d = 1], ...e} = f") == "(var {a,b:[c,,d=1],...e}=f)")
        #expect(sexp("let [a, [b], ...c] = d") == "(let [a,[b],...c]=d)")
        #expect(sexp("const {[k]: v = 2} = o") == "(const {[k]:v=2}=o)")
        #expect(sexp("function f({a = 1}, [b], ...c) {}") == "(function f ({a=1} [b] ...c) {})")
        #expect(sexp("try {} catch ({message}) {}") == "(try {} (catch {message} {}))")
        #expect(parseError("let [a, ...b,] = c") != nil)
        #expect(parseError("let [...a = 1] = c") != nil)
        #expect(parseError("let {...{a}} = c") != nil)
        #expect(parseError("let [a];") != nil)
        #expect(parseError("const a;") != nil)
        #expect(parseError("let {a.b} = c") != nil)
    }

    @Test func assignmentPatterns() {
        #expect(sexp("[a, b] = [b, a]") == "(= [a,b] [b,a])")
        #expect(sexp("({a, b: c.d, e = 1, ...f} = g)") == "(paren (= {a,b:(. c d),e=1,...f} g))")
        #expect(sexp("[a.b, c[0], ...d.e] = f") == "(= [(. a b),([] c 0),...(. d e)] f)")
        #expect(sexp("[(a), (b.c)] = d") == "(= [a,(. b c)] d)")
        #expect(sexp("[{a = 1}] = b") == "(= [{a=1}] b)")
        #expect(sexp("for ([a, b] of c) ;") == "(for-of [a,b] c ;)")
        #expect(sexp("for ({a} in c) ;") == "(for-in {a} c ;)")
        #expect(parseError("({a = 1})") != nil)
        #expect(parseError("({a = 1}).b = 2") != nil)
        #expect(parseError("[...a, b] = c") != nil)
        #expect(parseError("[...a,] = c") != nil)
        #expect(parses("[...a,]"))
        #expect(parseError("({...{a}} = c)") != nil)
        #expect(parseError("[(a = 1)] = c") != nil)
        #expect(parseError("({a}) = 1") != nil)
        #expect(parseError("[a + 1] = c") != nil)
        #expect(parseError("({get a(){}} = c)") != nil)
        #expect(parseError("[a] += 1") != nil)
        #expect(parseError("1 = 2") != nil)
        #expect(parseError("a + b = c") != nil)
        #expect(parseError("f() = 1") != nil)
        #expect(parseError("++f()") != nil)
        #expect(parseError("a?.b = 1") != nil)
        #expect(parseError("for (f() of x) ;") != nil)
        #expect(parses("(a) = 1; (a.b) = 2; ((a)) = 3"))
    }

    @Test func protoDuplicates() {
        #expect(parseError("({__proto__: a, __proto__: b})") != nil)
        #expect(parseError("({__proto__: a, '__proto__': b})") != nil)
        #expect(parses("({__proto__: a, __proto__})"))
        #expect(parses("({__proto__: a, ['__proto__']: b})"))
        #expect(parses("({__proto__: a, __proto__() {}})"))
        #expect(parses("({__proto__: a, __proto__: b} = c)"))
    }
}

@Suite struct ParserFunctionTests {
    @Test func arrows() {
        #expect(sexp("x => x * 2") == "(arrow (x) (* x 2))")
        #expect(sexp("(a, b = 1, ...c) => { return a }") == "(arrow (a b=1 ...c) {(return a)})")
        #expect(sexp("() => ({})") == "(arrow () (paren {}))")
        #expect(sexp("({a}, [b]) => a") == "(arrow ({a} [b]) a)")
        #expect(sexp("a ? b => c : d => e") == "(? a (arrow (b) c) (arrow (d) e))")
        #expect(sexp("f(x => y, z)") == "(call f (arrow (x) y) z)")
        #expect(parseError("(a, a) => 1") != nil)
        #expect(parseError("() => {} + 1") != nil)
        #expect(parseError("a + b => c") != nil)
        #expect(parseError("(a.b) => 1") != nil)
        #expect(parseError("((a)) => 1") != nil)
        #expect(parseError("(...a, b) => 1") != nil)
        #expect(parseError("(a, ...b,) => 1") != nil)
        #expect(parseError("()") != nil)
        #expect(parseError("(a,)") != nil)
        #expect(parses("(a,) => 1"))
        #expect(parseError("'use strict'; eval => 1") != nil)
        #expect(parseError("arguments => { 'use strict' }") != nil)
        #expect(parseError("(a = 1) => { 'use strict' }") != nil)
    }

    @Test func nameInference() throws {
        #expect(sexp("let f = function(){}, g = () => 1, C = class {}") ==
                "(let f=(function f () {}) g=(arrow g () 1) C=(class C))")
        #expect(sexp("var h = (function(){})") == "(var h=(paren (function h () {})))")
        #expect(sexp("var i = (0, function(){})") == "(var i=(paren (, 0 (function () {}))))")
        #expect(sexp("({ m() {}, get x() {}, k: () => 1, 'a b': function(){}, 1.5: () => 2, [c]: () => 3 })") ==
                "(paren {m:(function m () {}),get x (function x () {}),k:(arrow k () 1),\"a b\":(function a b () {}),#1.5:(arrow 1.5 () 2),[c]:(arrow () 3)})")
        #expect(sexp("a = () => {}; b.c = () => {}; (d) = function(){}") ==
                "(= a (arrow a () {})) (= (. b c) (arrow () {})) (= d (function () {}))")
        #expect(sexp("({ f = () => {} } = {})") == "(paren (= {f=(arrow f () {})} {}))")
        #expect(sexp("[g = function(){}] = []") == "(= [g=(function g () {})] [])")
        #expect(sexp("function p(a = () => 1) {}") == "(function p (a=(arrow a () 1)) {})")
        #expect(sexp("x ??= function(){}") == "(??= x (function x () {}))")
        #expect(sexp("var n = function own(){}") == "(var n=(function own () {}))")
        let p = try program("var n = function own(){}; var m = function(){}")
        if case .variableDeclaration(_, let d) = p.body[0].kind, case .function(let f)? = d[0].initializer?.kind {
            #expect(f.hasOwnNameBinding)
        } else { Issue.record("bad") }
        if case .variableDeclaration(_, let d) = p.body[1].kind, case .function(let f)? = d[0].initializer?.kind {
            #expect(!f.hasOwnNameBinding)
            #expect(f.name == "m")
        } else { Issue.record("bad") }
        #expect(sexp("({ 1e21: function(){}, 0.000001: function(){}, 1e-7: function(){} })") ==
                "(paren {#1e+21:(function 1e+21 () {}),#1e-06:(function 0.000001 () {}),#1e-07:(function 1e-7 () {})})")
    }

    @Test func sourceRangesAndStrictness() throws {
        let src = "var f = function (a) { return a }; 'x'; class C { m() {} get g() { return 1 } }; (b) => b"
        let p = try program(src)
        let units = Array(src.utf16)
        func text(_ f: FunctionNode) -> String { String(decoding: units[Int(f.sourceStart)..<Int(f.sourceEnd)], as: UTF16.self) }
        if case .variableDeclaration(_, let d) = p.body[0].kind, case .function(let f)? = d[0].initializer?.kind {
            #expect(text(f) == "function (a) { return a }")
            #expect(!f.isStrict)
            #expect(f.hasSimpleParameters)
        } else { Issue.record("bad") }
        if case .classDeclaration(let c) = p.body[2].kind {
            #expect(String(decoding: units[Int(c.sourceStart)..<Int(c.sourceEnd)], as: UTF16.self) == "class C { m() {} get g() { return 1 } }")
            #expect(text(c.members[0].function) == "m() {}")
            #expect(text(c.members[1].function) == "get g() { return 1 }")
            #expect(c.members[0].function.isStrict)
            #expect(c.members[1].function.kind == .getter)
        } else { Issue.record("bad") }
        if case .expression(let e) = p.body[4].kind, case .arrowFunction(let f) = e.kind {
            #expect(text(f) == "(b) => b")
        } else { Issue.record("bad") }
        let s = try program("'use strict'; function f() {}")
        #expect(s.isStrict)
        if case .functionDeclaration(let f) = s.body[1].kind { #expect(f.isStrict) }
        let t = try program("function f() { 'use strict'; return function g() {} }")
        #expect(!t.isStrict)
        if case .functionDeclaration(let f) = t.body[0].kind {
            #expect(f.isStrict)
            if case .return(let r?) = f.body[1].kind, case .function(let g) = r.kind { #expect(g.isStrict) }
        }
        #expect(try program("a", ParseOptions(forceStrict: true)).isStrict)
        #expect(!(try program("a; 'use strict'")).isStrict)
        #expect(!(try program("('use strict')")).isStrict)
    }

    @Test func parameters() {
        #expect(parses("function f(a, a) {}"))
        #expect(parseError("'use strict'; function f(a, a) {}") != nil)
        #expect(parseError("function f(a, a) { 'use strict' }") != nil)
        #expect(parseError("function f(a, [a]) {}") != nil)
        #expect(parseError("function f(a = 1) { 'use strict' }") != nil)
        #expect(parseError("function eval() { 'use strict' }") != nil)
        #expect(parseError("function f(eval) { 'use strict' }") != nil)
        #expect(parseError("function f(a) { let a }") != nil)
        #expect(parses("function f(a) { var a; { let a } }"))
        #expect(parseError("function f(...a,) {}") != nil)
        #expect(parseError("function f(...a = 1) {}") != nil)
        #expect(parseError("({ get x(a) {} })") != nil)
        #expect(parseError("({ set x() {} })") != nil)
        #expect(parseError("({ set x(...a) {} })") != nil)
        #expect(parses("({ set x(a = 1) {} })"))
        #expect(parseError("({ m(a, a) {} })") != nil)
    }
}

@Suite struct ParserClassTests {
    @Test func classes() {
        #expect(sexp("class A extends B { constructor(x) { super(x) } static s() { return super.s() } get v() {} set v(x) {} ['c']() {} }") ==
                "(class A extends B (constructor A (x) {(super x)}) (static method s (function s () {(return (call (super. \"s\")))})) (get v (function v () {})) (set v (function v (x) {})) (method [\"c\"] (function () {})))")
        #expect(sexp("x = class { static() {} get() {} static static() {} }") ==
                "(= x (class x (method static (function static () {})) (method get (function get () {})) (static method static (function static () {}))))")
        #expect(sexp("class A { 'constructor'() {} }") == "(class A (constructor A () {}))")
        #expect(parseError("class A { constructor() {} constructor() {} }") != nil)
        #expect(parseError("class A { get constructor() {} }") != nil)
        #expect(parseError("class A { static prototype() {} }") != nil)
        #expect(parses("class A { static constructor() {} prototype() {} }"))
        #expect(parseError("class A { constructor() { super() } }") != nil)
        #expect(parseError("class A { m() { super() } }") != nil)
        #expect(parses("class A { m() { super.x; super['y'] } }"))
        #expect(parseError("function f() { super.x }") != nil)
        #expect(parses("({ m() { return super.x } })"))
        #expect(parseError("({ m: function() { super.x } })") != nil)
        #expect(parses("class A extends B { constructor() { (() => super())() } }"))
        #expect(parseError("class A { x = 1 }") != nil)
        #expect(parseError("class A { m() { with (a) {} } }") != nil)
        #expect(parseError("class A { m() { var static } }") != nil)
        #expect(parseError("class let {}") != nil)
        #expect(parseError("class A extends B, C {}") != nil)
        #expect(parseError("class A {}; class A {}") != nil)
        #expect(parseError("if (x) class A {}") != nil)
    }
}

@Suite struct ParserOptionalChainTests {
    @Test func chains() {
        #expect(sexp("a?.b") == "(chain (?. a b))")
        #expect(sexp("a?.b.c()") == "(chain (call (. (?. a b) c)))")
        #expect(sexp("a?.[x]?.(y)") == "(chain (call? (?.[] a x) y))")
        #expect(sexp("(a?.b).c") == "(. (paren (chain (?. a b))) c)")
        #expect(sexp("a?.b + c") == "(+ (chain (?. a b)) c)")
        #expect(sexp("new a.b?.c") == "error: 1:8 Invalid optional chain from new expression")
        #expect(sexp("a ?.5 : 1") == "(? a 0.5 1)")
        #expect(parseError("a?.b++") != nil)
        #expect(parseError("delete a?.b") == nil)
    }

    @Test func newAndCalls() {
        #expect(sexp("new A") == "(new A)")
        #expect(sexp("new A(1)(2)") == "(call (new A 1) 2)")
        #expect(sexp("new new A()()") == "(new (new A))")
        #expect(sexp("new a.b.C(...d)") == "(new (. (. a b) C) ...d)")
        #expect(sexp("f(...a, b,)") == "(call f ...a b)")
        #expect(sexp("function f() { return new.target }") == "(function f () {(return new.target)})")
        #expect(parseError("new.target") != nil)
        #expect(parses("new.target", .functionBody))
        #expect(parses("function f() { () => new.target }"))
        #expect(parseError("() => new.target") != nil)
    }
}

@Suite struct ParserStatementTests {
    @Test func statements() {
        #expect(sexp("if (a) b; else c") == "(if a b c)")
        #expect(sexp("for (var i = 0; i < n; i++) ;") == "(for (var i=0) (< i n) (post++ i) ;)")
        #expect(sexp("for (let [a, b] of c) {}") == "(for-of (let [a,b]) c {})")
        #expect(sexp("for (const k in o) {}") == "(for-in (const k) o {})")
        #expect(sexp("for (x.y of z) ;") == "(for-of (. x y) z ;)")
        #expect(sexp("for (;;) break") == "(for _ _ _ (break))")
        #expect(sexp("for (var a = 1 in b) ;") == "{(var a=1) (for-in (var a) b ;)}")
        #expect(sexp("for (let in x) ;") == "(for-in let x ;)")
        #expect(sexp("for (a in b in c) ;") == "(for-in a (in b c) ;)")
        #expect(sexp("for ((a in b);;) ;") == "(for (paren (in a b)) _ _ ;)")
        #expect(sexp("while (a) b()") == "(while a (call b))")
        #expect(sexp("switch (x) { case 1: a; case 2: default: b }") == "(switch x (case 1 a) (case 2) (default b))")
        #expect(sexp("try { a } catch (e) { b } finally { c }") == "(try {a} (catch e {b}) (finally {c}))")
        #expect(sexp("try {} catch {}") == "(try {} (catch _ {}))")
        #expect(sexp("try {} finally {}") == "(try {} (finally {}))")
        #expect(sexp("a: { break a }") == "(label a {(break a)})")
        #expect(sexp("debugger;") == "(debugger)")
        #expect(sexp("if (a) function f() {}") == "(if a {(function f () {})})")
        #expect(sexp("let\nx") == "(let x)")
        #expect(parseError("var let = 1; let[0] = 2") != nil)
        #expect(sexp("var let = 1; (let)[0] = 2") == "(var let=1) (= ([] (paren let) 0) 2)")
    }

    @Test func letAsIdentifier() {
        #expect(sexp("let = 1") == "(= let 1)")
        #expect(sexp("let.x") == "(. let x)")
        #expect(sexp("if (a) let\nb") == "(if a let) b")
        #expect(parseError("if (a) let [b] = c") != nil)
        #expect(parseError("if (a) let b = c") != nil)
        #expect(parseError("let let = 1") != nil)
        #expect(parseError("for (let let in x) ;") != nil)
        #expect(parseError("'use strict'; let = 1") != nil)
        #expect(parseError("for (let of x) ;") != nil)
        #expect(parses("for (let of of x) ;"))
        #expect(parseError("l\\u0065t x = 1") != nil)
    }

    @Test func importExport() throws {
        let p = try program("import a, { b as c, d } from 'm'; import * as ns from 'n'; import 'o'; export { a as x, c }; export default 42; export const k = 1; export function f() {}", .functionBody)
        #expect(describe(p) == "(import \"m\" default:a b:c d:d) (import \"n\" *:ns) (import \"o\") (export a:x c:c) (const *default*=42) (const k=1) (function f () {})")
        #expect(p.imports.count == 3)
        #expect(p.exports.count == 4)
        if case .declaration(let names) = p.exports[2].kind { #expect(names == ["k"]) } else { Issue.record("bad") }
        let q = try program("export default function g() {}", .functionBody)
        #expect(describe(q) == "(function g () {})")
        if case .specifiers(let pairs) = q.exports[0].kind {
            #expect(pairs.map { $0.local } == ["g"])
            #expect(pairs.map { $0.exported } == ["default"])
        } else { Issue.record("bad") }
        #expect(sexp("export default function () {}", .functionBody) == "(const *default*=(function default () {}))")
        #expect(sexp("export default class {}", .functionBody) == "(const *default*=(class default))")
        #expect(parseError("import a from 'm'") != nil)
        #expect(parseError("export { a }; export { b as a }", .functionBody) != nil)
        #expect(parseError("import a from 'm'; let a", .functionBody) != nil)
        #expect(parseError("{ import a from 'm' }", .functionBody) != nil)
        #expect(parseError("export * from 'm'", .functionBody) != nil)
        #expect(parseError("export { nope }", .functionBody)?.message == "Export 'nope' is not defined")
        #expect(parses("export { a, b, c, d }; var a; let b; function c() {} import d from 'm'", .functionBody))
        #expect(parses("{ var a } export { a }", .functionBody))
    }

    @Test func functionBodyMode() {
        #expect(sexp("return 1", .functionBody) == "(return 1)")
        #expect(parseError("return 1") != nil)
        #expect(sexp("await f()", .functionBody) == "(await (call f))")
        #expect(sexp("await f()") == "error: 1:7 Unexpected identifier 'f'")
        #expect(sexp("var await = 1") == "(var await=1)")
        #expect(sexp("x = await a ** 2", .functionBody) == "error: 1:13 Unary operator used immediately before exponentiation expression. Parenthesis must be used to disambiguate operator precedence")
    }
}

@Suite struct ParserEarlyErrorTests {
    @Test(arguments: [
        "let a; let a;", "let a; var a;", "var a; let a;", "const a = 1; function a() {}",
        "function f() {} let f;", "{ let a; { var a; } }", "{ function f() {} let f; }",
        "'use strict'; { function f() {} function f() {} }", "switch (x) { case 1: let a; case 2: let a; }",
        "try {} catch (e) { let e; }", "try {} catch ([e]) { var e; }", "for (let i of x) { var i; }",
        "class A {} var A;", "break;", "continue;", "while (1) { function f() { break; } }",
        "x: { continue x; }", "x: x: ;", "x: { x: ; }", "break y;", "while (1) { continue y; }",
        "'use strict'; with (a) {}", "with (a) {}", "'use strict'; delete x;", "'use strict'; delete (x);",
        "'use strict'; eval = 1;", "'use strict'; arguments++;", "'use strict'; var eval;",
        "'use strict'; function arguments() {}", "'use strict'; var implements;", "'use strict'; var yield;",
        "'use strict'; (function static() {});", "'use strict'; label: function f() {}",
        "'use strict'; if (x) function f() {}", "while (x) function f() {}", "if (x) label: function f() {}",
        "while (x) label: function f() {}", "a ?? b || c", "a || b ?? c", "a ?? b && c", "a && b ?? c",
        "-a ** 2", "typeof a ** 2", "!a ** 2", "for (let a = 1 of b) ;", "for (var [a] = 1 of b) ;",
        "for (var [a] = 1 in b) ;", "'use strict'; for (var a = 1 in b) ;", "for (let a = 1 in b) ;",
        "for (var a, b of c) ;", "for (let a, b in c) ;", "for (const a;;) ;", "if (x) const a = 1;",
        "while (x) let [a] = b;", "label: let [a] = b;", "do class A {} while (0)", "new.target",
        "function f() { new.target = 1 }", "super.x", "super()", "({ f: function() { super() } })",
        "class A extends B { m() { super() } }", "a => { super.x }", "x\n=> 1", "++1", "1++",
        "a++ = 1", "(a, b) = 1", "(a = 1) = 2", "[a] *= 1", "({a: 1} = 2)", "a?.b = 1", "a?.() = 1",
        "new a?.()", "`${a}`++", "'use strict'; 0o1 + 07", "'use strict'; '\\07'", "0b2", "0o8", "0x",
        "1.e", "08n", "0777n", ".5n", "1e1_", "010e",
        "var a\\u{110000}", "var \\u{61", "({a: 1} => 1)", "({a, b}) => { 'use strict' }",
        "function f([a]) { 'use strict' }", "function f(...a) { 'use strict' }", "(...a) => { 'use strict' }",
        "(a, a) => 1", "({a, a}) => 1", "class A { m(a, a) {} }", "function* g() {}", "async function f() {}",
        "enum = 1", "var enum", "import = 1", "a\\u002Eb", "var a = 'unterminated", "var a = \"\\u{ZZ}\"",
        "/a/gig", "({ get a(x) {} })", "({ set a(x, y) {} })", "class A { get m(a) {} }",
        "class A { constructor() {} 'constructor'() {} }", "class A { static prototype() {} }",
        "class A { static get prototype() {} }", "class A { set constructor(x) {} }",
        "function f(a = super.x) {}", "({ a = 1 });", "({ a = 1 }).x", "[{ a = 1 }]", "f({ a = 1 })",
        "`\\u{110000}`", "`\\xG`", "`\\1`", "let [a, a] = b", "let {a, b: a} = c", "const [a, ...a] = b",
        "var a; let a", "function f() { let a; var a; }", "function f(a) { const a = 1; }",
        "(a) => { let a; }", "try {} catch (e) { let e; }", "for (let a;;) { var a }",
        "'use strict'; var arguments", "'use strict'; [eval] = 1", "'use strict'; ({ a: arguments } = 1)",
        "'use strict'; try {} catch (eval) {}", "'use strict'; function f(a, ...eval) {}",
        "'use strict'; (function eval() {})", "'use strict'; class A { m(arguments) {} }",
        "class A { m() { let static } }", "class A { m() { var eval } }", "class A { m() { 010 } }",
        "class A { m() { with (x) {} } }", "return", "{ return }", "if (1) return",
        "a\n++\nb\n++", "for (a of b, c) ;", "for (let [a] = 1; ; ) { let a; } let [",
        "({a: 1, b}) = 1", "[...a = 1] = b", "({...a = 1} = b)", "({...[a]} = b)",
        "let {...{}} = a", "let [...[a] = 1] = b", "function f(...[a] = 1) {}",
        "(a, ...b) => { 'use strict' }", "for (async of []) ;", "x = { set a() {} }",
        "let\nlet = 1", "const let = 1", "let [let] = 1", "let {let} = 1", "class let {}",
        "for (const let of x) ;", "import('x')", "export var a", "'use strict'; implements = 1",
        "'use strict'; ({ interface })", "'use strict'; ({ package } = {})", "'use strict'; ({ a: private })",
        "'use strict'; protected => 1", "'use strict'; (public) => 1", "'use strict'; function f(static) {}",
        "function static() { 'use strict' }", "function f() { 'use strict'; var let; }",
        "var x = 1 = 2", "x = y = 1 = 2", "a.b.c = 1 = 2", "(a.b) = (c) = 1 = 2",
        "if (a) { } else", "do a; while", "do while (1)", "switch (a) { default: default: }",
        "switch (a) { case }", "try {}", "try {} catch", "try {} catch () {}", "throw", "x = (1, )", "f(,)",
        "f(a,,b)", "[a,,b] => 1", "(a,,b)", "new", "a.", "a[", "a[]", "a?.", "`${}`", "`${a`",
        "{", "}", "(", ")", "[", "]", "a ? b", "a ? b :", "...a", "a, ...b", "this = 1", "null = 1",
        "true = 1", "'a' = 1", "`a` = 1", "/a/ = 1", "typeof a = 1", "new a = 1", "new.target = 1",
        "class A extends B { constructor() { super = 1 } }", "a\\u0000", "\\u0000", "\"\\u{}\"", "1 2",
        "a.1", "a..b", "a?..b", "x = -", "x = !", "x = ~", "x = typeof", "x = void", "x = delete",
        "var", "const", "var 1", "let 1", "const 1 = 2", "function", "function ()", "function f",
        "function f(", "function f()", "function f() {", "class", "class {}", "class A", "class A {",
        "class A { m }", "class A { m() }", "class A extends {}", "({ m() })", "({ get m })", "({ a: })",
        "({ : 1 })", "({ 'a' })", "({ 1 })", "({ [a] })", "({ ...})", "x => ", "(x) =>", "() => ,",
        "() => {} ? a : b", "([(a)] = 1) => x", "({a: (b)} = 1) => x", "async () => 1", "async x => x",
        "x = async function () {}", "class A { async m() {} }", "({ async m() {} })", "for await (x of y) ;",
        "class A { static {} }", "class A { #x() {} }", "a.#x", "({ *g() {} })",
    ])
    func earlyErrors(_ source: String) {
        #expect(parseError(source) != nil, "expected a SyntaxError for: \(source)")
    }

    @Test(arguments: [
        "let a; { let a; }", "var a; var a;", "function f() {} function f() {}", "function f() {} var f;",
        "var f; function f() {}", "{ function f() {} function f() {} }", "try {} catch (e) { var e; }",
        "try {} catch (e) { { let e; } }", "for (let i;;) { let i; }", "function f(a) { var a; function a() {} }",
        "a: while (1) { b: for (;;) { continue a; } }", "a: b: while (1) continue a;",
        "a: { b: { break a; } }", "a: ; a: ;", "label: function f() {}", "if (x) function f() {} else function g() {}",
        "(a ?? b) || c", "a ?? (b && c)", "(-a) ** 2", "a ** -b", "(++a) ** 2", "a++ ** 2",
        "for (var a = 1 in b) ;", "for (let [a] of b) ;", "for (const a of b) ;", "let\nfoo", "var yield; var static;",
        "eval = 1; arguments = 2;", "delete x", "function eval() {}", "function f(eval, arguments) {}",
        "label: { break label; }", "x = { get: 1, set: 2, static: 3, async: 4, await: 5, get get() {}, set set(v) {} }",
        "x = { if: 1, class: 2, function: 3 }", "x.if = x.class", "var of = 1; for (of of of) ;",
        "var async; async = 1", "yield = 1", "var x = y\n/z/g", "a = b ? c : d ? e : f",
        "({ a: b = 1 } = c)", "[a = 1, [b] = [], {c} = {}] = d", "({ 'a': b, 1: c, [d]: e } = f)",
        "for (const [a, b] of c) {}", "x = class { static m() {} }", "new a.b.c()()", "new (a())()", "a?.b?.()",
        "`a${b}c${`d${e}`}f`", "tag`\\xG`", "x = /[/]/", "x = /a/ / /b/", "`\\``", "'\\u{10FFFF}'",
        "1_2.3_4e5_6", "0x1_F", "0b1_0", "0o1_7", ".1_1", "a = 1 \n ++b", "var \\u{1D4D0}x; var 𝓐",
        "function f() { return /a/ }", "({ __proto__: 1, __proto__() {} })", "x = async => async",
        "class A extends (B, C) {}", "class A extends B.c {}", "class A extends f() {}",
        "'use strict'; ({ static: 1 }).static", "a.let; ({ let: 1 })", "var \\u{61}\\u{62}",
        "function f() { new.target }", "function f() { () => new.target }", "if (a) ; else ;",
        "switch (a) { }", "try {} catch ({ a, b: [c] }) {}", "do ; while (0) x", "do x\nwhile (0)",
        "label: for (;;) { continue label }", "f(...a, ...b)", "[...a, ...b]", "({ ...a, ...b })",
        "({ a, ...b } = c)", "[, , a, , ...b] = c", "x = a => b => c", "(a, b) => (c, d)",
        "x = { async() {}, get() {}, set() {}, static() {} }", "class A { async() {} get() {} set() {} }",
        "function f(a, b = a, [c] = b, {d} = c, ...e) {}", "in_ = 1", "\\u0061wait: 1",
        "(x => x) ? a : b", "async(1); async\n(x)", "var async; async => 1", "(x = [(a)] = 1) => 0",
        "({ async: 1, async }); ({ async\n: 2 })", "x = { async() {} }",
    ])
    func validPrograms(_ source: String) {
        #expect(parseError(source) == nil, "expected \(source) to parse: \(parseError(source)?.description ?? "")")
    }
}

@Suite struct ParserDepthTests {
    static let deepInputs: [(String, String)] = {
        let n = 100_000
        func r(_ s: String, _ k: Int = n) -> String { String(repeating: s, count: k) }
        return [
            ("parens", r("(") + "1" + r(")")),
            ("arrays", r("[") + r("]")),
            ("objects", "x = " + r("{a:") + "1" + r("}")),
            ("blocks", r("{") + r("}")),
            ("plus chain", r("a+") + "a"),
            ("unary", r("- ") + "x"),
            ("not", r("!") + "x"),
            ("ifs", r("if(a) ") + ";"),
            ("member chain", "a" + r(".b")),
            ("call chain", "f" + r("()")),
            ("nested calls", r("f(") + r(")")),
            ("assignments", r("x = ") + "1"),
            ("conditionals", r("a ? b : ") + "c"),
            ("exponent", r("a ** ") + "a"),
            ("functions", r("function f(){") + r("}")),
            ("arrows", r("() => ") + "1"),
            ("new", r("new ") + "X"),
            ("templates", r("`${") + r("}`")),
            ("regexp groups", "/" + r("(") + r(")") + "/"),
            ("binding patterns", "var " + r("[") + "a" + r("]") + " = 1"),
            ("object patterns", "var " + r("{a:") + "a" + r("}") + " = 1"),
            ("assignment patterns", r("[") + "a" + r("]") + " = 1"),
            ("labels", (0..<n).map { "a\($0): " }.joined() + ";"),
            ("else if", "if (a) ;" + r(" else if (a) ;")),
            ("while", r("while (a) ") + ";"),
            ("arrow params", r("(a = ") + "1" + r(") => 1")),
            ("logical", r("a && ") + "a"),
            ("nullish", r("a ?? ") + "a"),
            ("sequence in parens", r("(a, ") + "a" + r(")")),
            ("classes", r("class A extends (") + "B" + r(") {}")),
        ]
    }()

    @Test func deepNestingFailsCleanlyOnSmallStack() {
        for (label, source) in Self.deepInputs {
            nonisolated(unsafe) var result: SyntaxError? = nil
            runOnThread(stackSize: 512 * 1024) {
                result = parseError(source)
            }
            #expect(result != nil, "\(label) should be rejected")
            if let result {
                #expect(result.message.contains("too deep") || result.message.contains("Nesting"), "\(label): \(result.message)")
            }
        }
    }

    @Test func flatInputsAreFine() {
        let n = 100_000
        #expect(parses(String(repeating: "a;", count: n)))
        #expect(parses("x = [" + String(repeating: "1,", count: n) + "]"))
        #expect(parses("f(" + String(repeating: "a,", count: n) + ")"))
        #expect(parses(String(repeating: "a, ", count: n) + "a"))
        #expect(parses("`" + String(repeating: "${a}", count: n) + "`"))
    }

    @Test func moderateNestingIsAccepted() {
        // Debug builds use large stack frames: give the parser a big stack.
        runOnThread(stackSize: 64 << 20) { Self.moderateNesting() }
    }

    static func moderateNesting() {
        let k = 200
        #expect(parses(String(repeating: "(", count: k) + "1" + String(repeating: ")", count: k)))
        #expect(parses(String(repeating: "{", count: k) + String(repeating: "}", count: k)))
        #expect(parses(String(repeating: "a+", count: 600) + "a"))
        #expect(parses("a" + String(repeating: ".b", count: 600)))
        #expect(parses(String(repeating: "function f(){", count: 100) + String(repeating: "}", count: 100)))
    }

    @Test func treeDepthIsBounded() {
        runOnThread(stackSize: 64 << 20) {
            let limit = Parser.maxNestingDepth
            #expect(parseError(String(repeating: "a+", count: limit + 10) + "a")?.message == "Nesting too deep")
            let half = limit / 2
            #expect(parseError(String(repeating: "(", count: half) + String(repeating: "a+", count: half + 10)
                               + "a" + String(repeating: ")", count: half))?.message == "Nesting too deep")
            #expect(parseError(String(repeating: "(", count: half) + String(repeating: "a+", count: half - 10)
                               + "a" + String(repeating: ")", count: half)) == nil)
            #expect(parseError("a" + String(repeating: ".b", count: limit + 10))?.message == "Nesting too deep")
        }
    }
}
