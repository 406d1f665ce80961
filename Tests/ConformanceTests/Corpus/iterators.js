// Custom iterables with Symbol.iterator: used by for-of, spread, destructuring, Array.from, Map.
class Range {
  constructor(from, to, step = 1) { this.from = from; this.to = to; this.step = step; }
  [Symbol.iterator]() {
    let cur = this.from;
    const { to, step } = this;
    return {
      next: () => (cur <= to ? { value: (cur += step) - step, done: false } : { value: undefined, done: true }),
    };
  }
}
const r = new Range(1, 10, 3);
const seen = [];
for (const v of r) seen.push(v);
console.log(seen.join(' '));
console.log([...new Range(0, 4)].join(','));
const [first, second, ...others] = new Range(10, 15);
console.log(first, second, others.join('/'));
console.log(Array.from(new Range(1, 3), x => x * x).join(' '));
console.log(Math.max(...new Range(1, 7, 2)));

// An iterator whose return() is called on early exit.
function tracked(log) {
  let i = 0;
  return {
    [Symbol.iterator]() { return this; },
    next() { i++; log.push('next' + i); return { value: i, done: i > 5 }; },
    return() { log.push('return'); return { done: true }; },
  };
}
const log = [];
for (const v of tracked(log)) { if (v === 2) break; }
console.log(log.join(','));
const log2 = [];
const [a] = tracked(log2);
console.log(a, log2.join(','));
const log3 = [];
try { for (const v of tracked(log3)) throw new Error('stop'); } catch (e) { log3.push(e.message); }
console.log(log3.join(','));

// Using the built-in iterators by hand.
const it = ['x', 'y'][Symbol.iterator]();
console.log(JSON.stringify(it.next()), JSON.stringify(it.next()), JSON.stringify(it.next()));
const sit = 'a😀'[Symbol.iterator]();
console.log(sit.next().value, sit.next().value.length, sit.next().done);
const mit = new Map([[1, 'one']]).entries();
console.log(JSON.stringify(mit.next().value));

// A Map built from a custom iterable of pairs.
const pairIterable = {
  [Symbol.iterator]() {
    const data = [['a', 1], ['b', 2]];
    let i = 0;
    return { next: () => (i < data.length ? { value: data[i++], done: false } : { done: true }) };
  },
};
const m = new Map(pairIterable);
console.log(m.get('a') + m.get('b'), m.size);

// Non-iterables throw TypeError.
try { for (const x of {}) {} } catch (e) { console.log(e.name); }
try { [...123]; } catch (e) { console.log(e.name); }
