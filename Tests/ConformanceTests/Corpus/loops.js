// while, do-while, for with empty parts, comma expressions, nested loops with early exits.
let i = 0, s = '';
while (i < 5) s += i++;
console.log(s);
do { s += '!'; } while (false);
console.log(s);
let n = 0;
for (;;) { if (++n >= 7) break; }
console.log('n ' + n);
let a = 0, b = 10;
for (; a < b; a++, b--) {}
console.log(a, b);
const triangle = [];
for (let row = 1; row <= 4; row++) {
  let line = '';
  for (let col = 0; col < row; col++) line += row * col + ' ';
  triangle.push(line.trim());
}
console.log(triangle.join(' / '));
let count = 0;
for (let x = 0; x < 100; x++) for (let y = x; y < 100; y++) if ((x * y) % 7 === 0) count++;
console.log('pairs ' + count);
const arr = [3, 1, 4, 1, 5, 9, 2, 6];
let idx = -1;
for (let k = 0; k < arr.length; k++) if (arr[k] === 9) { idx = k; break; }
console.log('found at ' + idx);
let fibs = [0, 1];
while (fibs[fibs.length - 1] < 1000) fibs.push(fibs[fibs.length - 1] + fibs[fibs.length - 2]);
console.log(fibs.length, fibs.pop());
let x = 1;
do x *= 3; while (x < 1000);
console.log(x);
let sum = 0;
for (const v of [1, 2, 3]) for (const w of [10, 20]) sum += v * w;
console.log(sum);
const closures = [];
for (let k = 0; k < 3; k++) { closures.push(() => k); k += 0; }
console.log(closures.map(f => f()).join());
