// Many short-lived objects, arrays and strings: the garbage collector must reclaim them.
let total = 0;
for (let i = 0; i < 100000; i++) {
  const o = { a: i, b: [i, i + 1], s: 'item' + i };
  total = (total + o.a + o.b[1] + o.s.length) % 1000000007;
}
console.log('objects ' + total);
let keep = [];
for (let round = 0; round < 50; round++) {
  const tmp = [];
  for (let j = 0; j < 1000; j++) tmp.push({ round, j });
  keep.push(tmp[round]);
}
console.log('kept ' + keep.length + ' ' + keep.reduce((s, o) => s + o.j + o.round, 0));
let str = '';
for (let i = 0; i < 2000; i++) { str += i.toString(36); if (str.length > 1000) str = str.slice(500); }
console.log('string ' + str.length);
const m = new Map();
for (let i = 0; i < 20000; i++) { m.set('k' + (i % 1000), { i }); if (i % 3 === 0) m.delete('k' + ((i + 500) % 1000)); }
console.log('map ' + m.size);
