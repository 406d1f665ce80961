// Scaled-down copy of bench/js/template.js (sizes reduced for debug-build tests; checksum recomputed with node).
// template: renders a small HTML page 20k times: scans a template for {{name}} placeholders
// with indexOf/slice, HTML-escapes values with a charCodeAt loop, builds rows and joins.
var out = typeof print === 'function' ? print : function (s) { console.log(s); };
// Everything runs inside main() so that variables are locals in every engine
// (node would otherwise treat top-level vars as module locals, the others as globals).
function main() {
  var tpl = '<!doctype html><html><head><title>{{title}}</title></head><body>' +
    '<h1>Hello, {{name}}!</h1><p>Your weight: {{weight}} {{unit}}</p><p>Notes: {{notes}}</p>' +
    '<table>{{rows}}</table><footer>{{footer}}</footer></body></html>';

  function escapeHtml(s) {
    var outp = '', start = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i), rep = null;
      if (c === 38) rep = '&amp;';
      else if (c === 60) rep = '&lt;';
      else if (c === 62) rep = '&gt;';
      else if (c === 34) rep = '&quot;';
      else if (c === 39) rep = '&#39;';
      if (rep !== null) { outp += s.slice(start, i) + rep; start = i + 1; }
    }
    return start === 0 ? s : outp + s.slice(start);
  }

  function render(t, vars) {
    var parts = [], pos = 0;
    for (;;) {
      var open = t.indexOf('{{', pos);
      if (open < 0) break;
      var close = t.indexOf('}}', open + 2);
      if (close < 0) break;
      parts.push(t.slice(pos, open));
      var key = t.slice(open + 2, close);
      var v = vars[key];
      parts.push(v === undefined ? '' : (key === 'rows' ? v : escapeHtml(String(v))));
      pos = close + 2;
    }
    parts.push(t.slice(pos));
    return parts.join('');
  }

  var R = 200;
  var total = 0, h = 0;
  for (var r = 0; r < R; r++) {
    var rows = [];
    for (var i = 0; i < 5; i++) {
      rows.push('<tr><td>' + escapeHtml('item <' + i + '> & "' + (r % 13) + '"') + '</td><td>' + (r * 5 + i) + '</td></tr>');
    }
    var html = render(tpl, { title: 'Weight log', name: 'Jane <"J"> O\'Hara & co', weight: 150 + r % 50,
                             unit: r % 2 ? 'kg' : 'lbs', notes: 'note #' + r, rows: rows.join(''),
                             footer: '(c) 2025' });
    total += html.length;
    h = (h * 31 + html.charCodeAt(r % html.length)) % 1000003;
  }
  out('template ' + total + ' ' + h);
}
main();
