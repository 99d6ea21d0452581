import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { metricNames, recordConsumerLag, recordDeadLetter, recordEventsIn, observeProcessing, recordScores, recordSegmentChange } from '../metrics/metrics-registry.js';
import { apiFixture, bearer, type ApiFixture } from './support/api-fixture.js';

let f: ApiFixture;
before(async () => {
  f = await apiFixture({ customers: 30 });
});
after(() => f.app.close());

test('/metrics exposes every metric name in the Prometheus text format', async () => {
  recordEventsIn('commerce.orders.v1', 3);
  recordConsumerLag('clv-purchases', 12);
  recordDeadLetter('CLV_INVALID_EVENT');
  observeProcessing('clv-scoring', 0.004);
  recordScores('v1', 10);
  recordSegmentChange(null, 'new');
  await f.app.inject({ url: '/v1/segments', headers: bearer(f.keys.read) });
  const res = await f.app.inject({ url: '/metrics' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain/);
  for (const name of metricNames) assert.match(res.body, new RegExp(`^# TYPE ${name} `, 'm'), name);
  assert.match(res.body, /^clv_events_in_total\{topic="commerce.orders.v1"\} 3$/m);
  assert.match(res.body, /^clv_segment_changes_total\{from="none",to="new"\} 1$/m);
  assert.match(res.body, /^clv_process_cpu_seconds_total /m);
});

test('API latency is labelled by route template, never by raw URL', async () => {
  const id = [...f.history.truth.byId.keys()][0];
  await f.app.inject({ url: `/v1/customers/${id}`, headers: bearer(f.keys.read) });
  const body = (await f.app.inject({ url: '/metrics' })).body;
  assert.match(body, /clv_api_request_duration_seconds_count\{method="GET",route="\/v1\/customers\/:id",status_code="200"\} \d+/);
  assert.ok(!body.includes(id), 'no customer id in any label');
});

test('segment sizes and model metrics are refreshed at scrape time', async () => {
  const body = (await f.app.inject({ url: '/metrics' })).body;
  const sizes = (await f.app.inject({ url: '/v1/segments', headers: bearer(f.keys.read) })).json();
  for (const s of sizes.segments) assert.match(body, new RegExp(`^clv_segment_customers\\{segment="${s.segment}"\\} ${s.customers}$`, 'm'));
  assert.match(body, /^clv_model_metric\{version="cdnow-fhl-2005",metric="holdout.mape"\} 0.12$/m);
});
