// Error objects: names, messages, prototype chain, cause, stack, toString.
function thrower() { throw new RangeError('out of range'); }
function caller() { thrower(); }
try {
  caller();
} catch (e) {
  console.log(e.name, e.message, e instanceof RangeError, e instanceof Error);
  console.log(typeof e.stack, e.stack.split('\n')[0]);
  console.log(e.stack.includes('thrower'), e.stack.includes('caller'));
  console.log(String(e), e.toString === Error.prototype.toString);
}
const plain = new Error('plain');
console.log(plain.name, plain.message, Object.keys(plain).length, Object.prototype.hasOwnProperty.call(plain, 'message'));
console.log(new Error().message === '', String(new Error()), String(new TypeError()));
const withCause = new Error('outer', { cause: 'inner reason' });
console.log(withCause.cause, 'cause' in new Error('x'), 'cause' in new Error('x', {}));
for (const E of [Error, TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError]) {
  const e = new E('m');
  console.log(E.name, e.name, Object.getPrototypeOf(E.prototype) === (E === Error ? Object.prototype : Error.prototype), E('no new') instanceof E);
}
const agg = new AggregateError([new Error('a'), new TypeError('b')], 'many');
console.log(agg.name, agg.message, agg.errors.length, agg.errors[1].name);
const custom = { name: 'Custom', message: 'msg' };
console.log(Error.prototype.toString.call(custom), Error.prototype.toString.call({}), Error.prototype.toString.call({ name: '', message: 'only msg' }));
try { null.prop; } catch (e) { console.log(e.constructor.name, typeof e.message, e.message.length > 0); }
try { let q = 1; q(); } catch (e) { console.log(e.constructor.name); }
try { missing; } catch (e) { console.log(e.constructor.name); }
try { new Array(-1); } catch (e) { console.log(e.constructor.name); }
try { decodeURIComponent('%'); } catch (e) { console.log(e.constructor.name); }
try { (1).toFixed(200); } catch (e) { console.log(e.constructor.name); }
try { Symbol() + ''; } catch (e) { console.log(e.constructor.name); }
function deep(n) { return deep(n + 1) + 1; }
try { deep(0); } catch (e) { console.log('recursion: ' + e.constructor.name); }
console.log('still running after stack overflow');
