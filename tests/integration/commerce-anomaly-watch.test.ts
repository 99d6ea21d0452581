/**
 * The anomaly watch on the real services: a shop's orders and payments in a run-scoped
 * ClickHouse database (as the sink writes them), judged through the ClickHouse store's
 * commerceVolumes, the unusual days encoded with the schema registry's clv.anomalies.v1 schema
 * and published to Kafka — to a run-scoped copy of the topic, so that nothing lands on the
 * product's topic other suites' sinks read — and consumed back, decoded, equal.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import { SchemaRegistryCodec } from '../../adapters/avro/schema-registry-codec.js';
import { KafkaEventLog } from '../../adapters/kafka/kafka-event-log.js';
import { DEFAULT_DETECTOR_OPTIONS } from '../../anomalies/seasonal-anomaly-detector.js';
import { CommerceAnomalyWatch } from '../../app/commerce-anomaly-watch.js';
import { rowsOfEvent } from '../../consumers/clickhouse-sink/analytics-rows.js';
import type { CommerceAnomalyEvent } from '../../core/events.js';
import type { AnalyticsTable } from '../../core/ports/analytics-store.js';
import type { EventLog } from '../../core/ports/event-log.js';
import { Topics } from '../../core/topics.js';
import { dailyShopEvents } from '../support/daily-shop-events.js';
import { openTestDatabase, type TestDatabase } from './clickhouse-test-database.js';
import { runScoped, services } from './support/services.js';
import { until } from './support/stack.js';

const plant = { '2024-04-10': 3, '2024-04-24': 0, '2024-05-08': 0.2 };
const topic = runScoped('anomalies');
let db: TestDatabase;
let kafka: KafkaEventLog;

before(async () => {
  db = await openTestDatabase('clv_anomalies');
  const byTable = new Map<AnalyticsTable, object[]>();
  for (const e of dailyShopEvents({ seed: 5, firstDate: '2024-01-01', days: 150, ordersPerDay: 120, plant })) {
    for (const { table, row } of rowsOfEvent(e.type.startsWith('ORDER') ? Topics.orders : Topics.payments, e)) byTable.set(table, [...(byTable.get(table) ?? []), row]);
  }
  for (const [table, rows] of byTable) await db.store.insert(table, rows as never[]);
  kafka = new KafkaEventLog({ brokers: services.kafkaBrokers });
  await kafka.createTopics([{ name: topic, partitions: 1, compacted: false }]);
});

after(async () => {
  await kafka?.close();
  await db?.close();
  const admin = new kafkajs.Kafka({ brokers: services.kafkaBrokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.deleteGroups([`g-${topic}`]).catch(() => undefined);
  await admin.disconnect();
});

test('on ClickHouse, the schema registry and Kafka: the planted days are published as clv.anomalies.v1 events and read back', async () => {
  const codec = new SchemaRegistryCodec({ url: services.schemaRegistryUrl });
  await codec.registerAll();
  // The product's topic name goes to the codec (its schema); the messages to this run's copy.
  const scoped: EventLog = Object.assign(Object.create(kafka) as EventLog, { publish: (t: string, m: Parameters<EventLog['publish']>[1]) => kafka.publish(t === Topics.anomalies ? topic : t, m) });
  const watch = new CommerceAnomalyWatch({ store: db.store, log: scoped, codec, now: Date.now },
    { timeZone: 'UTC', currency: 'USD', detector: DEFAULT_DETECTOR_OPTIONS, latenessMs: 86_400_000, maxFutureSkewMs: 86_400_000, lookbackDays: 1000 });
  const look = await watch.look();
  const expected = Object.entries(plant).flatMap(([day, f]) => ['orders', 'order_value', 'payments', 'payment_value'].map((m) => `${m}:${day} ${f > 1 ? 'SPIKE' : 'DROP'}`)).sort();
  assert.deepEqual(look.published.map((e) => `${e.event_id} ${e.direction}`).sort(), expected);

  const seen: Array<{ key: string | null; event: CommerceAnomalyEvent }> = [];
  const consumer = await kafka.consume({
    groupId: `g-${topic}`, topics: [topic], fromBeginning: true,
    eachBatch: async (b) => { for (const m of b.messages) seen.push({ key: m.key, event: (await codec.decode(Topics.anomalies, m.value!)) as CommerceAnomalyEvent }); },
  });
  await until(() => seen.length === expected.length, `${expected.length} anomaly events`);
  await consumer.stop();
  const byId = (a: CommerceAnomalyEvent, b: CommerceAnomalyEvent) => (a.event_id < b.event_id ? -1 : 1);
  assert.deepEqual(JSON.parse(JSON.stringify(seen.map((s) => s.event).sort(byId))), [...look.published].sort(byId));
  assert.ok(seen.every((s) => s.key === s.event.metric), 'keyed by metric');
});
