// Backtracking: count N-queens solutions and print the first board for N=6.
function solve(n) {
  let count = 0, first = null;
  const cols = new Array(n).fill(false), d1 = new Array(2 * n).fill(false), d2 = new Array(2 * n).fill(false);
  const pos = [];
  function place(r) {
    if (r === n) {
      if (!first) first = pos.slice();
      count++;
      return;
    }
    for (let c = 0; c < n; c++) {
      if (cols[c] || d1[r + c] || d2[r - c + n]) continue;
      cols[c] = d1[r + c] = d2[r - c + n] = true;
      pos.push(c);
      place(r + 1);
      pos.pop();
      cols[c] = d1[r + c] = d2[r - c + n] = false;
    }
  }
  place(0);
  return { count, first };
}
for (let n = 1; n <= 8; n++) console.log(`N=${n}: ${solve(n).count}`);
const { first } = solve(6);
for (const c of first) console.log('.'.repeat(c) + 'Q' + '.'.repeat(6 - c - 1));
