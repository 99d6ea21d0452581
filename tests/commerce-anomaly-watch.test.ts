/**
 * The anomaly watch (app/commerce-anomaly-watch.ts) on the embedded mode: a shop's events go
 * through the analytics sink into the in-memory tables; the watch judges the complete days,
 * publishes the unusual ones to clv.anomalies.v1 (which the sink copies into
 * commerce_anomalies), and finds exactly the planted days — the same events whether the
 * history arrives all at once or a day at a time with a look after each (event time, not
 * replay speed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DETECTOR_OPTIONS } from '../anomalies/seasonal-anomaly-detector.js';
import { CommerceAnomalyWatch } from '../app/commerce-anomaly-watch.js';
import { embeddedPipeline } from '../app/embedded.js';
import { createLogger } from '../app/logger.js';
import { loadConfig } from '../config/config.js';
import { dayIndexOfDate } from '../core/calendar.js';
import type { CommerceAnomalyEvent, OrderEvent, PaymentEvent } from '../core/events.js';
import { Topics } from '../core/topics.js';
import { publishMessages } from '../producers/publish-messages.js';
import { dailyShopEvents } from './support/daily-shop-events.js';

const config = loadConfig({});
const plant = { '2024-04-10': 3, '2024-04-24': 0, '2024-05-08': 0.2 };
const events = dailyShopEvents({ seed: 5, firstDate: '2024-01-01', days: 150, ordersPerDay: 120, plant });
const settings = { timeZone: 'UTC', currency: 'USD', detector: DEFAULT_DETECTOR_OPTIONS, latenessMs: 86_400_000, maxFutureSkewMs: 86_400_000 };

function shop() {
  const embedded = embeddedPipeline(config, createLogger('silent'));
  return { embedded, sinkStarted: embedded.startSink() };
}

async function deliver(e: ReturnType<typeof shop>, list: ReadonlyArray<OrderEvent | PaymentEvent>): Promise<void> {
  const sink = await e.sinkStarted;
  await publishMessages(e.embedded.log, e.embedded.codec, list.map((value) => ({ topic: value.type.startsWith('ORDER') ? Topics.orders : Topics.payments, key: value.customer_id, value })));
  await sink.waitUntilIdle(1);
}

/** What the log holds on clv.anomalies.v1, decoded, by event id. */
async function anomaliesOnTopic(e: ReturnType<typeof shop>): Promise<CommerceAnomalyEvent[]> {
  const seen: CommerceAnomalyEvent[] = [];
  const consumer = await e.embedded.log.consume({
    groupId: `test-${Math.random()}`, topics: [Topics.anomalies], fromBeginning: true,
    eachBatch: async (batch) => { for (const m of batch.messages) seen.push((await e.embedded.codec.decode(Topics.anomalies, m.value!)) as CommerceAnomalyEvent); },
  });
  await new Promise((r) => setTimeout(r, 50));
  await consumer.stop();
  return seen.sort((a, b) => (a.event_id < b.event_id ? -1 : 1));
}

const planted = Object.entries(plant).flatMap(([day, factor]) => ['orders', 'order_value', 'payments', 'payment_value'].map((m) => `${m}:${day} ${factor > 1 ? 'SPIKE' : 'DROP'}`)).sort();
const summary = (list: readonly CommerceAnomalyEvent[]) => list.map((e) => `${e.event_id} ${e.direction}`).sort();

