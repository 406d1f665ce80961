// Scaled-down copy of bench/js/array.js (sizes reduced for debug-build tests; checksum recomputed with node).
// array: push, indexed read/write, slice, sort with a comparator, reverse, indexOf, and a sieve.
var out = typeof print === 'function' ? print : function (s) { console.log(s); };
// Everything runs inside main() so that variables are locals in every engine
// (node would otherwise treat top-level vars as module locals, the others as globals).
function main() {
  var seed = 7;
  function rnd(n) { seed = seed * 16807 % 2147483647; return seed % n; }

  var N = 3000, LIM = 20000;
  var a = [];
  for (var i = 0; i < N; i++) a.push(rnd(1000000));
  var s = 0;
  for (i = 0; i < N; i++) s = (s + a[i] * (i % 10)) % 1000000007;
  for (i = 1; i < N; i++) a[i] = (a[i] + a[i - 1]) % 1000000;

  var b = a.slice();
  b.sort(function (x, y) { return x - y; });
  var ok = 1;
  for (i = 1; i < N; i++) if (b[i - 1] > b[i]) { ok = 0; break; }
  var c = 0;
  for (i = 0; i < N; i += 1000) c = (c + b[i]) % 1000000007;
  b.reverse();
  var pos = b.indexOf(a[N >> 1]);

  var sieve = [];
  for (i = 0; i < LIM; i++) sieve.push(1);
  sieve[0] = 0; sieve[1] = 0;
  for (i = 2; i * i < LIM; i++) {
    if (sieve[i]) for (var j = i * i; j < LIM; j += i) sieve[j] = 0;
  }
  var primes = 0;
  for (i = 0; i < LIM; i++) primes += sieve[i];

  out('array ' + s + ' ' + ok + ' ' + c + ' ' + (pos >= 0 ? 1 : 0) + ' ' + primes + ' ' + b.length);
}
main();
