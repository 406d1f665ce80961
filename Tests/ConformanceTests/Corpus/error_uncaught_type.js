// An uncaught TypeError ends the script; output before it is kept.
console.log('start');
function check(v) {
  if (typeof v !== 'number') throw new TypeError('bad input: ' + typeof v);
  return v;
}
console.log(check(1));
check('x');
console.log('not reached');
