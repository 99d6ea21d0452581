/**
 * GET /v1/revenue/actuals?segment=&as_of= (api/routes/trends.ts) over the in-memory read model,
 * on a hand-built shop of two customers: A (high value, later lost) and B (at risk). The
 * purchase histories the total is summed from and the analytics store the segments are
 * summed from hold the same orders, so the segments must add up to the total.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryAnalyticsStore } from '../adapters/in-memory/in-memory-analytics-store.js';
import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import type { PurchaseRow } from '../core/ports/analytics-store.js';
import { Segments } from '../core/segmentation.js';
import type { CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';
import { apiFixture, bearer, type ApiFixture } from './support/api-fixture.js';
import { sampleRows } from './support/analytics-store-contract.js';

const at = (iso: string) => Date.parse(iso);
/** The forecast's as-of: A is high value and B at risk then; A lapses to lost on the 20th. */
const AS_OF = '2024-01-15T00:00:00.000Z';
const orders: [customer: string, order: string, time: string, net: number][] = [
  ['A', 'a1', '2024-01-02T10:30:00Z', 10_000], ['A', 'a2', '2024-01-10T09:00:00Z', 4_000],
  ['A', 'a3', '2024-01-17T12:00:00Z', 2_500], ['A', 'a4', '2024-01-21T18:15:00Z', 3_000],
  ['B', 'b1', '2024-01-03T08:00:00Z', 7_000], ['B', 'b2', '2024-01-16T20:00:00Z', 1_500],
];
const scores: [customer: string, time: string, segment: string][] = [
  ['A', '2024-01-05T00:00:00Z', 'high_value'], ['B', '2024-01-05T00:00:00Z', 'at_risk'], ['A', '2024-01-20T00:00:00Z', 'lost'],
];
const weeks = (q: string) => `/v1/revenue/actuals?from=2024-01-01T00:00:00Z&period=week&periods=3${q}`;

let f: ApiFixture;
const analytics = new InMemoryAnalyticsStore();
before(async () => {
  f = await apiFixture({ customers: 10 });
  const histories = new InMemoryStateStore<CustomerPurchaseHistory>();
  const purchases: PurchaseRow[] = [];
  for (const [customer, order, time, net] of orders) {
    const h = (await histories.getMany([customer])).get(customer) ?? { customerId: customer, currency: 'USD', orders: [], compacted: null };
    h.orders.push({ orderId: order, day: 0, time: at(time), revision: 1, status: 'ACTIVE', net, categories: [], lines: [] });
    await histories.setMany(new Map([[customer, h]]));
    purchases.push({ ...sampleRows(order, customer).purchases, order_id: order, event_time: at(time), net_amount_minor: net });
  }
  await analytics.insert('purchases', purchases);
  await analytics.insert('clv_scores', scores.map(([customer, time, segment], i) => ({ ...sampleRows(`s${i}`, customer).clv_scores, event_time: at(time), segment })));
  f.readModel.readRevenueFrom(histories);
});
after(() => f.app.close());

const get = (url: string) => f.app.inject({ url, headers: bearer(f.keys.read) });
const actuals = async (q: string) => {
  const res = await get(weeks(q));
  assert.equal(res.statusCode, 200, q);
  return (res.json().points as { actual_minor: number }[]).map((p) => p.actual_minor);
};

test('segment actuals are unavailable until the read model is given an analytics store', async () => {
  const res = (await get(weeks('&segment=high_value'))).json();
  assert.deepEqual(res, { currency: 'USD', available: false, period: 'week', points: [], latest_order_hour: null });
  f.readModel.readSegmentRevenueFrom(analytics);
});

test('each customer\'s orders go to their segment as of as_of, and the segments add up to the total', async () => {
  const total = await actuals('');
  assert.deepEqual(total, [17_000, 4_000, 7_000]);
  assert.deepEqual(await actuals(`&segment=high_value&as_of=${AS_OF}`), [10_000, 4_000, 5_500]);
  assert.deepEqual(await actuals(`&segment=at_risk&as_of=${AS_OF}`), [7_000, 0, 1_500]);
  const bySegment = await Promise.all(Segments.map((s) => actuals(`&segment=${s}&as_of=${AS_OF}`)));
  assert.deepEqual(bySegment.reduce((sum, s) => sum.map((v, i) => v + s[i])), total);
  const res = (await get(weeks(`&segment=at_risk&as_of=${AS_OF}`))).json();
  assert.equal(res.available, true);
  assert.deepEqual(res.points.map((p: { period_start: string }) => p.period_start), ['2024-01-01T00:00:00.000Z', '2024-01-08T00:00:00.000Z', '2024-01-15T00:00:00.000Z']);
  assert.equal(res.latest_order_hour, '2024-01-21T18:00:00.000Z', 'the latest order of anyone');
});

test('a later segment change does not move revenue from the segment the customer was in as of as_of', async () => {
  // A lapsed to lost on the 20th: with as_of before it, all of A's revenue (after the 20th too) stays high value.
  assert.deepEqual(await actuals(`&segment=lost&as_of=${AS_OF}`), [0, 0, 0]);
  assert.deepEqual(await actuals('&segment=lost&as_of=2024-01-20T00:00:00Z'), [10_000, 4_000, 5_500]);
  // Without as_of, membership is the latest scores: A is lost now.
  assert.deepEqual(await actuals('&segment=lost'), [10_000, 4_000, 5_500]);
  assert.deepEqual(await actuals('&segment=high_value'), [0, 0, 0]);
  assert.deepEqual(await actuals('&segment=high_value&as_of=2024-01-04T23:59:59Z'), [0, 0, 0], 'nobody was scored yet');
});

test('400 with a message for an unknown segment or a bad as_of', async () => {
  for (const [q, message] of [
    ['&segment=vip', /querystring\/segment must be one of new, high_value, medium_value, low_value, at_risk, lost/],
    ['&segment=', /querystring\/segment must be one of/],
    ['&segment=lost&as_of=yesterday', /querystring\/as_of must match format "date-time"/],
  ] as const) {
    const res = await get(weeks(q));
    assert.equal(res.statusCode, 400, q);
    assert.equal(res.json().error.code, 'API_BAD_REQUEST', q);
    assert.match(res.json().error.message, message, q);
  }
});

test('as_of without a segment is schema-valid and changes nothing: all customers, as without it', async () => {
  const res = await get(weeks(`&as_of=${AS_OF}`));
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), (await get(weeks(''))).json());
});
