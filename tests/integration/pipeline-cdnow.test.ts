/**
 * The whole pipeline on the real stack (Kafka + Apicurio + Redis), run as `clv` processes:
 * CDNOW_sample replayed as order and payment events must reconcile exactly with the file,
 * through a processor killed mid-stream, a poison message, a Redis rebuilt from a Kafka
 * replay, and two processor instances sharing the partitions.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { ClickHouseAnalyticsStore } from '../../adapters/clickhouse/clickhouse-analytics-store.js';
import { ident, sql } from '../../adapters/clickhouse/sql.js';
import { KafkaEventLog } from '../../adapters/kafka/kafka-event-log.js';
import { RedisStateStore } from '../../adapters/redis/redis-state-store.js';
import { SchemaRegistryCodec } from '../../adapters/avro/schema-registry-codec.js';
import { dayIndexer, instantOfLocalTime } from '../../core/calendar.js';
import type { ClvScoreEvent, DeadLetterEvent } from '../../core/events.js';
import { Topics, topicSpecs } from '../../core/topics.js';
import { publishMessages, type ProducerMessage } from '../../producers/publish-messages.js';
import { transactionEvents } from '../../producers/transaction-events.js';
import { readTransactionFile } from '../../producers/transaction-file.js';
import { summarizeHistory, type CustomerPurchaseHistory } from '../../processors/features/customer-purchase-history.js';
import { processorStateCodecs } from '../../processors/state-codecs.js';
import { cdnowPath } from '../support/cdnow.js';
import { services } from './support/services.js';
import { clv, clvOk, resetStack, stackEnv, until, waitForCatchUp } from './support/stack.js';

const sample = cdnowPath('CDNOW_sample.txt');
let log: KafkaEventLog;
let codec: SchemaRegistryCodec;
let histories: RedisStateStore<CustomerPurchaseHistory>;
let messages: ProducerMessage[];
const expected = new Map<string, { days: number; valueMinor: number }>();

before(async () => {
  if (!existsSync(sample)) throw new Error(`CDNOW data not found at ${sample}: the integration suite needs ../shared/data (or CLV_DATA_DIR)`);
  await resetStack({ topics: true });
  log = new KafkaEventLog({ brokers: services.kafkaBrokers });
  codec = new SchemaRegistryCodec({ url: services.schemaRegistryUrl });
  await codec.registerAll();
  await log.createTopics(topicSpecs(Number(stackEnv.CLV_PARTITIONS)));
  histories = new RedisStateStore({ redis: stackEnv.CLV_REDIS_URL as string, namespace: 'histories', codec: processorStateCodecs.histories });
  const transactions = readTransactionFile(sample, { format: 'cdnow', minorPerUnit: 100, dayOf: dayIndexer('UTC') });
  const noon = instantOfLocalTime('UTC');
  messages = transactions
    .flatMap((t) => transactionEvents(t, { currency: 'USD', source: 'sample', timeOfDay: (d) => noon(d, 12) }))
    .sort((a, b) => a.value.event_time - b.value.event_time);
  const days = new Map<string, Map<number, number>>();
  for (const t of transactions) {
    const d = days.get(t.customerId) ?? new Map<number, number>();
    d.set(t.day, (d.get(t.day) ?? 0) + t.amountMinor);
    days.set(t.customerId, d);
  }
  for (const [id, d] of days) expected.set(id, { days: d.size, valueMinor: [...d.values()].reduce((a, b) => a + b, 0) });
});

after(async () => {
  await log?.close();
  await histories?.close();
  const store = await ClickHouseAnalyticsStore.open({ url: services.clickhouseUrl, database: stackEnv.CLV_CLICKHOUSE_DATABASE as string, migrate: false });
  await store.connection.command(sql`DROP DATABASE IF EXISTS ${ident(stackEnv.CLV_CLICKHOUSE_DATABASE as string)}`);
  await store.close();
});

/** The analyst tables against the file: every order once, each customer's purchase days and value exactly. */
async function assertClickHouseReconciles(): Promise<void> {
  const store = await ClickHouseAnalyticsStore.open({ url: services.clickhouseUrl, database: stackEnv.CLV_CLICKHOUSE_DATABASE as string, migrate: false });
  try {
    const orders = await store.readAll('orders');
    assert.equal(orders.length, messages.length / 2, 'one row per order, redeliveries collapsed');
    const purchases = await store.purchasesAsOf(Date.UTC(2100, 0, 1));
    const dayOf = dayIndexer('UTC');
    const byCustomer = new Map<string, Map<number, number>>();
    for (const p of purchases) {
      if (p.status !== 'ACTIVE') continue;
      const d = byCustomer.get(p.customer_id) ?? new Map<number, number>();
      d.set(dayOf(p.event_time), (d.get(dayOf(p.event_time)) ?? 0) + p.net_amount_minor);
      byCustomer.set(p.customer_id, d);
    }
    assert.equal(byCustomer.size, expected.size);
    for (const [id, d] of byCustomer) {
      assert.deepEqual({ days: d.size, valueMinor: [...d.values()].reduce((a, b) => a + b, 0) }, expected.get(id), `customer ${id} in ClickHouse`);
    }
  } finally {
    await store.close();
  }
}

