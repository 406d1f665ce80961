// Scaled-down copy of bench/js/string.js (sizes reduced for debug-build tests; checksum recomputed with node).
// string: building with += and with array join, then split, join, toUpperCase, indexOf,
// lastIndexOf, slice, substring, charCodeAt and number-to-string conversion.
var out = typeof print === 'function' ? print : function (s) { console.log(s); };
// Everything runs inside main() so that variables are locals in every engine
// (node would otherwise treat top-level vars as module locals, the others as globals).
function main() {
  var words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa'];
  var R = 200;
  var total = 0, h = 0;
  for (var r = 0; r < R; r++) {
    var s = '';
    for (var i = 0; i < 100; i++) {
      s += words[(i * 7 + r) % 10] + ' ';
    }
    var parts = s.split(' ');
    var up = parts.join('-').toUpperCase();
    var idx = up.indexOf('THETA');
    var last = up.lastIndexOf('ALPHA');
    var sl = up.slice(idx, idx + 20);
    var sub = up.substring(last, last + 5);
    var buf = [];
    for (var k = 0; k < 50; k++) buf.push('n' + (r * 50 + k));
    var joined = buf.join(',');
    total += up.length + idx + last + sl.length + sub.length + parts.length + joined.length;
    h = (h * 31 + up.charCodeAt(r % up.length) + joined.charCodeAt(r % joined.length)) % 1000003;
  }
  out('string ' + total + ' ' + h);
}
main();
