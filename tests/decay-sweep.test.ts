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
import { sweepAtDataTime, sweepDecay } from '../processors/decay-sweep.js';
import { RetrainingSchedule } from '../training/retraining-schedule.js';
import { day, payment, placed } from './support/commerce-events.js';
import { defaultPolicy, linearModel } from './support/embedded-pipeline.js';

const DAY = 86_400_000;
const rules = new RfmRuleModel({
  horizonMonths: 12, monthlyDiscountRate: 0.01,
  thresholds: { highClvMinor: 20_000, mediumClvMinor: 5_000, atRiskPAlive: 0.5, lostPAlive: 0.2, newCustomerDays: 60, oneTimeBuyerAtRiskDays: null, oneTimeBuyerLostDays: null },
});

/** An embedded pipeline that scores with the RFM rules until a champion is loaded. */
function rulesPipeline({ partitions = 2, batchSize = 50, hysteresis = 0.1 } = {}) {
  const log = new InMemoryEventLog({ maxBackoffMs: 20 });
  const codec = new AvroCodec();
  const pipeline = new Pipeline({
    log, codec,
    stores: { ledgers: new InMemoryStateStore(), histories: new InMemoryStateStore(), scores: new InMemoryStateStore() },
    validation: { currency: 'USD', maxFutureSkewMs: 100 * 365 * DAY, now: Date.now },
    scoring: { dayOf: dayIndexer('UTC'), policy: defaultPolicy, hysteresis, minorPerUnit: 100 },
    partitions, batchSize,
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
    { retrain: async () => assert.fail('no retrain in this test'), sweep: (nowMs) => sweepDecay(ctx.pipeline, nowMs) },
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
  const first = await sweepDecay(ctx.pipeline, at(60));
  assert.equal((await ctx.pipeline.stores.scores.getMany(['C1'])).get('C1')!.segment, 'at_risk');
  assert.equal(first.scanned, 2);
  const published = ctx.log.read(Topics.scores).length;
  const again = await sweepDecay(ctx.pipeline, at(60));
  assert.deepEqual([again.rescored, again.published], [0, 0], 'swept as of day 60 already: not stale');
  // As of a time before both customers' scores (C1 day 60, C2 day 100): no one moves back in time.
  const earlier = await sweepDecay(ctx.pipeline, at(50));
  assert.deepEqual([earlier.rescored, earlier.published], [0, 0]);
  assert.equal((await ctx.pipeline.stores.scores.getMany(['C1'])).get('C1')!.asOfMs, at(60));
  // A re-score with no as-of (a model swap) keeps each customer's own as-of: same values, nothing published.
  const same = await ctx.pipeline.rescore();
  assert.deepEqual([same.rescored, same.published, same.segmentChanges], [2, 0, 0]);
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
    await sweepDecay(ctx.pipeline, day(100 + d));
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
  await sweepDecay(ctx.pipeline, day(1000));
  const c3 = (await ctx.pipeline.stores.scores.getMany(['C3'])).get('C3')!;
  await ctx.pipeline.stop();
  assert.ok(c3.segment === 'low_value' || c3.segment === 'medium_value', c3.segment ?? 'null');
});

/**
 * 60 customers buying at random over 400 days (a fixed seed), refunds and late payments
 * among them, published either all at once to large batches, or a few at a time to tiny
 * batches in two partitions with sweeps in between (a slow replay, scored and swept while it
 * runs). After a last sweep at the data time, both must hold the same scores.
 */
async function replayAtSpeed(speed: 'fast' | 'slow') {
  // The default hysteresis (0): a margin makes a segment depend on the one before it, and
  // which scores came before depends on batching and when sweeps ran (see the README).
  const { log, codec, pipeline } = rulesPipeline(speed === 'fast' ? { partitions: 4, batchSize: 1000, hysteresis: 0 } : { partitions: 2, batchSize: 3, hysteresis: 0 });
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const events: Array<{ topic: string; key: string; value: unknown; at: number }> = [];
  for (let c = 0; c < 60; c++) {
    const customer = `C${c}`;
    let d = Math.floor(random() * 300);
    while (d < 400) {
      const order = `${customer}-${d}`;
      const amount = 1000 + Math.floor(random() * 20_000);
      events.push({ topic: Topics.orders, key: customer, value: placed(order, amount, day(d), customer), at: day(d) });
      // Some payments arrive late, after later orders of others.
      const paidAt = day(d) + (random() < 0.2 ? 5 * DAY : 60_000);
      events.push({ topic: Topics.payments, key: customer, value: payment('PAYMENT_CAPTURED', order, amount, paidAt, '', customer), at: paidAt });
      if (random() < 0.1) events.push({ topic: Topics.payments, key: customer, value: payment('PAYMENT_REFUNDED', order, amount, paidAt + DAY, '', customer), at: paidAt + DAY });
      d += 1 + Math.floor(random() * (c % 3 === 0 ? 200 : 40));
    }
  }
  events.sort((x, y) => x.at - y.at);
  await pipeline.start();
  const publish = async (slice: typeof events) => {
    for (const e of slice) await log.publish(e.topic, [{ key: e.key, value: await codec.encode(e.topic, e.value) }]);
  };
  if (speed === 'fast') {
    await publish(events);
    await pipeline.waitUntilIdle();
  } else {
    for (let i = 0; i < events.length; i += 97) {
      await publish(events.slice(i, i + 97));
      await pipeline.waitUntilIdle();
      await sweepAtDataTime(pipeline, DAY);
    }
  }
  const sweep = await sweepAtDataTime(pipeline, DAY);
  await pipeline.stop();
  const scores = new Map<string, unknown>();
  for await (const page of pipeline.stores.scores.scan(100)) {
    for (const [key, s] of page) scores.set(key, { segment: s.segment, clvMinor: s.clvMinor, asOfMs: s.asOfMs, action: s.recommendation });
  }
  return { scores, sweep, lastEventMs: events.at(-1)!.at };
}

test('the same events give the same scores and segments at any replay speed or batch size, as of the data time, not the wall clock', async () => {
  const fast = await replayAtSpeed('fast');
  const slow = await replayAtSpeed('slow');
  assert.equal(fast.scores.size, 60);
  assert.ok(fast.sweep.asOfMs !== null && fast.sweep.asOfMs <= fast.lastEventMs && fast.sweep.asOfMs > fast.lastEventMs - 10 * DAY, `swept as of ${new Date(fast.sweep.asOfMs ?? 0).toISOString()}, not the wall clock`);
  assert.deepEqual([...slow.scores].sort(), [...fast.scores].sort());
  const segments = new Set([...fast.scores.values()].map((s) => (s as { segment: string }).segment));
  assert.ok(segments.has('lost') || segments.has('at_risk'), `customers silent for months have decayed: ${[...segments]}`);
});

test('a sweep\'s as-of is remembered (sweptToMs): a later void of the latest order moves the score back to the sweep, not before it; sweeps stay idempotent', async () => {
  const ctx = rulesPipeline();
  await ctx.pipeline.start();
  const send = async (topic: string, value: unknown) => {
    await ctx.log.publish(topic, [{ key: 'C1', value: await ctx.codec.encode(topic, value) }]);
    await ctx.pipeline.waitUntilIdle();
  };
  await send(Topics.orders, placed('O1', 8000, day(0)));
  await send(Topics.payments, payment('PAYMENT_CAPTURED', 'O1', 8000, day(0) + 60_000));
  await send(Topics.orders, placed('O2', 8000, day(30)));
  await send(Topics.payments, payment('PAYMENT_CAPTURED', 'O2', 8000, day(30) + 60_000));
  const state = async () => (await ctx.pipeline.stores.scores.getMany(['C1'])).get('C1')!;
  await sweepDecay(ctx.pipeline, day(20)); // before the customer's as-of (day 30): not stale, nothing remembered
  assert.deepEqual([(await state()).asOfMs, (await state()).sweptToMs], [day(30), null]);
  await sweepDecay(ctx.pipeline, day(45));
  assert.deepEqual([(await state()).asOfMs, (await state()).sweptToMs], [day(45), day(45)]);
  const again = await sweepDecay(ctx.pipeline, day(45));
  assert.deepEqual([again.rescored, again.published], [0, 0], 'idempotent');
  // O2 refunded in full: the features go back to O1 (day 0); the score keeps the sweep's day 45.
  await send(Topics.payments, payment('PAYMENT_REFUNDED', 'O2', 8000, day(50)));
  const after = await state();
  assert.deepEqual([after.features.event_time, after.asOfMs, after.features.purchase_days], [day(0), day(45), 1]);
  await ctx.pipeline.stop();
});
