/**
 * Erasure on the embedded default (in-process log, stores and analyst tables, the same
 * processors and sink as production): a customer's state, compacted-topic values and rows go,
 * an audit record is kept, nobody else is touched, and later events start from nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { embeddedPipeline } from '../app/embedded.js';
import { forgetCustomer } from '../app/forget-customer.js';
import { loadConfig } from '../config/config.js';
import { compositeKey } from '../core/composite-key.js';
import { ClvError } from '../core/errors.js';
import type { CustomerFeaturesEvent, OrderEvent, PaymentEvent } from '../core/events.js';
import { Topics } from '../core/topics.js';
import { rfmRuleModelFrom } from '../models/kinds/rfm-rule-model.js';
import { day, payment, placed } from './support/commerce-events.js';

async function setup() {
  const config = loadConfig({ CLV_PARTITIONS: '4' });
  const embedded = embeddedPipeline(config, pino({ level: 'silent' }));
  const { log, codec, pipeline } = embedded;
  pipeline.useModel(rfmRuleModelFrom(config));
  await pipeline.start();
  const sink = await embedded.startSink();
  const order = async (customer: string, orderId: string, amount: number, at: number) => {
    const events: Array<[string, OrderEvent | PaymentEvent]> = [
      [Topics.orders, placed(orderId, amount, at, customer, ['music'])],
      [Topics.payments, payment('PAYMENT_CAPTURED', orderId, amount, at + 60_000, '', customer)],
    ];
    for (const [topic, e] of events) await log.publish(topic, [{ key: customer, value: await codec.encode(topic, e) }]);
  };
  const settled = async () => {
    await pipeline.waitUntilIdle(2);
    await sink.waitUntilIdle(2);
  };
  return { ...embedded, sink, order, settled, config };
}

test('forget: state, compacted topics and analyst rows of the customer go; an audit record stays; others are untouched; later events start from nothing', async () => {
  const { log, codec, pipeline, analytics, readModel, sink, order, settled } = await setup();
  // "A/B" starts like "A" (and shared its ledger key prefix before keys were escaped): it must survive A's erasure.
  for (const [customer, orders] of [['A', 3], ['A/B', 2], ['C2', 1]] as const) {
    for (let i = 0; i < orders; i++) await order(customer, `${customer}-O${i}`, 1_000 * (i + 1), day(10 + 30 * i));
  }
  await settled();
  assert.ok((await pipeline.stores.scores.getMany(['A'])).has('A'), 'A is scored');
  assert.ok(analytics.rows('orders').some((r) => r.customer_id === 'A'));
  const deadLettersBefore = log.read(Topics.deadLetter).length;

  const record = await forgetCustomer({ stores: pipeline.stores, log, codec, analytics }, 'A', 'cli:test');
  assert.equal(record.customer_id, 'A');
  assert.equal(record.requested_by, 'cli:test');
  assert.equal(record.state_keys_deleted, 5, 'history, score and three ledgers');
  assert.deepEqual(record.tombstoned_topics, [Topics.features, Topics.scores]);

  // Processor state: none of A; all of A/B and C2.
  assert.equal((await pipeline.stores.histories.getMany(['A'])).size + (await pipeline.stores.scores.getMany(['A'])).size, 0);
  const ledgerKeys: string[] = [];
  for await (const page of pipeline.stores.ledgers.scan(100)) ledgerKeys.push(...page.map(([k]) => k));
  assert.deepEqual(ledgerKeys.sort(), [compositeKey('A/B', 'A/B-O0'), compositeKey('A/B', 'A/B-O1'), compositeKey('C2', 'C2-O0')].sort());
  assert.equal((await pipeline.stores.scores.getMany(['A/B', 'C2'])).size, 2);
  assert.equal(await readModel.customer('A'), null, 'the API no longer knows A');
  // The compacted topics end with A's tombstone.
  for (const topic of [Topics.features, Topics.scores]) {
    const mine = log.read(topic).filter((m) => m.key === 'A');
    assert.equal(mine.at(-1)?.value, null, topic);
  }
  // Analyst tables: no row of A (the tombstones are not rows); the audit record arrives through the sink.
  await settled();
  for (const table of ['orders', 'order_line_items', 'payments', 'purchases', 'customer_features', 'clv_scores', 'segment_changes'] as const) {
    assert.ok(!analytics.rows(table).some((r) => r.customer_id === 'A'), table);
    assert.ok(analytics.rows(table).some((r) => r.customer_id === 'A/B'), `${table} keeps A/B`);
  }
  assert.deepEqual(analytics.rows('erasures').map((r) => [r.customer_id, r.event_id]), [['A', record.event_id]]);
  assert.equal(log.read(Topics.deadLetter).length, deadLettersBefore, 'tombstones are skipped, not dead-lettered');
  assert.equal(sink.stats.undecodable[Topics.scores] ?? 0, 0);

  // A buys again: a new customer as far as the pipeline knows.
  await order('A', 'A-O9', 777, day(200));
  await settled();
  const features = log.read(Topics.features).filter((m) => m.key === 'A' && m.value !== null).at(-1)!;
  const latest = (await codec.decode(Topics.features, features.value!)) as CustomerFeaturesEvent;
  assert.equal(latest.purchase_days, 1);
  assert.equal(latest.total_value_minor, 777);
  assert.equal((await pipeline.stores.scores.getMany(['A'])).get('A')?.features.total_value_minor, 777);
  await pipeline.stop();
  await sink.stop();
});

test('forget: an empty id is refused before anything is touched; an unknown one is erased all the same (idempotent)', async () => {
  const { log, codec, pipeline, analytics, sink } = await setup();
  await assert.rejects(forgetCustomer({ stores: pipeline.stores, log, codec, analytics }, '', 'cli:test'), (e: ClvError) => /non-empty/.test(e.message));
  assert.equal(log.read(Topics.erasures).length, 0);
  const record = await forgetCustomer({ stores: pipeline.stores, log, codec, analytics }, 'nobody', 'cli:test');
  assert.equal(record.state_keys_deleted, 0);
  assert.equal(log.read(Topics.erasures).length, 1);
  await pipeline.stop();
  await sink.stop();
});
