import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexer } from '../core/calendar.js';
import type { ClvScoreEvent, CustomerFeaturesEvent } from '../core/events.js';
import { Topics } from '../core/topics.js';
import { scoreCustomer, type CustomerScoreState, type ScoringSettings } from '../processors/scoring/customer-scorer.js';
import type { CustomerValueModel, ScoringInput } from '../core/customer-value-model.js';
import { scoringProcessor } from '../processors/scoring/scoring-processor.js';
import { defaultPolicy, linearModel } from './support/embedded-pipeline.js';

const settings: ScoringSettings = { dayOf: dayIndexer('UTC'), policy: defaultPolicy, hysteresis: 0.1, minorPerUnit: 100 };
const day = (n: number) => Date.UTC(2024, 0, 1) + n * 86_400_000;
/** Probability alive falls with the silence since the last purchase: 1 − silence / 365 days. */
const decaying: CustomerValueModel = {
  ...linearModel,
  periodDays: 1,
  predict: (input) => {
    const pAlive = Math.max(0, 1 - (input.T - input.recency) / 365);
    return { pAlive, expectedPurchases: input.frequency * pAlive, expectedAvgValue: 10, clv: 10 * input.frequency * pAlive };
  },
};
const processor = scoringProcessor({ current: () => decaying }, settings);

function features(orders: number, eventTime: number, lastPurchase: number): CustomerFeaturesEvent {
  return {
    event_id: `C1@${orders}.${orders}`, event_time: eventTime, customer_id: 'C1', first_purchase_time: day(0), last_purchase_time: lastPurchase,
    purchase_days: orders, repeat_purchase_days: orders - 1, repeat_value_minor: 1000 * (orders - 1), total_value_minor: 1000 * orders, currency: 'USD',
    category_summary: [],
  };
}

test('features that arrive after a decay sweep score as of the sweep, never back in time, under a new event id', () => {
  // Scored as of day 100, then a decay sweep re-scored the customer as of day 300.
  const scored = scoreCustomer(undefined, features(3, day(100), day(90)), day(300), decaying, settings);
  // Pipeline.rescore records the sweep's as-of (sweptToMs) beside the score.
  const swept = { ...scored, state: { ...scored.state, sweptToMs: day(300) } };
  assert.equal(swept.state.asOfMs, day(300));
  // A late payment settles an order of day 120: the features processor's watermark is day 150.
  const late = processor.apply(swept.state, features(4, day(150), day(120)), { watermarkMs: day(150) });
  const score = late.outputs.find((o) => o.topic === Topics.scores)!.value as ClvScoreEvent;
  assert.equal(score.event_time, day(300), 'as of the sweep, not of the features');
  assert.equal(late.state?.asOfMs, day(300));
  // As of day 300 the silence since day 120 is 180 days: p_alive 1 − 180/365, x = 3.
  assert.equal(score.p_alive, 1 - 180 / 365);
  assert.equal(score.clv_minor, Math.round(3000 * (1 - 180 / 365)));
  assert.notEqual(score.event_id, swept.score.event_id, 'different purchases: a different score');
  assert.equal(score.event_id, `C1@4.4@${day(300)}@${decaying.version}`);
});

test('features whose as-of moved back (the latest active order voided) score as of it, under a greater sequence, unless a sweep is later', () => {
  const before = processor.apply(undefined, features(2, day(200), day(190)), { watermarkMs: day(200) });
  const voided = processor.apply(before.state, features(1, day(100), day(100)), { watermarkMs: day(200) });
  const score = voided.outputs.find((o) => o.topic === Topics.scores)!.value as ClvScoreEvent;
  assert.equal(score.event_time, day(100), 'as of the latest active order, as when the voided order never was active');
  assert.equal(voided.state?.asOfMs, day(100));
  assert.equal(score.sequence, 2, 'the latest score, by sequence: the views pick it although its as-of is older');
  // Had a sweep re-scored the customer as of day 250 in between, the sweep's as-of stays.
  const swept = processor.apply({ ...before.state!, sweptToMs: day(250) }, features(1, day(100), day(100)), { watermarkMs: day(200) });
  assert.equal(swept.state?.asOfMs, day(250));
});

