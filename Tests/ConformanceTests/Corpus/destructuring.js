// Array and object destructuring with defaults, holes, rest and nesting.
const [a, , b = 'B', ...rest] = [1, 2, undefined, 4, 5];
console.log(`${a} ${b} [${rest}]`);

const { p, q: renamed, r = 'dflt', ...others } = { p: 'P', q: 'Q', s: 'S', t: 'T' };
console.log(p + renamed + r + ' ' + JSON.stringify(others));

const { nested: { deep: [first, { leaf }] } } = { nested: { deep: ['F', { leaf: 'L' }] } };
console.log(first + leaf);

// Swapping with destructuring assignment.
let m = 1, n = 2;
[m, n] = [n, m];
console.log(`m=${m} n=${n}`);

// Destructuring in parameters, with defaults for the whole pattern.
function area({ w = 1, h = w * 2 } = {}) { return w * h; }
console.log(area({ w: 3 }), area({ w: 2, h: 5 }), area());

function head([h, ...t]) { return h + ':' + t.length; }
console.log(head('hello'));

// Destructuring in for-of.
const pairs = [['x', 1], ['y', 2]];
for (const [k, v] of pairs) console.log(k + '=' + v);
for (const { id, tags: [tag = 'none'] = [] } of [{ id: 1, tags: ['a'] }, { id: 2 }]) console.log(id + tag);

// Computed keys and assignment targets that are properties.
const key = 'dyn';
const { [key + 'amic']: dynamic } = { dynamic: 'computed ok' };
console.log(dynamic);
const target = {};
({ a: target.first, b: target['second'] } = { a: 10, b: 20 });
console.log(target.first + target.second);

// Destructuring null throws TypeError.
try {
  const { boom } = null;
} catch (e) {
  console.log(e.name);
}

// Default expressions are evaluated lazily and in order.
let evaluated = [];
const [d1 = (evaluated.push('d1'), 1), d2 = (evaluated.push('d2'), 2)] = [undefined, 'given'];
console.log(d1, d2, evaluated.join(','));
