import Testing
@testable import SluiceCompiler
import SluiceVM

// Generated from JS snippets: each expectation is what node prints for JSON.stringify of the result.

@Suite struct CodeGenSnippetTests {
    @Test func snippet_a1() throws {
        let src = """
let s = 0; for (let i = 0; i < 10; i++) s += i;
let o = {a: 1, b: [2, 3], get c() { return 4 }, ['d' + 1]: 5, 7: 8};
const {a, b: [x, y = 9], ...rest} = o;
return [s, a, x, y, rest, o.c];
"""
        #expect(try CodeGenExecutionSupport.runJSON(src) == "[45,1,2,3,{\"7\":8,\"c\":4,\"d1\":5},4]")
    }

    @Test func snippet_a2() throws {
        let src = """
const fs = []; for (let i = 0; i < 3; i++) fs.push(() => i);
let out = fs.map(f => f());
function fact(n) { return n <= 1 ? 1 : n * fact(n - 1) }
out.push(fact(10));
var t = 0; for (var k in {p: 1, q: 2}) t += k.length;
out.push(t);
for (const v of [1, 2, 3]) { if (v == 2) continue; out.push(v * 10) }
return out;
"""
        #expect(try CodeGenExecutionSupport.runJSON(src) == "[0,1,2,3628800,2,10,30]")
    }

    @Test func snippet_a3() throws {
        let src = """
const log = [];
function f(g) { try { log.push('t'); return g() } catch (e) { log.push('c:' + e.message); return 'caught' } finally { log.push('f') } }
log.push(f(() => 1));
log.push(f(() => { throw new Error('boom') }));
outer: for (let i = 0; i < 3; i++) { for (let j = 0; j < 3; j++) { if (j == 1) continue outer; if (i == 2) break outer; log.push(i + '' + j) } }
switch (3) { case 1: log.push('one'); case 3: log.push('three'); case 4: log.push('four'); break; default: log.push('d') }
switch (9) { case 1: log.push('one'); default: log.push('d'); case 4: log.push('four'); }
return log;
"""
        #expect(try CodeGenExecutionSupport.runJSON(src) == "[\"t\",\"f\",1,\"t\",\"c:boom\",\"f\",\"caught\",\"00\",\"10\",\"three\",\"four\",\"d\",\"four\"]")
    }

    @Test func snippet_a4() throws {
        let src = """
class A { constructor(x) { this.x = x } get y() { return this.x + 1 } static s() { return 'S' } m() { return 'A.m' } }
class B extends A { constructor(x) { super(x * 2) } m() { return 'B>' + super.m() } }
class C extends B {}
const c = new C(5);
return [c.x, c.y, c.m(), A.s(), C.name, c instanceof A, typeof C, Object.getPrototypeOf(C) === B];
"""
        #expect(try CodeGenExecutionSupport.runJSON(src) == "[10,11,\"B>A.m\",\"S\",\"C\",true,\"function\",true]")
    }

    @Test func snippet_a5() throws {
        let src = """
const r = [];
let a = null;
r.push(a?.b, a?.b.c(), (a ?? 5), 0 || 'x', 1 && 2);
let o = {n: 0, f() { return this.n }};
r.push(o?.f(), o.g?.());
let x = 1; x ||= 2; r.push(x); let y = null; y ??= 3; r.push(y); let z = 1; z &&= 7; r.push(z);
o.n += 5; o['n'] *= 2; r.push(o.n, o.n++, ++o.n, o.n--);
let i = '5'; r.push(i++, i);
r.push(`a${1 + 1}b${'c'}`, typeof undefinedVar, delete o.n, 'n' in o);
r.push([1, ...[2, 3], , 4].length, Math.max(...[1, 5, 3]));
function tag(s, ...v) { return s.raw.join('|') + v.join(',') }
r.push(tag`x${1}y${2}z`);
return r;
"""
        #expect(try CodeGenExecutionSupport.runJSON(src) == "[null,null,5,\"x\",2,0,null,1,3,7,10,10,12,12,5,6,\"a2bc\",\"undefined\",true,false,5,5,\"x|y|z1,2\"]")
    }

