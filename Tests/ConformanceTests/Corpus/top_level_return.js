// A script runs as the body of a function: top-level return ends it normally.
console.log('before return');
const shouldStop = true;
if (shouldStop) return;
console.log('never printed');
