// finally blocks run while an uncaught error propagates out of nested calls.
function inner() {
  try {
    throw new Error('deep failure');
  } finally {
    console.log('inner finally');
  }
}
function outer() {
  try {
    inner();
  } finally {
    console.log('outer finally');
  }
}
outer();
