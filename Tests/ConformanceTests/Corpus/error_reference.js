// Reading an undeclared variable throws ReferenceError (message text is engine-specific).
console.log('before');
const total = price * 2;
console.log(total);
