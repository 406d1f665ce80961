// Block scoping, const immutability and the temporal dead zone.
let x = 'outer';
{
  let x = 'inner';
  console.log(x);
}
console.log(x);

try {
  console.log(y);
  let y = 1;
} catch (e) {
  console.log(e.name + ' (TDZ)');
}

function tdzInFunction() {
  const read = () => z;
  try { read(); } catch (e) { console.log('before init: ' + e.name); }
  let z = 42;
  return read();
}
console.log('after init: ' + tdzInFunction());

const c = 5;
try {
  c = 6;
} catch (e) {
  console.log(e.name + ' on const assignment, c=' + c);
}

const obj = { n: 1 };
obj.n = 2;
console.log('const object is mutable: ' + obj.n);

// typeof of an undeclared name is fine; of a TDZ name is not.
console.log(typeof notDeclaredAnywhere);
try {
  typeof later;
  let later = 0;
} catch (e) {
  console.log('typeof in TDZ: ' + e.name);
}

// Shadowing in switch cases and nested blocks.
let level = 0;
switch (1) {
  case 1: {
    let level = 1;
    { let level = 2; console.log('level ' + level); }
    console.log('level ' + level);
  }
}
console.log('level ' + level);

// let in for-loop heads
let sum = 0;
for (let i = 0, j = 10; i < j; i += 3, j -= 1) sum += i * j;
console.log('sum ' + sum);
