// Labelled break and continue across nested loops and blocks.
const found = [];
outer: for (let i = 0; i < 5; i++) {
  for (let j = 0; j < 5; j++) {
    if (j === 3) continue outer;
    if (i === 3) break outer;
    found.push(`${i}${j}`);
  }
}
console.log(found.join(' '));

block: {
  console.log('in block');
  if (found.length) break block;
  console.log('not printed');
}
console.log('after block');

let n = 0;
loop1: while (true) {
  n++;
  do {
    n += 10;
    if (n > 50) break loop1;
    continue loop1;
  } while (false);
}
console.log('n ' + n);

// Labelled continue in for-in and for-of.
const grid = { r1: [1, 2, 3], r2: [4, 5, 6], r3: [7, 8, 9] };
let s = '';
rows: for (const r in grid) {
  for (const v of grid[r]) {
    if (v % 3 === 2) continue rows;
    s += v;
  }
}
console.log(s);

// break out of a labelled loop from inside try/finally runs the finally.
const log = [];
outer2: for (const a of [1, 2]) {
  try {
    for (const b of [1, 2]) {
      if (b === 2) break outer2;
      log.push('body' + a + b);
    }
  } finally {
    log.push('finally' + a);
  }
}
console.log(log.join(','));
