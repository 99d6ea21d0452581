import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AvroCodec } from '../../adapters/avro/avro-codec.js';
import { ident, sql, type SqlFragment } from '../../adapters/clickhouse/sql.js';
import { InMemoryEventLog } from '../../adapters/in-memory/in-memory-event-log.js';
import { CLICKHOUSE_SINK_GROUP, ClickHouseSink } from '../../consumers/clickhouse-sink/clickhouse-sink.js';
import type { AnalyticsTable } from '../../core/ports/analytics-store.js';
import { Topics, topicSpecs } from '../../core/topics.js';
import { sinkEvents, sumByCustomer } from '../support/sink-events.js';
import { openTestDatabase, type TestDatabase } from './clickhouse-test-database.js';

const PARTITIONS = 4;
const ALL_TOPICS = Object.values(Topics);

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs a sink until the group has committed everything, then stops it. */
async function sinkEverything(log: InMemoryEventLog, db: TestDatabase): Promise<ClickHouseSink> {
  const sink = new ClickHouseSink({ log, codec: new AvroCodec(), store: db.store }, { maxDelayMs: 100, members: 2 });
  await sink.start();
  await until(async () => (await log.lag(CLICKHOUSE_SINK_GROUP, ALL_TOPICS)) === 0, 'the sink to commit every topic');
  await sink.stop();
  return sink;
}

const FINAL = sql`FINAL`;
const AS_STORED = sql``;

async function perCustomer(db: TestDatabase, table: string, expression: SqlFragment, final = FINAL): Promise<Map<string, number>> {
  const rows = await db.store.connection.select<{ customer_id: string; v: string }>(
    sql`SELECT customer_id, toString(${expression}) AS v FROM ${ident(db.database, table)} ${final} GROUP BY customer_id`);
  return new Map(rows.map((r) => [r.customer_id, Number(r.v)]));
}

async function count(db: TestDatabase, table: AnalyticsTable, final: SqlFragment): Promise<number> {
  const rows = await db.store.connection.select<{ n: string }>(sql`SELECT count() AS n FROM ${ident(db.database, table)} ${final}`);
  return Number(rows[0].n);
}

test('clickhouse sink: every topic end to end into ClickHouse 18.16, exact per customer, no duplicates on redelivery', async () => {
  const db = await openTestDatabase('clv_sink');
  const log = new InMemoryEventLog({ maxBackoffMs: 50 });
  const codec = new AvroCodec();
  try {
    await log.createTopics(topicSpecs(PARTITIONS));
    const events = sinkEvents(150);
    for (const [topic, messages] of events.byTopic) {
      await log.publish(topic, messages.map((m) => ({ key: m.key, value: codec.encodeSync(topic, m.value) })));
    }
    await log.publish(Topics.payments, [{ key: 'C0001', value: Buffer.from([0, 0, 0, 0, 99, 1]) }]);
    const expectedCounts: Record<string, number> = {
      orders: events.orders.length, order_line_items: events.orders.reduce((n, o) => n + o.line_items.length, 0), payments: events.payments.length,
      purchases: events.purchases.length, customer_features: events.features.length, clv_scores: events.scores.length,
      segment_changes: events.segmentChanges.length, dead_letters: events.deadLetters.length,
    };
    assert.ok(Object.values(expectedCounts).every((n) => n >= 150), 'a few hundred events of every topic');

    const sink = await sinkEverything(log, db);
    assert.deepEqual(sink.stats.undecodable, { [Topics.payments]: 1 });
    const check = async () => {
      for (const [table, n] of Object.entries(expectedCounts)) assert.equal(await count(db, table as AnalyticsTable, FINAL), n, table);
      assert.deepEqual(await perCustomer(db, 'orders', sql`sum(amount_minor)`), sumByCustomer(events.orders, (o) => o.amount_minor));
      assert.deepEqual(await perCustomer(db, 'payments', sql`sumIf(amount_minor, type = 'PAYMENT_CAPTURED') - sumIf(amount_minor, type = 'PAYMENT_REFUNDED')`),
        sumByCustomer(events.payments, (p) => (p.type === 'PAYMENT_REFUNDED' ? -p.amount_minor : p.amount_minor)));
      assert.deepEqual(await perCustomer(db, 'order_line_items', sql`sum(quantity * unit_price_minor)`),
        sumByCustomer(events.orders, (o) => o.line_items.reduce((s, i) => s + i.quantity * i.unit_price_minor, 0)));
      const latestNet = new Map(events.purchases.map((p) => [p.order_id, p])); // revisions are listed in order
      assert.deepEqual(await perCustomer(db, 'purchases_latest', sql`sum(net_amount_minor)`, AS_STORED), sumByCustomer([...latestNet.values()], (p) => p.net_amount_minor));
      assert.deepEqual(await perCustomer(db, 'clv_scores', sql`count()`), sumByCustomer(events.scores, () => 1));
    };
    await check();

    // A restarted sink whose group lost its offsets sees the whole history again.
    for (const topic of ALL_TOPICS) for (let p = 0; p < (topic === Topics.deadLetter ? 1 : PARTITIONS); p++) log.seek(CLICKHOUSE_SINK_GROUP, topic, p, 0);
    const again = await sinkEverything(log, db);
    assert.equal(again.stats.rowsWritten.orders, events.orders.length, 'every order row was written a second time');
    await check();
    await db.store.connection.command(sql`OPTIMIZE TABLE ${ident(db.database, 'orders')} FINAL`);
    assert.equal(await count(db, 'orders', AS_STORED), events.orders.length, 'merges collapse the redelivered rows physically');
  } finally {
    await log.close();
    await db.close();
  }
});
