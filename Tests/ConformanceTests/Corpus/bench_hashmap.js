// Scaled-down copy of bench/js/hashmap.js (sizes reduced for debug-build tests; checksum recomputed with node).
// hashmap: a plain object used as a hash map with ~20k distinct string keys: insert/update,
// lookups with `in` and hasOwnProperty, deletes, and Object.keys over the result.
var out = typeof print === 'function' ? print : function (s) { console.log(s); };
// Everything runs inside main() so that variables are locals in every engine
// (node would otherwise treat top-level vars as module locals, the others as globals).
function main() {
  var seed = 11;
  function rnd(n) { seed = seed * 16807 % 2147483647; return seed % n; }
  var N = 10000, KEYS = 700;
  var map = {};
  for (var i = 0; i < N; i++) {
    var k = 'key' + rnd(KEYS);
    map[k] = (map[k] || 0) + 1;
  }
  var hits = 0, own = 0;
  for (i = 0; i < 2 * KEYS; i++) {
    var q = 'key' + i;
    if (q in map) hits++;
    if (map.hasOwnProperty(q)) own += map[q];
  }
  var keys = Object.keys(map);
  var deleted = 0;
  for (i = 0; i < keys.length; i++) {
    if (map[keys[i]] % 2 === 0) { delete map[keys[i]]; deleted++; }
  }
  var left = 0, sum = 0;
  for (var key in map) { left++; sum += map[key]; }
  out('hashmap ' + keys.length + ' ' + hits + ' ' + own + ' ' + deleted + ' ' + left + ' ' + sum);
}
main();
