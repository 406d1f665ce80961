// Recursive structural equality and deep cloning.
function deepEqual(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !deepEqual(v, b.get(k))) return false;
    return true;
  }
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every(k => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
}
function deepClone(v, seen = new Map()) {
  if (typeof v !== 'object' || v === null) return v;
  if (seen.has(v)) return seen.get(v);
  if (v instanceof Date) return new Date(v.getTime());
  if (v instanceof Map) { const m = new Map(); seen.set(v, m); v.forEach((val, k) => m.set(k, deepClone(val, seen))); return m; }
  const out = Array.isArray(v) ? [] : {};
  seen.set(v, out);
  for (const k of Object.keys(v)) out[k] = deepClone(v[k], seen);
  return out;
}
const x = { a: [1, 2, { b: 'c' }], d: new Date(Date.UTC(2020, 1, 2)), m: new Map([['k', [1]]]), n: NaN, z: null };
const y = deepClone(x);
console.log(deepEqual(x, y), x !== y, x.a !== y.a, x.m !== y.m);
y.a[2].b = 'changed';
console.log(deepEqual(x, y), x.a[2].b);
console.log(deepEqual([1, [2]], [1, [2]]), deepEqual({ a: 1 }, { a: 1, b: undefined }), deepEqual([], {}), deepEqual(0, -0), deepEqual(NaN, NaN));
const cyclic = { name: 'c' };
cyclic.self = cyclic;
const cc = deepClone(cyclic);
console.log(cc.self === cc, cc !== cyclic, cc.name);
