// try/catch/finally: completion values, return overriding, rethrow, nesting.
function f1() {
  try { return 'try'; } finally { console.log('finally runs before return'); }
}
console.log(f1());

function f2() {
  try { return 'try'; } finally { return 'finally wins'; }
}
console.log(f2());

function f3() {
  try { throw new Error('boom'); } catch (e) { return 'caught ' + e.message; } finally { console.log('f3 finally'); }
}
console.log(f3());

function f4() {
  try { throw new Error('lost'); } finally { return 'finally swallows the throw'; }
}
console.log(f4());

function f5() {
  let x = 1;
  try { return x; } finally { x = 2; }
}
console.log('f5 ' + f5());

function f6() {
  try {
    try { throw new TypeError('inner'); }
    finally { console.log('inner finally'); }
  } catch (e) {
    return 'outer caught ' + e.name + ' ' + e.message;
  }
}
console.log(f6());

function f7() {
  try {
    throw 1;
  } catch (e) {
    try { throw e + 1; } catch (e2) { return 'nested catch ' + e2 + ' outer e still ' + e; }
  }
}
console.log(f7());

// Optional catch binding, throwing non-Error values.
try { throw { code: 42 }; } catch ({ code }) { console.log('code ' + code); }
try { throw 'a string'; } catch { console.log('optional catch binding'); }

// finally with break/continue in loops.
const order = [];
for (let i = 0; i < 3; i++) {
  try {
    if (i === 1) continue;
    if (i === 2) break;
    order.push('body' + i);
  } finally {
    order.push('fin' + i);
  }
}
console.log(order.join(','));

// Exception thrown from catch goes through finally.
function f8() {
  const steps = [];
  try {
    try { throw new Error('a'); }
    catch (e) { steps.push('catch'); throw new RangeError('b'); }
    finally { steps.push('finally'); }
  } catch (e) {
    steps.push(e.name);
  }
  return steps.join('>');
}
console.log(f8());

// Errors from the engine are catchable.
try { null.x; } catch (e) { console.log(e instanceof TypeError); }
try { undefinedFunction(); } catch (e) { console.log(e.name); }
try { (void 0)(); } catch (e) { console.log(e.constructor === TypeError); }
