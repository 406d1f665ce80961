// Inline caches must notice every change that affects a cached read: a missing property that
// appears on the root prototype, own properties added or deleted, prototype changes, getters,
// sites that see several shapes; typeof results; map results appended past holes.
var out = typeof print === "function" ? print : console.log;
function g(o) { return o.zz; }
var a = {x: 1}, b = {y: 2};
var r = [];
for (var i = 0; i < 3; i++) r.push(g(a));
Object.prototype.zz = 'proto';
r.push(g(a));
delete Object.prototype.zz;
r.push(g(a));
a.zz = 'own';
r.push(g(a));
var p = {zz: 'p'}; var c = {x: 1};
r.push(g(c)); Object.setPrototypeOf(c, p); r.push(g(c));
var n = Object.create(null); r.push(g(n)); r.push(g(n));
function h(o) { return o.x; }
var s1 = {x: 1}, s2 = {y: 0, x: 2}, s3 = {z: 0, w: 0, x: 3};
for (var j = 0; j < 3; j++) { r.push(h(s1)); r.push(h(s2)); r.push(h(s3)); }
delete s2.y; r.push(h(s2)); s2.x = 5; r.push(h(s2));
Object.defineProperty(Object.prototype, 'qq', {get: function () { return 'getter'; }, configurable: true});
function q(o) { return o.qq; }
r.push(q({})); r.push(q({}));
out(JSON.stringify(r));
out(typeof 1, typeof 'a', typeof null, typeof undefined, typeof {}, typeof q, typeof Symbol(), typeof true);
var arr = [1,2,3].map(function (x) { return x * 2; }); arr[5] = 1; out(arr.length, JSON.stringify(arr));