/** Every customer's features in Redis against the file: purchase days and value, exactly. */
async function assertFeaturesReconcile(): Promise<void> {
  let customers = 0;
  for await (const page of histories.scan(1000)) {
    for (const [id, history] of page) {
      const s = summarizeHistory(history);
      assert.deepEqual({ days: s?.purchaseDays, valueMinor: s?.totalValueMinor }, expected.get(id), `customer ${id}`);
      customers++;
    }
  }
  assert.equal(customers, expected.size, 'every customer has features');
}

async function readTopic<T>(topic: string, until_: (values: T[]) => boolean): Promise<T[]> {
  const values: T[] = [];
  const consumer = await log.consume({
    groupId: `itest-reader-${topic}-${Date.now()}`, topics: [topic], fromBeginning: true,
    eachBatch: async (b) => { for (const m of b.messages) values.push((await codec.decode(topic, m.value!)) as T); },
  });
  await until(() => until_(values), `messages on ${topic}`);
  await consumer.stop();
  return values;
}

test('CDNOW_sample replayed through Kafka reconciles exactly, though a processor is killed mid-stream', async () => {
  const first = clv(['run']);
  const half = Math.floor(messages.length / 2);
  await publishMessages(log, codec, messages.slice(0, half));
  // Kill without warning once some but not all of the first half is processed.
  await until(async () => (await log.lag('clv-purchases', [Topics.orders, Topics.payments])) < half, 'some processing', 90_000);
  first.child.kill('SIGKILL');
  await first.exited;
  const second = clv(['run']);
  await publishMessages(log, codec, messages.slice(half));
  await waitForCatchUp(log);
  await assertFeaturesReconcile();
  await assertClickHouseReconciles();
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0, second.output());
});

test('training on the streamed features reproduces the published CDNOW parameters and re-scores everyone', async () => {
  const out = await clvOk(['train', '--as-of', '1997-09-30', '--version', 'itest-v1']);
  assert.match(out, /"r":0\.2426,"alpha":4\.414,"a":0\.7929,"b":2\.426/);
  assert.match(out, /re-scored 2357 customers/);
  // Only scores whose segment or CLV changed are published (the RFM rules scored everyone
  // before): a lost customer at CLV 0 under both is not.
  const published = Number(/; (\d+) scores/.exec(out)?.[1]);
  assert.ok(published > 2300 && published <= 2357, out);
  const scores = await readTopic<ClvScoreEvent>(Topics.scores, (v) => new Set(v.filter((s) => s.model_version === 'itest-v1').map((s) => s.customer_id)).size >= published);
  const latest = scores.filter((s) => s.model_version === 'itest-v1');
  assert.ok(latest.every((s) => Number.isFinite(s.clv_minor) && s.p_alive >= 0 && s.p_alive <= 1));
});

test('a poison message lands in the dead-letter topic with a reason, and the stream goes on', async () => {
  const running = clv(['run', 'purchases']);
  await log.publish(Topics.orders, [{ key: 'C-poison', value: Buffer.from('definitely not avro') }]);
  await publishMessages(log, codec, messages.slice(0, 10)); // redelivered duplicates: no effect
  const dead = await readTopic<DeadLetterEvent>(Topics.deadLetter, (v) => v.some((d) => d.key === 'C-poison'));
  const poison = dead.find((d) => d.key === 'C-poison')!;
  assert.equal(poison.error_code, 'CLV_UNDECODABLE');
  assert.equal(Buffer.from(poison.payload).toString(), 'definitely not avro');
  running.child.kill('SIGTERM');
  await running.exited;
  const all = clv(['run']);
  await waitForCatchUp(log);
  all.child.kill('SIGTERM');
  await all.exited;
  await assertFeaturesReconcile();
});

test('features rebuilt from a Kafka replay by two instances sharing the partitions equal the originals', async () => {
  await resetStack({ topics: false }); // Redis emptied, consumer groups forgotten: replay from the start
  const instances = [clv(['run']), clv(['run'])];
  await waitForCatchUp(log, 120_000);
  for (const p of instances) p.child.kill('SIGTERM');
  await Promise.all(instances.map((p) => p.exited));
  await assertFeaturesReconcile();
});
