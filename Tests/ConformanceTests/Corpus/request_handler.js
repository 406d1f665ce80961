// A backend-style request handler in modern syntax: parse, validate, respond.
const schema = {
  weight: { type: 'number', required: true, min: 50, max: 500 },
  unit: { type: 'string', allowed: ['lbs', 'kg'], default: 'lbs' },
  notes: { type: 'string', maxLength: 20, default: '' },
};
function validate(body) {
  const errors = [], value = {};
  for (const [field, rule] of Object.entries(schema)) {
    const v = body?.[field];
    if (v == null) {
      if (rule.required) errors.push(`${field} is required`);
      else value[field] = rule.default;
      continue;
    }
    if (typeof v !== rule.type) { errors.push(`${field} must be a ${rule.type}`); continue; }
    if (rule.min !== undefined && v < rule.min) errors.push(`${field} must be at least ${rule.min}`);
    else if (rule.max !== undefined && v > rule.max) errors.push(`${field} must be at most ${rule.max}`);
    else if (rule.maxLength !== undefined && v.length > rule.maxLength) errors.push(`${field} is too long`);
    else if (rule.allowed && !rule.allowed.includes(v)) errors.push(`${field} must be one of ${rule.allowed.join(', ')}`);
    else value[field] = v;
  }
  return { valid: errors.length === 0, value, errors };
}
function handle({ method, body }) {
  if (method !== 'POST') return { status: 405, body: { ok: false } };
  let parsed;
  try { parsed = JSON.parse(body); } catch { return { status: 400, body: { ok: false, error: 'invalid json' } }; }
  const { valid, value, errors } = validate(parsed);
  if (!valid) return { status: 422, body: { ok: false, errors } };
  const kg = value.unit === 'kg' ? value.weight : Math.round(value.weight * 0.45359237 * 10) / 10;
  return { status: 200, body: { ok: true, data: { ...value, kg } } };
}
const requests = [
  { method: 'POST', body: '{"weight":182,"unit":"lbs","notes":"ok"}' },
  { method: 'POST', body: '{"weight":75.5,"unit":"kg"}' },
  { method: 'POST', body: '{"weight":20}' },
  { method: 'POST', body: '{"unit":"stone"}' },
  { method: 'POST', body: '{"weight":"heavy"}' },
  { method: 'POST', body: '{"weight":300,"notes":"this note is far too long"}' },
  { method: 'POST', body: '{"weight":' },
  { method: 'GET', body: '' },
  { method: 'POST', body: 'null' },
];
for (const r of requests) {
  const res = handle(r);
  console.log(res.status + ' ' + JSON.stringify(res.body));
}
