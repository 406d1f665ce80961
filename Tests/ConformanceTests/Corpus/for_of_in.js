// for-of over arrays, strings, Maps, Sets; for-in over own and inherited enumerable keys.
const out = [];
for (const x of [1, 2, 3]) out.push(x * 2);
console.log(out.join(' '));

let chars = '';
for (const ch of 'héllo😀') chars += '[' + ch + ']';
console.log(chars);

for (const [k, v] of new Map([['a', 1], ['b', 2]])) console.log(k, v);
for (const v of new Set(['x', 'y', 'x'])) console.log(v);

for (const [i, v] of ['p', 'q'].entries()) console.log(i + ':' + v);

function Base() { this.own1 = 1; this.own2 = 2; }
Base.prototype.inherited = 3;
const o = new Base();
const keys = [];
for (const k in o) keys.push(k);
console.log(keys.join(','));
const ownKeys = [];
for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ownKeys.push(k);
console.log(ownKeys.join(','));

// Integer keys come first in ascending order, then strings in insertion order.
const mixed = { b: 1, 2: 'two', a: 2, 1: 'one', '-1': 'neg' };
const order = [];
for (const k in mixed) order.push(k);
console.log(order.join(','));

// for-in over an array gives string indices.
const idx = [];
for (const i in ['a', 'b', 'c']) idx.push(typeof i + i);
console.log(idx.join(' '));

// for-in over null/undefined does nothing.
let count = 0;
for (const k in null) count++;
for (const k in undefined) count++;
console.log('count ' + count);

// Deleting a not-yet-visited key during for-in skips it.
const del = { a: 1, b: 2, c: 3 };
const seen = [];
for (const k in del) { seen.push(k); if (k === 'a') delete del.b; }
console.log(seen.join(''));

// break and continue inside for-of.
let acc = '';
for (const n of [1, 2, 3, 4, 5, 6]) {
  if (n % 2) continue;
  if (n > 4) break;
  acc += n;
}
console.log(acc);
