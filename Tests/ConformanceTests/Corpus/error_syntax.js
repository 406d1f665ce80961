// A syntax error: nothing runs.
console.log('never printed');
let x = ;
