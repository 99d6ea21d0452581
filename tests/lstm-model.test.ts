/**
 * The `lstm` scoring kind (models/kinds/lstm-model.ts) on the embedded pipeline: trained on
 * the feature store's histories, it scores from the streaming features' bounded history
 * exactly what it predicts from the full histories (the batch path of training and
 * evaluation), in one predictBatch call per processor batch and per re-score page.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexer, dayIndexOfDate, endOfDayMs } from '../core/calendar.js';
import type { CustomerPrediction, ScoringInput } from '../core/customer-value-model.js';
import { ClvError } from '../core/errors.js';
import { summarizePurchaseDays, toModelInput } from '../core/repeat-purchase-summary.js';
import { modelFromArtifact } from '../models/kinds/model-kinds.js';
import { LstmModel } from '../models/kinds/lstm-model.js';
import { trainLstmModel } from '../models/kinds/train-lstm-model.js';
import { trainingSettingsFrom } from '../models/kinds/train-customer-value-model.js';
import { loadConfig } from '../config/config.js';
import { purchaseDayValues, type CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';
import { modelInputOf, type CustomerScoreState } from '../processors/scoring/customer-scorer.js';
import { publishMessages } from '../producers/publish-messages.js';
import { generateSyntheticHistory } from '../producers/synthetic/synthetic-history.js';
import { embeddedPipeline } from './support/embedded-pipeline.js';

const dayOf = dayIndexer('UTC');
const cutMs = endOfDayMs(dayIndexOfDate('2023-12-31'), 'UTC');
const silent = { info: () => {} };
const settings = trainingSettingsFrom(loadConfig({}), 'lstm-test');

let ctx: ReturnType<typeof embeddedPipeline>;
let model: LstmModel;
let later: ReturnType<typeof generateSyntheticHistory>['messages'];

/** Each customer's purchase days and model inputs as of `asOfDay`, from the feature store. */
async function histories(asOfDay: number) {
  const out = new Map<string, { input: ReturnType<typeof toModelInput>; days: Array<[number, number]> }>();
  for await (const page of (ctx.stores.histories as unknown as { scan(n: number): AsyncIterable<Array<[string, CustomerPurchaseHistory]>> }).scan(1000)) {
    for (const [id, h] of page) {
      const days = [...purchaseDayValues(h)].filter(([day]) => day <= asOfDay);
      const summary = summarizePurchaseDays(days);
      if (summary) out.set(id, { input: toModelInput(summary, asOfDay, 7, 100), days });
    }
  }
  return out;
}

/** The model's batch predictions, from the full histories, for these customers as of their own as-of. */
async function batchPredictions(states: ReadonlyMap<string, CustomerScoreState>): Promise<Map<string, CustomerPrediction>> {
  const all = await histories(Infinity);
  const ids = [...states.keys()];
  const items = ids.map((id) => ({ input: modelInputOf(states.get(id)!.features, states.get(id)!.asOfMs!, 7, dayOf, 100), days: all.get(id)!.days }));
  const predicted = await model.predictHistories(items);
  return new Map(ids.map((id, i) => [id, predicted[i]]));
}

/** The score states of customers with an active order (those whose every order is voided have no score to compare). */
async function scoreStates(): Promise<Map<string, CustomerScoreState>> {
  const states = new Map<string, CustomerScoreState>();
  for await (const page of ctx.stores.scores.scan(1000)) for (const [id, s] of page) if (s.features.purchase_days > 0) states.set(id, s);
  return states;
}

