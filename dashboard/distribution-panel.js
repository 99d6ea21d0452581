// The scored customers' CLV as a histogram: equal-width bars up to the 95th percentile and
// one bar apart for the tail; the caption says what the tail bar holds, from the data.
import { $, caption, formatMoney, formatPercent, h, note, plural } from './format.js';
import { histogram } from './svg-charts.js';

export function distributionPanel(d, champion) {
  const target = $('distribution');
  if (d.customers === 0) return target.replaceChildren(note('No scored customer yet.'));
  const q = d.quantiles;
  const horizon = champion?.horizon_days ? `expected spend over the next ${champion.horizon_days} days, discounted` : 'expected future spend, discounted';
  target.replaceChildren(
    histogram({
      buckets: d.buckets.map((b) => ({ lower: b.lower_minor, upper: b.upper_minor, count: b.customers })),
      above: { lower: d.above.lower_minor, count: d.above.customers },
      markers: [{ at: q.p50_minor, name: 'median' }, { at: q.p90_minor, name: '90th pct' }],
      label: 'Customers by CLV', formatX: (m) => formatMoney(m),
    }),
    caption('distribution', distributionCaption(d, horizon)),
    h('dl', { class: 'figures' }, [
      ...figure('Median', formatMoney(q.p50_minor)), ...figure('90th percentile', formatMoney(q.p90_minor)),
      ...figure('99th percentile', formatMoney(q.p99_minor)), ...figure('Highest', formatMoney(d.max_minor)),
    ]),
  );
}

const figure = (name, value) => [h('dt', {}, [name]), h('dd', {}, [value])];

/** The tail bar's share is counted, never assumed: ties at the edge make it other than 5%. */
export function distributionCaption(d, horizon) {
  return `${plural(d.customers, 'scored customer')}; CLV is ${horizon}. `
    + `The last bar holds ${formatPercent(d.above.customers / d.customers)} of them (${plural(d.above.customers, 'customer')}) with a CLV of ${formatMoney(d.above.lower_minor)} or more.`;
}