    @Test func snippet_b1() throws {
        let src = """
const r = [];
function err(f) { try { return f() } catch (e) { return e.constructor.name + ':' + (e instanceof Error) } }
r.push(err(() => { x; let x = 1 }));
r.push(err(() => { const c = 1; c = 2 }));
r.push(err(() => { const c = 1; c += 2; }));
r.push(err(() => { let q = q + 1 }));
r.push(err(() => { typeof tdz; let tdz }));
r.push(err(() => { function g() { return w } const a = g(); let w = 1; return a }));
r.push(err(() => { let w = 1; function g() { return w } return g() }));
r.push(err(() => undefinedThing));
r.push(err(() => { 'use strict'; undeclaredStrict = 1 }));
r.push(err(() => null.x));
r.push(err(() => { const {a} = null }));
r.push(err(() => { const [a] = {} }));
r.push(err(() => { class A extends B {} ; class B {} }));
r.push(err(() => { class A { constructor() { this.x = 1 } } ; return A() }));
r.push(err(() => { class A {} class B extends A { constructor() { this.x = 1; super() } } ; new B() }));
r.push(err(() => { class A {} class B extends A { constructor() { } } ; new B() }));
r.push(err(() => { let f = function g() { g = 1; return typeof g }; return f() }));
r.push(err(() => { 'use strict'; let f = function g() { g = 1; return typeof g }; return f() }));
return r;
"""
        #expect(try CodeGenExecutionSupport.runJSON(src) == "[\"ReferenceError:true\",\"TypeError:true\",\"TypeError:true\",\"ReferenceError:true\",\"ReferenceError:true\",\"ReferenceError:true\",1,\"ReferenceError:true\",\"ReferenceError:true\",\"TypeError:true\",\"TypeError:true\",\"TypeError:true\",\"ReferenceError:true\",\"TypeError:true\",\"ReferenceError:true\",\"ReferenceError:true\",\"function\",\"TypeError:true\"]")
    }

    @Test func snippet_b2() throws {
        let src = """
const log = [];
function mk(n) {
  let i = 0;
  return { [Symbol.iterator]() { return this }, next() { log.push('next'); return i < n ? {value: i++, done: false} : {value: undefined, done: true} }, return() { log.push('return'); return {} } };
}
for (const v of mk(5)) { if (v == 1) break }
const [a, b] = mk(5); log.push(a, b);
const [c, d, e] = mk(2); log.push(c, d, e);
const [f, ...g] = mk(3); log.push(f, g.length);
try { for (const v of mk(5)) { throw new Error('x') } } catch (e) { log.push('caught') }
function ret() { for (const v of mk(5)) { return v } }
log.push(ret());
try { const [h = (() => { throw 1 })()] = mk(0) } catch (e) { log.push('d' + e) }
try { const [h, k = (() => { throw 2 })()] = mk(5) } catch (e) { log.push('d' + e) }
let [p, , q] = 'xyz'; log.push(p + q);
let m, n; [m, n] = [1, 2]; [m, n] = [n, m]; log.push(m, n);
return log;
"""
        #expect(try CodeGenExecutionSupport.runJSON(src) == "[\"next\",\"next\",\"return\",\"next\",\"next\",\"return\",0,1,\"next\",\"next\",\"next\",0,1,null,\"next\",\"next\",\"next\",\"next\",0,2,\"next\",\"return\",\"caught\",\"next\",\"return\",0,\"next\",\"d1\",\"next\",\"next\",\"return\",\"xz\",2,1]")
    }

    @Test func snippet_b3() throws {
        let src = """
const log = [];
for (let i = 0; i < 3; i++) { try { if (i == 1) continue; if (i == 2) break; log.push('body' + i) } finally { log.push('fin' + i) } }
function f() { try { try { return 'inner' } finally { log.push('f1') } } finally { log.push('f2') } }
log.push(f());
function g() { try { throw 1 } catch (e) { return 'c' + e } finally { log.push('gf') } }
log.push(g());
function h() { try { return 1 } finally { return 2 } }
log.push(h());
function k() { L: try { break L } finally { log.push('kf') } return 'k' }
log.push(k());
function m() { for (const x of [1, 2]) { try { return x } finally { log.push('mf' + x) } } }
log.push(m());
function n() { let r = 0; for (let i = 0; i < 3; i++) { try { if (i) throw i } catch (e) { r += e; continue } finally { r += 10 } } return r }
log.push(n());
lbl: { log.push('in'); if (log.length) break lbl; log.push('never') }
try { try { throw new Error('a') } finally { log.push('fa') } } catch (e) { log.push(e.message) }
function p() { let c = () => 0; try { let z = 5; c = () => z; throw 0 } catch (e) { return c() } }
log.push(p());
return log;
"""
        #expect(try CodeGenExecutionSupport.runJSON(src) == "[\"body0\",\"fin0\",\"fin1\",\"fin2\",\"f1\",\"f2\",\"inner\",\"gf\",\"c1\",2,\"kf\",\"k\",\"mf1\",1,33,\"in\",\"fa\",\"a\",5]")
    }