before(async () => {
  ctx = embeddedPipeline();
  const shop = generateSyntheticHistory({ customers: 300, seed: 5, start: '2022-01-01', end: '2024-03-31', noise: { duplicateRate: 0.01, reorderRate: 0.02, lateRate: 0, invalidRate: 0, poisonRate: 0 } });
  const timeOf = (m: (typeof shop.messages)[number]) => ('value' in m && m.value ? m.value.event_time : 0);
  const early = shop.messages.filter((m) => timeOf(m) <= cutMs);
  later = shop.messages.filter((m) => timeOf(m) > cutMs);
  await ctx.pipeline.start();
  await publishMessages(ctx.log, ctx.codec, early);
  await ctx.pipeline.waitUntilIdle();
  const asOfDay = dayOf(cutMs);
  model = await trainLstmModel({ asOfDay, customers: [...(await histories(asOfDay)).values()] }, settings, { maxEpochs: 2, seed: 1, logger: silent });
});

test('trains a deployable lstm model whose artifact loads through the one loader of every kind', () => {
  assert.equal(model.kind, 'lstm');
  assert.ok(model.thresholds.highClvMinor >= model.thresholds.mediumClvMinor && model.thresholds.mediumClvMinor > 0, JSON.stringify(model.thresholds));
  const loaded = modelFromArtifact('v', 'lstm', JSON.parse(JSON.stringify(model.toJSON())));
  assert.ok(loaded instanceof LstmModel);
  assert.deepEqual(loaded.toJSON(), model.toJSON());
});

test('refuses to score one customer at a time, and a network reading more history than the features carry', () => {
  assert.throws(() => model.predict({ frequency: 1, recency: 1, T: 2, monetaryValue: 10, asOfDay: 0 }), ClvError);
  const json = model.toJSON();
  const wide = { ...json, network: { ...json.network, features: { ...json.network.features, periods: 27 }, architecture: { ...json.network.architecture, periods: 27 } } };
  assert.throws(() => modelFromArtifact('v', 'lstm', wide), /reads 189 days of history; the streaming features carry 182/);
});

test('a re-score with the lstm champion stores, for every customer, its batch prediction from the full history', async () => {
  const calls: number[] = [];
  const inner = model.predictBatch.bind(model);
  model.predictBatch = async (inputs: readonly ScoringInput[]) => { calls.push(inputs.length); return inner(inputs); };
  ctx.pipeline.useModel(model);
  const summary = await ctx.pipeline.rescore({ asOfMs: cutMs });
  const states = await scoreStates();
  assert.ok(states.size > 200 && summary.rescored === states.size, JSON.stringify(summary));
  // Pages of 5,000: one inference for all of them.
  assert.deepEqual(calls, [states.size]);
  const expected = await batchPredictions(states);
  for (const [id, s] of states) {
    assert.equal(s.modelVersion, model.version);
    const e = expected.get(id)!;
    assert.equal(s.clvMinor, Math.round(e.clv * 100), `${id}: streamed ${s.clvMinor}, batch ${e.clv}`);
    assert.ok(s.interval && s.interval.lowerMinor <= s.clvMinor + 1 && s.interval.level === 0.8, `${id}: ${JSON.stringify(s.interval)}`);
  }
});

test('events streamed with the lstm champion are scored one inference per processor batch, as the batch predictions', async () => {
  const calls: number[] = [];
  const inner = LstmModel.prototype.predictBatch;
  model.predictBatch = async function (this: LstmModel, inputs: readonly ScoringInput[]) { calls.push(inputs.length); return inner.call(model, inputs); };
  ctx.pipeline.useModel(model);
  const before = ctx.pipeline.scoring.stats.batches;
  await publishMessages(ctx.log, ctx.codec, later);
  await ctx.pipeline.waitUntilIdle();
  const batches = ctx.pipeline.scoring.stats.batches - before;
  assert.ok(batches > 0);
  assert.equal(calls.length, batches, 'one predictBatch per scoring batch');
  const states = new Map([...(await scoreStates())].filter(([, s]) => s.features.event_time > cutMs));
  assert.ok(states.size > 20, `${states.size} customers bought after the cut`);
  const expected = await batchPredictions(states);
  for (const [id, s] of states) assert.equal(s.clvMinor, Math.round(expected.get(id)!.clv * 100), id);
});
