// Number to string conversion and formatting.
const values = [0, -0, 1, -1, 0.1, 0.5, 1 / 3, 2 / 3, 123.456, 1e21, 1e-7, 123e-20, 1.5e300, 2 ** 53, 2 ** 53 + 2,
  -1e-6, 1e-6, 0.000001234, 100, 1e20, 123456789012345680000, 5e-324, 1.7976931348623157e308, NaN, Infinity, -Infinity];
console.log(values.map(String).join(' '));
console.log((0.1 + 0.2).toString(), (0.1 * 3).toString(), (1.005 * 1000).toString());
console.log((255).toString(16), (255).toString(2), (-255).toString(36), (0.5).toString(2), (3.75).toString(16));
console.log((1.005).toFixed(2), (1.5).toFixed(0), (2.5).toFixed(0), (-1.5).toFixed(0), (123.456).toFixed(1), (0).toFixed(3), (1e21).toFixed(2));
console.log((123.456).toPrecision(4), (0.00001234).toPrecision(2), (1234.5).toPrecision(2), (1).toPrecision(3));
console.log((123456).toExponential(2), (0).toExponential(), (1.5).toExponential(3), (-0.00015).toExponential(1));
console.log(Number('  42  '), Number('0b101'), Number('0o17'), Number('1_000'), Number(''), Number(null), Number(undefined), Number([5]), Number([1, 2]));
console.log(parseInt('42px'), parseInt('0x1A'), parseInt('101', 2), parseInt('z', 36), parseInt(''), parseInt('  -7.9'), parseInt('1e3'));
console.log(parseFloat('3.14abc'), parseFloat('.5'), parseFloat('-.5e1x'), parseFloat('Infinityx'), parseFloat('x1'));
console.log(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Number.EPSILON, Number.MIN_VALUE, Number.MAX_VALUE);
console.log(Number.isInteger(5.0), Number.isInteger(5.5), Number.isSafeInteger(2 ** 53), Number.isNaN('x'), isNaN('x'), Number.isFinite('1'), isFinite('1'));
console.log(1_000_000, 0xff, 0o17, 0b1010, .5, 5., 1e3, 0.1e-2);
console.log(String(-0), (-0).toString(), `${-0}`, JSON.stringify(-0), Object.is(-0 + 0, 0));
console.log(Math.round(2.5), Math.round(-2.5), Math.round(0.49999999999999994), Math.trunc(-4.7), Math.sign(-3), Math.cbrt(27), Math.hypot(3, 4));
console.log(Math.floor(-0.5), String(Math.ceil(-0.5)), Object.is(Math.ceil(-0.5), -0), Math.max(), Math.min(), Math.max(1, NaN), Math.abs(-5.5), Math.sqrt(2));
console.log(Math.pow(2, 0.5) === Math.SQRT2, Math.PI, Math.E, Math.log(Math.E), Math.log2(8), Math.log10(1000), Math.clz32(1), Math.fround(5.5));
console.log(0.1 * 0.2, 1 / 7, 100 / 3, 2 ** 0.5, 9007199254740993, 4.35, 0.000001, 1e-7);
console.log((25).toString(36), (1e21).toString(36).length > 0, (-1.5).toString(2), Number('0.0000001'), String(Number('-0')), Object.is(Number('-0'), -0));
