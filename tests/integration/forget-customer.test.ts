/**
 * Erasure on the real stack: the three processors and the ClickHouse sink (production code,
 * on Kafka through run-scoped topics and groups, Redis, the schema registry and a run-scoped
 * ClickHouse database) build a customer's state; forgetCustomer (what `clv forget` and
 * DELETE /v1/customers/:id run) removes it from every Redis namespace, puts tombstones on the
 * compacted topics, deletes the ClickHouse rows with mutations, and publishes the audit record
 * the sink keeps. A customer whose id starts with the erased one's, glob characters included,
 * is untouched; the erased customer's next order starts from nothing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import { Redis } from 'ioredis';
import { SchemaRegistryCodec } from '../../adapters/avro/schema-registry-codec.js';
import { ident, sql } from '../../adapters/clickhouse/sql.js';
import { KafkaEventLog } from '../../adapters/kafka/kafka-event-log.js';
import { RedisPartitionEpochs } from '../../adapters/redis/redis-partition-epochs.js';
import { forgetCustomer } from '../../app/forget-customer.js';
import { redisStateStores } from '../../app/redis-state-stores.js';
import { compositeKey } from '../../core/composite-key.js';
import { scoringSettingsFrom } from '../../app/stream-pipeline.js';
import { loadConfig } from '../../config/config.js';
import { CLICKHOUSE_SINK_GROUP, ClickHouseSink } from '../../consumers/clickhouse-sink/clickhouse-sink.js';
import type { CustomerFeaturesEvent, OrderEvent, PaymentEvent } from '../../core/events.js';
import type { AnalyticsTable } from '../../core/ports/analytics-store.js';
import type { IncomingMessage } from '../../core/ports/event-log.js';
import { Topics } from '../../core/topics.js';
import { rfmRuleModelFrom } from '../../models/kinds/rfm-rule-model.js';
import { Pipeline } from '../../processors/pipeline.js';
import { day, payment, placed } from '../support/commerce-events.js';
import { openTestDatabase, type TestDatabase } from './clickhouse-test-database.js';
import { scopedEventLog } from './support/scoped-event-log.js';
import { runScoped, services } from './support/services.js';

const suffix = runScoped('forget').replace(/_/g, '-');
const gone = `F${process.pid}*[x]`;
const sibling = `${gone}/B`;
const other = `F${process.pid}-other`;
const customers = [gone, sibling, other];
const config = loadConfig({ ...process.env, CLV_PARTITIONS: '4' });
const kafka = new KafkaEventLog({ brokers: services.kafkaBrokers, retry: { maxRetryTimeMs: 1_000 } });
const log = scopedEventLog(kafka, suffix);
const codec = new SchemaRegistryCodec({ url: services.schemaRegistryUrl });
const redis = new Redis(services.redisUrl);
const stores = redisStateStores(redis);
let db: TestDatabase;
let pipeline: Pipeline;
let sink: ClickHouseSink;

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function order(customer: string, orderId: string, amount: number, at: number): Promise<void> {
  const events: Array<[string, OrderEvent | PaymentEvent]> = [
    [Topics.orders, placed(orderId, amount, at, customer, ['music'])],
    [Topics.payments, payment('PAYMENT_CAPTURED', orderId, amount, at + 60_000, '', customer)],
  ];
  for (const [topic, e] of events) await log.publish(topic, [{ key: customer, value: await codec.encode(topic, e) }]);
}

/** Every processor group and the sink have committed everything. */
async function settled(): Promise<void> {
  await until(async () => {
    let lag = 0;
    for (const { processor } of pipeline.runners) lag += await log.lag(processor.name, [...processor.inputTopics]);
    return lag + (await log.lag(CLICKHOUSE_SINK_GROUP, Object.values(Topics))) === 0;
  }, 'the processors and the sink to catch up');
}

/** The customer's Redis keys in every namespace: their history and score, and their ledgers compositeKey(customer, order) (the test's order ids have no '/'). */
async function redisKeysOf(customer: string): Promise<string[]> {
  const found: string[] = [];
  for (const store of Object.values(stores)) {
    const ledger = store === stores.ledgers;
    const own = ledger ? compositeKey(customer) : customer;
    for await (const page of store.scanPrefix(own, 100)) {
      for (const [key] of page) {
        const rest = key.slice(own.length);
        if (ledger ? rest.startsWith('/') && !rest.slice(1).includes('/') : rest === '') found.push(`${store.layout.namespace}:${key}`);
      }
    }
  }
  return found.sort();
}

async function rowsOf(table: AnalyticsTable, column: string, customer: string): Promise<number> {
  const [row] = await db.store.connection.select<{ n: string }>(sql`SELECT toString(count()) AS n FROM ${ident(db.database, table)} WHERE ${ident(column)} = ${customer}`);
  return Number(row.n);
}

