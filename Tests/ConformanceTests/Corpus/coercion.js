// Type conversion rules: ToPrimitive, ToNumber, ToString, equality, wrappers.
const v = { valueOf: () => 10, toString: () => 'str' };
console.log(v + 1, `${v}`, v * 2, v > 9, String(v), v + '', [v] + '');
const onlyToString = { toString: () => '7' };
console.log(onlyToString * 2, onlyToString + 1, +onlyToString);
console.log([] == false, [0] == false, [1] == true, [2] == true, '' == 0, '  \n' == 0, 'true' == true);
console.log(null >= 0, null > 0, null == 0, undefined == 0, undefined >= 0, NaN <= NaN);
console.log(1 + null, 1 + undefined, '1' + null, true + true, [] * 2, [3] * [4], {} + 1);
console.log(Number(new Date(5)), Number(true), Number('12px'), Number('\t3\n'), Number('-Infinity'), Number('1e-7'));
console.log(typeof new Number(1), typeof Number(1), new Number(1) == 1, new Number(1) === 1, new Boolean(false) ? 'truthy' : 'falsy');
console.log(String(123.0), String(1e100), String([null]), String([undefined, 1]), String(function f() {}).startsWith('function'));
console.log(parseInt(0.0000005), parseInt('123abc', 16), Math.max('3', 2), ['1', '2', '3'].map(parseInt).join(), ['1', '2', '3'].map(Number).join());
console.log(!!document_is_not_defined_check(), typeof undeclared === 'undefined');
function document_is_not_defined_check() { try { return typeof document === 'undefined'; } catch (e) { return false; } }
let order = [];
const tracer = name => ({ valueOf() { order.push(name); return 1; } });
tracer('a') + tracer('b') * tracer('c');
console.log(order.join(''));
console.log(1 < 2 ? 'yes' : 'no', 'b' + 'a' + +'a' + 'a', [1, 2] + [3], `${[]}|${{}}`);
console.log(Object(1) instanceof Number, Object('s') instanceof String, typeof Object(null), Object(undefined) instanceof Object);
