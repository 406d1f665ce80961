// Symbols: uniqueness, description, registry, as keys, well-known Symbol.iterator and toPrimitive.
const a = Symbol('tag'), b = Symbol('tag');
console.log(a === b, a.toString(), a.description, String(b), typeof a);
console.log(Symbol.for('app') === Symbol.for('app'), Symbol.keyFor(Symbol.for('app')), Symbol.keyFor(a));
const obj = { [a]: 1, normal: 2 };
obj[b] = 3;
console.log(obj[a], obj[b], Object.keys(obj).length, Object.getOwnPropertySymbols(obj).length);
for (const k in obj) console.log('for-in sees ' + k);
try { new Symbol(); } catch (e) { console.log(e.name); }
try { a + 1; } catch (e) { console.log(e.name); }
try { `${a}`; } catch (e) { console.log(e.name); }
console.log(typeof Symbol.iterator, Symbol.iterator.toString(), Symbol().description);
const money = {
  amount: 42,
  [Symbol.toPrimitive](hint) { return hint === 'number' ? this.amount : hint === 'string' ? '$' + this.amount : 'default:' + this.amount; },
};
console.log(+money, `${money}`, money + '', money * 2);
console.log(Object(a) instanceof Symbol, typeof Object(a), Object(a) == a);