test('all at once: one look judges every complete day and publishes exactly the planted days, on every metric', async () => {
  const e = shop();
  await deliver(e, events);
  const watch = new CommerceAnomalyWatch({ store: e.embedded.analytics, log: e.embedded.log, codec: e.embedded.codec, now: Date.now }, { ...settings, lookbackDays: 1000 });
  const look = await watch.look();
  assert.deepEqual(summary(look.published), planted);
  // The last day in the store is 2024-05-29; with a day of lateness, 2024-05-27 is the last complete one.
  assert.equal(look.days?.to, dayIndexOfDate('2024-05-28') - 1);
  assert.equal(new Set(look.verdicts.map((v) => v.day)).size, 150 - 28 - 2, 'every day with four weeks of history, up to the last complete');
  const zero = look.published.find((p) => p.event_id === 'orders:2024-04-24')!;
  assert.equal(zero.value, 0);
  assert.ok(zero.baseline > 80 && zero.lower > 0 && zero.lower < zero.baseline && zero.upper > zero.baseline && zero.score < -5, JSON.stringify(zero));
  assert.equal(zero.event_time, Date.UTC(2024, 3, 24));
  assert.equal(zero.detector, 'same-weekday log median ± 5·MAD, 8 weeks');
  // On the topic, keyed by metric; and copied by the sink into commerce_anomalies.
  assert.deepEqual(summary(await anomaliesOnTopic(e)), planted);
  await (await e.sinkStarted).waitUntilIdle(1);
  assert.deepEqual(summary(e.embedded.analytics.rows('commerce_anomalies')), planted);
  // Nothing new to judge: the next look publishes nothing.
  assert.equal((await watch.look()).published.length, 0);
  await (await e.sinkStarted).stop();
});

test('a day at a time, a look after each (a slow replay): the same anomaly events as all at once', async () => {
  const all = shop();
  await deliver(all, events);
  const once = await new CommerceAnomalyWatch({ store: all.embedded.analytics, log: all.embedded.log, codec: all.embedded.codec, now: Date.now }, { ...settings, lookbackDays: 1000 }).look();
  const slow = shop();
  const watch = new CommerceAnomalyWatch({ store: slow.embedded.analytics, log: slow.embedded.log, codec: slow.embedded.codec, now: Date.now }, settings);
  const published: CommerceAnomalyEvent[] = [];
  let looks = 0;
  for (let day = dayIndexOfDate('2024-01-01'); day < dayIndexOfDate('2024-01-01') + 150; day++) {
    await deliver(slow, events.filter((x) => Math.floor(x.event_time / 86_400_000) === day));
    const look = await watch.look();
    if (look.days) looks++;
    published.push(...look.published);
  }
  assert.ok(looks > 100, `${looks} looks judged new days`);
  assert.deepEqual(published.sort((a, b) => (a.event_id < b.event_id ? -1 : 1)), once.published.sort((a, b) => (a.event_id < b.event_id ? -1 : 1)));
  await (await all.sinkStarted).stop();
  await (await slow.sinkStarted).stop();
});

test('a restarted watch re-judges the last week and publishes what it finds again under the same ids', async () => {
  const e = shop();
  await deliver(e, events.filter((x) => x.event_time < Date.UTC(2024, 4, 12)));
  const first = await new CommerceAnomalyWatch({ store: e.embedded.analytics, log: e.embedded.log, codec: e.embedded.codec, now: Date.now }, { ...settings, lookbackDays: 1000 }).look();
  const restarted = await new CommerceAnomalyWatch({ store: e.embedded.analytics, log: e.embedded.log, codec: e.embedded.codec, now: Date.now }, settings).look();
  assert.deepEqual(summary(restarted.published), summary(first.published.filter((p) => p.day >= '2024-05-04')));
  assert.ok(summary(restarted.published).includes('orders:2024-05-08 DROP'));
  await (await e.sinkStarted).waitUntilIdle(1);
  assert.equal(e.embedded.analytics.rows('commerce_anomalies').length, first.published.length, 'the sink keeps one row per metric and day');
  await (await e.sinkStarted).stop();
});

test('nothing stored yet, or no day complete: no look judges anything', async () => {
  const e = shop();
  const watch = new CommerceAnomalyWatch({ store: e.embedded.analytics, log: e.embedded.log, codec: e.embedded.codec, now: Date.now }, settings);
  assert.equal((await watch.look()).days, null);
  await deliver(e, events.filter((x) => x.event_time < Date.UTC(2024, 0, 2)));
  assert.equal((await watch.look()).published.length, 0);
  await (await e.sinkStarted).stop();
});
