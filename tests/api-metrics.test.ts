import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { metricNames, recordConsumerLag, recordDeadLetter, recordEventsIn, observeProcessing, recordScores, recordSegmentChange } from '../metrics/metrics-registry.js';
import type { ClvReadModel } from '../core/ports/clv-read-model.js';
import { apiFixture, bearer, type ApiFixture } from './support/api-fixture.js';

let f: ApiFixture;
let modelReads = 0;
before(async () => {
  // Counts what the model catalogue is asked: in production each call reads the registry from disk.
  const counting = (r: ClvReadModel): ClvReadModel => Object.assign(Object.create(r), {
    models: () => (modelReads++, r.models()),
    model: (v: string) => (modelReads++, r.model(v)),
  });
  f = await apiFixture({ customers: 30, adapt: { readModel: counting } });
});
after(() => f.app.close());

const scrape = () => f.app.inject({ url: '/metrics', headers: bearer(f.keys.metrics) });

test('/metrics exposes every metric name in the Prometheus text format', async () => {
  recordEventsIn('commerce.orders.v1', 3);
  recordConsumerLag('clv-purchases', 12);
  recordDeadLetter('CLV_INVALID_EVENT');
  observeProcessing('clv-scoring', 0.004);
  recordScores('v1', 10);
  recordSegmentChange(null, 'new');
  await f.app.inject({ url: '/v1/segments', headers: bearer(f.keys.read) });
  const res = await scrape();
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
  const body = (await scrape()).body;
  assert.match(body, /clv_api_request_duration_seconds_count\{method="GET",route="\/v1\/customers\/:id",status_code="200"\} \d+/);
  assert.ok(!body.includes(id), 'no customer id in any label');
});

test('segment sizes and model metrics are refreshed at scrape time', async () => {
  const body = (await scrape()).body;
  const sizes = (await f.app.inject({ url: '/v1/segments', headers: bearer(f.keys.read) })).json();
  for (const s of sizes.segments) assert.match(body, new RegExp(`^clv_segment_customers\\{segment="${s.segment}"\\} ${s.customers}$`, 'm'));
  assert.match(body, /^clv_model_metric\{version="cdnow-fhl-2005",metric="holdout.mape"\} 0.12$/m);
});

test('/metrics on the API port needs the metrics scope: 401 without credentials, 403 with another scope', async () => {
  const none = await f.app.inject({ url: '/metrics' });
  assert.equal(none.statusCode, 401);
  assert.ok(!none.body.includes('clv_'), 'no metric leaks with the refusal');
  assert.equal((await f.app.inject({ url: '/metrics', headers: bearer(f.keys.read) })).statusCode, 403);
  assert.equal((await scrape()).statusCode, 200);
});

test('scrapes do not read the model catalogue each time: model metrics are cached (CLV_MODEL_POLL_MS)', async () => {
  await scrape();
  const before = modelReads;
  for (let i = 0; i < 5; i++) assert.equal((await scrape()).statusCode, 200);
  assert.equal(modelReads, before, 'five scrapes within the refresh interval read no model');
});
