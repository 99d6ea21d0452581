import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dayIndexer, dayIndexOfDate } from '../core/calendar.js';
import {
  FLAT_SEASONALITY, generateSyntheticHistory, purchasesBetween, SEMANTIC_FLAWS,
  type SyntheticHistory, type SyntheticHistoryInput, type TruthPurchase,
} from '../producers/synthetic/synthetic-history.js';

const WEEK_MS = 7 * 86_400_000;
const NO_LIFECYCLE = { cancelRate: 0, paymentFailureRate: 0, latePaymentRate: 0, refundRate: 0, fullRefundShare: 0 };
const NO_NOISE = { duplicateRate: 0, reorderRate: 0, lateRate: 0, invalidRate: 0, poisonRate: 0 };
/** Rates well above the defaults so that every path is exercised many times. */
const MESSY: SyntheticHistoryInput = {
  customers: 4000, seed: 99, timeZone: 'America/New_York', start: '2023-03-01', end: '2024-12-31',
  lifecycle: { cancelRate: 0.05, paymentFailureRate: 0.08, latePaymentRate: 0.05, refundRate: 0.1, fullRefundShare: 0.5 },
  noise: { duplicateRate: 0.05, reorderRate: 0.05, lateRate: 0.02, invalidRate: 0.01, poisonRate: 0.005 },
};

/**
 * The pipeline's rules, implemented independently of the generator: drop poison and flawed
 * messages and repeated event_ids; an order counts iff placed, captured and not cancelled,
 * worth captured − refunded; a customer's orders on one local day form one purchase day.
 */
function recompute(h: SyntheticHistory): TruthPurchase[] {
  const dayOf = dayIndexer(h.options.timeZone);
  const seen = new Set<string>();
  const orders = new Map<string, { customerId: string; placedAt?: number; captured: number; refunded: number; cancelled: boolean }>();
  for (const m of h.messages) {
    if (!('value' in m) || m.flaw !== undefined || seen.has(m.value.event_id)) continue;
    seen.add(m.value.event_id);
    const v = m.value;
    let o = orders.get(v.order_id);
    if (!o) orders.set(v.order_id, (o = { customerId: v.customer_id, captured: 0, refunded: 0, cancelled: false }));
    if (v.type === 'ORDER_PLACED') o.placedAt = v.event_time;
    else if (v.type === 'ORDER_CANCELLED') o.cancelled = true;
    else if (v.type === 'PAYMENT_CAPTURED') o.captured += v.amount_minor;
    else if (v.type === 'PAYMENT_REFUNDED') o.refunded += v.amount_minor;
  }
  const days = new Map<string, TruthPurchase>();
  for (const o of orders.values()) {
    if (o.placedAt === undefined || o.cancelled || o.captured === 0 || o.captured - o.refunded <= 0) continue;
    const day = dayOf(o.placedAt);
    const key = `${o.customerId}|${day}`;
    const p = days.get(key);
    if (p) p.valueMinor += o.captured - o.refunded;
    else days.set(key, { customerId: o.customerId, day, valueMinor: o.captured - o.refunded });
  }
  return [...days.values()].sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : a.day - b.day));
}

