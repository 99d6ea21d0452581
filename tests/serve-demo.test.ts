/**
 * `clv demo --serve` (app/demo/serve-demo.ts) after a real demo run on a synthetic shop: the
 * API answers per-segment revenue actuals from the embedded analytics sink's tables, for the
 * forecast's `segments_as_of`, with the numbers the purchase histories give.
 */
import { endOfDayMs } from '../core/calendar.js';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadApiConfig } from '../config/api-config.js';
import { createApiKey } from '../core/api-keys.js';
import { loadConfig } from '../config/config.js';
import { Segments, type Segment } from '../core/segmentation.js';
import { syntheticDemoHistory } from '../app/demo/demo-history.js';
import { runDemo, type DemoRun } from '../app/demo/run-demo.js';
import { forEachActivePurchase } from '../processors/features/customer-purchase-history.js';
import { startDemoApi, type DemoApi } from '../app/demo/serve-demo.js';
import { createLogger } from '../app/logger.js';
import { bearer } from './support/api-fixture.js';

const config = loadConfig({});
const WEEK_MS = 7 * 86_400_000;
const { key, record } = createApiKey('reader', ['read']);

let demo: DemoRun;
let served: DemoApi;
let calibrationEndMs: number;
before(async () => {
  const history = syntheticDemoHistory({ customers: 1500, seed: 11, currency: 'USD', timeZone: 'UTC', minorPerUnit: 100 });
  calibrationEndMs = endOfDayMs(history.calibrationEndDay, 'UTC');
  demo = await runDemo(config, history, createLogger('silent'));
  served = await startDemoApi(config, demo.embedded, { model: demo.model, registry: demo.registry }, createLogger('silent'), { ...loadApiConfig({}), apiKeys: [record], rateLimitPerMinute: 100_000 });
});
after(() => served.stop());

async function get<T>(url: string): Promise<T> {
  const res = await served.app.inject({ method: 'GET', url, headers: bearer(key) });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as T;
}

interface Actuals { available: boolean; points: Array<{ period_start: string; actual_minor: number }> }
const minor = (a: Actuals) => a.points.map((p) => p.actual_minor);

/** Net revenue per week from `fromMs` of the customers `include` keeps, from the purchase histories (the total's source). */
async function weeklyFromHistories(fromMs: number, weeks: number, include: (customerId: string) => boolean): Promise<number[]> {
  const sums = new Array<number>(weeks).fill(0);
  for await (const page of demo.embedded.pipeline.stores.histories.scan(1000)) {
    for (const [id, h] of page) {
      if (!include(id)) continue;
      forEachActivePurchase(h, (_day, time, net) => {
        const i = Math.floor((Math.floor(time / 3_600_000) * 3_600_000 - fromMs) / WEEK_MS);
        if (i >= 0 && i < weeks) sums[i] += net;
      });
    }
  }
  return sums;
}

test('demo --serve: the forecast says its segments_as_of, the calibration end the demo re-scored at', async () => {
  const f = await get<{ segments_as_of: string | null }>('/v1/forecast/revenue?segment=high_value');
  assert.equal(f.segments_as_of, new Date(calibrationEndMs).toISOString());
  assert.equal(demo.revenueForecasts.segmentsAsOfMs, calibrationEndMs);
});

test('demo --serve: segment actuals as of segments_as_of are the revenue of the customers in the segment then', async () => {
  // 26 weeks before the calibration end and 52 after, from the midnight after it.
  const fromMs = calibrationEndMs + 1 - 26 * WEEK_MS;
  const range = `from=${new Date(fromMs).toISOString()}&period=week&periods=78`;
  const total = minor(await get<Actuals>(`/v1/revenue/actuals?${range}`));
  const asOf = encodeURIComponent(new Date(calibrationEndMs).toISOString());
  const sum = new Array<number>(78).fill(0);
  // Membership is by event time: the scoring state the forecasts were split by, plus the
  // customers whose first events, dated before the calibration end, were delivered after it
  // (their scores are dated by those events, so they were in a segment "as of" then).
  const then = new Map(demo.segmentsAtCalibrationEnd);
  const lateArrivals = new Map<string, { time: number; id: string; segment: string }>();
  for (const s of demo.embedded.analytics.rows('clv_scores')) {
    if (then.get(s.customer_id) != null || s.event_time > calibrationEndMs) continue;
    const best = lateArrivals.get(s.customer_id);
    if (!best || s.event_time > best.time || (s.event_time === best.time && s.event_id > best.id)) lateArrivals.set(s.customer_id, { time: s.event_time, id: s.event_id, segment: s.segment });
  }
  assert.ok(lateArrivals.size < then.size / 50, `${lateArrivals.size} late arrivals of ${then.size}`);
  for (const [id, s] of lateArrivals) then.set(id, s.segment as Segment);
  const bySegment = new Map<string, number>();
  for (const segment of Segments) {
    const a = await get<Actuals>(`/v1/revenue/actuals?${range}&segment=${segment}&as_of=${asOf}`);
    assert.equal(a.available, true, segment);
    assert.deepEqual(minor(a), await weeklyFromHistories(fromMs, 78, (id) => then.get(id) === segment), segment);
    minor(a).forEach((x, i) => (sum[i] += x));
    bySegment.set(segment, minor(a).reduce((x, y) => x + y, 0));
  }
  // The segments add up to the total, less the customers no segment held then (first bought later).
  const unscored = await weeklyFromHistories(fromMs, 78, (id) => !then.get(id));
  assert.deepEqual(sum, total.map((t, i) => t - unscored[i]));
  assert.ok(unscored.slice(26).reduce((a, b) => a + b, 0) > 0, 'the holdout brings customers who were in no segment at the calibration end');
  // Real money: the high-value customers of then spent more than the lost ones.
  assert.ok(bySegment.get('high_value')! > bySegment.get('lost')! && bySegment.get('lost')! > 0, JSON.stringify(Object.fromEntries(bySegment)));
});

test('demo --serve: segment actuals by current membership add up to the total exactly', async () => {
  const fromMs = calibrationEndMs + 1 - 26 * WEEK_MS;
  const range = `from=${new Date(fromMs).toISOString()}&period=week&periods=78`;
  const total = minor(await get<Actuals>(`/v1/revenue/actuals?${range}`));
  const sum = new Array<number>(78).fill(0);
  for (const segment of Segments) minor(await get<Actuals>(`/v1/revenue/actuals?${range}&segment=${segment}`)).forEach((x, i) => (sum[i] += x));
  assert.deepEqual(sum, total);
  assert.deepEqual(total, await weeklyFromHistories(fromMs, 78, () => true));
});
