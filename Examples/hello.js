// Examples/hello.js — a taste of what Sluice runs: modern JavaScript, executed by Sluice's own
// engine (no V8, no JIT). Try: swift run sluice run Examples/hello.js
//
// A tiny weight log, the kind of data a backend page script handles.

const entries = [
  { date: '2025-01-06', weight: 182.4 },
  { date: '2025-01-13', weight: 180.9 },
  { date: '2025-01-20', weight: 181.3 },
  { date: '2025-01-27', weight: 179.2 },
  { date: '2025-02-03', weight: 177.8 },
];

class Summary {
  constructor(list) { this.list = list; }
  get first() { return this.list[0]; }
  get last() { return this.list.at(-1); }
  get change() { return +(this.last.weight - this.first.weight).toFixed(1); }
  weeklyChanges() {
    return this.list.slice(1).map((e, i) => ({ date: e.date, delta: +(e.weight - this.list[i].weight).toFixed(1) }));
  }
}

const s = new Summary(entries);
console.log(`Hello from Sluice! ${entries.length} check-ins from ${s.first.date} to ${s.last.date}.`);
for (const { date, delta } of s.weeklyChanges()) {
  const bar = (delta < 0 ? '▼' : '▲').repeat(Math.max(1, Math.round(Math.abs(delta))));
  console.log(`  ${date}  ${((delta > 0 ? '+' : '') + delta.toFixed(1)).padStart(5)} lbs  ${bar}`);
}
const days = (Date.parse(s.last.date) - Date.parse(s.first.date)) / 86400000;
console.log(`Total: ${s.change} lbs in ${days} days (${(s.change / (days / 7)).toFixed(2)} lbs/week).`);
console.log('As JSON:', JSON.stringify({ change: s.change, best: s.weeklyChanges().reduce((a, b) => (b.delta < a.delta ? b : a)) }));