before(async () => {
  await codec.registerAll();
  db = await openTestDatabase('clv_forget');
  pipeline = new Pipeline({
    // Fenced as in production, with epochs of this run's own (the groups are run-scoped too).
    log, codec, stores, epochs: { take: (group) => new RedisPartitionEpochs(redis).take(log.scoped(group)) },
    validation: { currency: config.currency, maxFutureSkewMs: config.maxFutureSkewMs, now: Date.now },
    scoring: scoringSettingsFrom(config), partitions: 4, batchSize: 500,
  });
  pipeline.useModel(rfmRuleModelFrom(config));
  await pipeline.start();
  sink = new ClickHouseSink({ log, codec, store: db.store }, { maxDelayMs: 100 });
  await sink.start();
});

after(async () => {
  await pipeline?.stop();
  await sink?.stop();
  for (const c of customers) {
    for (const store of Object.values(stores)) {
      const keys: string[] = [];
      for await (const page of store.scanPrefix(store === stores.ledgers ? compositeKey(c) : c, 100)) keys.push(...page.map((entry: [string, unknown]) => entry[0]));
      await store.deleteMany(keys);
    }
  }
  await kafka.close();
  await db?.close();
  await redis.del(...pipeline.runners.map((r) => RedisPartitionEpochs.keyOf(log.scoped(r.processor.name))));
  redis.disconnect();
  const admin = new kafkajs.Kafka({ brokers: services.kafkaBrokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  const mine = (name: string) => name.endsWith(`.${suffix}`);
  await admin.deleteTopics({ topics: (await admin.listTopics()).filter(mine) }).catch(() => undefined);
  await admin.deleteGroups((await admin.listGroups()).groups.map((g) => g.groupId).filter(mine)).catch(() => undefined);
  await admin.disconnect();
});

test('forget on the real stack: Redis, compacted topics and ClickHouse forget the customer; the audit record is kept; the next order starts from nothing', async () => {
  for (const [customer, orders] of [[gone, 3], [sibling, 2], [other, 1]] as const) {
    for (let i = 0; i < orders; i++) await order(customer, `O${i}`, 1_000 * (i + 1), day(10 + 30 * i));
  }
  await until(async () => (await stores.scores.getMany(customers)).size === 3, 'the three customers to be scored');
  await settled();
  assert.deepEqual(await redisKeysOf(gone), [`histories:${gone}`, ...['O0', 'O1', 'O2'].map((o) => `ledgers:${compositeKey(gone, o)}`), `scores:${gone}`].sort());
  assert.ok((await rowsOf('orders', 'customer_id', gone)) > 0);

  const record = await forgetCustomer({ stores, log, codec, analytics: db.store }, gone, 'cli:integration-test');
  assert.equal(record.state_keys_deleted, 5);

  assert.deepEqual(await redisKeysOf(gone), [], 'no key of the customer in any namespace');
  assert.deepEqual(await redisKeysOf(sibling), [`histories:${sibling}`, ...['O0', 'O1'].map((o) => `ledgers:${compositeKey(sibling, o)}`), `scores:${sibling}`].sort());
  const tables: Array<[AnalyticsTable, string]> = [
    ['orders', 'customer_id'], ['order_line_items', 'customer_id'], ['payments', 'customer_id'], ['purchases', 'customer_id'],
    ['customer_features', 'customer_id'], ['clv_scores', 'customer_id'], ['segment_changes', 'customer_id'], ['dead_letters', 'key'],
  ];
  for (const [table, column] of tables) {
    assert.equal(await rowsOf(table, column, gone), 0, `${table} has no row of the erased customer`);
    if (column === 'customer_id') assert.ok((await rowsOf(table, column, sibling)) > 0, `${table} keeps the sibling's rows`);
  }

  // The tombstones are on the broker: the last record of the customer on each compacted topic has no value.
  const lastOf = new Map<string, IncomingMessage>();
  const reader = await log.consume({ groupId: 'tombstone-reader', topics: [Topics.features, Topics.scores], fromBeginning: true, eachBatch: async (b) => {
    for (const m of b.messages) if (m.key === gone) lastOf.set(m.topic, m);
  } });
  await until(async () => (await log.lag('tombstone-reader', [Topics.features, Topics.scores])) === 0, 'the tombstone reader');
  await reader.stop();
  assert.equal(lastOf.get(Topics.features)?.value, null);
  assert.equal(lastOf.get(Topics.scores)?.value, null);

  // The audit record reaches the erasures table through the sink; tombstones are no rows and no dead letters.
  await settled();
  const audit = await db.store.readAll('erasures');
  assert.deepEqual(audit.map((r) => [r.customer_id, r.event_id, r.requested_by, r.state_keys_deleted]), [[gone, record.event_id, 'cli:integration-test', 5]]);
  assert.equal(await rowsOf('dead_letters', 'key', gone), 0);
  assert.equal(sink.stats.undecodable[Topics.features] ?? 0, 0);

  // The erased customer orders again: a first purchase, nothing remembered.
  await order(gone, 'O9', 777, day(300));
  await until(async () => (await stores.scores.getMany([gone])).size === 1, 'the new score');
  const state = (await stores.scores.getMany([gone])).get(gone) as unknown as { features: CustomerFeaturesEvent };
  assert.equal(state.features.purchase_days, 1);
  assert.equal(state.features.total_value_minor, 777);
});
