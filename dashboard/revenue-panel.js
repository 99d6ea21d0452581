// Revenue per calendar day, week or month over the whole range of the data, with the
// forecast and its interval over the periods it covers. Of all customers, or of the customers
// a segment held when the forecast was made (the closed group its forecast is about).
import { api } from './api-client.js';
import { $, caption, formatDateTime, formatMoney, formatMoneyShort, formatPercent, formatPeriod, h, note, plural, segmentLabel } from './format.js';
import { lineChart, swatch } from './svg-charts.js';

const HOUR_MS = 3_600_000;
const ACTUAL = '#1d2330';
const FORECAST = '#d35400';

export const selectedPeriod = () => document.querySelector('input[name="revenue-period"]:checked')?.value ?? 'week';

/** The forecast for the period, or why there is none. */
async function forecastFor(period, segment) {
  try {
    return { forecast: await api(`/v1/forecast/revenue?period=${period}${segment ? `&segment=${segment}` : ''}`) };
  } catch (e) {
    if (e.code !== 'API_NO_FORECAST') throw e;
    // A forecast that exists at another granularity says which (a weekly one has no days or months).
    if (e.message.startsWith(`no revenue forecast per ${period}`)) return { why: `No forecast per ${period}: ${e.message.split(': ').slice(1).join(': ')}.` };
    return { why: segment ? `No forecast for ${segmentLabel(segment)} customers: none yet, or too little revenue history to fit one.` : 'No forecast yet: the forecasting job has not produced one.' };
  }
}

export async function revenuePanel() {
  const target = $('revenue');
  const period = selectedPeriod();
  const segment = $('revenue-segment').value;
  const { forecast: f, why } = await forecastFor(period, segment);
  // A segment's actuals are of the same customers as its forecast: those in it at segments_as_of.
  const of = segment ? `&segment=${segment}${f?.segments_as_of ? `&as_of=${encodeURIComponent(f.segments_as_of)}` : ''}` : '';
  const a = await api(`/v1/revenue/actuals?period=${period}${of}`);
  const label = formatPeriod(period);
  if (!a.available) {
    return target.replaceChildren(note(segment ? 'This API has no score history (no analytics store), so revenue per segment cannot be shown.' : 'This API cannot see purchases, so no revenue can be shown.'));
  }
  if (a.points.length === 0) return target.replaceChildren(note('No orders yet.'));
  const seenUntil = Date.parse(a.latest_order_hour) + HOUR_MS;
  const actual = a.points.map((p) => ({ x: Date.parse(p.period_start), y: p.actual_minor, partial: Date.parse(p.period_end) > seenUntil }));
  const forecast = (f?.points ?? []).map((p) => ({ x: Date.parse(p.period_start), y: p.expected_minor, lo: p.lower_minor, hi: p.upper_minor }));
  const band = forecast.filter((p) => p.lo !== null && p.hi !== null).map((p) => ({ x: p.x, lo: p.lo, hi: p.hi }));
  const series = [
    { name: 'actual', color: ACTUAL, points: actual },
    ...(forecast.length > 0 ? [{ name: 'forecast', color: FORECAST, dashed: true, points: forecast }] : []),
  ];
  const chart = lineChart({
    series, band, width: 1200, height: 300, formatX: label, formatY: formatMoneyShort,
    label: `Revenue per ${period}${segment ? ` of the ${segmentLabel(segment)} customers` : ''}: actual${forecast.length > 0 ? ' and forecast' : ''}`,
  });
  const level = f?.interval_level ? `${Math.round(f.interval_level * 100)}% ` : '';
  const legend = h('ul', { class: 'legend' }, [
    h('li', {}, [swatch(ACTUAL), 'actual net revenue']),
    ...(forecast.length > 0 ? [h('li', {}, [swatch(FORECAST), `forecast ${f.model_version}`])] : []),
    ...(band.length > 0 ? [h('li', {}, [swatch('#f5c28b'), `forecast ${level}interval`])] : []),
    ...(actual.some((p) => p.partial) ? [h('li', {}, [h('span', { class: 'hollow' }), `${period} not over yet`])] : []),
  ]);
  target.replaceChildren(chart, legend, caption('revenue', revenueCaption(period, actual, a, f, segment)), ...(why ? [note(why)] : []), ...lastComplete(period, actual, forecast));
}

/** What the chart shows, in words: the range of the actuals and of the forecast. */
export function revenueCaption(period, actual, a, f, segment) {
  const label = formatPeriod(period);
  const partial = actual.at(-1).partial;
  let text = `Actual net revenue per ${period}, ${label(actual[0].x)} to ${label(actual.at(-1).x)}: ${plural(actual.length, period)}`
    + `${partial ? `, the last one so far (orders through ${formatDateTime(Date.parse(a.latest_order_hour))})` : ''}.`;
  if (segment) text += ` Customers who were ${segmentLabel(segment)} ${f?.segments_as_of ? `on ${formatPeriod('day')(Date.parse(f.segments_as_of))}, when the forecast was made` : 'now'}, whatever segment they are in since.`;
  if (f && f.points.length > 0) {
    text += ` Forecast ${f.model_version}: ${plural(f.points.length, period)}, ${label(Date.parse(f.points[0].period_start))} to ${label(Date.parse(f.points.at(-1).period_start))}`
      + `${f.interval_level ? `, shaded: the range it gives a ${Math.round(f.interval_level * 100)}% chance` : ''}.`;
  }
  return text;
}

/** The latest complete period that has a forecast: actual against forecast, in one line. */
function lastComplete(period, actual, forecast) {
  const byX = new Map(forecast.map((p) => [p.x, p]));
  const last = actual.filter((p) => !p.partial && byX.has(p.x)).at(-1);
  if (!last) return [];
  const p = byX.get(last.x);
  const inside = p.lo !== null && p.hi !== null ? (last.y < p.lo ? ', below the interval' : last.y > p.hi ? ', above the interval' : ', within the interval') : '';
  return [h('p', { class: 'figure', 'data-figure': 'last-complete' }, [
    `Last complete ${period} with a forecast (${formatPeriod(period)(last.x)}): `, h('strong', {}, [formatMoney(last.y)]), ` actual against ${formatMoney(p.y)} forecast `,
    `(${formatPercent((last.y - p.y) / p.y, { signed: true })}${inside}).`,
  ])];
}
