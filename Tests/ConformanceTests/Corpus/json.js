// JSON.stringify and JSON.parse: escapes, indentation, replacers, revivers, toJSON, errors.
const data = { s: 'quote " backslash \\ newline \n tab \t uni \u00e9 \u2028', n: 1.5, neg: -0, i: 10,
  b: true, nul: null, u: undefined, f() {}, arr: [1, undefined, function () {}, NaN, Infinity], nested: { x: [] } };
console.log(JSON.stringify(data));
console.log(JSON.stringify([1, [2, [3]]], null, 2));
console.log(JSON.stringify({ a: 1, b: { c: 2 } }, null, '--'));
console.log(JSON.stringify({ a: 1, b: 2, c: 3 }, ['c', 'a']));
console.log(JSON.stringify({ a: 1, b: 'x', c: [2] }, (k, v) => (typeof v === 'number' ? v * 10 : v)));
console.log(JSON.stringify({ date: { toJSON() { return 'custom json'; } } }));
console.log(JSON.stringify('\u0007\ud800'), JSON.stringify(undefined), JSON.stringify(null), JSON.stringify(() => 1));
console.log(JSON.stringify({}), JSON.stringify([]), JSON.stringify(new Map([[1, 2]])), JSON.stringify(Object.create({ inherited: 1 })));
console.log(JSON.stringify(new Number(3)), JSON.stringify(new String('s')), JSON.stringify(new Boolean(false)));

const parsed = JSON.parse('{"a":[1,2,{"b":null}],"c":"\\u0041\\n","d":-1.5e2,"e":true}');
console.log(parsed.a[2].b, parsed.c, parsed.d, parsed.e, parsed.a.length);
console.log(JSON.parse(' [ 1 , "two" ] ')[1], JSON.parse('"plain"'), JSON.parse('123'), JSON.parse('null'));
const revived = JSON.parse('{"a":1,"b":{"c":2,"d":3}}', function (k, v) {
  if (k === 'd') return undefined;
  return typeof v === 'number' ? v + 100 : v;
});
console.log(JSON.stringify(revived));
for (const bad of ['{a:1}', "{'a':1}", '[1,]', '01', 'undefined', '"\t"', '{"a":1', '']) {
  try { JSON.parse(bad); console.log('parsed?! ' + bad); } catch (e) { console.log(e.name); }
}
// Cycles are a TypeError.
const cyc = { name: 'loop' };
cyc.self = cyc;
try { JSON.stringify(cyc); } catch (e) { console.log(e.name); }
// Key order is preserved through a round trip; duplicate keys: last wins.
console.log(Object.keys(JSON.parse('{"z":1,"a":2,"10":3,"2":4}')).join(','), JSON.parse('{"k":1,"k":2}').k);
// Deep round trip.
const deep = { list: [{ id: 1, tags: ['x'] }, { id: 2, tags: [] }], meta: { count: 2, ok: true } };
console.log(JSON.stringify(JSON.parse(JSON.stringify(deep))) === JSON.stringify(deep));
