// Accessor properties in object literals and via defineProperty.
const account = {
  _balance: 0,
  history: [],
  get balance() { return this._balance; },
  set balance(v) {
    if (v < 0) throw new RangeError('negative balance');
    this.history.push(v);
    this._balance = v;
  },
};
account.balance = 50;
account.balance = 75;
try { account.balance = -1; } catch (e) { console.log(e.name + ': ' + e.message); }
console.log(account.balance, account.history.join(','));

const desc = Object.getOwnPropertyDescriptor(account, 'balance');
console.log(typeof desc.get, typeof desc.set, desc.enumerable, desc.configurable, 'value' in desc);

const o = {};
let reads = 0;
Object.defineProperty(o, 'computed', { get() { reads++; return 'v' + reads; }, enumerable: false });
console.log(o.computed, o.computed, Object.keys(o).length);

// Getter only: assignment is ignored in sloppy mode.
const ro = { get x() { return 1; } };
ro.x = 2;
console.log(ro.x);
// ... and throws in strict mode.
(function () {
  'use strict';
  try { ro.x = 3; } catch (e) { console.log('strict: ' + e.name); }
})();

// Inherited setters are called with the receiver.
const proto = { set name(v) { this._name = v.toUpperCase(); }, get name() { return this._name; } };
const child = Object.create(proto);
child.name = 'ada';
console.log(child.name, Object.prototype.hasOwnProperty.call(child, '_name'), Object.prototype.hasOwnProperty.call(child, 'name'));

// Non-writable data properties.
const frozen = Object.freeze({ a: 1, nested: { b: 2 } });
frozen.a = 100;
frozen.nested.b = 200;
console.log(frozen.a, frozen.nested.b, Object.isFrozen(frozen), Object.isFrozen(frozen.nested));
const sealed = Object.seal({ s: 1 });
sealed.s = 2; sealed.t = 3; delete sealed.s;
console.log(JSON.stringify(sealed));

// defineProperty defaults: not writable, not enumerable, not configurable.
const d = {};
Object.defineProperty(d, 'fixed', { value: 42 });
d.fixed = 0;
console.log(d.fixed, JSON.stringify(Object.getOwnPropertyDescriptor(d, 'fixed')));
try { Object.defineProperty(d, 'fixed', { value: 43 }); } catch (e) { console.log(e.name); }
