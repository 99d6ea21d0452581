import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AvroCodec } from '../adapters/avro/avro-codec.js';
import { dayIndexer } from '../core/calendar.js';
import type { CustomerFeaturesEvent, PurchaseEvent } from '../core/events.js';
import { Topics } from '../core/topics.js';
import { applyPurchase, featuresOf, latestEventTime, noActiveOrdersFeatures, type CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';
import { scoreCustomer, unscoredState, withdrawScore, type CustomerScoreState, type ScoringSettings } from '../processors/scoring/customer-scorer.js';
import { scoreStateCodec } from '../processors/state-codecs/score-state-codec.js';
import { fixtureModel } from './support/api-fixture.js';
import { defaultPolicy } from './support/embedded-pipeline.js';
import { longPurchaseHistory } from './support/long-purchase-history.js';

const dayOf = dayIndexer('UTC');
const settings: ScoringSettings = { dayOf, policy: defaultPolicy, hysteresis: 0.1, minorPerUnit: 100 };

/** What the JSON codec (state format 4) gave back: the bar the compact codec must meet. */
function assertRoundTrip(state: CustomerScoreState, key = state.features.customer_id): string {
  const text = scoreStateCodec.encode(state, key);
  const back = scoreStateCodec.decode(text, key);
  assert.deepStrictEqual(back, JSON.parse(JSON.stringify(state)));
  assert.equal(JSON.stringify(back), JSON.stringify(state), 'the same fields in the same order');
  return text;
}

/** The features of a customer after their first `n` purchases of the long history, as the features processor derives them. */
function featuresAfter(n: number, customer = 'C-loyal'): CustomerFeaturesEvent {
  let history: CustomerPurchaseHistory | undefined;
  for (const p of longPurchaseHistory(customer).purchases.slice(0, n)) history = applyPurchase(history, { ...p, customer_id: customer } as PurchaseEvent, dayOf).history;
  const eventId = `${customer}@000000000003.000000000004`;
  return featuresOf(history!, latestEventTime(history!), eventId) ?? noActiveOrdersFeatures(history!, eventId);
}

/** As the scoring processor keeps them: decoded from the features topic (avsc records, in the schema's field order). */
async function throughTheTopic(features: CustomerFeaturesEvent): Promise<CustomerFeaturesEvent> {
  const codec = new AvroCodec();
  return (await codec.decode(Topics.features, await codec.encode(Topics.features, features))) as CustomerFeaturesEvent;
}

test('a scored customer round-trips, features as decoded from the topic, in under a third of its JSON', async () => {
  const features = await throughTheTopic(featuresAfter(40));
  const scored = scoreCustomer(undefined, features, features.event_time + 86_400_000, fixtureModel(), settings).state;
  assert.ok(scored.interval && scored.recommendation && scored.features.recent_purchase_days!.length > 0);
  const text = assertRoundTrip(scored);
  assert.ok(text.length < JSON.stringify(scored).length / 3, `${text.length} vs ${JSON.stringify(scored).length} characters`);
  assert.ok(!text.includes('C-loyal@'), 'the features id is two numbers');
});

test('every kind of score state round-trips: unscored, scored, swept, withdrawn, features without recent days, ids the key does not say', async () => {
  const features = await throughTheTopic(featuresAfter(5));
  const unscored = unscoredState(features);
  const scored = scoreCustomer(unscored, features, features.event_time, fixtureModel(), settings).state;
  const swept: CustomerScoreState = { ...scored, asOfMs: features.event_time + 90 * 86_400_000, sweptToMs: features.event_time + 90 * 86_400_000 };
  const withdrawn = withdrawScore(swept, { ...features, purchase_days: 0, repeat_purchase_days: 0, category_summary: [] }).state;
  const { recent_purchase_days: _, ...older } = featuresAfter(5);
  for (const state of [unscored, scored, swept, withdrawn, unscoredState(older), { ...scored, interval: null, recommendation: null }]) assertRoundTrip(state);
  assertRoundTrip(scored, 'another-key');
  assertRoundTrip({ ...scored, features: { ...scored.features, event_id: 'C-loyal-f' } });
  assertRoundTrip({ ...scored, features: { ...scored.features, event_id: 'C-loyal@1.2' } });
  assertRoundTrip({ ...scored, features: { ...scored.features, customer_id: 'C/%x', event_id: 'C/%x@000000000001.000000000002' } }, 'C/%x');
});

test('a value that is not a score state of state format 5 fails with a message saying so', async () => {
  const features = await throughTheTopic(featuresAfter(5));
  const scored = scoreCustomer(undefined, features, features.event_time, fixtureModel(), settings).state;
  const good = JSON.parse(scoreStateCodec.encode(scored, 'C-loyal')) as unknown[];
  const cases: Array<[string, RegExp]> = [
    [JSON.stringify(scored), /not a score state of state format 5: expected a JSON array of 20 fields, got object/],
    ['', /not a score state of state format 5: not JSON/],
    ['null', /expected a JSON array of 20 fields, got null/],
    [JSON.stringify(good.map((v, i) => (i === 0 ? [1] : v))), /field 0 \(features.event_id\) should be an id or \[orders, revisions\]/],
    [JSON.stringify(good.map((v, i) => (i === 14 ? '899' : v))), /field 14 \(clvMinor\) should be a number, got "899"/],
    [JSON.stringify(good.map((v, i) => (i === 17 ? [0, 1] : v))), /not a score state's interval of state format 5: expected 3 fields, got 2/],
  ];
  for (const [text, message] of cases) assert.throws(() => scoreStateCodec.decode(text, 'C-loyal'), message);
});
