// Optional chaining ?. and nullish coalescing ??.
const user = { profile: { name: 'Ann', tags: ['a', 'b'] }, greet() { return 'hi ' + this.profile.name; } };
const nobody = null;
console.log(user?.profile?.name, nobody?.profile?.name);
console.log(user.profile?.tags?.[1], user.missing?.[0]);
console.log(user.greet?.(), user.nothing?.(), nobody?.greet());
console.log(String(nobody?.a.b.c.d));
// Short-circuit: the rest of the chain is not evaluated.
let count = 0;
nobody?.[count++];
console.log('count ' + count);

console.log(0 ?? 'default', '' ?? 'default', null ?? 'default', undefined ?? 'default', false ?? 'd');
console.log(0 || 'or-default', null || undefined || 'last');

// ?? with side effects only evaluates the right side when needed.
let calls = 0;
const f = () => { calls++; return 'rhs'; };
const v1 = 'lhs' ?? f();
const v2 = null ?? f();
console.log(v1, v2, 'calls ' + calls);

// Logical assignment.
const cfg = { a: 0, b: null, c: 'set' };
cfg.a ||= 10;
cfg.b ??= 20;
cfg.c &&= 'changed';
cfg.d ??= 'new';
console.log(JSON.stringify(cfg));

// Optional call keeps this.
const counter = { n: 5, get() { return this.n; } };
console.log(counter.get?.(), counter?.get());

// delete with optional chain.
const holder = { inner: { x: 1 } };
console.log(delete holder?.inner.x, JSON.stringify(holder), delete nobody?.x);
