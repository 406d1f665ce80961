// Scaled-down copy of bench/js/props.js (sizes reduced for debug-build tests; checksum recomputed with node).
// props: property get/set on objects with stable shapes.
// Part 1: 1000 particle objects (object literals, same shape) moved and bounced for STEPS steps.
// Part 2: constructor + prototype methods (Vec.add allocates, Vec.dot reads 6 properties).
var out = typeof print === 'function' ? print : function (s) { console.log(s); };
// Everything runs inside main() so that variables are locals in every engine
// (node would otherwise treat top-level vars as module locals, the others as globals).
function main() {
  var seed = 42;
  function rnd(n) { seed = seed * 16807 % 2147483647; return seed % n; }

  var W = 1000, H = 1000, STEPS = 10, M = 6000;
  var ps = [];
  for (var i = 0; i < 1000; i++) {
    ps.push({ x: rnd(W), y: rnd(H), vx: rnd(11) - 5, vy: rnd(11) - 5, hits: 0 });
  }
  for (var step = 0; step < STEPS; step++) {
    for (var j = 0; j < ps.length; j++) {
      var p = ps[j];
      p.x += p.vx;
      p.y += p.vy;
      if (p.x < 0 || p.x >= W) { p.vx = -p.vx; p.x += 2 * p.vx; p.hits++; }
      if (p.y < 0 || p.y >= H) { p.vy = -p.vy; p.y += 2 * p.vy; p.hits++; }
    }
  }
  var sx = 0, sy = 0, hits = 0;
  for (var k = 0; k < ps.length; k++) { sx += ps[k].x; sy += ps[k].y; hits += ps[k].hits; }

  function Vec(x, y, z) { this.x = x; this.y = y; this.z = z; }
  Vec.prototype.add = function (o) { return new Vec(this.x + o.x, this.y + o.y, this.z + o.z); };
  Vec.prototype.dot = function (o) { return this.x * o.x + this.y * o.y + this.z * o.z; };
  var acc = new Vec(0, 0, 0);
  var d = 0;
  for (var m = 0; m < M; m++) {
    var a = new Vec(m % 10, m % 7, m % 3);
    acc = acc.add(a);
    d = (d + a.dot(acc)) % 1000003;
  }
  out('props ' + sx + ' ' + sy + ' ' + hits + ' ' + acc.x + ' ' + acc.y + ' ' + acc.z + ' ' + d);
}
main();
