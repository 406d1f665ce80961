// Closures capture variables, not values; each call gets its own environment.
function makeCounter(start) {
  let n = start;
  return { inc: () => ++n, dec: () => --n, get: () => n };
}
const a = makeCounter(10), b = makeCounter(100);
a.inc(); a.inc(); b.dec();
console.log(`a=${a.get()} b=${b.get()}`);

// Closures in loops: let creates a fresh binding per iteration, var does not.
const withLet = [], withVar = [];
for (let i = 0; i < 3; i++) withLet.push(() => i);
for (var j = 0; j < 3; j++) withVar.push(function () { return j; });
console.log(withLet.map(f => f()).join(','));
console.log(withVar.map(f => f()).join(','));

// Immediately invoked function expressions and shared state.
const ids = (function () {
  let next = 0;
  return { take() { return next++; }, peek() { return next; } };
})();
ids.take(); ids.take();
console.log('next id ' + ids.peek());

// A closure outliving several levels of nesting.
function outer(x) {
  return function middle(y) {
    return function inner(z) { return x * 100 + y * 10 + z; };
  };
}
console.log(outer(1)(2)(3));

// Memoisation through a captured cache object.
function memo(f) {
  const cache = {};
  let calls = 0;
  const g = n => (n in cache ? cache[n] : (calls++, cache[n] = f(n)));
  g.calls = () => calls;
  return g;
}
const fib = memo(n => (n < 2 ? n : fib(n - 1) + fib(n - 2)));
console.log('fib(50)=' + fib(50) + ' calls=' + fib.calls());

// Function declarations are hoisted; named function expressions see their own name.
console.log(hoisted());
function hoisted() { return 'hoisted ok'; }
const fact = function f(n) { return n <= 1 ? 1 : n * f(n - 1); };
console.log('10! = ' + fact(10));
