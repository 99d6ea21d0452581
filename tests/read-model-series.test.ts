import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScoreStoreReadModel } from '../read-model/score-store-read-model.js';
import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import { revenueByHour, revenueOfPeriods, revenueSpanOf, SegmentHistory } from '../read-model/read-model-series.js';
import { clvHistogram, niceWidth } from '../core/clv-histogram.js';
import type { SegmentSnapshot } from '../core/ports/clv-read-model.js';
import { dayIndexer } from '../core/calendar.js';
import type { CustomerPurchaseHistory, PurchasedOrder } from '../processors/features/customer-purchase-history.js';
import type { CustomerScoreState } from '../processors/scoring/customer-scorer.js';
import { defaultPolicy, linearModel } from './support/embedded-pipeline.js';

const HOUR = 3_600_000;
const snap = (atMs: number, lost = 0): SegmentSnapshot => ({
  atMs, unscored: 0, segments: { new: 0, high_value: 0, medium_value: 0, low_value: 0, at_risk: 0, lost },
});

test('segment history: snapshots at least the spacing apart, and a live last one that is always the current sizes', () => {
  const h = new SegmentHistory(10, HOUR);
  h.record(snap(0, 1));
  h.record(snap(0, 2));
  assert.deepEqual(h.snapshots(), [snap(0, 2)], 'same event time: the snapshot is updated, not repeated');
  h.record(snap(HOUR / 2, 3));
  h.record(snap(HOUR - 1, 4));
  assert.deepEqual(h.snapshots(), [snap(0, 2), snap(HOUR - 1, 4)]);
  h.record(snap(HOUR, 5));
  assert.deepEqual(h.snapshots(), [snap(0, 2), snap(HOUR, 5)]);
});

test('segment history: when full, every other snapshot goes and the spacing doubles, so the range is kept', () => {
  const h = new SegmentHistory(4, HOUR);
  for (let i = 0; i <= 100; i++) h.record(snap(i * HOUR, i));
  const kept = h.snapshots();
  assert.ok(kept.length <= 5, `${kept.length} snapshots`);
  assert.equal(kept.at(-1)!.atMs, 100 * HOUR, 'ends at the latest');
  assert.ok(kept[0].atMs <= 40 * HOUR, `starts at ${kept[0].atMs / HOUR} h, not near the end`);
  for (let i = 1; i < kept.length; i++) assert.ok(kept[i].atMs > kept[i - 1].atMs);
});

test('niceWidth rounds up to 1, 2, 2.5 or 5 × 10^k', () => {
  assert.deepEqual([0, 1, 1.2, 3, 7, 11, 240, 251, 1797].map(niceWidth), [1, 1, 2, 5, 10, 20, 250, 500, 2000]);
});

test('histogram: equal-width buckets up to the 95th percentile, the rest counted above, nearest-rank quantiles', () => {
  const values = Array.from({ length: 100 }, (_, i) => (i + 1) * 100); // 100 … 10,000
  const h = clvHistogram(values, 10);
  assert.equal(h.customers, 100);
  assert.equal(h.bins.length, 10);
  assert.equal(h.bins[0].lowerMinor, 0);
  assert.equal(h.bins[0].upperMinor, 1000, 'p95 = 9,500 over 10 buckets → width 950 → 1,000');
  for (let i = 1; i < 10; i++) assert.equal(h.bins[i].lowerMinor, h.bins[i - 1].upperMinor);
  assert.equal(h.bins.reduce((n, b) => n + b.customers, 0) + h.above, 100);
  assert.equal(h.above, 1, 'only 10,000 is at or above 10,000');
  assert.deepEqual(h.quantiles, { p50: 5000, p90: 9000, p99: 9900 });
  assert.equal(h.maxMinor, 10_000);
});

test('histogram: no customer, or every CLV equal', () => {
  assert.deepEqual(clvHistogram([], 5), { customers: 0, bins: [], above: 0, quantiles: null, maxMinor: null });
  const zeros = clvHistogram([0, 0, 0], 3);
  assert.deepEqual(zeros.bins.map((b) => b.customers), [3, 0, 0]);
  assert.equal(zeros.bins[0].upperMinor, 1);
});

