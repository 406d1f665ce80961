// An error thrown inside a callback propagates through the builtin that called it.
const items = [1, 2, 3, 4];
const seen = [];
items.forEach((x, i) => {
  seen.push(x);
  console.log('visit ' + x);
  if (i === 2) throw new RangeError('index ' + i);
});
console.log('not reached');
