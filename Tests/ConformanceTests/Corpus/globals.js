// Global object and global functions.
console.log(typeof globalThis, typeof globalThis.Array, globalThis.Math === Math);
globalThis.sharedValue = 42;
console.log(sharedValue, 'sharedValue' in globalThis);
console.log(NaN !== NaN, Infinity > 1e308, undefined === void 0);
undefined = 1; NaN = 2; Infinity = 3;
console.log(undefined, NaN, Infinity);
console.log(isNaN('abc'), isFinite('12'), parseFloat('1.5e2'), parseInt('ff', 16));
console.log(encodeURIComponent('?x=1&y=2'), decodeURI('%41%20b'), encodeURI('a/b c'));
console.log(typeof JSON, Object.prototype.toString.call(globalThis).length > 0);
const names = ['Object', 'Function', 'Array', 'String', 'Number', 'Boolean', 'Symbol', 'Error', 'Map', 'Set', 'Date', 'RegExp', 'JSON', 'Math'];
console.log(names.filter(n => typeof globalThis[n] !== 'undefined').length);
delete globalThis.sharedValue;
console.log(typeof sharedValue);
