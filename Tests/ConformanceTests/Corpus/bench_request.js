// Scaled-down copy of bench/js/request.js (sizes reduced for debug-build tests; checksum recomputed with node).
// request: mimics a backend script handling a POST 100k times: JSON.parse the body (1 in 8 is
// malformed and throws), validate it against a small hand-written schema (type checks, min/max,
// allowed values, max length, defaults), build a result object and JSON.stringify it.
var out = typeof print === 'function' ? print : function (s) { console.log(s); };
// Everything runs inside main() so that variables are locals in every engine
// (node would otherwise treat top-level vars as module locals, the others as globals).
function main() {
  var schema = {
    weight: { type: 'number', required: true, min: 50, max: 500 },
    unit: { type: 'string', allowed: ['lbs', 'kg'], def: 'lbs' },
    notes: { type: 'string', maxLength: 500, def: '' }
  };
  var fields = ['weight', 'unit', 'notes'];

  function validate(body) {
    var errors = [], data = {};
    for (var i = 0; i < fields.length; i++) {
      var name = fields[i], rule = schema[name], v = body[name];
      if (v === undefined || v === null) {
        if (rule.required) { errors.push({ field: name, error: 'required' }); continue; }
        if (rule.def !== undefined) data[name] = rule.def;
        continue;
      }
      if (typeof v !== rule.type) { errors.push({ field: name, error: 'must be a ' + rule.type }); continue; }
      if (rule.type === 'number') {
        if (rule.min !== undefined && v < rule.min) { errors.push({ field: name, error: 'min ' + rule.min }); continue; }
        if (rule.max !== undefined && v > rule.max) { errors.push({ field: name, error: 'max ' + rule.max }); continue; }
      } else if (rule.type === 'string') {
        if (rule.maxLength !== undefined && v.length > rule.maxLength) { errors.push({ field: name, error: 'too long' }); continue; }
        if (rule.allowed !== undefined && rule.allowed.indexOf(v) < 0) { errors.push({ field: name, error: 'not allowed' }); continue; }
      }
      data[name] = v;
    }
    return { errors: errors, data: data };
  }

  function handle(req) {
    var body;
    try { body = JSON.parse(req.body); } catch (e) { return { status: 400, body: { ok: false, error: 'invalid json' } }; }
    if (body === null || typeof body !== 'object') return { status: 400, body: { ok: false, error: 'expected object' } };
    var v = validate(body);
    if (v.errors.length > 0) return { status: 422, body: { ok: false, errors: v.errors } };
    var d = v.data;
    var kg = d.unit === 'kg' ? d.weight : Math.round(d.weight * 0.45359237 * 10) / 10;
    return { status: 200, body: { ok: true, data: { customer: req.customer, weight: d.weight, unit: d.unit,
                                                    notes: d.notes, kg: kg } } };
  }

  var longNotes = '';
  for (var i = 0; i < 60; i++) longNotes += 'abcdefghij';
  var bodies = [
    '{"weight":182,"unit":"lbs","notes":"ok"}',
    '{"weight":75.5,"unit":"kg"}',
    '{"weight":20}',
    '{"unit":"stone","notes":"x"}',
    '{"weight":"heavy","unit":"lbs"}',
    '{"weight":300,"notes":"' + longNotes + '"}',
    '{"weight":',
    '{"weight":140,"unit":"lbs","notes":"after \\"lunch\\"","extra":[1,2,3]}'
  ];
  var N = 1000;
  var total = 0, okCount = 0, statusSum = 0;
  for (var r = 0; r < N; r++) {
    var req = { method: 'POST', path: '/api/weight', customer: 'c' + (r % 100), body: bodies[r % bodies.length] };
    var res = handle(req);
    var text = JSON.stringify(res.body);
    total += text.length;
    statusSum += res.status;
    if (res.body.ok) okCount++;
  }
  out('request ' + N + ' ' + okCount + ' ' + statusSum + ' ' + total);
}
main();