    @Test func snippet_b4() throws {
        let src = """
const r = [];
function f(a, b = a + 1, {c, d = 4} = {}, ...rest) { return [a, b, c, d, rest, arguments.length] }
r.push(f(1), f(1, 2, {c: 3}, 5, 6));
function g() { return arguments.length + (() => arguments[0])() }
r.push(g(10, 20));
function h(x) { return () => x++ } const hh = h(5); hh(); r.push(hh());
function nt() { return new.target === nt } r.push(nt(), new nt() instanceof nt);
const obj = { __proto__: { inherited: 1 }, own: 2, ...{ spread: 3 } };
r.push(obj.inherited, Object.keys(obj).join());
const anon = function () {}; const arrow = () => {}; r.push(anon.name, arrow.name, f.length, g.length);
const key = 'dyn'; const o2 = { [key]: function () {}, [key + 'M']() {} }; r.push(o2.dyn.name, o2.dynM.name);
class K { static [key]() {} get [key + 'G']() { return 1 } } r.push(K.dyn.name);
var sum = 0; for (var i = 0, j = 10; i < j; i++, j--) sum += i * j; r.push(sum);
let w = 0; do { w++ } while (w < 5); r.push(w);
let cnt = 0; while (true) { if (++cnt > 3) break } r.push(cnt);
r.push((1, 2, 3), void 0, !0, -'3', +'4', ~5, 2 ** 10, 7 % 3, 1 << 3, -16 >> 2, -16 >>> 28, 5 & 3, 5 | 3, 5 ^ 3);
r.push(1 < 2, 2 <= 2, 3 > 4, 4 >= 4, 1 == '1', 1 === '1', 1 != 2, null == undefined, null === undefined);
return r;
"""
        #expect(try CodeGenExecutionSupport.runJSON(src) == "[[1,2,null,4,[],1],[1,2,3,4,[5,6],5],12,6,false,true,1,\"own,spread\",\"anon\",\"arrow\",1,0,\"dyn\",\"dynM\",\"dyn\",70,5,4,3,null,true,-3,4,-6,1024,1,8,-4,15,1,7,6,true,true,false,true,true,false,true,true,false]")
    }

    @Test func snippet_b5() throws {
        let src = """
const r = [];
{ function blockFn() { return 'b' } }
r.push(typeof blockFn);
if (true) { function inIf() { return 1 } }
r.push(typeof inIf);
function scope() { var x = 'outer'; { let x = 'inner'; r.push(x) } return x } r.push(scope());
let fns = []; for (const x of ['a', 'b']) fns.push(() => x); r.push(fns.map(f => f()).join());
let fns2 = []; for (let k in {p: 1, q: 2}) fns2.push(() => k); r.push(fns2.map(f => f()).join());
let s = ''; for (const [k, v] of Object.entries({a: 1, b: 2})) s += k + v; r.push(s);
let t = 0; for (let {a, b} of [{a: 1, b: 2}, {a: 3, b: 4}]) t += a * b; r.push(t);
var o = {}; for (o.prop of [1, 2]); r.push(o.prop);
let aa, bb; ({a: aa, b: bb = 5} = {a: 1}); r.push(aa, bb);
const nested = {p: {q: [1, {r: 2}]}}; const {p: {q: [one, {r: two}]}} = nested; r.push(one, two);
try { throw {code: 42} } catch ({code}) { r.push(code) }
try { throw 1 } catch { r.push('nobind') }
let counter = 0; const inc = () => counter++; inc(); inc(); r.push(counter);
r.push(((a, b) => a + b)(2, 3), (x => x * 2)(4));
r.push([..."héllo"].length, String.raw`a\\nb`);
return r;
"""
        #expect(try CodeGenExecutionSupport.runJSON(src) == "[\"function\",\"function\",\"inner\",\"outer\",\"a,b\",\"p,q\",\"a1b2\",14,2,1,5,1,2,42,\"nobind\",2,5,8,5,\"a\\\\nb\"]")
    }

