// var and function hoisting, function-in-block semantics kept simple.
console.log(typeof early, early === undefined);
var early = 'now defined';
console.log(early);
console.log(declared());
function declared() { return 'declared is hoisted with its body'; }
try { notYet(); } catch (e) { console.log(e.name); }
var notYet = function () {};
function scopeTest() {
  console.log(typeof inner, typeof v);
  var v = 1;
  function inner() {}
  return v;
}
scopeTest();
var shadow = 'global';
function shadowTest() {
  console.log(shadow);
  var shadow = 'local';
  return shadow;
}
console.log(shadowTest());
function redeclare() {
  var x = 1;
  var x;
  return x;
}
console.log(redeclare());
function later() { return 1; }
function later() { return 2; }
console.log(later());
for (var i = 0; i < 3; i++) {}
console.log('i after loop ' + i);
