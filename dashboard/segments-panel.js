// Segment sizes now, each with its net change over the last 7 days (from the score history),
// and who moved between segments over a chosen window, with the most valuable movers.
import { api } from './api-client.js';
import { $, addDays, caption, formatCount, formatDate, formatMoney, h, note, plural, SEGMENT_COLORS, segmentLabel } from './format.js';
import { barChart, swatch } from './svg-charts.js';

/** The window ending on the shop-local day of the latest order: `days` days, that one included. */
export function flowWindow(latestOrderMs, days) {
  const to = formatDate(latestOrderMs);
  return { from: addDays(to, -(days - 1)), to };
}

export async function segmentsPanel(context) {
  const target = $('segments');
  const { from, to } = flowWindow(context.latestOrderMs, 7);
  const [sizes, week] = await Promise.all([api('/v1/segments'), api(`/v1/segments/flows?from=${from}&to=${to}&examples=0`)]);
  const delta = (s) => (week.available ? week.sizes_to[s] - week.sizes_from[s] : null);
  const items = sizes.segments.map((s) => {
    const d = delta(s.segment);
    return {
      key: s.segment, label: segmentLabel(s.segment), value: s.customers, color: SEGMENT_COLORS[s.segment],
      // Coloured for what it means: more customers at risk or lost is bad news.
      note: d === null ? null : d === 0 ? '±0 this week' : `${d > 0 ? '+' : '−'}${formatCount(Math.abs(d))} this week`,
      noteClass: !d ? '' : (d > 0) !== DOWN.has(s.segment) ? 'up' : 'down',
    };
  });
  if (sizes.unscored > 0) items.push({ key: 'unscored', label: 'not scored yet', value: sizes.unscored, color: '#bdc3c7' });
  const scored = sizes.total - sizes.unscored;
  target.replaceChildren(
    barChart(items, { label: 'Customers per segment', format: formatCount }),
    caption('segments', `${plural(sizes.total, 'customer')}: ${formatCount(scored)} scored, ${formatCount(sizes.unscored)} not scored yet.`
      + (week.available ? ` Changes over the 7 days ${from} to ${to}, from the score history.` : ' No score history here, so no weekly changes.')),
  );
}

/** Moves shown before "and N smaller moves". */
const SHOWN_MOVES = 8;

export async function flowsPanel(context, { onCustomer }) {
  const target = $('flows');
  const days = Number($('flows-window').value);
  const { from, to } = flowWindow(context.latestOrderMs, days);
  const r = await api(`/v1/segments/flows?from=${from}&to=${to}&examples=3`);
  if (!r.available) return target.replaceChildren(note('This API has no score history (no analytics store), so moves between segments cannot be shown.'));
  const firstScored = r.flows.filter((f) => f.from_segment === null);
  const moves = r.flows.filter((f) => f.from_segment !== null && f.from_segment !== f.to_segment);
  const count = (flows) => flows.reduce((n, f) => n + f.customers, 0);
  const stayed = count(r.flows.filter((f) => f.from_segment === f.to_segment));
  const max = Math.max(1, ...moves.map((f) => f.customers));
  const chip = (s) => h('span', { class: 'chip' }, [swatch(SEGMENT_COLORS[s]), segmentLabel(s)]);
  const example = (e) => h('button', { type: 'button', class: 'link', 'data-customer': e.customer_id, title: `Look up ${e.customer_id}` }, [e.customer_id]);
  const row = (f) => h('li', { class: `move ${DOWN.has(f.to_segment) ? 'down' : ''}`, 'data-from': f.from_segment, 'data-to': f.to_segment, 'data-customers': f.customers }, [
    h('div', { class: 'line' }, [
      h('span', { class: 'pair' }, [chip(f.from_segment), h('span', { class: 'arrow' }, ['→']), chip(f.to_segment)]),
      h('span', { class: 'meter' }, [h('span', { class: 'fill', 'data-share': (f.customers / max).toFixed(3) })]),
      h('span', { class: 'num' }, [formatCount(f.customers)]),
    ]),
    f.examples.length === 0 ? null : h('div', { class: 'who' }, ['e.g. ', ...f.examples.flatMap((e, i) => [i > 0 ? ', ' : '', example(e), ` ${formatMoney(e.clv_minor)}`])]),
  ]);
  const shown = moves.slice(0, SHOWN_MOVES);
  const rest = moves.slice(SHOWN_MOVES);
  const list = moves.length === 0 ? note('Nobody moved between segments in this window.') : h('ol', { class: 'moves' }, shown.map(row));
  const more = rest.length === 0 ? null : h('details', { class: 'more' }, [
    h('summary', {}, [`${plural(rest.length, 'smaller move')} (${plural(count(rest), 'customer')})`]),
    h('ol', { class: 'moves' }, rest.map(row)),
  ]);
  const fresh = firstScored.length === 0 ? null : h('p', { class: 'first-scored' }, [
    h('strong', {}, [`${formatCount(count(firstScored))} scored for the first time: `]),
    firstScored.map((f) => `${segmentLabel(f.to_segment)} ${formatCount(f.customers)}`).join(' · '),
  ]);
  const body = h('div', {}, [
    caption('flows', `${from} to ${to} (${days} days), segments as of the end of each day: ${plural(count(moves), 'customer')} moved between segments, `
      + `${formatCount(count(firstScored))} were scored for the first time, ${formatCount(stayed)} stayed where they were.`),
    fresh, list, more,
  ]);
  // Widths through the DOM: the page's CSP allows no inline style attributes.
  for (const fill of body.querySelectorAll('.fill')) fill.style.width = `${Number(fill.dataset.share) * 100}%`;
  for (const button of body.querySelectorAll('button[data-customer]')) button.addEventListener('click', () => onCustomer(button.dataset.customer));
  target.replaceChildren(body);
}

/** Moves a marketer acts on first: towards losing the customer. */
const DOWN = new Set(['at_risk', 'lost']);