    @Test func snippet_c1() throws {
        let src = """
const r = [];
let a = 1; r.push(a + (a = 2), a);
let x = 5; x = x++; r.push(x);
let y = 5; y = y++ + ++y; r.push(y);
let o = {p: 1}; o = o.p = 5; r.push(o);
let z = 1; z = [z, z]; r.push(z);
let q = 1; q = {v: q, w: (q = 2)}; r.push(q);
let s = 'a'; s = `${s}${s = 'b'}${s}`; r.push(s);
let arr = [10, 20]; let i = 0; arr[i++] += 5; r.push(arr, i);
let k = 0; const ob = {}; ob[k] = (k = 1); r.push(JSON.stringify(ob), k);
let m = 3; m += (m = 10); r.push(m);
let n = 2; n = n * (n = 3) + n; r.push(n);
let c = 0; const f = () => c++; c = c + f(); r.push(c);
let u = 1; u = u || (u = 3); r.push(u);
let v = 0; v = v || (v = 3) + v; r.push(v);
let w = 1; w = w ? w + 1 : 0; r.push(w);
let cond = 0; cond = cond ? 1 : [cond]; r.push(cond);
let p = {a: 1}; p = p?.a; r.push(p);
let e = 5; e = -e; r.push(e);
let t = 'x'; t = typeof t; r.push(t);
let ss = 1; ss = (ss++, ss); r.push(ss);
let g = 1; g = (() => g + 1)(); r.push(g);
let h = [1, 2]; [h[1], h[0]] = h; r.push(h);
let l1 = 1, l2 = 2; [l1, l2] = [l2, l1]; r.push(l1, l2);
let dd = {x: 1}; ({x: dd} = dd); r.push(dd);
let cc = 1; cc = cc < 2; r.push(cc);
let pp = 1; pp = pp + 1 + pp; r.push(pp);
let ii = 0; ii = ii++ + ii++; r.push(ii);
return r;
"""
        #expect(try CodeGenExecutionSupport.runJSON(src) == "[3,2,5,12,5,[1,1],{\"v\":1,\"w\":2},\"abb\",[15,20],1,\"{\\\"0\\\":1}\",1,13,9,0,1,6,2,[0],1,-5,\"string\",2,2,[1,1],2,1,1,true,3,1]")
    }

    @Test func snippet_c3() throws {
        let src = """
const r = [];
const base = { greet() { return 'base' }, set v(x) { this._v = x }, get v() { return this._v } };
const derived = { __proto__: base, greet() { return 'derived>' + super.greet() }, set v(x) { super.v = x * 2 } };
r.push(derived.greet()); derived.v = 5; r.push(derived._v, derived.v);
class P { get z() { return 'pz' } set z(v) { this._z = v } static create() { return new this() } }
class Q extends P { get z() { return 'q' + super.z } set z(v) { super.z = v + 1 } static create() { return super.create() } }
const q = Q.create(); q.z = 1; r.push(q.z, q._z, q instanceof Q);
const E = class Named { who() { return Named.name } }; r.push(new E().who(), E.name);
return r;
"""
        #expect(try CodeGenExecutionSupport.runJSON(src) == "[\"derived>base\",10,null,\"qpz\",2,true,\"Named\",\"Named\"]")
    }

