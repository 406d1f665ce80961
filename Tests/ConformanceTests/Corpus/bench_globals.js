// Scaled-down copy of bench/js/globals.js (sizes reduced for debug-build tests; checksum recomputed with node).
// globals: the same loop as loop.js, but written at the top level of the script, as a page
// script would be: in QuickJS, Duktape and mujs these vars are global-object properties, so this
// measures global variable access. Caveat: node runs a file as a CommonJS module, where top-level
// vars are module locals, so node's number here is not a global-access number.
var out = typeof print === 'function' ? print : function (s) { console.log(s); };
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
out('globals ' + N + ' ' + s + ' ' + t + ' ' + c);
