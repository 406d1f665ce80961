// Sorting algorithms written in JS, checked against Array.prototype.sort; sort stability.
let seed = 12345;
const rnd = n => (seed = (seed * 16807) % 2147483647) % n;
const data = Array.from({ length: 300 }, () => rnd(1000));
function quickSort(a) {
  if (a.length <= 1) return a;
  const [p, ...rest] = a;
  return [...quickSort(rest.filter(x => x < p)), p, ...quickSort(rest.filter(x => x >= p))];
}
function mergeSort(a, cmp = (x, y) => x - y) {
  if (a.length < 2) return a.slice();
  const mid = a.length >> 1;
  const l = mergeSort(a.slice(0, mid), cmp), r = mergeSort(a.slice(mid), cmp);
  const out = [];
  let i = 0, j = 0;
  while (i < l.length && j < r.length) out.push(cmp(l[i], r[j]) <= 0 ? l[i++] : r[j++]);
  return out.concat(l.slice(i), r.slice(j));
}
function insertionSort(a) {
  const b = a.slice();
  for (let i = 1; i < b.length; i++) {
    const v = b[i];
    let j = i - 1;
    while (j >= 0 && b[j] > v) { b[j + 1] = b[j]; j--; }
    b[j + 1] = v;
  }
  return b;
}
const reference = data.slice().sort((a, b) => a - b);
console.log(quickSort(data).join() === reference.join(), mergeSort(data).join() === reference.join(), insertionSort(data).join() === reference.join());
console.log(reference.slice(0, 8).join(' '), reference.slice(-4).join(' '));
const records = data.slice(0, 40).map((v, i) => ({ key: v % 5, i }));
const stable = records.slice().sort((a, b) => a.key - b.key);
let isStable = true;
for (let i = 1; i < stable.length; i++) if (stable[i - 1].key === stable[i].key && stable[i - 1].i > stable[i].i) isStable = false;
console.log('stable ' + isStable, stable.map(r => r.key).join(''));
console.log(['b10', 'a2', 'a10', 'b1'].sort().join(), ['b10', 'a2', 'a10', 'b1'].sort((x, y) => x[0].localeCompare(y[0]) || +x.slice(1) - +y.slice(1)).join());
const withUndef = [3, undefined, 1, undefined, 2];
console.log(withUndef.sort().map(String).join());
console.log([5, 1, 4].sort(() => 0).join(), [true, false, true].sort().join());
