// What marketing should do: each recommended action with how many customers get it, in
// which segments and why (the policy's words), and its most valuable customers.
import { api } from './api-client.js';
import { $, actionLabel, caption, formatCount, formatMoney, formatPercent, h, note, SEGMENT_COLORS, segmentLabel } from './format.js';
import { swatch } from './svg-charts.js';

export async function actionsPanel({ onCustomer }) {
  const target = $('actions');
  const s = await api('/v1/actions?examples=3');
  if (s.customers === 0) return target.replaceChildren(note('No scored customer yet.'));
  const cards = s.actions.map((a) => h('article', { class: 'action', 'data-action': a.action, 'data-customers': a.customers }, [
    h('header', {}, [
      h('h3', {}, [actionLabel(a.action)]),
      h('span', { class: 'count' }, [formatCount(a.customers)]),
      h('span', { class: 'muted' }, [` ${formatPercent(a.customers / s.customers, { digits: 0 })} of customers`]),
    ]),
    ...a.segments.map((g) => h('section', { class: 'group', 'data-segment': g.segment, 'data-customers': g.customers }, [
      h('p', { class: 'group-head' }, [swatch(SEGMENT_COLORS[g.segment]), h('strong', {}, [segmentLabel(g.segment)]), ` · ${formatCount(g.customers)}`]),
      h('p', { class: 'reason' }, [g.reason]),
      ...(g.examples.length === 0 ? [] : [h('ul', { class: 'examples' }, g.examples.map((e) => h('li', {}, [
        h('button', { type: 'button', class: 'link', 'data-customer': e.customer_id }, [e.customer_id]),
        ` ${formatMoney(e.clv_minor)}`, e.categories.length > 0 ? h('span', { class: 'muted' }, [` · ${e.categories.join(', ')}`]) : null,
      ])))]),
    ])),
  ]));
  for (const card of cards) for (const b of card.querySelectorAll('button[data-customer]')) b.addEventListener('click', () => onCustomer(b.dataset.customer));
  const wb = s.win_back;
  const threshold = wb.min_historic_value_minor > 0
    ? `Win-back goes only to customers who spent at least ${formatMoney(wb.min_historic_value_minor)} in total (the policy's threshold); below it they get ${actionLabel(wb.otherwise.action)}.`
    : '';
  target.replaceChildren(
    caption('actions', `${formatCount(s.customers)} scored customers by the action their latest score recommends: ${s.actions.map((a) => `${actionLabel(a.action)} ${formatCount(a.customers)}`).join(', ')}. ${threshold}`),
    h('div', { class: 'actions' }, cards),
  );
}
