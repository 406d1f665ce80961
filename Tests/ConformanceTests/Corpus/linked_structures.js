// Classes building linked data structures: a linked list, a binary search tree, a queue.
class Node { constructor(value, next = null) { this.value = value; this.next = next; } }
class LinkedList {
  constructor() { this.head = null; this.size = 0; }
  push(v) { this.head = new Node(v, this.head); this.size++; return this; }
  reverse() {
    let prev = null, cur = this.head;
    while (cur) { const next = cur.next; cur.next = prev; prev = cur; cur = next; }
    this.head = prev;
    return this;
  }
  toArray() { const out = []; for (let n = this.head; n; n = n.next) out.push(n.value); return out; }
}
const list = new LinkedList().push(1).push(2).push(3);
console.log(list.toArray().join('->'), list.reverse().toArray().join('->'), list.size);

class BST {
  constructor() { this.root = null; }
  insert(k) {
    const node = { k, l: null, r: null };
    if (!this.root) { this.root = node; return; }
    let n = this.root;
    for (;;) {
      if (k < n.k) { if (!n.l) { n.l = node; return; } n = n.l; }
      else { if (!n.r) { n.r = node; return; } n = n.r; }
    }
  }
  inorder(n = this.root, out = []) { if (n) { this.inorder(n.l, out); out.push(n.k); this.inorder(n.r, out); } return out; }
  height(n = this.root) { return n ? 1 + Math.max(this.height(n.l), this.height(n.r)) : 0; }
  has(k) { let n = this.root; while (n) { if (k === n.k) return true; n = k < n.k ? n.l : n.r; } return false; }
}
const t = new BST();
for (const k of [50, 30, 70, 20, 40, 60, 80, 35, 45, 65]) t.insert(k);
console.log(t.inorder().join(' '), 'height ' + t.height(), t.has(45), t.has(46));

class Queue {
  constructor() { this.items = {}; this.headIdx = 0; this.tailIdx = 0; }
  enqueue(v) { this.items[this.tailIdx++] = v; }
  dequeue() { if (this.headIdx === this.tailIdx) return undefined; const v = this.items[this.headIdx]; delete this.items[this.headIdx++]; return v; }
  get length() { return this.tailIdx - this.headIdx; }
}
const q = new Queue();
for (let i = 0; i < 5; i++) q.enqueue(i * i);
console.log(q.dequeue(), q.dequeue(), q.length, Object.keys(q.items).join());
// Graph BFS with a Map of adjacency lists.
const edges = [['a', 'b'], ['a', 'c'], ['b', 'd'], ['c', 'd'], ['d', 'e'], ['f', 'g']];
const adj = new Map();
for (const [x, y] of edges) {
  if (!adj.has(x)) adj.set(x, []);
  if (!adj.has(y)) adj.set(y, []);
  adj.get(x).push(y);
  adj.get(y).push(x);
}
function bfs(start) {
  const dist = new Map([[start, 0]]);
  const queue = [start];
  while (queue.length) {
    const n = queue.shift();
    for (const m of adj.get(n)) if (!dist.has(m)) { dist.set(m, dist.get(n) + 1); queue.push(m); }
  }
  return dist;
}
console.log([...bfs('a')].map(([n, d]) => n + d).join(' '), bfs('f').size);
