// One customer: CLV with its range, segment, what to do and why, and how the number was reached.
import { api } from './api-client.js';
import { $, actionLabel, formatDate, formatMoney, h, note, segmentLabel } from './format.js';

export async function lookUp(id) {
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
    ? h('span', {}, [`${formatMoney(c.clv.value_minor, 2)} over ${c.clv.horizon_days} days`, c.clv.interval ? h('span', { class: 'range' }, [
      ` ${Math.round(c.clv.interval.level * 100)}% chance between ${formatMoney(c.clv.interval.lower_minor, 2)} and ${formatMoney(c.clv.interval.upper_minor, 2)}`,
    ]) : null])
    : 'not scored yet';
  const r = c.recommendation;
  target.replaceChildren(h('dl', { class: 'customer', 'data-customer': c.customer_id }, [
    ...row('Customer', c.customer_id),
    ...row('CLV', clv, { class: 'clv', 'data-clv-minor': c.clv?.value_minor ?? null }),
    ...row('Segment', c.segment ? segmentLabel(c.segment) : '—', { 'data-segment': c.segment }),
    ...row('Action', c.action ? `${actionLabel(c.action.action)}: ${c.action.reason}` : '—'),
    ...(r && r.reason !== c.action?.reason ? row('Suggestion', `${r.categories.length > 0 ? `${r.categories.join(', ')}. ` : ''}${r.reason}`) : []),
    ...row('P(alive)', c.p_alive === null ? '—' : c.p_alive.toFixed(3)),
    ...row('Expected purchases', c.expected_purchases === null ? '—' : c.expected_purchases.toFixed(2)),
    ...row('Purchases', `${c.features.purchase_days} days, ${formatMoney(c.features.total_value_minor, 2)} in total, last on ${formatDate(Date.parse(c.features.last_purchase_time))}`),
    ...row('Model', c.model_version ?? '—'),
    ...row('Why', c.explanation.text),
  ]));
}
