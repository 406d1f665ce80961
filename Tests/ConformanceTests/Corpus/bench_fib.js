// Scaled-down copy of bench/js/fib.js (sizes reduced for debug-build tests; checksum recomputed with node).
// fib: recursive function calls (call/return overhead, argument passing, small-int arithmetic).
var out = typeof print === 'function' ? print : function (s) { console.log(s); };
// Everything runs inside main() so that variables are locals in every engine
// (node would otherwise treat top-level vars as module locals, the others as globals).
function main() {
  function fib(n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
  }
  var N = 20;
  var r = fib(N);
  out('fib ' + N + ' ' + r);
}
main();
