// The clv-stream dashboard: a plain ES module over the JSON API. The API key is kept in
// sessionStorage (gone with the tab) and sent as a Bearer token; nothing here is secret, so
// the page itself is public. Data goes into the DOM as text only, never as HTML: customer
// ids and messages come from outside.
import { barChart, el, histogram, lineChart } from './svg-charts.js';

const KEY = 'clv-dashboard-api-key';
const DAY_MS = 86_400_000;
const SEGMENT_COLORS = {
  new: '#8e44ad', high_value: '#27ae60', medium_value: '#2f6fdf', low_value: '#95a5a6', at_risk: '#e67e22', lost: '#c0392b',
};
const $ = (id) => document.getElementById(id);

/** Currency of all money on the page; set from the distribution response, which says it. */
let money = { currency: 'USD', minorPerUnit: 100 };
let loads = 0;

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function api(path) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${sessionStorage.getItem(KEY) ?? ''}`, accept: 'application/json' } });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? `HTTP_${res.status}`, body?.error?.message ?? res.statusText);
  return body;
}

/** An HTML element with text children only. */
function h(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) node.setAttribute(k, String(v));
  for (const child of children) node.append(child);
  return node;
}

const note = (text, cls = 'note') => h('p', { class: cls }, [text]);

function formatMoney(minor, digits = 0) {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: money.currency, minimumFractionDigits: digits, maximumFractionDigits: digits })
    .format(minor / money.minorPerUnit);
}
const formatCount = (n) => n.toLocaleString('en-US');
const formatDate = (ms) => new Date(ms).toISOString().slice(0, 10);
/** Dates for long ranges, times within a couple of days (UTC both: the API's times are UTC). */
const timeFormat = (lo, hi) => (hi - lo > 2 * DAY_MS ? formatDate : (ms) => new Date(ms).toISOString().slice(5, 16).replace('T', ' '));

function formatMetric(v) {
  return Number.isInteger(v) ? formatCount(v) : String(Number(v.toPrecision(4)));
}

function legend(items) {
  return h('ul', { class: 'legend' }, items.map(({ name, color }) => {
    const swatch = el('svg', { class: 'swatch', viewBox: '0 0 10 10', width: 10, height: 10 }, [el('rect', { width: 10, height: 10, fill: color })]);
    return h('li', {}, [swatch, name]);
  }));
}

// ---- panels ----------------------------------------------------------------------------

async function segmentsPanel() {
  const body = await api('/v1/segments');
  const items = body.segments.map((s) => ({ key: s.segment, label: s.segment.replace('_', ' '), value: s.customers, color: SEGMENT_COLORS[s.segment] }));
  if (body.unscored > 0) items.push({ key: 'unscored', label: 'unscored', value: body.unscored, color: '#bdc3c7' });
  $('segment-sizes').replaceChildren(
    barChart(items, { label: 'Customers per segment', format: formatCount }),
    note(`${formatCount(body.total)} customers, ${formatCount(body.unscored)} not scored yet.`),
  );
}

async function segmentHistoryPanel() {
  const { snapshots } = await api('/v1/segments/history');
  const target = $('segment-history');
  if (snapshots.length === 0) return target.replaceChildren(note('No snapshot yet: sizes are recorded as scores are written.'));
  const xs = snapshots.map((s) => Date.parse(s.as_of));
  const series = Object.keys(SEGMENT_COLORS).map((segment) => ({
    name: segment, color: SEGMENT_COLORS[segment], points: snapshots.map((s, i) => ({ x: xs[i], y: s.customers[segment] })),
  }));
  target.replaceChildren(
    lineChart({ series, label: 'Customers per segment over event time', formatX: timeFormat(xs[0], xs.at(-1)), formatY: formatCount, height: 200 }),
    legend(series),
    note(`${snapshots.length} snapshot${snapshots.length === 1 ? '' : 's'}, by event time; more appear as events arrive.`),
  );
}

async function distributionPanel() {
  const d = await api('/v1/clv/distribution?buckets=20');
  money = { currency: d.currency, minorPerUnit: d.minor_per_unit };
  const target = $('clv-distribution');
  if (d.customers === 0) return target.replaceChildren(note('No scored customer yet.'));
  const q = d.quantiles;
  target.replaceChildren(
    histogram({
      buckets: d.buckets.map((b) => ({ lower: b.lower_minor, upper: b.upper_minor, count: b.customers })),
      above: { lower: d.above.lower_minor, count: d.above.customers },
      markers: [{ at: q.p50_minor, name: 'median' }, { at: q.p90_minor, name: 'p90' }],
      label: 'Customers by CLV', formatX: (m) => formatMoney(m),
    }),
    note(`${formatCount(d.customers)} scored customers. Median ${formatMoney(q.p50_minor)}, p90 ${formatMoney(q.p90_minor)}, p99 ${formatMoney(q.p99_minor)}, max ${formatMoney(d.max_minor)}; `
      + `the top 5% (≥ ${formatMoney(d.above.lower_minor)}) are in the last bar.`),
  );
}

/** The forecast of all customers, or of the segment picked above the chart (its customers as of the training). */
async function forecastPanel() {
  const target = $('revenue-forecast');
  const segment = $('forecast-segment').value;
  let f;
  try {
    f = await api(`/v1/forecast/revenue${segment ? `?segment=${encodeURIComponent(segment)}` : ''}`);
  } catch (e) {
    if (e.code !== 'API_NO_FORECAST') throw e;
    return target.replaceChildren(note(segment ? `No forecast for ${segment}: none yet, or too little revenue history to fit one.` : 'No forecast yet: the forecasting job has not produced one.'));
  }
  const periodMs = f.granularity === 'week' ? 7 * DAY_MS : DAY_MS;
  const forecast = f.points.map((p) => ({ x: Date.parse(p.period_start), y: p.expected_minor, lo: p.lower_minor, hi: p.upper_minor }));
  // As many periods of history before the forecast as it has periods, for context.
  const lead = Math.min(forecast.length, 183);
  const from = new Date(forecast[0].x - lead * periodMs).toISOString();
  const periods = Math.min(366, lead + forecast.length);
  // A segment's actuals are of the same customers as its forecast: those in it at segments_as_of.
  const of = segment ? `&segment=${encodeURIComponent(segment)}${f.segments_as_of ? `&as_of=${encodeURIComponent(f.segments_as_of)}` : ''}` : '';
  const a = await api(`/v1/revenue/actuals?from=${encodeURIComponent(from)}&period=${f.granularity}&periods=${periods}${of}`);
  const seenUntil = a.latest_order_hour === null ? -Infinity : Date.parse(a.latest_order_hour);
  const actual = a.points.map((p) => ({ x: Date.parse(p.period_start), y: p.actual_minor })).filter((p) => p.x <= seenUntil);
  const series = [
    ...(segment && !a.available ? [] : [{ name: 'actual', color: '#1d2330', points: actual }]),
    { name: 'forecast', color: '#e67e22', dashed: true, points: forecast },
  ];
  const band = forecast.filter((p) => p.lo !== null && p.hi !== null).map((p) => ({ x: p.x, lo: p.lo, hi: p.hi }));
  const xs = [...actual, ...forecast].map((p) => p.x);
  target.replaceChildren(
    lineChart({ series, band, label: segment ? `Revenue per period of the ${segment} customers: forecast${a.available ? ' and actuals' : ''}` : 'Revenue per period: forecast and actuals', formatX: timeFormat(Math.min(...xs), Math.max(...xs)), formatY: (m) => formatMoney(m) }),
    legend([...series, ...(band.length > 0 ? [{ name: 'forecast interval', color: '#f9d7a8' }] : [])]),
    note(`Forecast ${f.model_version}, generated ${formatDate(Date.parse(f.generated_at))}, per ${f.granularity}. `
      + (a.available ? (actual.length > 0 ? `Actuals (net revenue) through ${formatDate(seenUntil)}; the latest period may be incomplete.` : 'No actuals in this range yet.')
        : segment ? 'This API has no score history, so no actuals are shown for a segment.' : 'This API cannot see purchases, so no actuals are shown.')
      + (segment && a.available ? ` Actuals of the customers in ${segment} ${f.segments_as_of ? `as of ${formatDate(Date.parse(f.segments_as_of))}` : 'now'}, whatever segment they are in since.` : '')),
  );
}

async function modelsPanel() {
  const { models } = await api('/v1/models');
  const target = $('model-metrics');
  if (models.length === 0) return target.replaceChildren(note('No model trained yet.'));
  const details = await Promise.all(models.map((m) => api(`/v1/models/${encodeURIComponent(m.version)}`)));
  // A column per version, a row per metric: versions are few, metric names many and long.
  const names = [...new Set(details.flatMap((d) => Object.keys(d.metrics)))].sort();
  const row = (label, cell) => h('tr', {}, [h('th', {}, [label]), ...details.map(cell)]);
  const rows = [
    row('Kind', (d) => h('td', { class: 'num' }, [d.kind])),
    row('Trained', (d) => h('td', { class: 'num' }, [d.trained_at ? formatDate(Date.parse(d.trained_at)) : '—'])),
    row('Horizon', (d) => h('td', { class: 'num' }, [d.horizon_days === null ? '—' : `${d.horizon_days} days`])),
    ...names.map((n) => row(n, (d) => (n in d.metrics
      ? h('td', { class: 'num', 'data-version': d.version, 'data-metric': n, 'data-value': d.metrics[n] }, [formatMetric(d.metrics[n])])
      : h('td', { class: 'num', 'data-version': d.version, 'data-metric': n }, ['—'])))),
  ];
  const head = h('tr', {}, [h('th', {}, ['Version']), ...details.map((d) => h('th', { class: 'num' }, [`${d.version}${d.status === 'champion' ? ' (champion)' : ''}`]))]);
  target.replaceChildren(h('div', { class: 'scroll' }, [h('table', {}, [h('thead', {}, [head]), h('tbody', {}, rows)])]));
}

async function lookUp(id) {
  const target = $('customer');
  target.replaceChildren(note('Looking up…'));
  let c;
  try {
    c = await api(`/v1/customers/${encodeURIComponent(id)}`);
  } catch (e) {
    if (e.code === 'API_CUSTOMER_NOT_FOUND') return target.replaceChildren(note(`No customer ${JSON.stringify(id)}.`));
    throw e;
  }
  const row = (label, value, attrs = {}) => [h('dt', {}, [label]), h('dd', attrs, [value])];
  const clv = c.clv
    ? `${formatMoney(c.clv.value_minor, 2)} over ${c.clv.horizon_days} days` + (c.clv.interval ? ` (${formatMoney(c.clv.interval.lower_minor, 2)} – ${formatMoney(c.clv.interval.upper_minor, 2)})` : '')
    : 'not scored yet';
  target.replaceChildren(h('dl', { class: 'customer', 'data-customer': c.customer_id }, [
    ...row('Customer', c.customer_id),
    ...row('CLV', clv, { class: 'clv', 'data-clv-minor': c.clv?.value_minor ?? null }),
    ...row('Segment', c.segment ?? '—', { 'data-segment': c.segment }),
    ...row('Action', c.action ? `${c.action.action}: ${c.action.reason}` : '—'),
    ...row('P(alive)', c.p_alive === null ? '—' : c.p_alive.toFixed(3)),
    ...row('Expected purchases', c.expected_purchases === null ? '—' : c.expected_purchases.toFixed(2)),
    ...row('Purchases', `${c.features.purchase_days} days, ${formatMoney(c.features.total_value_minor, 2)} in total, last on ${formatDate(Date.parse(c.features.last_purchase_time))}`),
    ...row('Model', c.model_version ?? '—'),
    ...row('Why', c.explanation.text),
  ]));
}

// ---- wiring ----------------------------------------------------------------------------

function showMessage(text, isError = false) {
  $('message').textContent = text;
  $('message').className = isError ? 'error' : '';
}

function disconnect(message) {
  sessionStorage.removeItem(KEY);
  $('panels').hidden = true;
  $('connected').hidden = true;
  $('key-form').hidden = false;
  showMessage(message, message !== '');
}

/** Runs one panel's loader; a refused key disconnects, other failures stay in the panel. */
async function run(targetId, load) {
  try {
    await load();
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      disconnect('The API refused this key: enter another.');
      return false;
    }
    $(targetId).replaceChildren(note(`Could not load: ${e.message}`, 'error'));
    return true;
  }
}

async function loadAll() {
  showMessage('Loading…');
  // The distribution first: it says the currency the other panels' money is in.
  if (!(await run('clv-distribution', distributionPanel))) return;
  $('key-form').hidden = true;
  $('connected').hidden = false;
  $('panels').hidden = false;
  await Promise.all([
    run('segment-sizes', segmentsPanel), run('segment-history', segmentHistoryPanel), run('revenue-forecast', forecastPanel), run('model-metrics', modelsPanel),
  ]);
  $('updated').textContent = `Updated ${new Date().toLocaleTimeString('en-GB')}`;
  showMessage('');
  // A counter the browser test waits on: it changes once every panel has (re)loaded.
  document.body.dataset.loaded = String(++loads);
}

$('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY, $('api-key').value.trim());
  $('api-key').value = '';
  void loadAll();
});
$('refresh').addEventListener('click', () => void loadAll());
$('forecast-segment').addEventListener('change', () => void run('revenue-forecast', forecastPanel));
$('forget').addEventListener('click', () => disconnect(''));
$('lookup-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void run('customer', () => lookUp($('customer-id').value.trim()));
});

if (sessionStorage.getItem(KEY)) void loadAll();
