/**
 * Whatever kind the champion is — BG/NBD + Gamma-Gamma, its seasonal form, or their
 * ensemble — the real stack (Kafka + Apicurio + Redis) scores every customer with it: a
 * synthetic shop streams through the processors, each kind is trained from the features in
 * Redis, the pipeline re-scores everyone with it, and the scores published to Kafka (and kept
 * in Redis) equal that model's batch predictions customer by customer, naming its kind and
 * version.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { KafkaEventLog } from '../../adapters/kafka/kafka-event-log.js';
import { RedisStateStore } from '../../adapters/redis/redis-state-store.js';
import { SchemaRegistryCodec } from '../../adapters/avro/schema-registry-codec.js';
import { loadConfig } from '../../config/config.js';
import { dayIndexer, dayIndexOfDate, endOfDayMs } from '../../core/calendar.js';
import type { ClvScoreEvent } from '../../core/events.js';
import { Topics, topicSpecs } from '../../core/topics.js';
import { dailyRepeatPurchases } from '../../models/kinds/train-seasonal-model.js';
import { trainScoringModel, type ScoringChoice } from '../../models/kinds/train-scoring-model.js';
import { trainingSettingsFrom } from '../../models/kinds/train-customer-value-model.js';
import type { CustomerPurchaseHistory } from '../../processors/features/customer-purchase-history.js';
import { Pipeline } from '../../processors/pipeline.js';
import { modelInputOf, type CustomerScoreState } from '../../processors/scoring/customer-scorer.js';
import { publishMessages } from '../../producers/publish-messages.js';
import { generateSyntheticHistory } from '../../producers/synthetic/synthetic-history.js';
import { modelInputsAsOf } from '../../training/model-inputs-as-of.js';
import { defaultPolicy } from '../support/embedded-pipeline.js';
import { runScoped, services } from './support/services.js';
import { resetStack } from './support/stack.js';

const prefix = runScoped('kinds');
const dayOf = dayIndexer('UTC');
const asOfMs = endOfDayMs(dayIndexOfDate('2023-12-31'), 'UTC');
const config = loadConfig({});
let log: KafkaEventLog;
let codec: SchemaRegistryCodec;
let stores: { ledgers: RedisStateStore<never>; histories: RedisStateStore<never>; scores: RedisStateStore<never> };
let pipeline: Pipeline;

before(async () => {
  await resetStack({ topics: true });
  log = new KafkaEventLog({ brokers: services.kafkaBrokers });
  codec = new SchemaRegistryCodec({ url: services.schemaRegistryUrl });
  await codec.registerAll();
  await log.createTopics(topicSpecs(4));
  stores = {
    ledgers: new RedisStateStore<never>({ redis: services.redisUrl, namespace: `${prefix}_ledgers` }),
    histories: new RedisStateStore<never>({ redis: services.redisUrl, namespace: `${prefix}_histories` }),
    scores: new RedisStateStore<never>({ redis: services.redisUrl, namespace: `${prefix}_scores` }),
  };
  pipeline = new Pipeline({
    log, codec, stores,
    validation: { currency: 'USD', maxFutureSkewMs: 86_400_000, now: Date.now },
    scoring: { dayOf, policy: defaultPolicy, hysteresis: 0.1, minorPerUnit: 100 },
    partitions: 4, batchSize: 500,
  });
  await pipeline.start();
  const shop = generateSyntheticHistory({ customers: 1200, seed: 21, start: '2022-01-01', end: '2023-12-31', noise: { duplicateRate: 0.01, reorderRate: 0.02, lateRate: 0, invalidRate: 0, poisonRate: 0 } });
  await publishMessages(log, codec, shop.messages);
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
  const { ids, inputs } = await modelInputsAsOf(stores.histories as unknown as RedisStateStore<CustomerPurchaseHistory>, asOfMs, 7, dayOf, 100);
  const days: Array<Array<[number, number]>> = [];
  for await (const page of (stores.histories as unknown as RedisStateStore<CustomerPurchaseHistory>).scan(1000)) {
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
    const states = new Map<string, CustomerScoreState>();
    for await (const page of (stores.scores as unknown as RedisStateStore<CustomerScoreState>).scan(1000)) for (const [id, st] of page) states.set(id, st);
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
