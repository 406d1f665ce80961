// Map and Set: insertion order, SameValueZero keys, deletion during iteration, size.
const m = new Map();
const objKey = {}, fnKey = function () {};
m.set('a', 1).set(1, 'number one').set('1', 'string one').set(objKey, 'object').set(fnKey, 'function');
m.set(NaN, 'nan').set(-0, 'zero');
console.log(m.size, m.get(1), m.get('1'), m.get(objKey), m.get({}), m.get(NaN), m.get(0), m.get(fnKey));
console.log(m.has('a'), m.has('b'), m.delete('a'), m.delete('a'), m.size);
console.log([...m.keys()].map(k => typeof k).join(','));
m.set(1, 'updated');
console.log([...m.values()].join('|'));
const order = [];
m.forEach((v, k, map) => order.push(String(k) + (map === m ? '' : '!')));
console.log(order.join(' '));
console.log(Object.is([...m.keys()].find(k => k === 0), 0));

const s = new Set([1, 2, 2, 3, '3', NaN, NaN]);
console.log(s.size, s.has(3), s.has('3'), s.has(NaN), s.has(4));
s.add(4).add(1);
console.log([...s].join(','));
s.delete(2);
console.log([...s.entries()].map(([a, b]) => a === b).every(Boolean), [...s].length);

// Entries added during iteration are visited; deleted ones are not.
const live = new Set([1, 2, 3]);
const visited = [];
for (const v of live) {
  visited.push(v);
  if (v === 1) { live.delete(2); live.add(4); }
}
console.log(visited.join(','));

// Clearing.
const c = new Map([[1, 1], [2, 2]]);
c.clear();
console.log(c.size, [...c].length);

// Counting words with a Map.
const words = 'the cat and the hat and the bat'.split(' ');
const freq = new Map();
for (const w of words) freq.set(w, (freq.get(w) || 0) + 1);
console.log([...freq].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w, n]) => w + '=' + n).join(' '));

// Set operations by hand.
const A = new Set([1, 2, 3, 4]), B = new Set([3, 4, 5]);
console.log([...A].filter(x => B.has(x)).join(','), [...new Set([...A, ...B])].join(','));
console.log(Object.prototype.toString.call(m), Object.prototype.toString.call(s));
console.log(typeof Map.prototype.get, Map.name, Set.length);
