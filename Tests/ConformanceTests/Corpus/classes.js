// Classes: constructors, methods, static members, inheritance, super, getters/setters.
class Animal {
  constructor(name) { this.name = name; }
  speak() { return `${this.name} makes a sound`; }
  get description() { return 'Animal(' + this.name + ')'; }
  static create(name) { return new this(name); }
  toString() { return this.description; }
}
class Dog extends Animal {
  constructor(name, breed) {
    super(name);
    this.breed = breed;
  }
  speak() { return super.speak() + ' (woof)'; }
  get description() { return 'Dog:' + super.description + '/' + this.breed; }
  static create(name) { return super.create(name + '!'); }
}
const d = new Dog('Rex', 'lab');
console.log(d.speak());
console.log(d.description);
console.log(String(d));
console.log(Dog.create('Fido').name, Dog.create('Fido') instanceof Dog);
console.log(d instanceof Animal, d instanceof Dog, Object.getPrototypeOf(Dog) === Animal);
console.log(typeof Animal, Animal.name, Dog.name);

// Calling a class without new is a TypeError.
try { Animal('x'); } catch (e) { console.log(e.name); }

// Accessing this before super() in a derived constructor is a ReferenceError.
class Bad extends Animal { constructor() { this.x = 1; super('bad'); } }
try { new Bad(); } catch (e) { console.log(e.name); }

// Getters and setters with validation.
class Temperature {
  constructor(c) { this._c = c; }
  get fahrenheit() { return this._c * 9 / 5 + 32; }
  set fahrenheit(f) { this._c = (f - 32) * 5 / 9; }
  get celsius() { return this._c; }
}
const t = new Temperature(100);
console.log(t.fahrenheit);
t.fahrenheit = 32;
console.log(t.celsius);

// Class expressions, computed method names, methods are non-enumerable.
const method = 'dyn';
const K = class Named {
  [method + 'Method']() { return 'computed ' + Named.name; }
  static ['s' + 1]() { return 'static computed'; }
};
console.log(new K().dynMethod(), K.s1());
console.log(Object.keys(K.prototype).length, Object.getOwnPropertyNames(K.prototype).join(','));

// Extending a built-in.
class Stack extends Array {
  peek() { return this[this.length - 1]; }
}
const st = new Stack();
st.push(1, 2, 3);
console.log(st.peek(), st.length, Array.isArray(st));

// Extending Error.
class ValidationError extends Error {
  constructor(field) {
    super('invalid ' + field);
    this.name = 'ValidationError';
    this.field = field;
  }
}
try { throw new ValidationError('email'); } catch (e) {
  console.log(e.name + ': ' + e.message, e instanceof ValidationError, e instanceof Error, e.field);
}

// new.target
class Shape { constructor() { this.kind = new.target.name; } }
class Circle extends Shape {}
console.log(new Shape().kind, new Circle().kind);
