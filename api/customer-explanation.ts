/**
 * The short text that says how a customer's CLV was reached, from the numbers the read
 * model recomputed (core/ports/clv-read-model.ts ClvExplanation). For BG/NBD + Gamma-Gamma:
 * P(alive) (Fader, Hardie & Lee's 2008 note on P(alive)), expected purchases (FHL 2005
 * eq. 10), expected spend per purchase (Fader & Hardie 2013 eq. 5), discounted monthly over
 * the horizon (models/clv/customer-lifetime-value.ts).
 */
import type { ClvExplanation } from '../core/ports/clv-read-model.js';
import { enUsNumberFormat, type FastNumberFormat } from './en-us-number-format.js';

// Intl's text without ICU on the hot path (see en-us-number-format.ts).
const number = enUsNumberFormat({ maximumFractionDigits: 2 });
const percent = enUsNumberFormat({ style: 'percent', maximumFractionDigits: 1 });

// Building an Intl.NumberFormat costs ~100 µs, more than the rest of a customer lookup:
// one per currency, built once (it was 12% of server CPU under autocannon on GET /v1/customers/:id).
const moneyFormats = new Map<string, FastNumberFormat>();
function moneyFormat(currency: string): FastNumberFormat {
  let f = moneyFormats.get(currency);
  if (!f) moneyFormats.set(currency, (f = enUsNumberFormat({ style: 'currency', currency })));
  return f;
}

function periodName(periodDays: number): string {
  return periodDays === 7 ? 'weeks' : periodDays === 1 ? 'days' : `periods of ${periodDays} days`;
}

const KIND_NAMES: Record<string, string> = { 'bgnbd-gamma-gamma': 'BG/NBD + Gamma-Gamma', 'seasonal-bgnbd-gamma-gamma': 'seasonal BG/NBD + Gamma-Gamma' };

export function explanationText(e: ClvExplanation, currency: string): string {
  const money = moneyFormat(currency);
  const unit = periodName(e.periodDays);
  const bgnbd = e.modelKind === 'bgnbd-gamma-gamma' || e.modelKind === 'seasonal-bgnbd-gamma-gamma';
  const seasonal = e.modelKind === 'seasonal-bgnbd-gamma-gamma';
  const repeats = e.frequency === 1 ? '1 repeat purchase day' : `${e.frequency} repeat purchase days`;
  const sentences = [
    `As of ${new Date(e.asOfMs).toISOString().slice(0, 10)} the customer had ${repeats} (x = ${e.frequency}); ` +
      `the first purchase was ${number.format(e.T)} ${unit} earlier (T) and the last ${number.format(e.recency)} ${unit} after the first (t_x)` +
      (e.frequency > 0 ? `; repeat purchases averaged ${money.format(e.monetaryValue)}.` : '.'),
    `${bgnbd ? 'BG/NBD' : 'The model'} puts the probability that the customer is still active at ${percent.format(e.pAlive)} ` +
      `and expects ${number.format(e.expectedPurchases)} purchases in the next ${e.horizonDays} days` +
      (seasonal ? ", counting each day by the shop's seasonal purchase intensity (its busy weeks weigh more)." : '.'),
    `${bgnbd ? 'Gamma-Gamma' : 'It'} expects ${money.format(e.expectedAvgValue)} per purchase: ${money.format(e.expectedSpend)} undiscounted.`,
    e.monthlyDiscountRate === null
      ? `The model's CLV is ${money.format(e.clv)}.`
      : `Discounting each month's expected spend at ${percent.format(e.monthlyDiscountRate)} a month gives a CLV of ${money.format(e.clv)}.`,
  ];
  if (e.parts) {
    sentences.push(`This is an ensemble: ${e.parts.map((p) => `${KIND_NAMES[p.kind] ?? p.kind} (weight ${number.format(p.weight)}, CLV ${money.format(p.clv)})`).join(' + ')}.`);
  }
  if (!e.matchesScore) {
    sentences.push('The stored score was computed as of a later date (a re-score) than these inputs, so it differs from this recomputation.');
  }
  return sentences.join(' ');
}