test('revenue: active orders only, per hour of the order time, summed into periods; later periods are not seen yet', async () => {
  const order = (time: number, net: number, status: PurchasedOrder['status'] = 'ACTIVE'): PurchasedOrder =>
    ({ orderId: `o${time}`, day: 0, time, revision: 1, status, net, categories: [], lines: [] });
  const store = new InMemoryStateStore<CustomerPurchaseHistory>();
  const t0 = Date.UTC(2024, 0, 1);
  await store.setMany(new Map([
    ['A', { customerId: 'A', currency: 'USD', orders: [order(t0 + 10, 1000), order(t0 + 25 * HOUR, 500), order(t0 + 26 * HOUR, 9999, 'VOIDED')], compacted: null }],
    ['B', { customerId: 'B', currency: 'USD', orders: [order(t0 + 23 * HOUR + 59 * 60_000, 200)], compacted: null }],
  ]));
  const hours = await revenueByHour(store);
  const days = revenueOfPeriods(hours, { boundariesMs: [t0, t0 + 24 * HOUR, t0 + 48 * HOUR, t0 + 72 * HOUR] });
  assert.deepEqual(days.points.map((p) => p.actualMinor), [1200, 500, 0]);
  assert.deepEqual(days.points.map((p) => p.periodStartMs), [t0, t0 + 24 * HOUR, t0 + 48 * HOUR]);
  assert.equal(days.latestHourMs, t0 + 25 * HOUR);
  assert.deepEqual(revenueOfPeriods(hours, { boundariesMs: [t0 - 24 * HOUR, t0] }).points[0].actualMinor, 0);
  // Periods of unequal lengths (calendar months, DST days): each hour in the one it falls in.
  const uneven = revenueOfPeriods(hours, { boundariesMs: [t0, t0 + 10 * HOUR, t0 + 25 * HOUR, t0 + 100 * HOUR] });
  assert.deepEqual(uneven.points.map((p) => p.actualMinor), [1000, 200, 500]);
  assert.deepEqual(revenueOfPeriods(hours, { boundariesMs: [t0] }).points, [], 'no period');
  assert.deepEqual(revenueSpanOf(hours), { firstHourMs: t0, latestHourMs: t0 + 25 * HOUR });
  assert.equal(revenueSpanOf(new Map()), null);
});

const scoring = { dayOf: dayIndexer('UTC'), policy: defaultPolicy, minorPerUnit: 100 };
const scored = (id: string, segment: 'lost' | 'new', asOfMs: number, clvMinor = 100): CustomerScoreState => ({
  features: {
    event_id: id, event_time: Date.UTC(2024, 0, 1), customer_id: id, first_purchase_time: Date.UTC(2023, 0, 1), last_purchase_time: Date.UTC(2024, 0, 1),
    purchase_days: 2, repeat_purchase_days: 1, repeat_value_minor: 100, total_value_minor: 200, currency: 'USD', category_summary: [],
  },
  asOfMs, segment, clvMinor, modelVersion: linearModel.version, recommendation: null, interval: null, sequence: 1, sweptToMs: null,
});

test('the read model snapshots segment sizes on each score write, at the scores\' as-of time (a re-score sweep moves it)', async () => {
  const rm = new ScoreStoreReadModel({ scores: new InMemoryStateStore(), currentModel: () => linearModel, scoring });
  assert.deepEqual(await rm.segmentHistory(), []);
  const t0 = Date.UTC(2024, 0, 1);
  await rm.scoresStore.setMany(new Map([['A', scored('A', 'new', t0)], ['B', scored('B', 'new', t0, 300)]]));
  await rm.scoresStore.setMany(new Map([['A', scored('A', 'lost', t0 + 7 * 24 * HOUR)]]));
  const history = await rm.segmentHistory();
  assert.deepEqual(history.map((s) => [s.atMs, s.segments.new, s.segments.lost]), [[t0, 2, 0], [t0 + 7 * 24 * HOUR, 1, 1]]);
  const d = await rm.clvDistribution(2);
  assert.equal(d.customers, 2);
  assert.equal(d.maxMinor, 300);
});

test('revenue actuals: null without purchase histories; then scanned at most once per revenueMaxAgeMs', async () => {
  let now = 0;
  const histories = new InMemoryStateStore<CustomerPurchaseHistory>();
  const rm = new ScoreStoreReadModel({ scores: new InMemoryStateStore(), currentModel: () => linearModel, scoring, revenueMaxAgeMs: 1000, now: () => now });
  const range = { boundariesMs: [0, 24 * HOUR] };
  assert.equal(await rm.revenueActuals(range), null);
  rm.readRevenueFrom(histories);
  const order: PurchasedOrder = { orderId: 'o1', day: 0, time: HOUR, revision: 1, status: 'ACTIVE', net: 700, categories: [], lines: [] };
  await histories.setMany(new Map([['A', { customerId: 'A', currency: 'USD', orders: [order], compacted: null }]]));
  assert.equal((await rm.revenueActuals(range))!.points[0].actualMinor, 700);
  await histories.setMany(new Map([['B', { customerId: 'B', currency: 'USD', orders: [{ ...order, net: 50 }], compacted: null }]]));
  now = 999;
  assert.equal((await rm.revenueActuals(range))!.points[0].actualMinor, 700, 'still the last scan');
  now = 1000;
  assert.equal((await rm.revenueActuals(range))!.points[0].actualMinor, 750, 'scanned again');
});
