// Spread in calls, array literals and object literals; rest parameters.
function sum(...nums) { return nums.reduce((a, b) => a + b, 0); }
console.log(sum(), sum(1), sum(1, 2, 3));
const arr = [4, 5, 6];
console.log(sum(...arr, 10, ...[20, 30]));
console.log(Math.max(...arr));

const copy = [0, ...arr, ...'ab', 7];
console.log(JSON.stringify(copy));

function firstAndRest(first, ...others) { return first + '|' + others.join(','); }
console.log(firstAndRest('a', 'b', 'c'));
console.log(firstAndRest.length);

const base = { a: 1, b: 2 };
const ext = { ...base, b: 3, c: 4 };
console.log(JSON.stringify(ext));
const withNull = { ...null, ...undefined, ...'hi', z: 0 };
console.log(JSON.stringify(withNull));

// Spreading a Set and a Map.
const s = new Set([3, 1, 3, 2, 1]);
console.log([...s].join(' '));
const mp = new Map([['k1', 'v1'], ['k2', 'v2']]);
console.log([...mp].map(([k, v]) => k + '->' + v).join(', '));

// Spread produces a shallow copy.
const inner = { deep: 1 };
const outerCopy = { ...{ inner } };
outerCopy.inner.deep = 2;
console.log(inner.deep);

// new with spread.
function Point(x, y) { this.x = x; this.y = y; }
const pt = new Point(...[7, 8]);
console.log(pt.x + pt.y);
