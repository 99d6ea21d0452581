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
  assert.deepEqual(res, {
    currency: 'USD', time_zone: 'UTC', available: false, period: 'week', points: [], more: false, first_order_hour: '2024-01-02T10:00:00.000Z', latest_order_hour: '2024-01-21T18:00:00.000Z',
  });
  f.readModel.readScoreHistoryFrom(analytics);
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

test('without from and to, every period from the first order\'s to the latest\'s: the whole range, by day, week or month', async () => {
  const of = async (q: string) => (await get(`/v1/revenue/actuals?${q}`)).json() as { points: { period_start: string; period_end: string; actual_minor: number }[] };
  const weeks = await of('period=week');
  assert.deepEqual(weeks.points.map((p) => [p.period_start, p.period_end, p.actual_minor]), [
    ['2024-01-01T00:00:00.000Z', '2024-01-08T00:00:00.000Z', 17_000], ['2024-01-08T00:00:00.000Z', '2024-01-15T00:00:00.000Z', 4_000],
    ['2024-01-15T00:00:00.000Z', '2024-01-22T00:00:00.000Z', 7_000],
  ]);
  const months = await of('period=month');
  assert.deepEqual(months.points.map((p) => [p.period_start, p.period_end, p.actual_minor]), [['2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z', 28_000]]);
  const days = await of('');
  assert.equal(days.points.length, 20, '2 to 21 January');
  assert.equal(days.points[0].period_start, '2024-01-02T00:00:00.000Z');
  assert.equal(days.points.at(-1)!.period_start, '2024-01-21T00:00:00.000Z');
  assert.equal(days.points.reduce((n, p) => n + p.actual_minor, 0), 28_000);
  // Per segment, the same periods.
  const high = await of(`period=month&segment=high_value&as_of=${AS_OF}`);
  assert.deepEqual(high.points.map((p) => p.actual_minor), [19_500]);
});

test('plain dates are days of the shop\'s time zone: from its start, to its end (inclusive)', async () => {
  const of = async (q: string) => ((await get(`/v1/revenue/actuals?${q}`)).json().points as { actual_minor: number }[]).map((p) => p.actual_minor);
  assert.deepEqual(await of('from=2024-01-08&to=2024-01-14'), [0, 0, 4_000, 0, 0, 0, 0]);
  assert.deepEqual(await of('from=2024-01-21&to=2024-01-21'), [3_000]);
  assert.deepEqual(await of('from=2024-01-01&to=2024-01-31&period=week'), [17_000, 4_000, 7_000, 0, 0]);
  assert.deepEqual(await of('from=2024-01-01&periods=2&period=month'), [28_000, 0]);
});

test('400 with a message for an unknown segment, a bad as_of, a date or time that does not exist, or an unknown period', async () => {
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
  for (const [q, message] of [
    ['from=2024-02-30', /querystring\/from must match format "date"/],
    ['from=2024-01-01T25:00:00Z', /querystring\/from must match format/],
    ['from=yesterday', /querystring\/from must match format "date"/],
    ['period=year', /querystring\/period must be one of day, week, month/],
    ['periods=3661&from=2024-01-01', /querystring\/periods must be <= 3660/],
  ] as const) {
    const res = await get(`/v1/revenue/actuals?${q}`);
    assert.equal(res.statusCode, 400, q);
    assert.match(res.json().error.message, message, q);
  }
});

test('every query the schema admits has an answer: to before from, periods beside to, more periods than one answer holds', async () => {
  const body = async (q: string) => {
    const res = await get(`/v1/revenue/actuals?${q}`);
    assert.equal(res.statusCode, 200, q);
    return res.json() as { points: { period_start: string; period_end: string }[]; more: boolean };
  };
  assert.deepEqual((await body('from=2024-01-10&to=2024-01-09')).points, [], 'no period');
  assert.equal((await body('from=2024-01-01&to=2024-12-31&periods=2')).points.length, 2, 'periods counts from from');
  const long = await body('from=1990-01-01&to=2024-01-01');
  assert.equal(long.points.length, 3660);
  assert.equal(long.more, true);
  assert.equal(long.points.at(-1)!.period_end, '2000-01-09T00:00:00.000Z', 'the first 3660 days: ask again from here');
  const months = await body('from=1990-01-01&to=2024-01-01&period=month');
  assert.deepEqual([months.points.length, months.more], [409, false]);
  const ancient = await body('from=0050-01-01&periods=2&period=month');
  assert.deepEqual(ancient.points.map((p) => p.period_start.slice(0, 10)), ['0050-01-01', '0050-02-01'], 'years before 100 are not 1900s');
});

test('as_of without a segment is schema-valid and changes nothing: all customers, as without it', async () => {
  const res = await get(weeks(`&as_of=${AS_OF}`));
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), (await get(weeks(''))).json());
});
