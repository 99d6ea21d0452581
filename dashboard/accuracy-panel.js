// The champion's accuracy instead of its log-likelihoods: the customer model's backtest and
// the revenue forecast's backtest and live check, each labelled for what it measures.
import { api } from './api-client.js';
import { $, caption, formatDate, formatMoney, formatMonth, formatPercent, h, kindLabel, note, plural } from './format.js';

const row = (name, value, what, attrs = {}) => h('tr', attrs, [h('th', {}, [name]), h('td', { class: 'num' }, [value]), h('td', { class: 'what' }, [what])]);

export async function accuracyPanel() {
  const target = $('accuracy');
  const [a, { models }] = await Promise.all([api('/v1/models/champion/accuracy'), api('/v1/models')]);
  if (a.champion === null) return target.replaceChildren(note('No model trained yet: customers are scored by plain rules until the first training.'));
  const c = a.customer_model;
  const parts = [h('p', { class: 'lead' }, [
    'The model in use: ', h('strong', {}, [a.champion.version]), ` (${kindLabel(a.champion.kind)}${a.champion.trained_at ? `, trained ${formatDate(Date.parse(a.champion.trained_at))}` : ''})`,
    models.length > 1 ? `, the best of ${plural(models.length, 'version')}.` : '.',
  ])];
  parts.push(h('h3', {}, ['Customer value, per customer (backtest)']));
  if (c === null) parts.push(note('Its record holds no backtest.'));
  else {
    parts.push(caption('customer-model', `Fitted on the data up to ${c.calibration_end ? formatDate(Date.parse(c.calibration_end)) : '?'}; then what it predicted for each of `
      + `${plural(c.customers, 'customer')}, set against what they spent over the ${c.holdout_days ?? '?'} days after${c.holdout_end ? ` (to ${formatDate(Date.parse(c.holdout_end))})` : ''}.`));
    parts.push(h('table', { class: 'accuracy' }, [h('tbody', {}, [
      row('Total value', formatPercent(c.value_error, { signed: true }), `predicted ${formatMoney(c.predicted_value_minor)} against ${formatMoney(c.actual_value_minor)} spent: the error of the total`, { 'data-metric': 'value_error', 'data-value': c.value_error }),
      row('Ranking', c.spearman === null ? '—' : c.spearman.toFixed(2), 'Spearman correlation of predicted and actual value: 1 ranks customers perfectly, 0 at random', { 'data-metric': 'spearman', 'data-value': c.spearman }),
      row('Top 10%', formatPercent(c.top_decile_capture), 'of the revenue came from the tenth of customers predicted most valuable', { 'data-metric': 'top_decile_capture', 'data-value': c.top_decile_capture }),
      row('Per customer', formatMoney(c.mean_absolute_error_minor, 2), 'typical error on one customer\'s value (mean absolute error)', { 'data-metric': 'mean_absolute_error_minor', 'data-value': c.mean_absolute_error_minor }),
    ])]));
  }
  const r = a.revenue_forecast;
  parts.push(h('h3', {}, ['Total revenue, per calendar month (forecast ', r ? r.model_version : '—', ')']));
  if (r === null) parts.push(note('No revenue forecast kept with the champion.'));
  else {
    const check = (name, b, what) => (b === null ? row(name, '—', what) : row(name, formatPercent(b.monthly_mape),
      `${what}: ${plural(b.months, 'month')}, ${formatMonth(Date.parse(b.from))} to ${formatMonth(Date.parse(b.to) - 1)}; total ${formatPercent(b.total_relative_error, { signed: true })}`,
      { 'data-metric': name.toLowerCase(), 'data-value': b.monthly_mape }));
    parts.push(h('table', { class: 'accuracy' }, [h('tbody', {}, [
      check('Holdout', r.backtest, 'mean monthly error against the revenue of the days after its fit window, checked when it was made'),
      check('Live', r.live, 'mean monthly error against the revenue booked since it began, months that are over'),
    ])]));
  }
  target.replaceChildren(...parts);
}