describe('synthetic history', () => {
  const messy = generateSyntheticHistory(MESSY);

  it('is deterministic for a seed and differs for another seed', () => {
    const again = generateSyntheticHistory(MESSY);
    assert.deepEqual(again.messages, messy.messages);
    assert.deepEqual(again.stats, messy.stats);
    assert.deepEqual(again.truth.purchases, messy.truth.purchases);
    const other = generateSyntheticHistory({ ...MESSY, seed: 100 });
    assert.notDeepEqual(other.truth.purchases.slice(0, 50), messy.truth.purchases.slice(0, 50));
  });

  it('ground truth equals an independent recomputation from the valid messages (placed + captured − cancelled, refunds netted, days merged in the shop zone)', () => {
    assert.deepEqual(recompute(messy), messy.truth.purchases);
    const defaults = generateSyntheticHistory({ customers: 3000, seed: 5 });
    assert.deepEqual(recompute(defaults), defaults.truth.purchases);
  });

  it('per-customer truth matches the flat list, and purchasesBetween over the whole history gives each customer’s totals', () => {
    const { truth } = messy;
    assert.equal(truth.customers.length, 4000);
    assert.equal(truth.customers[122].customerId, 'C000123');
    assert.deepEqual(truth.customers.flatMap((c) => c.purchases), truth.purchases);
    for (const c of truth.customers.slice(0, 500)) {
      const all = purchasesBetween(c, truth.startDay, truth.endDay + 1);
      assert.equal(all.purchaseDays, c.purchases.length);
      assert.equal(all.valueMinor, c.purchases.reduce((s, p) => s + p.valueMinor, 0));
      assert.ok(c.purchases.length <= c.latentOrders);
      assert.ok(c.purchases.every((p) => p.day >= truth.startDay && p.day <= truth.endDay));
    }
    assert.equal(truth.startDay, dayIndexOfDate('2023-03-01'));
  });

  it('stats count every kind of message exactly', () => {
    const { messages, stats } = messy;
    const ids = new Map<string, number>();
    const flaws = Object.fromEntries(SEMANTIC_FLAWS.map((f) => [f, 0]));
    let poison = 0;
    const types = new Map<string, number>();
    for (const m of messages) {
      if ('poison' in m) poison++;
      else if (m.flaw !== undefined) flaws[m.flaw]++;
      else {
        ids.set(m.value.event_id, (ids.get(m.value.event_id) ?? 0) + 1);
        if (ids.get(m.value.event_id) === 1) types.set(m.value.type, (types.get(m.value.type) ?? 0) + 1);
      }
    }
    assert.equal(stats.messages, messages.length);
    assert.equal(stats.validEvents, ids.size);
    assert.equal(stats.duplicates, [...ids.values()].reduce((s, n) => s + n - 1, 0));
    assert.deepEqual(flaws, stats.invalid);
    assert.equal(poison, stats.poison);
    assert.equal(stats.deadLetters, poison + Object.values(flaws).reduce((s, n) => s + n, 0));
    assert.equal(stats.messages, stats.validEvents + stats.duplicates + stats.deadLetters);
    assert.equal(types.get('ORDER_PLACED'), stats.orders.placed);
    assert.equal(types.get('ORDER_CANCELLED'), stats.orders.cancelled);
    assert.equal(types.get('PAYMENT_CAPTURED'), stats.orders.captured);
    assert.equal(types.get('PAYMENT_FAILED'), stats.orders.paymentFailures);
    assert.equal(types.get('PAYMENT_REFUNDED'), stats.orders.refundsFull + stats.orders.refundsPartial);
    assert.equal(stats.purchaseDays, messy.truth.purchases.length);
  });

  it('injects duplicates and invalid messages at roughly the configured rates', () => {
    const { stats } = messy;
    const per = (n: number): number => n / stats.validEvents;
    const invalid = Object.values(stats.invalid).reduce((s, n) => s + n, 0);
    assert.ok(Math.abs(per(stats.duplicates) - 0.05) < 0.01, `duplicates ${per(stats.duplicates)}`);
    assert.ok(Math.abs(per(invalid) - 0.01) < 0.004, `invalid ${per(invalid)}`);
    assert.ok(Math.abs(per(stats.poison) - 0.005) < 0.003, `poison ${per(stats.poison)}`);
    assert.ok(Math.abs(per(stats.late) - 0.02) < 0.006, `late ${per(stats.late)}`);
    assert.ok(Math.abs(stats.orders.cancelled / stats.orders.placed - 0.05) < 0.015);
    for (const f of SEMANTIC_FLAWS) assert.ok(stats.invalid[f] > 0, `no ${f}`);
  });

  it('the noise rates change the messages but never the ground truth', () => {
    const clean = generateSyntheticHistory({ ...MESSY, noise: NO_NOISE });
    assert.deepEqual(clean.truth.purchases, messy.truth.purchases);
    assert.equal(clean.stats.validEvents, clean.messages.length);
  });

  it('the share of customers with no repeat purchase matches BG/NBD: mean over customers of (α/(α+T))^r, T = weeks from first purchase to the end', () => {
    const h = generateSyntheticHistory({ customers: 20_000, seed: 3, seasonality: FLAT_SEASONALITY, lifecycle: NO_LIFECYCLE, noise: NO_NOISE });
    const { r, alpha, a, b } = h.options.bgnbd;
    let expected0 = 0;
    let expected1 = 0;
    let zero = 0;
    let one = 0;
    for (const c of h.truth.customers) {
      const T = (h.truth.endMs - c.acquiredAtMs) / WEEK_MS;
      const p0 = (alpha / (alpha + T)) ** r;
      expected0 += p0;
      expected1 += (a / (a + b)) * (1 - p0) + (b / (a + b)) * ((T * r * alpha ** r) / (alpha + T) ** (r + 1));
      const x = Math.max(0, c.purchases.length - 1);
      if (x === 0) zero++;
      else if (x === 1) one++;
    }
    const n = h.truth.customers.length;
    // Binomial σ ≈ 0.0035 at n = 20k; same-day repeats merge into one day, nudging x down a little.
    assert.ok(Math.abs(zero / n - expected0 / n) < 0.015, `P(X=0) ${zero / n} vs ${expected0 / n}`);
    assert.ok(Math.abs(one / n - expected1 / n) < 0.015, `P(X=1) ${one / n} vs ${expected1 / n}`);
  });

  it('seasonality is visible: Nov–Dec weekly order volume is well above the year’s mean, and above what the same population gives without seasonality', () => {
    const input: SyntheticHistoryInput = { customers: 10_000, seed: 4, start: '2023-01-01', end: '2024-12-31', noise: NO_NOISE };
    const novDecRatio = (h: SyntheticHistory): number => {
      const from = dayIndexOfDate('2024-01-01');
      const nov = dayIndexOfDate('2024-11-01');
      let year = 0;
      let novDec = 0;
      for (const m of h.messages) {
        if (!('value' in m) || m.value.type !== 'ORDER_PLACED') continue;
        const day = Math.floor(m.value.event_time / 86_400_000);
        if (day >= from) year++;
        if (day >= nov) novDec++;
      }
      return (novDec / (61 / 7)) / (year / (366 / 7));
    };
    const seasonal = novDecRatio(generateSyntheticHistory(input));
    const flat = novDecRatio(generateSyntheticHistory({ ...input, seasonality: FLAT_SEASONALITY }));
    assert.ok(seasonal > 1.3, `Nov–Dec weekly volume / yearly weekly mean = ${seasonal}`);
    assert.ok(seasonal > flat + 0.25, `seasonal ${seasonal} vs flat ${flat}`);
  });

  it('weekly seasonality is visible: a weekend day carries more orders than a weekday', () => {
    const h = generateSyntheticHistory({ customers: 5000, seed: 6, noise: NO_NOISE });
    let weekend = 0;
    let weekday = 0;
    for (const m of h.messages) {
      if (!('value' in m) || m.value.type !== 'ORDER_PLACED') continue;
      const weekdayIndex = (Math.floor(m.value.event_time / 86_400_000) + 4) % 7; // 0 = Sunday (UTC zone)
      if (weekdayIndex === 0 || weekdayIndex === 6) weekend++;
      else weekday++;
    }
    assert.ok(weekend / 2 > 1.15 * (weekday / 5), `per weekend day ${weekend / 2}, per weekday ${weekday / 5}`);
  });

  it('orders carry line items adding up to the amount, in the shop currency, with deterministic ids', () => {
    for (const m of messy.messages) {
      if (!('value' in m) || m.flaw !== undefined) continue;
      assert.equal(m.value.currency, 'USD');
      assert.match(m.value.customer_id, /^C\d{6}$/);
      assert.match(m.value.event_id, /^evt-99-\d+-\d+$/);
      if (m.topic === 'commerce.orders.v1') {
        assert.equal(m.value.line_items.reduce((s, li) => s + li.quantity * li.unit_price_minor, 0), m.value.amount_minor);
      }
    }
  });
});
