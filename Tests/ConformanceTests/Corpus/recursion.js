// Recursion: mutual recursion, moderately deep recursion, Ackermann, Hanoi, permutations.
const isEven = n => (n === 0 ? true : isOdd(n - 1));
const isOdd = n => (n === 0 ? false : isEven(n - 1));
console.log(isEven(500), isOdd(301));
function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); }
console.log(depth(800));
function ack(m, n) { return m === 0 ? n + 1 : n === 0 ? ack(m - 1, 1) : ack(m - 1, ack(m, n - 1)); }
console.log(ack(2, 3), ack(3, 3));
const moves = [];
function hanoi(n, from, to, via) { if (n === 0) return; hanoi(n - 1, from, via, to); moves.push(from + to); hanoi(n - 1, via, to, from); }
hanoi(4, 'A', 'C', 'B');
console.log(moves.length, moves.slice(0, 7).join(' '));
function permutations(arr) {
  if (arr.length <= 1) return [arr];
  return arr.flatMap((x, i) => permutations([...arr.slice(0, i), ...arr.slice(i + 1)]).map(p => [x, ...p]));
}
console.log(permutations([1, 2, 3]).map(p => p.join('')).join(' '), permutations([1, 2, 3, 4, 5]).length);
const flatten = v => (Array.isArray(v) ? v.reduce((acc, x) => acc.concat(flatten(x)), []) : [v]);
console.log(flatten([1, [2, [3, [4, [5]]]], 6]).join());
function sumTree(t) { return t.value + (t.children || []).reduce((s, c) => s + sumTree(c), 0); }
console.log(sumTree({ value: 1, children: [{ value: 2 }, { value: 3, children: [{ value: 4 }] }] }));
