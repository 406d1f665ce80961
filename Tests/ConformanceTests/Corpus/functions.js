// this binding, call/apply/bind, arrow functions, function properties.
function whoAmI() { return this === undefined ? 'undefined' : this === globalThis ? 'global' : this.id; }
function strictWho() { 'use strict'; return this === undefined ? 'undefined' : typeof this; }
const o1 = { id: 'o1', whoAmI };
console.log(o1.whoAmI(), whoAmI(), strictWho(), whoAmI.call({ id: 'called' }), whoAmI.apply({ id: 'applied' }, []));
console.log(strictWho.call(5), whoAmI.call(null));
const bound = whoAmI.bind({ id: 'bound' });
console.log(bound(), bound.call({ id: 'ignored' }), bound.name, bound.length);
function add(a, b, c) { return a + b + c; }
const add1 = add.bind(null, 1);
console.log(add1(2, 3), add1.length, add.apply(null, [1, 2, 3]), add.call(null, 'a', 'b', 'c'));
const obj = {
  id: 'outer',
  regular() { return [1].map(function () { return this === undefined || this === globalThis ? 'lost' : this.id; })[0]; },
  arrow() { return [1].map(() => this.id)[0]; },
  withThisArg() { return [1].map(function () { return this.id; }, { id: 'thisArg' })[0]; },
};
console.log(obj.regular(), obj.arrow(), obj.withThisArg());
const detached = obj.arrow;
try { console.log(detached()); } catch (e) { console.log('detached: ' + e.name); }
console.log(add.name, (function () {}).name, (() => {}).name, (function named() {}).name);
const assigned = function () {};
const arrowAssigned = () => {};
const objm = { m() {}, ['c' + 'k']: () => {} };
console.log(assigned.name, arrowAssigned.name, objm.m.name, objm.ck.name);
console.log(typeof Function.prototype, Function.prototype.name === '', add.toString().startsWith('function add'));
function Ctor(v) { this.v = v; }
Ctor.prototype.get = function () { return this.v; };
const inst = new Ctor(7);
console.log(inst.get(), inst.constructor === Ctor, inst instanceof Ctor, Object.getPrototypeOf(inst) === Ctor.prototype);
function ReturnsObject() { this.a = 1; return { b: 2 }; }
function ReturnsPrimitive() { this.a = 1; return 5; }
console.log(JSON.stringify(new ReturnsObject()), JSON.stringify(new ReturnsPrimitive()));
try { new (() => {})(); } catch (e) { console.log(e.name); }
try { new obj.regular(); } catch (e) { console.log(e.name); }
const BoundCtor = Ctor.bind(null, 'from bind');
console.log(new BoundCtor().v, new BoundCtor() instanceof Ctor);
function curry(f) { return function c(...args) { return args.length >= f.length ? f(...args) : (...more) => c(...args, ...more); }; }
console.log(curry(add)(1)(2)(3), curry(add)(1, 2)(3));
const compose = (...fs) => x => fs.reduceRight((v, f) => f(v), x);
console.log(compose(x => x + 1, x => x * 2)(5));
console.log((function () { return typeof arguments; })());
