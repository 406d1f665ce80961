// The arguments object: length, indexing, mapping in sloppy mode, arrows have none.
function count() { return arguments.length; }
console.log(count(), count(1), count(1, 2, 3), count(undefined));

function toArray() { return Array.prototype.slice.call(arguments); }
console.log(JSON.stringify(toArray(1, 'a', null)));

function mapped(a) {
  arguments[0] = 'changed';
  return a;
}
console.log(mapped('orig'));

function mapped2(a) {
  a = 'param changed';
  return arguments[0];
}
console.log(mapped2('orig'));

function unmapped(a) {
  'use strict';
  arguments[0] = 'changed';
  return a;
}
console.log(unmapped('orig'));

function sumAll() {
  let s = 0;
  for (let i = 0; i < arguments.length; i++) s += arguments[i];
  return s;
}
console.log(sumAll(1, 2, 3, 4));

function outer() {
  const arrow = () => arguments[0] + '-' + arguments.length;
  return arrow('ignored');
}
console.log(outer('from outer', 2));

function extra(a, b) { return arguments.length + ' ' + b; }
console.log(extra(1));
console.log(Object.prototype.toString.call((function () { return arguments; })()));
function lenProp(a, b, c) {}
console.log(lenProp.length, ((a, b = 2, c) => 0).length, ((...r) => 0).length);

// Default parameters can refer to earlier parameters.
function defaults(a, b = a * 2, c = a + b) { return [a, b, c].join(','); }
console.log(defaults(1), defaults(1, 5), defaults(1, undefined, 0));