    @Test func snippet_c4() throws {
        let src = """
const r = [];
let outerCap = 'outer'; const getOuter = () => outerCap;
function envRestore() {
  let a = 'a'; const ga = () => a;
  try { let b = 'b'; const gb = () => b; r.push(gb()); throw new Error('x') } catch (e) { r.push(ga()) }
  for (let i = 0; i < 2; i++) { let c = i; const gc = () => c; try { if (i) throw 1 } catch { r.push('c' + gc()) } r.push(ga()) }
  for (const v of [1, 2, 3]) { let w = v; const gw = () => w; if (v == 2) continue; if (v == 3) break; r.push(gw()) }
  r.push(ga(), getOuter());
  L: for (const x of [1, 2]) { for (let y of [1, 2]) { const gy = () => y; if (y == 2) continue L; r.push(x * 10 + gy()) } }
  r.push(ga());
}
envRestore();
function nt() { return (() => new.target)() } r.push(nt() === undefined, new nt() !== undefined);
function args() { return (() => arguments.length)() } r.push(args(1, 2, 3));
const fac = function me(n) { return n <= 1 ? 1 : n * me(n - 1) }; r.push(fac(5));
const shadow = function me() { let me = 3; return me }; r.push(shadow());
function sw(k) { let out = []; switch (k) { case 0: let z = 'z0'; out.push(() => z); case 1: out.push('one'); break; default: out.push('def') } return out.map(x => typeof x == 'function' ? (() => { try { return x() } catch (e) { return e.constructor.name } })() : x).join() }
r.push(sw(0), sw(1), sw(5));
function cnt() { let fs = []; for (let i = 0; i < 4; i++) { if (i % 2) continue; fs.push(() => i) } return fs.map(f => f()).join() } r.push(cnt());
function upd() { let fs = []; for (let i = 0; i < 3; i++) { fs.push(() => i); i++ } return fs.map(f => f()).join() } r.push(upd());
class M { m() { return [1, 2].map(x => super.toString === Object.prototype.toString && this instanceof M) } } r.push(new M().m().join());
let obj = { a: 1, b: { c: [5, 6] } }; r.push(obj?.b?.c?.[1], obj.x?.y.z, obj.b.c?.length);
r.push(delete obj?.a, obj.a, delete obj.zz?.q);
function defaults(a, b = () => a) { a = 2; return b() } r.push(defaults(1));
return r;
"""
        #expect(try CodeGenExecutionSupport.runJSON(src) == "[\"b\",\"a\",\"a\",\"c1\",\"a\",1,\"a\",\"outer\",11,21,\"a\",true,true,3,120,3,\"z0,one\",\"one\",\"def\",\"0,2\",\"1,3\",\"true,true\",6,null,2,true,null,true,2]")
    }

    @Test func snippet_d1() throws {
        let src = """
const r = [];
class A { constructor() { this.a = 1 } }
class B extends A { constructor() { const f = () => super(); f(); r.push(this.a) } }
new B();
class C extends A { constructor() { const f = () => { super(); return this }; r.push(f() === this) } }
new C();
class N extends null { static s() { return 's' } } r.push(N.s(), Object.getPrototypeOf(N.prototype));
function mk() { return class { v() { return 'anon' } } } class D extends mk() {} r.push(new D().v());
const sym = Symbol('k'); class E { [sym]() { return 'sym' } static get g() { return 'sg' } } r.push(new E()[sym](), E.g);
const __proto__ = 5; const o1 = { __proto__ }; r.push(Object.getPrototypeOf(o1) === Object.prototype, o1.__proto__ === 5 || Object.keys(o1).join());
const log = [];
for (const v of [1, 2, 3]) { switch (v) { case 2: break; default: log.push(v) } }
outer: for (const v of [1, 2]) { switch (v) { case 1: continue outer; } log.push('v' + v) }
r.push(log.join());
return r;
"""
        #expect(try CodeGenExecutionSupport.runJSON(src) == "[1,true,\"s\",null,\"anon\",\"sym\",\"sg\",true,true,\"1,3,v2\"]")
    }

    @Test func snippet_d2() throws {
        let src = """
const r = [];
function err(f) { try { return f() } catch (e) { return e.constructor.name } }
r.push(err(() => (function (a = b, b) { return a })(undefined, 1)));
r.push(err(() => (function (a = b, b) { return a })(2, 1)));
r.push(err(() => (function (a, b = a) { return b })(3)));
r.push(err(() => (function (a = () => b, b) { return a() })(undefined, 4)));
r.push(err(() => (function ({x} = {x: 5}, y = x) { return y })()));
r.push(err(() => (function (a = a) { return a })()));
function area({ w = 1, h = w * 2 } = {}) { return w * h; }
r.push(area({ w: 3 }), area({ w: 2, h: 5 }), area());
return r;
"""
        #expect(try CodeGenExecutionSupport.runJSON(src) == "[\"ReferenceError\",2,3,4,5,\"ReferenceError\",18,10,2]")
    }
}
