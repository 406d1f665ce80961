// Numeric code: matrix multiply, determinant, identity, Fibonacci by matrix power, gcd/lcm.
const mul = (A, B) => A.map(row => B[0].map((_, j) => row.reduce((s, v, k) => s + v * B[k][j], 0)));
const ident = n => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
function pow(M, e) { let R = ident(M.length); while (e > 0) { if (e & 1) R = mul(R, M); M = mul(M, M); e >>= 1; } return R; }
function det(M) {
  if (M.length === 1) return M[0][0];
  return M[0].reduce((s, v, j) => s + (j % 2 ? -1 : 1) * v * det(M.slice(1).map(r => r.filter((_, k) => k !== j))), 0);
}
const A = [[1, 2], [3, 4]], B = [[5, 6], [7, 8]];
console.log(JSON.stringify(mul(A, B)), det(A), det([[2, 0, 1], [1, 3, 2], [1, 1, 1]]));
console.log(pow([[1, 1], [1, 0]], 50)[0][1], pow([[1, 1], [1, 0]], 78)[0][1]);
const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));
const lcm = (a, b) => (a / gcd(a, b)) * b;
console.log(gcd(1071, 462), [2, 3, 4, 5, 6, 7, 8, 9, 10].reduce(lcm));
function primes(n) {
  const sieve = new Array(n + 1).fill(true);
  sieve[0] = sieve[1] = false;
  for (let i = 2; i * i <= n; i++) if (sieve[i]) for (let j = i * i; j <= n; j += i) sieve[j] = false;
  return sieve.reduce((acc, p, i) => (p ? (acc.push(i), acc) : acc), []);
}
const ps = primes(1000);
console.log(ps.length, ps.slice(-3).join(','), ps.reduce((a, b) => a + b));
let h = 0x811c9dc5;
for (const ch of 'hash me') { h ^= ch.charCodeAt(0); h = Math.imul(h, 0x01000193) >>> 0; }
console.log(h, h.toString(16));
const collatz = n => { let steps = 0; while (n !== 1) { n = n % 2 ? 3 * n + 1 : n / 2; steps++; } return steps; };
console.log(collatz(27), [1, 2, 3, 6, 7, 9].map(collatz).join());
console.log((0.1).toFixed(20), (1e-10).toPrecision(3), 1e21 + 1, 2 ** 64, -(2 ** 31));
