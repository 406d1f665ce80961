// An early error inside a function body that is never called still fails compilation.
console.log('never printed');
function neverCalled() {
  let a = 1;
  let a = 2;
}
