import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import type { ClvScoreEvent, CustomerFeaturesEvent, DeadLetterEvent, OrderEvent, PaymentEvent, SegmentChangedEvent } from '../core/events.js';
import { Topics } from '../core/topics.js';
import type { CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';
import { day, payment, placed } from './support/commerce-events.js';
import { fixtureModel } from './support/api-fixture.js';
import { embeddedPipeline, FlakyStore, linearModel } from './support/embedded-pipeline.js';

/** Three customers; C2 buys three times, one order refunded in part. */
function history(): Array<OrderEvent | PaymentEvent> {
  const events: Array<OrderEvent | PaymentEvent> = [];
  const buy = (customer: string, order: string, amount: number, d: number) => {
    events.push(placed(order, amount, day(d), customer), payment('PAYMENT_CAPTURED', order, amount, day(d) + 60_000, '', customer));
  };
  buy('C1', 'O1', 1000, 1);
  buy('C2', 'O2', 2000, 2);
  buy('C2', 'O3', 3000, 10);
  buy('C2', 'O4', 4000, 20);
  buy('C3', 'O5', 500, 3);
  events.push(payment('PAYMENT_REFUNDED', 'O4', 1500, day(25), '', 'C2'));
  return events;
}

async function publishAll(ctx: ReturnType<typeof embeddedPipeline>, events: Array<OrderEvent | PaymentEvent>) {
  for (const e of events) {
    const topic = 'line_items' in e ? Topics.orders : Topics.payments;
    await ctx.log.publish(topic, [{ key: e.customer_id, value: await ctx.codec.encode(topic, e) }]);
  }
}

async function decodeAll<T>(ctx: ReturnType<typeof embeddedPipeline>, topic: string): Promise<T[]> {
  return Promise.all(ctx.log.read(topic).map(async (m) => (await ctx.codec.decode(topic, m.value!)) as T));
}

async function finalFeatures(ctx: ReturnType<typeof embeddedPipeline>) {
  const features = await decodeAll<CustomerFeaturesEvent>(ctx, Topics.features);
  const latest = new Map<string, CustomerFeaturesEvent>();
  for (const f of features) latest.set(f.customer_id, f);
  return Object.fromEntries([...latest].map(([id, f]) => [id, [f.purchase_days, f.repeat_purchase_days, f.repeat_value_minor, f.total_value_minor]]));
}

test('orders and payments flow to features, scores and segment changes', async () => {
  const ctx = embeddedPipeline();
  ctx.pipeline.useModel(linearModel);
  await ctx.pipeline.start();
  await publishAll(ctx, history());
  await ctx.pipeline.waitUntilIdle();
  await ctx.pipeline.stop();
  assert.deepEqual(await finalFeatures(ctx), { C1: [1, 0, 0, 1000], C2: [3, 2, 5500, 7500], C3: [1, 0, 0, 500] });
  const scores = await decodeAll<ClvScoreEvent>(ctx, Topics.scores);
  const c2 = scores.filter((s) => s.customer_id === 'C2').at(-1)!;
  assert.equal(c2.clv_minor, 2000);
  assert.equal(c2.model_version, 'test-linear');
  // A point-estimate model: no interval, encoded as the Avro nulls.
  assert.deepEqual([c2.clv_lower_minor, c2.clv_upper_minor, c2.clv_interval_level], [null, null, null]);
  const changes = await decodeAll<SegmentChangedEvent>(ctx, Topics.segmentChanges);
  // A change event only when the segment moves: the first starts from null, each one from
  // where the previous one left the customer.
  const c2Changes = changes.filter((c) => c.customer_id === 'C2');
  assert.equal(c2Changes[0].previous_segment, null);
  for (let i = 1; i < c2Changes.length; i++) assert.equal(c2Changes[i].previous_segment, c2Changes[i - 1].segment);
  assert.equal(c2Changes.at(-1)!.segment, 'medium_value');
  assert.equal(c2.segment, 'medium_value');
  assert.equal(changes.filter((c) => c.customer_id === 'C1').length, 1, 'C1 never moves');
});

test('BG/NBD + Gamma-Gamma scores carry their 10–90% interval through the Avro topic and into the score state', async () => {
  const ctx = embeddedPipeline();
  const model = fixtureModel();
  ctx.pipeline.useModel(model);
  await ctx.pipeline.start();
  await publishAll(ctx, history());
  await ctx.pipeline.waitUntilIdle();
  await ctx.pipeline.stop();
  const scores = await decodeAll<ClvScoreEvent>(ctx, Topics.scores);
  assert.ok(scores.length > 0);
  for (const s of scores) {
    assert.equal(s.clv_interval_level, 0.8);
    assert.ok(Number.isInteger(s.clv_lower_minor) && Number.isInteger(s.clv_upper_minor), JSON.stringify(s));
    assert.ok(0 <= s.clv_lower_minor! && s.clv_lower_minor! <= s.clv_upper_minor!, JSON.stringify(s));
  }
  // C2 bought on three days: likely to buy again, so the 90th percentile is well above 0.
  const c2 = scores.filter((s) => s.customer_id === 'C2').at(-1)!;
  assert.ok(c2.clv_upper_minor! > 0);
  const state = (await ctx.stores.scores.getMany(['C2'])).get('C2')!;
  assert.deepEqual(state.interval, { lowerMinor: c2.clv_lower_minor, upperMinor: c2.clv_upper_minor, level: 0.8 });
});

test('poison bytes and invalid events go to the dead-letter topic with a reason; the stream goes on', async () => {
  const ctx = embeddedPipeline();
  await ctx.pipeline.start();
  await ctx.log.publish(Topics.orders, [{ key: 'C9', value: Buffer.from('not avro at all') }]);
  const negative = { ...placed('OX', 100, day(1), 'C9'), amount_minor: -100 };
  const euro = { ...placed('OY', 100, day(1), 'C9'), currency: 'EUR' };
  for (const e of [negative, euro]) await ctx.log.publish(Topics.orders, [{ key: 'C9', value: await ctx.codec.encode(Topics.orders, e) }]);
  await publishAll(ctx, history());
  await ctx.pipeline.waitUntilIdle();
  await ctx.pipeline.stop();
  const dead = await decodeAll<DeadLetterEvent>(ctx, Topics.deadLetter);
  assert.deepEqual(dead.map((d) => d.error_code).sort(), ['CLV_INVALID_EVENT', 'CLV_UNDECODABLE', 'CLV_UNSUPPORTED_CURRENCY']);
  const poison = dead.find((d) => d.error_code === 'CLV_UNDECODABLE')!;
  assert.equal(Buffer.from(poison.payload).toString(), 'not avro at all', 'original bytes kept');
  assert.equal(poison.source_topic, Topics.orders);
  assert.match(dead.find((d) => d.error_code === 'CLV_INVALID_EVENT')!.reason, /amount_minor is negative/);
  assert.deepEqual((await finalFeatures(ctx)).C2, [3, 2, 5500, 7500]);
});

test('duplicated and reordered input gives the same features', async () => {
  const clean = embeddedPipeline();
  await clean.pipeline.start();
  await publishAll(clean, history());
  await clean.pipeline.waitUntilIdle();
  await clean.pipeline.stop();

  const messy = embeddedPipeline();
  await messy.pipeline.start();
  const events = history();
  await publishAll(messy, [...events].reverse().concat(events.slice(0, 5)));
  await messy.pipeline.waitUntilIdle();
  await messy.pipeline.stop();
  assert.deepEqual(await finalFeatures(messy), await finalFeatures(clean));
});

test('a crash mid-batch (outputs published, state not saved) loses nothing and double-counts nothing', async () => {
  const histories = new FlakyStore<CustomerPurchaseHistory>(new InMemoryStateStore(), 2);
  const ctx = embeddedPipeline({ histories });
  await ctx.pipeline.start();
  await publishAll(ctx, history());
  await ctx.pipeline.waitUntilIdle();
  await ctx.pipeline.stop();
  assert.equal(histories.failuresLeft < 0, true, 'the crash happened');
  assert.deepEqual(await finalFeatures(ctx), { C1: [1, 0, 0, 1000], C2: [3, 2, 5500, 7500], C3: [1, 0, 0, 500] });
  const stored = await histories.getMany(['C2']);
  assert.equal(stored.get('C2')!.orders.length, 3);
});

test('rescoring everyone as of a later time lowers recency-driven values and emits changes', async () => {
  const ctx = embeddedPipeline();
  await ctx.pipeline.start();
  await publishAll(ctx, history());
  await ctx.pipeline.waitUntilIdle();
  assert.equal((await decodeAll(ctx, Topics.scores)).length, 0, 'no model, no scores');
  ctx.pipeline.useModel(linearModel);
  const scored = await ctx.pipeline.rescoreAll(day(100));
  await ctx.pipeline.stop();
  assert.equal(scored, 3);
  const scores = await decodeAll<ClvScoreEvent>(ctx, Topics.scores);
  assert.deepEqual(scores.map((s) => s.event_time), [day(100), day(100), day(100)]);
  assert.equal((await decodeAll(ctx, Topics.segmentChanges)).length, 3);
});

test('an event whose outputs cannot be encoded is dead-lettered instead of blocking its partition', async () => {
  const ctx = embeddedPipeline();
  // A broken model: NaN for C2. Its score cannot be encoded (clv_minor must be a long).
  ctx.pipeline.useModel({ ...linearModel, predict: (input) => ({ ...linearModel.predict(input), clv: input.frequency === 2 ? NaN : 10 }) });
  await ctx.pipeline.start();
  await publishAll(ctx, history());
  await ctx.pipeline.waitUntilIdle();
  await ctx.pipeline.stop();
  const dead = await decodeAll<DeadLetterEvent>(ctx, Topics.deadLetter);
  assert.ok(dead.length >= 1);
  assert.ok(dead.every((d) => d.source_topic === Topics.features && d.key === 'C2' && /clv_minor/.test(d.reason)), JSON.stringify(dead.map((d) => d.reason)));
  const scored = new Set((await decodeAll<ClvScoreEvent>(ctx, Topics.scores)).map((s) => s.customer_id));
  assert.ok(scored.has('C1') && scored.has('C3'), 'the other customers are scored');
});

test('batches of co-partitioned topics are serialized: an order and its payment delivered at once are both applied', async () => {
  const ctx = embeddedPipeline();
  const runner = ctx.pipeline.purchases;
  const order = placed('O1', 1000, day(1));
  const capture = payment('PAYMENT_CAPTURED', 'O1', 1000, day(1));
  const message = async (topic: string, value: unknown, offset: string) => ({ topic, partition: 0, offset, key: 'C1', value: await ctx.codec.encode(topic, value) });
  await ctx.log.createTopics((await import('../core/topics.js')).topicSpecs(4));
  // The log may hand two partitions' batches over at once (Kafka with concurrency): both
  // touch ledger C1/O1.
  const [orderMessage, paymentMessage] = [await message(Topics.orders, order, '0'), await message(Topics.payments, capture, '0')];
  await Promise.all([
    runner.processBatch({ topic: Topics.orders, partition: 0, messages: [orderMessage] }),
    runner.processBatch({ topic: Topics.payments, partition: 0, messages: [paymentMessage] }),
  ]);
  const ledger = (await ctx.stores.ledgers.getMany(['C1/O1'])).get('C1/O1')!;
  assert.equal(ledger.placedAt, day(1));
  assert.equal(ledger.captures.length, 1);
  assert.equal((await decodeAll<{ net_amount_minor: number }>(ctx, Topics.purchases)).length, 1);
});

test("customer A/B's order C and customer A's order B/C keep separate ledgers: composite state keys are unambiguous", async () => {
  const ctx = embeddedPipeline();
  ctx.pipeline.useModel(linearModel);
  await ctx.pipeline.start();
  await publishAll(ctx, [
    placed('C', 1000, day(1), 'A/B'),
    placed('B/C', 5000, day(2), 'A'),
    payment('PAYMENT_CAPTURED', 'B/C', 5000, day(2) + 60_000, '', 'A'),
    payment('PAYMENT_CAPTURED', 'C', 1000, day(1) + 60_000, '', 'A/B'),
  ]);
  await ctx.pipeline.waitUntilIdle();
  await ctx.pipeline.stop();
  assert.deepEqual(await finalFeatures(ctx), { 'A/B': [1, 0, 0, 1000], A: [1, 0, 0, 5000] });
  assert.equal(await ctx.stores.ledgers.size(), 2);
});
