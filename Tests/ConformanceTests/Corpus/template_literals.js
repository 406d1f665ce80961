// Template literals: interpolation, nesting, escapes, multi-line, tagged templates, raw strings.
const name = 'World', n = 3;
console.log(`Hello, ${name}! ${n} + ${n} = ${n + n}`);
console.log(`nested: ${`inner ${n * 2}`} done`);
console.log(`multi
line`);
console.log(`escapes: \` \${not} \\ \u0041 \x42 \u{1F600}`);
console.log(`${[1, 2, 3]} ${{}.toString()} ${null} ${undefined} ${true}`);

function tag(strings, ...values) {
  return strings.raw.map((s, i) => s + (i < values.length ? '<' + values[i] + '>' : '')).join('');
}
console.log(tag`a${1}b${'two'}c\n`);

function parts(strings) { return strings.length + ':' + strings.join('|'); }
console.log(parts`x${0}y${1}`);

console.log(String.raw`C:\new\table ${1 + 1}`);

// The same call site gives the same strings object.
function identity(s) { return s; }
const sites = [];
for (let i = 0; i < 2; i++) sites.push(identity`same`);
console.log(sites[0] === sites[1], Object.isFrozen(sites[0]));

// toString is used for objects in templates.
const obj = { toString() { return 'custom'; }, valueOf() { return 99; } };
console.log(`${obj}`, '' + obj);
