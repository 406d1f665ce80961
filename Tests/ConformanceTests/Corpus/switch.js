// switch: strict equality, fall-through, default in the middle, block scoping.
function classify(x) {
  switch (x) {
    case 1:
    case 2:
      return 'small';
    case '1':
      return 'string one';
    case 10:
      return 'ten';
    default:
      return 'other';
    case 20:
      return 'twenty';
  }
}
console.log([1, 2, '1', 10, 20, 99, null].map(classify).join(','));

function fall(n) {
  const seen = [];
  switch (n) {
    case 0: seen.push('zero');
    case 1: seen.push('one');
    default: seen.push('default');
    case 2: seen.push('two'); break;
    case 3: seen.push('three');
  }
  return seen.join('>');
}
for (let i = 0; i <= 4; i++) console.log(i + ': ' + fall(i));

// Case expressions are evaluated in order, only until a match.
const evals = [];
function c(v) { evals.push(v); return v; }
switch (3) { case c(1): case c(2): case c(3): case c(4): break; }
console.log(evals.join(''));

// NaN never matches, -0 matches 0.
switch (NaN) { case NaN: console.log('NaN matched'); break; default: console.log('NaN no match'); }
switch (-0) { case 0: console.log('-0 matched 0'); break; }

// switch on strings and objects.
const obj = {};
switch (obj) { case {}: console.log('wrong'); break; case obj: console.log('same object'); }
function day(d) {
  switch (d.toLowerCase()) {
    case 'sat': case 'sun': return 'weekend';
    default: return 'weekday';
  }
}
console.log(day('SUN'), day('Mon'));

// continue inside switch inside loop targets the loop.
let s = '';
for (let i = 0; i < 5; i++) {
  switch (i) {
    case 1: continue;
    case 3: s += 'T'; break;
    default: s += i;
  }
  s += '.';
}
console.log(s);
