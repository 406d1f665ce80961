// Scaled-down copy of bench/js/json.js (sizes reduced for debug-build tests; checksum recomputed with node).
// json: JSON.stringify / JSON.parse round trips of a ~2 KB nested object (strings with escapes,
// integers, simple fractions, booleans, null, nested arrays and objects); every 10th round also
// pretty-prints with an indent of 2.
var out = typeof print === 'function' ? print : function (s) { console.log(s); };
// Everything runs inside main() so that variables are locals in every engine
// (node would otherwise treat top-level vars as module locals, the others as globals).
function main() {
  var doc = {
    id: 1000, name: 'Customer Record', active: true, score: 12.25, deleted: null,
    email: 'jane.doe@example.com', note: 'line one\nline two "quoted" \\ back\tslash',
    tags: ['new', 'vip', 'newsletter', 'trial', 'beta', 'mobile'],
    address: { street: '123 Main Street', city: 'Springfield', zip: '12345', country: 'US',
               geo: { lat: 40.5, lng: -74.25 } },
    orders: [],
    prefs: { theme: 'dark', lang: 'en', emails: { weekly: true, daily: false, promo: false } }
  };
  for (var i = 0; i < 12; i++) {
    doc.orders.push({ id: 5000 + i, sku: 'SKU-' + (1000 + i * 7), qty: 1 + i % 4, price: 1999 + i * 100,
                      discount: (i % 4) * 0.25, gift: i % 3 === 0, items: [i, i + 1, i + 2] });
  }
  var R = 100;
  var total = 0, pretty = 0;
  var d = doc;
  for (var r = 0; r < R; r++) {
    var s = JSON.stringify(d);
    var o = JSON.parse(s);
    o.id = o.id + 1;
    o.orders[r % o.orders.length].qty += 1;
    total += s.length + o.orders.length + o.tags.length;
    if (r % 10 === 0) pretty += JSON.stringify(o, null, 2).length;
    d = o;
  }
  out('json ' + JSON.stringify(doc).length + ' ' + total + ' ' + pretty + ' ' + d.id);
}
main();
