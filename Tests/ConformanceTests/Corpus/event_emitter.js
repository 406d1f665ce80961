// An event emitter: Map of listener arrays, once(), off(), errors in listeners.
class Emitter {
  constructor() { this.listeners = new Map(); }
  on(evt, fn) {
    if (!this.listeners.has(evt)) this.listeners.set(evt, []);
    this.listeners.get(evt).push(fn);
    return () => this.off(evt, fn);
  }
  once(evt, fn) {
    const wrapper = (...args) => { this.off(evt, wrapper); return fn(...args); };
    return this.on(evt, wrapper);
  }
  off(evt, fn) {
    const list = this.listeners.get(evt);
    if (!list) return false;
    const i = list.indexOf(fn);
    if (i >= 0) list.splice(i, 1);
    return i >= 0;
  }
  emit(evt, ...args) {
    const list = (this.listeners.get(evt) || []).slice();
    const errors = [];
    for (const fn of list) {
      try { fn.apply(this, args); } catch (e) { errors.push(e.message); }
    }
    return { called: list.length, errors };
  }
}
const em = new Emitter();
const log = [];
const unsub = em.on('data', x => log.push('a' + x));
em.on('data', function (x) { log.push('b' + x + (this === em)); });
em.once('data', x => log.push('once' + x));
em.on('data', () => { throw new Error('listener failed'); });
console.log(JSON.stringify(em.emit('data', 1)));
unsub();
console.log(JSON.stringify(em.emit('data', 2)));
console.log(log.join(' '));
console.log(JSON.stringify(em.emit('nothing')), em.off('nothing', () => {}));
