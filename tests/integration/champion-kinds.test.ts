/**
 * Whatever kind the champion is — BG/NBD + Gamma-Gamma, its seasonal form, their ensemble, or
 * the LSTM — the real stack (Kafka + Apicurio + Redis) scores every customer with it: a
 * synthetic shop streams through the processors, each kind is trained from the features in
 * Redis, the pipeline re-scores everyone with it, and the scores published to Kafka (and kept
 * in Redis) equal that model's batch predictions customer by customer, naming its kind and
 * version. The LSTM's batch predictions are made from the full purchase histories, as training
 * and evaluation make them; the stream scores from the bounded history the features carry,
 * re-scoring and, for the shop's last quarter streamed with the LSTM as champion, live.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { KafkaEventLog } from '../../adapters/kafka/kafka-event-log.js';
import { SchemaRegistryCodec } from '../../adapters/avro/schema-registry-codec.js';
import { loadConfig } from '../../config/config.js';
import { dayIndexer, dayIndexOfDate, endOfDayMs } from '../../core/calendar.js';
import type { ClvScoreEvent } from '../../core/events.js';
import { Topics, topicSpecs } from '../../core/topics.js';
import { dailyRepeatPurchases } from '../../models/kinds/train-seasonal-model.js';
import { trainScoringModel, type ScoringChoice } from '../../models/kinds/train-scoring-model.js';
import { trainingSettingsFrom } from '../../models/kinds/train-customer-value-model.js';
import { purchaseDayValues } from '../../processors/features/customer-purchase-history.js';
import { summarizePurchaseDays, toModelInput } from '../../core/repeat-purchase-summary.js';
import { LstmModel } from '../../models/kinds/lstm-model.js';
import { trainLstmModel } from '../../models/kinds/train-lstm-model.js';
import { Pipeline } from '../../processors/pipeline.js';
import { modelInputOf, type CustomerScoreState } from '../../processors/scoring/customer-scorer.js';
import { publishMessages } from '../../producers/publish-messages.js';
import { generateSyntheticHistory } from '../../producers/synthetic/synthetic-history.js';
import { modelInputsAsOf } from '../../training/model-inputs-as-of.js';
import { defaultPolicy } from '../support/embedded-pipeline.js';
import { runScoped, services } from './support/services.js';
import { resetStack } from './support/stack.js';
import { redisStateStores, type RedisStateStores } from '../../app/redis-state-stores.js';

const prefix = runScoped('kinds');
const dayOf = dayIndexer('UTC');
const asOfMs = endOfDayMs(dayIndexOfDate('2023-12-31'), 'UTC');
const config = loadConfig({});
let log: KafkaEventLog;
let codec: SchemaRegistryCodec;
let stores: RedisStateStores;
let pipeline: Pipeline;
/** The shop's events after the as-of: streamed with the LSTM as champion. */
let later: ReturnType<typeof generateSyntheticHistory>['messages'];

before(async () => {
  await resetStack({ topics: true });
  log = new KafkaEventLog({ brokers: services.kafkaBrokers });
  codec = new SchemaRegistryCodec({ url: services.schemaRegistryUrl });
  await codec.registerAll();
  await log.createTopics(topicSpecs(4));
  stores = redisStateStores(services.redisUrl, { prefix });
  pipeline = new Pipeline({
    log, codec, stores,
    validation: { currency: 'USD', maxFutureSkewMs: 86_400_000, now: Date.now },
    scoring: { dayOf, policy: defaultPolicy, hysteresis: 0.1, minorPerUnit: 100 },
    partitions: 4, batchSize: 500,
  });
  await pipeline.start();
  const shop = generateSyntheticHistory({ customers: 1200, seed: 21, start: '2022-01-01', end: '2024-03-31', noise: { duplicateRate: 0.01, reorderRate: 0.02, lateRate: 0, invalidRate: 0, poisonRate: 0 } });
  const timeOf = (m: (typeof shop.messages)[number]) => ('value' in m && m.value ? m.value.event_time : 0);
  later = shop.messages.filter((m) => timeOf(m) > asOfMs);
  await publishMessages(log, codec, shop.messages.filter((m) => timeOf(m) <= asOfMs));
  await pipeline.waitUntilIdle();
});

after(async () => {
  await pipeline?.stop();
  await log?.close();
  const { Redis } = await import('ioredis');
  const redis = new Redis(services.redisUrl);
  for (const store of Object.values(stores ?? {})) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', store.layout.pattern, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
  await redis.quit();
  await Promise.all(Object.values(stores ?? {}).map((s) => s.close()));
});

