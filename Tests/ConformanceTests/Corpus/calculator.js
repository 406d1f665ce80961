// A recursive-descent expression parser and evaluator (tokenizer, precedence, errors).
class Lexer {
  constructor(text) { this.text = text; this.pos = 0; }
  tokens() {
    const out = [];
    const re = /^\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_]\w*)|(\*\*|[-+*\/%(),^]))/;
    while (this.pos < this.text.length) {
      const rest = this.text.slice(this.pos);
      const m = re.exec(rest);
      if (!m) {
        if (/^\s*$/.test(rest)) break;
        throw new SyntaxError('unexpected character at ' + this.pos);
      }
      this.pos += m[0].length;
      if (m[1] !== undefined) out.push({ t: 'num', v: parseFloat(m[1]) });
      else if (m[2] !== undefined) out.push({ t: 'id', v: m[2] });
      else out.push({ t: 'op', v: m[3] });
    }
    return out;
  }
}
function evaluate(text, env = {}) {
  const toks = new Lexer(text).tokens();
  let i = 0;
  const peek = () => toks[i];
  const take = v => {
    const t = toks[i];
    if (!t || (v !== undefined && t.v !== v)) throw new SyntaxError(`expected ${v ?? 'token'} at token ${i}`);
    i++;
    return t;
  };
  const fns = { max: Math.max, min: Math.min, sqrt: Math.sqrt, abs: Math.abs };
  function primary() {
    const t = take();
    if (t.t === 'num') return t.v;
    if (t.t === 'id') {
      if (peek()?.v === '(') {
        take('(');
        const args = [];
        if (peek()?.v !== ')') { do { args.push(expr()); } while (peek()?.v === ',' && take(',')); }
        take(')');
        if (!(t.v in fns)) throw new ReferenceError('unknown function ' + t.v);
        return fns[t.v](...args);
      }
      if (!(t.v in env)) throw new ReferenceError(t.v + ' is not defined');
      return env[t.v];
    }
    if (t.v === '(') { const v = expr(); take(')'); return v; }
    if (t.v === '-') return -unary();
    throw new SyntaxError('unexpected ' + t.v);
  }
  function unary() { return primary(); }
  function power() {
    const base = unary();
    if (peek()?.v === '**' || peek()?.v === '^') { take(); return base ** power(); }
    return base;
  }
  function term() {
    let v = power();
    while (peek() && '*/%'.includes(peek().v) && peek().t === 'op') {
      const op = take().v;
      const r = power();
      v = op === '*' ? v * r : op === '/' ? v / r : v % r;
    }
    return v;
  }
  function expr() {
    let v = term();
    while (peek() && (peek().v === '+' || peek().v === '-')) {
      const op = take().v;
      v = op === '+' ? v + term() : v - term();
    }
    return v;
  }
  const result = expr();
  if (i < toks.length) throw new SyntaxError('trailing input at token ' + i);
  return result;
}
const cases = ['1 + 2 * 3', '(1 + 2) * 3', '2 ** 3 ** 2', '2^10 - 24', '-(4 - 6) * 2.5', '10 % 4 + max(1, 7, 3) - min(9, 2)',
  'sqrt(16) + abs(-3)', 'x * y + z', '1 +', '2 * (3', 'foo(1)', 'nope + 1', '3 $ 4', '7 / 2'];
for (const c of cases) {
  try {
    console.log(c + ' = ' + evaluate(c, { x: 2, y: 5, z: -1 }));
  } catch (e) {
    console.log(c + ' -> ' + e.name + ': ' + e.message);
  }
}
