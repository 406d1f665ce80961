// Prototype chains, constructor functions, method inheritance without class syntax.
function Shape(name) { this.name = name; }
Shape.prototype.describe = function () { return this.name + ' with area ' + this.area().toFixed(2); };
Shape.prototype.area = function () { return 0; };
function Circle(r) { Shape.call(this, 'circle'); this.r = r; }
Circle.prototype = Object.create(Shape.prototype);
Circle.prototype.constructor = Circle;
Circle.prototype.area = function () { return Math.PI * this.r * this.r; };
function Square(s) { Shape.call(this, 'square'); this.s = s; }
Square.prototype = Object.create(Shape.prototype, { constructor: { value: Square } });
Square.prototype.area = function () { return this.s * this.s; };
const shapes = [new Circle(1), new Square(3), new Shape('point')];
for (const s of shapes) console.log(s.describe());
console.log(shapes[0] instanceof Shape, shapes[0].constructor.name, Object.getPrototypeOf(Circle.prototype) === Shape.prototype);
console.log(Shape.prototype.isPrototypeOf(shapes[1]), shapes[1].hasOwnProperty('area'), 'area' in shapes[1]);
// Shadowing and deleting own properties reveals the inherited one.
const sq = new Square(2);
sq.area = () => -1;
console.log(sq.describe());
delete sq.area;
console.log(sq.describe());
// Changing the prototype after creation affects existing instances.
Shape.prototype.tag = 'v1';
console.log(shapes[0].tag, shapes[2].tag);
Shape.prototype.describe = function () { return 'redefined ' + this.name; };
console.log(shapes[1].describe());
// Primitive prototypes.
String.prototype.shout = function () { return this.toUpperCase() + '!'; };
Array.prototype.last = function () { return this[this.length - 1]; };
console.log('hey'.shout(), [1, 2, 3].last());
delete String.prototype.shout;
delete Array.prototype.last;
console.log(typeof 'x'.shout, typeof [].last);
// Object.create(null) chains and __proto__ accessor.
const root = Object.create(null);
root.level = 'root';
const mid = Object.create(root);
const leaf = Object.create(mid);
console.log(leaf.level, Object.getPrototypeOf(Object.getPrototypeOf(leaf)) === root);
const viaProto = { a: 1 };
viaProto.__proto__ = { b: 2 };
console.log(viaProto.b, Object.keys(viaProto).join());
// instanceof with a custom prototype chain.
function Fake() {}
Fake.prototype = Array.prototype;
console.log([] instanceof Fake, {} instanceof Fake);
