// Regular expressions: test/exec, groups, flags, lastIndex, replace, split, match.
const re = /(\d{4})-(\d{2})-(\d{2})/;
const m = re.exec('Date: 2024-03-15.');
console.log(m[0], m[1], m[2], m[3], m.index, m.input.length);
console.log(/^abc$/i.test('ABC'), /^abc$/.test('ABC'), /a.c/.test('a\nc'));
console.log('a1b2c3'.replace(/\d/g, d => d * 2), 'a1b2c3'.replace(/\d/, '#'));
console.log('John Smith'.replace(/(\w+)\s(\w+)/, '$2, $1'), 'x'.replace(/x/, '[$&][$$]'));
console.log('one, two,three ,four'.split(/\s*,\s*/).join('|'));
console.log('a1b22c333'.match(/\d+/g).join(','), 'none'.match(/\d/), 'abc'.match(/b/).index);
const g = /o/g;
const positions = [];
let r;
while ((r = g.exec('foo boo')) !== null) positions.push(r.index + '@' + g.lastIndex);
console.log(positions.join(' '));
console.log(/[a-z]+/.exec('123abc456')[0], /[^a-z]+/.exec('abc123')[0], /\bword\b/.test('a word here'));
console.log(/(a)|(b)/.exec('b')[1], /(?:ab)+/.exec('ababx')[0], /a{2,3}/.exec('aaaa')[0], /a+?/.exec('aaa')[0]);
console.log('  trim me  '.replace(/^\s+|\s+$/g, '') + '|');
console.log(/(\w)\1/.test('hello'), /(\w)\1/.test('world'), /x(?=y)/.exec('xzxy').index, /x(?!y)/.exec('xyxz').index);
console.log(/^[\w.+-]+@[\w-]+\.[\w.]+$/.test('jane.doe+tag@example.co.uk'), /^[\w.+-]+@[\w-]+\.[\w.]+$/.test('not an email'));
const multi = 'line1\nline2\nline3';
console.log(multi.match(/^line\d$/gm).length, multi.match(/^line\d$/g));
console.log(String(/a\/b/g), /x/gi.flags, /x/gi.global, /x/.ignoreCase, new RegExp('a+', 'g').source);
console.log(new RegExp('[.]').test('a.b'), new RegExp('\\d+').exec('x42')[0]);
console.log('aBc'.search(/[A-Z]/), 'Hello World'.replace(/o/g, '0'), 'a-b_c'.split(/[-_]/).length);
console.log(/\u0041/.test('A'), /[\u00e0-\u00ff]/.test('é'), /\./.test('x'));
try { new RegExp('('); } catch (e) { console.log(e.name); }
const catastrophic = /^(a|b)*c$/;
console.log(catastrophic.test('ababababab'), catastrophic.test('ababc'));
console.log('x'.replace(/x/, () => '$1'), 'abc'.replace(/(b)/, (all, p1, off) => `[${all}${p1}${off}]`));
