import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AvroCodec } from '../adapters/avro/avro-codec.js';
import { InMemoryEventLog } from '../adapters/in-memory/in-memory-event-log.js';
import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import { dayIndexer } from '../core/calendar.js';
import type { ClvScoreEvent, SegmentChangedEvent } from '../core/events.js';
import { Topics } from '../core/topics.js';
import { Pipeline } from '../processors/pipeline.js';
import { RfmRuleModel } from '../models/kinds/rfm-rule-model.js';
import { BgNbdGammaGammaModel } from '../models/kinds/bgnbd-gamma-gamma-model.js';
import { sweepDecay } from '../processors/decay-sweep.js';
import { RetrainingSchedule } from '../training/retraining-schedule.js';
import { day, payment, placed } from './support/commerce-events.js';
import { defaultPolicy, linearModel } from './support/embedded-pipeline.js';

const DAY = 86_400_000;
const rules = new RfmRuleModel({
  horizonMonths: 12, monthlyDiscountRate: 0.01,
  thresholds: { highClvMinor: 20_000, mediumClvMinor: 5_000, atRiskPAlive: 0.5, lostPAlive: 0.2, newCustomerDays: 60, oneTimeBuyerAtRiskDays: null, oneTimeBuyerLostDays: null },
});

/** An embedded pipeline that scores with the RFM rules until a champion is loaded. */
function rulesPipeline() {
  const log = new InMemoryEventLog({ maxBackoffMs: 20 });
  const codec = new AvroCodec();
  const pipeline = new Pipeline({
    log, codec,
    stores: { ledgers: new InMemoryStateStore(), histories: new InMemoryStateStore(), scores: new InMemoryStateStore() },
    validation: { currency: 'USD', maxFutureSkewMs: 100 * 365 * DAY, now: Date.now },
    scoring: { dayOf: dayIndexer('UTC'), policy: defaultPolicy, hysteresis: 0.1, minorPerUnit: 100 },
    partitions: 2, batchSize: 50,
    fallbackModel: rules,
  });
  const decode = async <T>(topic: string) => Promise.all(log.read(topic).map(async (m) => (await codec.decode(topic, m.value!)) as T));
  return { log, codec, pipeline, decode };
}

/**
 * C1 and C2 buy every 10 days until day 40; then only C2 goes on, to day 100, moving the
 * event-time watermark while nothing happens to C1. (Features are emitted as of the batch's
 * watermark, hence the pause between the phases.)
 */
async function replay(ctx: ReturnType<typeof rulesPipeline>) {
  await ctx.pipeline.start();
  const buy = async (customer: string, d: number) => {
    const order = `${customer}-${d}`;
    await ctx.log.publish(Topics.orders, [{ key: customer, value: await ctx.codec.encode(Topics.orders, placed(order, 8000, day(d), customer)) }]);
    await ctx.log.publish(Topics.payments, [{ key: customer, value: await ctx.codec.encode(Topics.payments, payment('PAYMENT_CAPTURED', order, 8000, day(d) + 60_000, '', customer)) }]);
  };
  for (let d = 0; d <= 40; d += 10) for (const c of ['C1', 'C2']) await buy(c, d);
  await ctx.pipeline.waitUntilIdle();
  for (let d = 50; d <= 100; d += 10) await buy('C2', d);
  await ctx.pipeline.waitUntilIdle();
}

test('before any model, the RFM rules score every customer from the first event', async () => {
  const ctx = rulesPipeline();
  await replay(ctx);
  await ctx.pipeline.stop();
  const scores = await ctx.decode<ClvScoreEvent>(Topics.scores);
  assert.ok(scores.some((s) => s.customer_id === 'C1') && scores.some((s) => s.customer_id === 'C2'));
  assert.ok(scores.every((s) => s.model_version === 'rfm-rules'));
  assert.equal(ctx.pipeline.championModel(), null);
  assert.equal(ctx.pipeline.currentModel()?.version, 'rfm-rules');
});

