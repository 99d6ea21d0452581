/**
 * GET /v1/segments/flows (api/routes/segment-flows.ts) over the in-memory read model and an
 * in-memory analytics store holding a hand-built segment history: who moved from where to
 * where between two dates, sizes at both ends, auth, and the errors.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryAnalyticsStore } from '../adapters/in-memory/in-memory-analytics-store.js';
import { Segments } from '../core/segmentation.js';
import { apiFixture, bearer, type ApiFixture } from './support/api-fixture.js';
import { sampleRows } from './support/analytics-store-contract.js';

const at = (iso: string) => Date.parse(iso);
/** customer, time, previous segment, segment, CLV (minor units). */
const changes: [string, string, string | null, string, number][] = [
  ['A', '2025-06-01T10:00:00Z', null, 'high_value', 50_000],
  ['B', '2025-06-01T11:00:00Z', null, 'high_value', 30_000],
  ['C', '2025-06-02T09:00:00Z', null, 'medium_value', 9_000],
  ['D', '2025-06-03T09:00:00Z', null, 'new', 1_000],
  // The week of 23 to 30 June: A and B slip to at risk, D grows to medium value, E is new.
  ['A', '2025-06-24T00:00:00Z', 'high_value', 'at_risk', 21_000],
  ['B', '2025-06-23T00:00:00Z', 'high_value', 'at_risk', 12_000],
  ['D', '2025-06-30T23:00:00Z', 'new', 'medium_value', 4_000],
  ['E', '2025-06-25T08:00:00Z', null, 'new', 800],
  // After the window.
  ['C', '2025-07-02T00:00:00Z', 'medium_value', 'lost', 10],
];

let f: ApiFixture;
const analytics = new InMemoryAnalyticsStore();
before(async () => {
  f = await apiFixture({ customers: 5 });
  await analytics.insert('segment_changes', changes.map(([customer, time, previous, segment, clv], i) => ({
    ...sampleRows(`sc${i}`, customer).segment_changes, event_time: at(time), previous_segment: previous, segment, clv_minor: clv,
  })));
});
after(() => f.app.close());

const get = (url: string, key: string | null = f.keys.read) => f.app.inject({ url, headers: key ? bearer(key) : {} });
const WEEK = '/v1/segments/flows?from=2025-06-23&to=2025-06-30';

test('the read scope, like every read route', async () => {
  assert.equal((await get(WEEK, null)).statusCode, 401);
  assert.equal((await get(WEEK, f.keys.ingest)).json().error.code, 'API_FORBIDDEN');
});

test('available: false until the read model has a score history', async () => {
  const res = await get(WEEK);
  assert.equal(res.statusCode, 200);
  assert.deepEqual({ ...(res.json() as object), sizes_from: undefined, sizes_to: undefined }, {
    from: '2025-06-22T23:59:59.999Z', to: '2025-06-30T23:59:59.999Z', available: false, flows: [], latest_change: null, sizes_from: undefined, sizes_to: undefined,
  });
  f.readModel.readScoreHistoryFrom(analytics);
});

test('who moved this week: moves first, largest first, with the most valuable movers; then who stayed', async () => {
  const body = (await get(WEEK)).json();
  assert.equal(body.available, true);
  assert.equal(body.latest_change, '2025-07-02T00:00:00.000Z');
  assert.deepEqual(body.flows, [
    // B moved at 00:00 on the 23rd: in the window (a date as `from` means as of the end of the day before).
    { from_segment: 'high_value', to_segment: 'at_risk', customers: 2, examples: [{ customer_id: 'A', clv_minor: 21_000 }, { customer_id: 'B', clv_minor: 12_000 }] },
    // Ties by where they came from: new customers (no segment before) first.
    { from_segment: null, to_segment: 'new', customers: 1, examples: [{ customer_id: 'E', clv_minor: 800 }] },
    { from_segment: 'new', to_segment: 'medium_value', customers: 1, examples: [{ customer_id: 'D', clv_minor: 4_000 }] },
    { from_segment: 'medium_value', to_segment: 'medium_value', customers: 1, examples: [] },
  ]);
  const zero = Object.fromEntries(Segments.map((s) => [s, 0]));
  assert.deepEqual(body.sizes_from, { ...zero, high_value: 2, medium_value: 1, new: 1 });
  assert.deepEqual(body.sizes_to, { ...zero, at_risk: 2, medium_value: 2, new: 1 });
});

test('from the 24th the 23rd\'s move is before the window; examples can be limited; instants work too', async () => {
  const body = (await get('/v1/segments/flows?from=2025-06-24&to=2025-06-30&examples=1')).json();
  assert.deepEqual(body.flows.map((f: { from_segment: string; to_segment: string; customers: number; examples: unknown[] }) => [f.from_segment, f.to_segment, f.customers, f.examples.length]), [
    [null, 'new', 1, 1], ['new', 'medium_value', 1, 1], ['high_value', 'at_risk', 1, 1], ['medium_value', 'medium_value', 1, 0], ['at_risk', 'at_risk', 1, 0],
  ]);
  const instants = (await get('/v1/segments/flows?from=2025-06-30T22:00:00Z&to=2025-06-30T23:30:00Z')).json();
  assert.deepEqual(instants.flows[0], { from_segment: 'new', to_segment: 'medium_value', customers: 1, examples: [{ customer_id: 'D', clv_minor: 4_000 }] });
});

test('to before from is schema-valid: an empty window, no flow', async () => {
  const body = (await get('/v1/segments/flows?from=2025-06-30&to=2025-06-01')).json();
  assert.deepEqual([body.available, body.flows, Object.values(body.sizes_from).concat(Object.values(body.sizes_to)).every((n) => n === 0)], [true, [], true]);
  assert.equal(body.latest_change, '2025-07-02T00:00:00.000Z');
});

test('400 naming the parameter', async () => {
  for (const [q, message] of [
    ['from=last-week&to=2025-06-30', /^querystring\/from must match format "date"/],
    ['from=2025-06-31&to=2025-07-01', /^querystring\/from must match format "date"/],
    ['to=2025-06-30', /^querystring must have required properties from$/],
    ['from=2025-06-23&to=2025-06-30&examples=51', /querystring\/examples must be <= 50/],
  ] as const) {
    const res = await get(`/v1/segments/flows?${q}`);
    assert.equal(res.statusCode, 400, q);
    assert.match(res.json().error.message, message, q);
  }
});