test('features with no purchase days (every order voided) withdraw a published score, and publish nothing for a customer never scored', () => {
  const scored = processor.apply(undefined, features(2, day(200), day(190)), { watermarkMs: day(200) });
  const none = { ...features(0, day(200), day(200)), purchase_days: 0, repeat_purchase_days: 0, repeat_value_minor: 0, total_value_minor: 0 };
  const withdrawn = processor.apply(scored.state, none, { watermarkMs: day(200) });
  assert.deepEqual(withdrawn.outputs.map((o) => [o.topic, (o.value as ClvScoreEvent).segment, (o.value as ClvScoreEvent).sequence]), [[Topics.scores, '', 2]]);
  assert.deepEqual({ ...withdrawn.state, features: null }, { features: null, asOfMs: null, segment: null, clvMinor: 0, modelVersion: null, recommendation: null, interval: null, sequence: 2, sweptToMs: null });
  const never = processor.apply(undefined, none, { watermarkMs: day(200) });
  assert.deepEqual(never.outputs, []);
  assert.equal(never.state?.segment, null);
});

test('redelivered features give the same score event id (idempotent downstream)', () => {
  const first = processor.apply(undefined, features(2, day(50), day(40)), { watermarkMs: day(50) });
  const again = processor.apply(first.state, features(2, day(50), day(40)), { watermarkMs: day(50) });
  const id = (r: typeof first) => (r.outputs.find((o) => o.topic === Topics.scores)!.value as ClvScoreEvent).event_id;
  assert.equal(id(again), id(first));
});

test('a batch model predicts a whole batch in one call, each event as of what apply works out, and apply scores with those predictions', async () => {
  const calls: ScoringInput[][] = [];
  const batchModel: CustomerValueModel = {
    ...decaying,
    version: 'batch',
    predict: () => { throw new Error('a batch model is never asked one at a time'); },
    predictBatch: async (inputs) => {
      calls.push([...inputs]);
      return inputs.map((x) => decaying.predict(x.input));
    },
  };
  const batched = scoringProcessor({ current: () => batchModel }, settings);
  // C1 was swept as of day 300; two features of C1 and one of C2 in one batch.
  const swept: CustomerScoreState = { ...scoreCustomer(undefined, features(3, day(100), day(90)), day(300), decaying, settings).state, sweptToMs: day(300) };
  const c2 = { ...features(2, day(60), day(50)), customer_id: 'C2', event_id: 'C2@2.2', recent_purchase_days: [{ day: 19_727, value_minor: 1000 }] };
  const events = [
    { key: 'C1', event: features(4, day(150), day(120)) },
    { key: 'C2', event: c2 },
    { key: 'C1', event: features(5, day(310), day(310)) },
  ];
  const apply = (await batched.prepareBatch!(events, new Map([['C1', swept]]), { watermarkMs: day(310) }))!;
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0].map((x) => x.input.asOfDay), [300, 60, 310].map((n) => Math.floor(day(n) / 86_400_000)));
  assert.deepEqual(calls[0][1].recentDays, [[19_727, 1000]]);
  assert.equal(calls[0][1].summary.totalValueMinor, 2000);
  let state = swept;
  for (const { event } of [events[0], events[2]]) {
    const r = apply(state, event, { watermarkMs: day(310) });
    const direct = processor.apply(state, event, { watermarkMs: day(310) });
    assert.equal((r.outputs[0].value as ClvScoreEvent).clv_minor, (direct.outputs[0].value as ClvScoreEvent).clv_minor);
    state = r.state!;
  }
  // A model scoring one at a time needs no batch step.
  assert.equal(await processor.prepareBatch!(events, new Map(), { watermarkMs: 0 }), null);
});