test('a decay sweep driven by the event-time clock moves a customer who stopped buying to at_risk, then lost', async () => {
  const ctx = rulesPipeline();
  await replay(ctx);
  const scores = ctx.pipeline.stores.scores;
  assert.equal((await scores.getMany(['C1'])).get('C1')!.segment, 'high_value', 'C1 was a regular buyer');
  // "Now" is the replay's event time (day 100), not the wall clock; the test moves it on.
  let offsetMs = 0;
  const clock = () => ctx.pipeline.eventTimeNowMs() + offsetMs;
  assert.ok(clock() >= day(100) && clock() < day(101), `watermark ${new Date(clock()).toISOString()}`);
  const schedule = new RetrainingSchedule(
    { retrain: async () => assert.fail('no retrain in this test'), sweep: (nowMs) => sweepDecay(ctx.pipeline, nowMs, DAY) },
    { retrainIntervalMs: 1e9, sweepIntervalMs: 1e9, clock, onError: (_job, error) => assert.fail(error as Error) },
  );
  const changesBefore = (await ctx.decode<SegmentChangedEvent>(Topics.segmentChanges)).length;
  await schedule.run('sweep'); // day 100: C1 silent 60 days against a 10-day rhythm
  const c1 = (await scores.getMany(['C1'])).get('C1')!;
  assert.equal(c1.segment, 'lost');
  assert.equal(c1.asOfMs, clock());
  const changes = (await ctx.decode<SegmentChangedEvent>(Topics.segmentChanges)).slice(changesBefore);
  assert.deepEqual(changes.map((c) => [c.customer_id, c.previous_segment, c.segment]), [['C1', 'high_value', 'lost']]);
  await schedule.stop();
  await ctx.pipeline.stop();
});

test('a quiet customer passes through at_risk; unchanged customers are not published; fresh scores are not swept', async () => {
  const ctx = rulesPipeline();
  await replay(ctx);
  const at = (d: number) => day(d);
  // C1's last purchase is day 40 with a 10-day gap: at risk from about day 57, lost from about day 66.
  const first = await sweepDecay(ctx.pipeline, at(60), DAY);
  assert.equal((await ctx.pipeline.stores.scores.getMany(['C1'])).get('C1')!.segment, 'at_risk');
  assert.equal(first.scanned, 2);
  const published = ctx.log.read(Topics.scores).length;
  const again = await sweepDecay(ctx.pipeline, at(60) + 2 * DAY, 3 * DAY);
  assert.deepEqual([again.rescored, again.published], [0, 0], 'scored a day ago: not stale');
  // Stale-after −1 ms: everyone scored as of day 60 or before is swept again, as of day 60.
  const same = await sweepDecay(ctx.pipeline, at(60), -1);
  assert.deepEqual([same.rescored, same.published, same.segmentChanges], [1, 0, 0], 'C1 re-scored to the same values; C2 (as of day 100) not stale');
  assert.equal(ctx.log.read(Topics.scores).length, published);
  await ctx.pipeline.stop();
});

test('a loaded champion replaces the rules; the rules are not a champion', async () => {
  const ctx = rulesPipeline();
  await replay(ctx);
  ctx.pipeline.useModel(linearModel);
  const r = await ctx.pipeline.rescore();
  await ctx.pipeline.stop();
  assert.equal(r.rescored, 2);
  const latest = (await ctx.decode<ClvScoreEvent>(Topics.scores)).slice(-2);
  assert.deepEqual(latest.map((s) => s.model_version), ['test-linear', 'test-linear']);
  // Without asOfMs a model swap keeps each customer's own as-of: no decay slipped in.
  const c1 = (await ctx.pipeline.stores.scores.getMany(['C1'])).get('C1')!;
  assert.equal(c1.asOfMs, c1.features.event_time);
});

/**
 * BG/NBD with CDNOW-like parameters (FHL 2005: r 0.243, α 4.414, a 0.793, b 2.426; weeks):
 * its probability alive is 1 for a one-time buyer at any age, so only the lapse learned at
 * training moves one to at_risk and lost.
 */