/** Every customer's features and the batch inputs of training, read from Redis. */
async function trainingData() {
  const { ids, inputs } = await modelInputsAsOf(stores.histories, asOfMs, 7, dayOf, 100);
  const days: Array<Array<[number, number]>> = [];
  for await (const page of stores.histories.scan(1000)) {
    for (const [, h] of page) days.push(h.orders.filter((o) => o.status === 'ACTIVE').map((o) => [o.day, o.net] as [number, number]));
  }
  return { ids, inputs, repeats: dailyRepeatPurchases(days, dayOf(asOfMs)) };
}

const choices: Array<[string, ScoringChoice]> = [
  ['bgnbd-gamma-gamma', { model: 'bgnbd' }],
  ['seasonal-bgnbd-gamma-gamma', { model: 'seasonal' }],
  ['ensemble', { model: 'ensemble', weights: { bgnbd: 0.4, seasonal: 0.6 } }],
];

for (const [kind, choice] of choices) {
  test(`a ${kind} champion scores every customer on the real stack exactly as its batch predictions`, async () => {
    const data = await trainingData();
    assert.ok(data.ids.length > 1000, `customers in Redis: ${data.ids.length}`);
    const model = await trainScoringModel(choice, data, trainingSettingsFrom(config, `${prefix}-${kind}`), config.holidays);
    assert.equal(model.kind, kind);
    pipeline.useModel(model);
    const summary = await pipeline.rescore({ asOfMs });
    assert.ok(summary.rescored >= data.ids.length, JSON.stringify(summary));

    // The states in Redis: each customer's CLV is the model's own prediction as of the as-of.
    const states = await scoreStates();
    assert.ok(states.size >= data.ids.length, `${states.size} score states for ${data.ids.length} customers with purchases`);
    for (const [id, st] of states) {
      assert.equal(st.modelVersion, model.version, id);
      const expected = model.predict(modelInputOf(st.features, asOfMs, model.periodDays, dayOf, 100));
      assert.equal(st.clvMinor, Math.round(expected.clv * 100), `${id}: stored ${st.clvMinor}, batch ${expected.clv}`);
    }

    // The events on Kafka: the latest score of each customer by this version carries the kind and the same CLV.
    const seen = new Map<string, ClvScoreEvent>();
    const consumer = await log.consume({
      groupId: `${prefix}-${kind}-reader`, topics: [Topics.scores], fromBeginning: true,
      eachBatch: async (batch) => {
        for (const m of batch.messages) {
          const e = (await codec.decode(Topics.scores, m.value!)) as ClvScoreEvent;
          if (e.model_version === model.version) seen.set(e.customer_id, e);
        }
      },
    });
    const deadline = Date.now() + 60_000;
    while (seen.size < states.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    await consumer.stop();
    assert.equal(seen.size, states.size, 'a score event per customer for this version');
    for (const [id, e] of seen) {
      assert.equal(e.model_kind, kind, id);
      assert.equal(e.clv_minor, states.get(id)!.clvMinor, id);
    }
  });
}

/** Every customer's purchase days up to `asOfDay` (compacted days included) with their model inputs, from Redis. */
async function purchaseHistories(asOfDay: number) {
  const out = new Map<string, { input: ReturnType<typeof toModelInput>; days: Array<[number, number]> }>();
  for await (const page of stores.histories.scan(1000)) {
    for (const [id, h] of page) {
      const days = [...purchaseDayValues(h)].filter(([day]) => day <= asOfDay);
      const summary = summarizePurchaseDays(days);
      if (summary) out.set(id, { input: toModelInput(summary, asOfDay, 7, 100), days });
    }
  }
  return out;
}

/** The score states of customers with an active order; one whose every order is voided must hold no score (withdrawn). */
async function scoreStates(): Promise<Map<string, CustomerScoreState>> {
  const states = new Map<string, CustomerScoreState>();
  for await (const page of stores.scores.scan(1000)) {
    for (const [id, st] of page) {
      if (st.features.purchase_days > 0) states.set(id, st);
      else assert.equal(st.segment, null, `${id}: every order voided, yet scored`);
    }
  }
  return states;
}

/**
 * The LSTM's batch predictions (from each customer's full purchase history, as training and
 * evaluation build rows) as of each state's own as-of, in minor units.
 */
async function lstmBatchClvs(model: LstmModel, states: ReadonlyMap<string, CustomerScoreState>): Promise<Map<string, number>> {
  const histories = await purchaseHistories(Infinity);
  // Every state here has an active order (scoreStates); one without a history would be a bug.
  const voided = [...states.keys()].filter((id) => !histories.has(id));
  const raw = await stores.histories.getMany(voided);
  for (const id of voided) assert.ok(raw.get(id) && summarizePurchaseDays(purchaseDayValues(raw.get(id)!)) === null, `${id}: scored, but no history`);
  assert.ok(voided.length < states.size / 100, `${voided.length} customers with every order voided`);
  const ids = [...states.keys()].filter((id) => histories.has(id));
  const predicted = await model.predictHistories(ids.map((id) => ({ input: modelInputOf(states.get(id)!.features, states.get(id)!.asOfMs!, model.periodDays, dayOf, 100), days: histories.get(id)!.days })));
  return new Map(ids.map((id, i) => [id, Math.round(predicted[i].clv * 100)]));
}

// Exact equality in minor units, as for the other kinds: the stream and the batch feed the
// network the same float32 rows (sequenceRowOf builds both), and the kind's forward pass
// (lstm-clv-forward.ts) computes each row on its own, whatever else is in the call.
test('an lstm champion scores every customer on the real stack exactly as its batch predictions, re-scored and live', async () => {
  const asOfDay = dayOf(asOfMs);
  const customers = [...(await purchaseHistories(asOfDay)).values()];
  assert.ok(customers.length > 1000, `customers in Redis: ${customers.length}`);
  const model = await trainLstmModel({ asOfDay, customers }, trainingSettingsFrom(config, `${prefix}-lstm`), { maxEpochs: 3, seed: 1, logger: { info: () => {} } });
  assert.equal(model.kind, 'lstm');
  pipeline.useModel(model);
  const summary = await pipeline.rescore({ asOfMs });
  const states = await scoreStates();
  assert.ok(summary.rescored >= customers.length && states.size >= customers.length, JSON.stringify(summary));
  const batch = await lstmBatchClvs(model, states);
  assert.ok(batch.size > states.size * 0.99, `${batch.size} batch predictions for ${states.size} customers`);
  for (const [id, st] of states) {
    assert.equal(st.modelVersion, model.version, id);
    if (batch.has(id)) assert.equal(st.clvMinor, batch.get(id), `${id}: stored ${st.clvMinor}, batch ${batch.get(id)}`);
    assert.ok(st.interval !== null && st.interval.level === 0.8 && st.interval.lowerMinor <= st.interval.upperMinor, `${id}: ${JSON.stringify(st.interval)}`);
  }
  const seen = await latestScores(model.version, states.size);
  assert.equal(seen.size, states.size, 'a score event per customer for this version');
  for (const [id, e] of seen) {
    assert.equal(e.model_kind, 'lstm', id);
    assert.equal(e.clv_minor, states.get(id)!.clvMinor, id);
  }

  // The shop's next quarter streams through with the LSTM as champion: the scoring processor
  // predicts each batch in one call, from the features' bounded history.
  const batchesBefore = pipeline.scoring.stats.batches;
  await publishMessages(log, codec, later);
  await pipeline.waitUntilIdle();
  assert.ok(pipeline.scoring.stats.batches > batchesBefore, 'the stream scored new features');
  const live = new Map([...(await scoreStates())].filter(([, st]) => st.features.event_time > asOfMs));
  assert.ok(live.size > 100, `${live.size} customers bought after the as-of`);
  const liveBatch = await lstmBatchClvs(model, live);
  assert.equal(liveBatch.size, live.size, 'every customer scored live has a purchase history');
  for (const [id, st] of live) {
    assert.equal(st.modelVersion, model.version, id);
    assert.equal(st.clvMinor, liveBatch.get(id), `${id}: streamed ${st.clvMinor}, batch ${liveBatch.get(id)}`);
  }
  await model.dispose();
});

/** The latest score event of each customer by `version` on Kafka, waiting for `expected` of them (at most 60 s). */
async function latestScores(version: string, expected: number): Promise<Map<string, ClvScoreEvent>> {
  const seen = new Map<string, ClvScoreEvent>();
  const consumer = await log.consume({
    groupId: `${prefix}-${version}-reader`, topics: [Topics.scores], fromBeginning: true,
    eachBatch: async (batch) => {
      for (const m of batch.messages) {
        const e = (await codec.decode(Topics.scores, m.value!)) as ClvScoreEvent;
        if (e.model_version === version) seen.set(e.customer_id, e);
      }
    },
  });
  const deadline = Date.now() + 60_000;
  while (seen.size < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  await consumer.stop();
  return seen;
}
