// Scaled-down copy of bench/js/loop.js (sizes reduced for debug-build tests; checksum recomputed with node).
// loop: a tight numeric for-loop (10M iterations) with %, *, +, compare and branch on locals.
var out = typeof print === 'function' ? print : function (s) { console.log(s); };
// Everything runs inside main() so that variables are locals in every engine
// (node would otherwise treat top-level vars as module locals, the others as globals).
function main() {
  var N = 100000;
  var s = 0, t = 1, c = 0;
  for (var i = 0; i < N; i++) {
    s = s + (i % 7) * 3;
    if (s > 1000000) {
      s = s - 999983;
      c++;
    }
    t = (t * 31 + i) % 65521;
  }
  out('loop ' + N + ' ' + s + ' ' + t + ' ' + c);
}
main();