function cdnowLikeModel(lapse: { atRiskDays: number; lostDays: number }) {
  return BgNbdGammaGammaModel.fromJSON({
    format: 1, kind: 'bgnbd-gamma-gamma', version: 'bgnbd-test', categoryStatistics: null,
    settings: { periodDays: 7, horizonMonths: 12, monthlyDiscountRate: 0.01 },
    thresholds: { highClvMinor: 50_000, mediumClvMinor: 1_000, atRiskPAlive: 0.5, lostPAlive: 0.2, newCustomerDays: 60, oneTimeBuyerAtRiskDays: null, oneTimeBuyerLostDays: null },
    bgnbd: { model: 'bg-nbd', version: 1, params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, logLikelihood: 0, diagnostics: {} },
    gammaGamma: { model: 'gamma-gamma', version: 1, params: { p: 6.25, q: 3.74, gamma: 15.44 }, logLikelihood: 0, diagnostics: {} },
  } as Parameters<typeof BgNbdGammaGammaModel.fromJSON>[0]).withOneTimeBuyerLapse(lapse);
}

test('decay sweeps move a one-time buyer to at_risk, then lost, by the learned lapse, with BG/NBD still saying alive', async () => {
  const ctx = rulesPipeline();
  await replay(ctx); // C1 and C2 have bought since day 0; the watermark is at day 100
  const order = 'C3-100';
  await ctx.log.publish(Topics.orders, [{ key: 'C3', value: await ctx.codec.encode(Topics.orders, placed(order, 8000, day(100), 'C3')) }]);
  await ctx.log.publish(Topics.payments, [{ key: 'C3', value: await ctx.codec.encode(Topics.payments, payment('PAYMENT_CAPTURED', order, 8000, day(100) + 60_000, '', 'C3')) }]);
  await ctx.pipeline.waitUntilIdle();
  ctx.pipeline.useModel(cdnowLikeModel({ atRiskDays: 120, lostDays: 200 }));
  // Days since C3's purchase (day 100).
  const segmentOn = async (d: number) => {
    await sweepDecay(ctx.pipeline, day(100 + d), -1);
    return (await ctx.pipeline.stores.scores.getMany(['C3'])).get('C3')!.segment;
  };
  assert.equal(await segmentOn(30), 'new');
  assert.equal(await segmentOn(119), 'medium_value'); // CLV $15.23 ($30.43 at 30 days), still over the $10.00 medium threshold
  assert.equal(await segmentOn(120), 'at_risk');
  assert.equal(await segmentOn(199), 'at_risk');
  assert.equal(await segmentOn(200), 'lost');
  await ctx.pipeline.stop();
  const c3 = (await ctx.decode<ClvScoreEvent>(Topics.scores)).filter((s) => s.customer_id === 'C3');
  assert.ok(c3.length >= 4);
  assert.ok(c3.every((s) => s.p_alive === 1), 'the model itself never gives up on a one-time buyer');
  const changes = (await ctx.decode<SegmentChangedEvent>(Topics.segmentChanges)).filter((c) => c.customer_id === 'C3');
  assert.deepEqual(changes.slice(-2).map((c) => [c.previous_segment, c.segment]), [['medium_value', 'at_risk'], ['at_risk', 'lost']]);
  const toAtRisk = changes.at(-2)!;
  assert.match(toAtRisk.reason, /One purchase day, 120 days ago: a one-time buyer silent 120 days or more counts as at risk\./);
});

test('without a lapse (thresholds with none), a one-time buyer under BG/NBD never leaves the value segments', async () => {
  const ctx = rulesPipeline();
  await replay(ctx);
  const model = cdnowLikeModel({ atRiskDays: 1, lostDays: 2 });
  const noLapse = { ...model.thresholds, oneTimeBuyerAtRiskDays: null, oneTimeBuyerLostDays: null };
  ctx.pipeline.useModel(BgNbdGammaGammaModel.fromJSON({ ...model.toJSON(), thresholds: noLapse }));
  const order = 'C3-0';
  await ctx.log.publish(Topics.orders, [{ key: 'C3', value: await ctx.codec.encode(Topics.orders, placed(order, 8000, day(0), 'C3')) }]);
  await ctx.log.publish(Topics.payments, [{ key: 'C3', value: await ctx.codec.encode(Topics.payments, payment('PAYMENT_CAPTURED', order, 8000, day(0) + 60_000, '', 'C3')) }]);
  await ctx.pipeline.waitUntilIdle();
  await sweepDecay(ctx.pipeline, day(1000), -1);
  const c3 = (await ctx.pipeline.stores.scores.getMany(['C3'])).get('C3')!;
  await ctx.pipeline.stop();
  assert.ok(c3.segment === 'low_value' || c3.segment === 'medium_value', c3.segment ?? 'null');
});
