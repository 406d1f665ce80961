// Scaled-down copy of bench/js/closures.js (sizes reduced for debug-build tests; checksum recomputed with node).
// closures: higher-order array methods (map/filter/reduce/forEach/some/every) with callback
// functions that capture outer variables, closure factories with private state, composition.
var out = typeof print === 'function' ? print : function (s) { console.log(s); };
// Everything runs inside main() so that variables are locals in every engine
// (node would otherwise treat top-level vars as module locals, the others as globals).
function main() {
  function makeCounter(start) {
    var c = start;
    return {
      inc: function (d) { c += d; return c; },
      get: function () { return c; }
    };
  }
  function compose(f, g) { return function (x) { return f(g(x)); }; }
  function adder(n) { return function (x) { return x + n; }; }
  function times(n) { return function (x) { return x * n; }; }

  var data = [];
  for (var i = 0; i < 1000; i++) data.push(i);
  var R = 25;
  var total = 0;
  for (var r = 0; r < R; r++) {
    var k = r % 5;
    var m = data.map(function (x) { return x * 2 + k; });
    var f = m.filter(function (x) { return x % 3 === 0; });
    var s = f.reduce(function (acc, x) { return acc + x; }, 0);
    var cnt = 0;
    data.forEach(function (x) { if (x % 7 === k) cnt++; });
    var any = f.some(function (x) { return x > 1990; }) ? 1 : 0;
    var all = m.every(function (x) { return x >= k; }) ? 1 : 0;
    var ctr = makeCounter(r);
    for (var j = 0; j < 100; j++) ctr.inc(j % 3);
    var h = compose(adder(k), times(3));
    total = (total + s + cnt + any + all + ctr.get() + h(r)) % 1000000007;
  }
  out('closures ' + total);
}
main();
