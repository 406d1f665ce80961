// Text processing: word frequency, wrapping, run-length encoding, caesar cipher, slugs.
const text = `It was the best of times, it was the worst of times, it was the age of wisdom,
it was the age of foolishness, it was the epoch of belief, it was the epoch of incredulity.`;
const words = text.toLowerCase().match(/[a-z]+/g);
const freq = {};
for (const w of words) freq[w] = (freq[w] || 0) + 1;
const top = Object.entries(freq).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, 5);
console.log(words.length, top.map(([w, n]) => `${w}:${n}`).join(' '));

function wrap(s, width) {
  const lines = [];
  let line = '';
  for (const w of s.split(/\s+/)) {
    if (line && (line + ' ' + w).length > width) { lines.push(line); line = w; }
    else line = line ? line + ' ' + w : w;
  }
  if (line) lines.push(line);
  return lines;
}
for (const l of wrap(text, 32)) console.log('|' + l.padEnd(32) + '|');

const rle = s => s.replace(/(.)\1*/g, m => m.length + m[0]);
const unrle = s => s.replace(/(\d+)(.)/g, (_, n, c) => c.repeat(+n));
console.log(rle('aaabccddddde'), unrle(rle('aaabccddddde')) === 'aaabccddddde');
const caesar = (s, k) => s.replace(/[a-z]/gi, c => {
  const base = c <= 'Z' ? 65 : 97;
  return String.fromCharCode((c.charCodeAt(0) - base + k + 26) % 26 + base);
});
console.log(caesar('Hello, World!', 3), caesar(caesar('Hello, World!', 3), -3));
const slug = s => s.toLowerCase().trim().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
console.log(slug('  Hello World: A New Post!  '), slug('Ünïcödé & stuff'));
const isPalindrome = s => { const t = s.toLowerCase().replace(/[^a-z0-9]/g, ''); return t === [...t].reverse().join(''); };
console.log(isPalindrome('A man, a plan, a canal: Panama'), isPalindrome('hello'));
console.log('%s'.length, 'tab\there'.replace(/\t/, '\\t'), JSON.stringify('a\u0000b'));
