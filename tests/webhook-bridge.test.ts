import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AvroCodec } from '../adapters/avro/avro-codec.js';
import { InMemoryEventLog } from '../adapters/in-memory/in-memory-event-log.js';
import { WebhookBridge, webhookGroupId } from '../consumers/webhooks/webhook-bridge.js';
import type { WebhookEvent } from '../consumers/webhooks/webhook-batch.js';
import { parseWebhookConfig, type WebhookEndpoint } from '../config/webhook-config.js';
import { JsonLinesDeadLetter, readDeadLetters, type WebhookDeadLetter } from '../consumers/webhooks/webhook-dead-letter.js';
import { ClvError } from '../core/errors.js';
import type { ClvScoreEvent, SegmentChangedEvent } from '../core/events.js';
import { Segments } from '../core/segmentation.js';
import { Topics, topicSpecs } from '../core/topics.js';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

const secret = 'k'.repeat(32);
const codec = new AvroCodec();
const TOPICS = [Topics.segmentChanges, Topics.scores];

/** A fresh directory, removed when the file's tests end. */
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Customer c's k-th segment change and score; segments cycle through all six. */
function events(customers: number, perCustomer: number) {
  const changes: SegmentChangedEvent[] = [];
  const scores: ClvScoreEvent[] = [];
  for (let k = 0; k < perCustomer; k++) {
    for (let c = 0; c < customers; c++) {
      const customer_id = `C${String(c).padStart(4, '0')}`;
      const t = 1_700_000_000_000 + k * 86_400_000 + c;
      const segment = Segments[(c + k) % Segments.length];
      changes.push({ event_id: `${customer_id}@${t}@seg`, event_time: t, customer_id, previous_segment: k === 0 ? null : Segments[(c + k - 1) % Segments.length], segment, clv_minor: 10_000 + c + k, action: 'nurture', reason: 'changed', model_version: 'v1', recommended_categories: ['books'], recommendation_reason: 'why', recommended_min_unit_price_minor: 0 });
      scores.push({ event_id: `${customer_id}@${t}@v1`, event_time: t, customer_id, model_version: 'v1', model_kind: 'bgnbd-gamma-gamma', clv_minor: 10_000 + c + k, p_alive: 0.5, expected_purchases: 1.25, expected_avg_value_minor: 2_500, horizon_days: 365, segment, action: 'nurture', currency: 'USD', recommended_categories: ['books'], recommendation_reason: 'why', recommended_min_unit_price_minor: 0, clv_lower_minor: null, clv_upper_minor: null, clv_interval_level: null, sequence: k + 1 });
    }
  }
  return { changes, scores };
}

function endpoint(name: string, url: string, patch: Record<string, unknown> = {}): WebhookEndpoint {
  return parseWebhookConfig({ endpoints: [{ name, url, secret, topics: TOPICS, fromBeginning: true, initialBackoffMs: 2, maxBackoffMs: 10, maxAttempts: 3, ...patch }] }, {}, 'test').endpoints[0];
}

async function setup(partitions = 4) {
  const errors: unknown[] = [];
  const log = new InMemoryEventLog({ maxBackoffMs: 20, onBatchError: (e) => errors.push(e) });
  await log.createTopics(topicSpecs(partitions));
  const dir = await tempDir('clv-webhook-bridge-');
  const publish = async (topic: string, values: Array<{ customer_id: string }>) =>
    log.publish(topic, await Promise.all(values.map(async (v) => ({ key: v.customer_id, value: await codec.encode(topic, v) }))));
  return { log, dir, errors, publish, deadLetter: new JsonLinesDeadLetter(dir) };
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const committed = (log: InMemoryEventLog, name: string, topics: string[] = TOPICS) => async () => (await log.lag(webhookGroupId(name), topics)) === 0;
const bodyEvents = (r: WebhookReceiver) => r.requests.flatMap((q) => (JSON.parse(q.rawBody) as { events: WebhookEvent[] }).events);

test('webhook bridge: every segment change and score arrives once, signed, in per-customer order', async () => {
  const { log, publish, deadLetter } = await setup();
  const receiver = await startWebhookReceiver(secret);
  const { changes, scores } = events(20, 3);
  await publish(Topics.segmentChanges, changes);
  await publish(Topics.scores, scores);
  await log.publish(Topics.scores, [{ key: 'C9999', value: Buffer.from('not avro') }]);
  const bridge = new WebhookBridge({ log, codec, deadLetter }, [endpoint('all', receiver.url, { maxBatchEvents: 7 })]);
  await bridge.start();
  await until(committed(log, 'all'), 'everything committed');
  await bridge.stop();
  await receiver.close();

  assert.ok(receiver.requests.every((r) => r.signatureOk));
  assert.ok(receiver.requests.every((r) => r.eventIds.length <= 7 && new Set(bodyEvents({ requests: [r] } as WebhookReceiver).map((e) => e.topic)).size === 1));
  assert.deepEqual([...receiver.processed].sort(), [...changes, ...scores].map((e) => e.event_id).sort());
  const received = bodyEvents(receiver);
  assert.deepEqual(received.find((e) => e.id === changes[5].event_id), { id: changes[5].event_id, topic: Topics.segmentChanges, data: changes[5] }, 'the event as on the topic');
  for (const topic of TOPICS) {
    const times = new Map<string, number>();
    for (const e of received.filter((x) => x.topic === topic)) {
      assert.ok(e.data.event_time > (times.get(e.data.customer_id) ?? 0), `${topic} ${e.data.customer_id} in order`);
      times.set(e.data.customer_id, e.data.event_time);
    }
  }
  assert.deepEqual(bridge.stats.all, { messages: 121, filtered: 0, undecodable: 1, requests: receiver.requests.length, events: 120, retries: 0, deadLetteredRequests: 0, deadLetteredEvents: 0 });
});

test('webhook bridge: the filter sends only the configured segments, and filtered batches are committed', async () => {
  const { log, publish, deadLetter } = await setup();
  const receiver = await startWebhookReceiver(secret);
  const { changes, scores } = events(12, 2);
  await publish(Topics.segmentChanges, changes);
  await publish(Topics.scores, scores);
  const bridge = new WebhookBridge({ log, codec, deadLetter }, [endpoint('churn', receiver.url, { topics: [Topics.segmentChanges], filter: { segments: ['at_risk', 'lost'] } })]);
  await bridge.start();
  await until(committed(log, 'churn', [Topics.segmentChanges]), 'everything committed');
  await bridge.stop();
  await receiver.close();
  const expected = changes.filter((e) => e.segment === 'at_risk' || e.segment === 'lost').map((e) => e.event_id).sort();
  assert.ok(expected.length > 0 && expected.length < changes.length);
  assert.deepEqual([...receiver.processed].sort(), expected);
  assert.equal(bridge.stats.churn.filtered, changes.length - expected.length);
});

test('webhook bridge: a 400 is not retried; the request goes to the endpoint\'s dead-letter file and the log moves on', async () => {
  const { log, dir, publish, deadLetter } = await setup(1);
  const { changes } = events(6, 1);
  const receiver = await startWebhookReceiver(secret, (r) => (r.eventIds.includes(changes[0].event_id) ? { status: 400, body: 'bad request' } : { status: 200 }));
  await publish(Topics.segmentChanges, changes);
  const bridge = new WebhookBridge({ log, codec, deadLetter }, [endpoint('crm', receiver.url, { maxBatchEvents: 2, topics: [Topics.segmentChanges] })]);
  await bridge.start();
  await until(committed(log, 'crm', [Topics.segmentChanges]), 'everything committed');
  await bridge.stop();
  await receiver.close();
  assert.equal(receiver.requests.length, 3, 'three requests of two, none retried');
  assert.deepEqual(receiver.processed, changes.slice(2).map((e) => e.event_id));
  const [dead, ...more] = await readDeadLetters(dir, 'crm');
  assert.equal(more.length, 0);
  assert.deepEqual({ ...dead, dead_lettered_at: '' }, {
    dead_lettered_at: '', endpoint: 'crm', url: receiver.url, source: { topic: Topics.segmentChanges, partition: 0, firstOffset: '0', lastOffset: '1' },
    idempotency_key: receiver.requests[0].idempotencyKey, attempts: 1, status: 400, reason: 'HTTP 400', response_snippet: 'bad request',
    events: changes.slice(0, 2).map((data) => ({ id: data.event_id, topic: Topics.segmentChanges, data })),
  });
  assert.equal(JSON.stringify({ events: dead.events }), receiver.requests[0].rawBody, 'the record restores the exact body');
  assert.equal(bridge.stats.crm.deadLetteredEvents, 2);
});

test('webhook bridge: a 500 retried until maxAttempts is dead-lettered with the same key on every attempt', async () => {
  const { log, dir, publish, deadLetter } = await setup(1);
  const receiver = await startWebhookReceiver(secret, () => ({ status: 500 }));
  await publish(Topics.scores, events(2, 1).scores);
  const bridge = new WebhookBridge({ log, codec, deadLetter }, [endpoint('down', receiver.url, { topics: [Topics.scores] })]);
  await bridge.start();
  await until(committed(log, 'down', [Topics.scores]), 'dead-lettered and committed');
  await bridge.stop();
  await receiver.close();
  assert.equal(receiver.requests.length, 3);
  assert.equal(new Set(receiver.requests.map((r) => r.idempotencyKey)).size, 1);
  const [dead] = await readDeadLetters(dir, 'down');
  assert.deepEqual([dead.attempts, dead.status, dead.reason], [3, 500, 'HTTP 500']);
  assert.equal(bridge.stats.down.retries, 2);
});

test('webhook bridge: a batch that fails mid-way is redelivered by the log; the receiver drops repeats by Idempotency-Key', async () => {
  const { log, publish, errors } = await setup(1);
  const { changes } = events(10, 1);
  let failSecond = true;
  const receiver = await startWebhookReceiver(secret, (_, i) => (i === 1 && failSecond ? { status: 503 } : { status: 200 }));
  // The second request is given up on, and writing its dead-letter record fails once (disk
  // full): the batch must not be committed, though its first request was acknowledged.
  let writes = 0;
  const deadLetter: WebhookDeadLetter = { write: async () => { writes++; failSecond = false; throw new Error('ENOSPC: no space left on device'); } };
  await publish(Topics.segmentChanges, changes);
  const bridge = new WebhookBridge({ log, codec, deadLetter }, [endpoint('crm', receiver.url, { maxBatchEvents: 4, maxAttempts: 1, topics: [Topics.segmentChanges] })]);
  await bridge.start();
  await until(committed(log, 'crm', [Topics.segmentChanges]), 'everything committed');
  await bridge.stop();
  await receiver.close();
  assert.equal(writes, 1);
  assert.match(String(errors[0]), /cannot write the dead-letter record \(ENOSPC/);
  const keys = receiver.requests.map((r) => r.idempotencyKey);
  assert.equal(keys.length, 5, '1 ok, 1 failed, then the whole batch again: 3');
  assert.deepEqual([keys[2], keys[3]], [keys[0], keys[1]], 'redelivered requests carry the same keys');
  assert.equal(receiver.duplicates, 1);
  assert.deepEqual(receiver.processed, changes.map((e) => e.event_id), 'each event processed once, in order');
});

test('webhook bridge: stopping while an endpoint is down commits nothing; the next bridge delivers', async () => {
  const { log, publish, deadLetter } = await setup(1);
  let up = false;
  const receiver = await startWebhookReceiver(secret, () => ({ status: up ? 200 : 503 }));
  const { scores } = events(3, 1);
  await publish(Topics.scores, scores);
  const slow = endpoint('crm', receiver.url, { topics: [Topics.scores], maxAttempts: 30, initialBackoffMs: 50, maxBackoffMs: 50 });
  const first = new WebhookBridge({ log, codec, deadLetter }, [slow]);
  await first.start();
  await until(() => receiver.requests.length >= 2, 'retries');
  await first.stop();
  assert.equal(await log.lag(webhookGroupId('crm'), [Topics.scores]), 3);
  up = true;
  const second = new WebhookBridge({ log, codec, deadLetter }, [slow]);
  await second.start();
  await until(committed(log, 'crm', [Topics.scores]), 'delivered after restart');
  await second.stop();
  await receiver.close();
  assert.deepEqual(receiver.processed, scores.map((s) => s.event_id));
});

test('webhook bridge: a slow endpoint does not hold back the others (one consumer group each)', async () => {
  const { log, publish, deadLetter } = await setup(1);
  const fast = await startWebhookReceiver(secret);
  const slow = await startWebhookReceiver(secret, () => ({ status: 200, delayMs: 50 }));
  await publish(Topics.segmentChanges, events(10, 1).changes);
  const bridge = new WebhookBridge({ log, codec, deadLetter }, [
    endpoint('slow', slow.url, { maxBatchEvents: 1, topics: [Topics.segmentChanges] }),
    endpoint('fast', fast.url, { maxBatchEvents: 1, topics: [Topics.segmentChanges] }),
  ]);
  await bridge.start();
  await until(committed(log, 'fast', [Topics.segmentChanges]), 'the fast endpoint done');
  assert.ok(slow.processed.length < 10, `slow endpoint still behind (${slow.processed.length}/10)`);
  await until(committed(log, 'slow', [Topics.segmentChanges]), 'the slow endpoint done');
  await bridge.stop();
  await fast.close();
  await slow.close();
  assert.equal(fast.processed.length, 10);
  assert.equal(slow.processed.length, 10);
});

test('webhook bridge: deliveries run inside the log\'s keepAlive; when the member loses the partition mid-backoff, delivery stops at once and nothing is dead-lettered', async () => {
  const { deadLetter, dir } = await setup(1);
  const receiver = await startWebhookReceiver(secret, () => ({ status: 503 }));
  const { scores } = events(1, 1);
  const message = { topic: Topics.scores, partition: 0, offset: '0', key: scores[0].customer_id, value: await codec.encode(Topics.scores, scores[0]) };
  // A control whose keepAlive loses the partition once the first attempt has failed (as a
  // heartbeat answering REBALANCE_IN_PROGRESS would), while the bridge backs off for a minute.
  const rebalancing = Object.assign(new Error('The group is rebalancing'), { type: 'REBALANCE_IN_PROGRESS' });
  let keptAlive = 0;
  const control = {
    assignment: 1,
    keepAlive: async <T>(work: (signal: AbortSignal) => Promise<T>) => {
      keptAlive++;
      const lost = new AbortController();
      const watching = until(() => receiver.requests.length === 1, 'the first attempt').then(() => lost.abort(rebalancing));
      try {
        return await work(lost.signal);
      } finally {
        await watching;
      }
    },
  };
  const crm = endpoint('crm', receiver.url, { topics: [Topics.scores], initialBackoffMs: 60_000, maxBackoffMs: 60_000, maxAttempts: 8 });
  const bridge = new WebhookBridge({ log: new InMemoryEventLog(), codec, deadLetter }, [crm]);
  await assert.rejects(bridge.handleBatch(crm, { topic: Topics.scores, partition: 0, messages: [message] }, control), (e: ClvError) => e.retriable === true);
  await receiver.close();
  assert.equal(keptAlive, 1);
  assert.equal(receiver.requests.length, 1, 'no attempt after the partition was lost');
  assert.deepEqual(await readDeadLetters(dir, 'crm'), []);
  assert.equal(bridge.stats.crm.deadLetteredRequests, 0);
});

test('webhook bridge: a tombstone (an erased customer) is not delivered', async () => {
  const { deadLetter } = await setup(1);
  const receiver = await startWebhookReceiver(secret);
  const crm = endpoint('crm', receiver.url, { topics: [Topics.scores] });
  const bridge = new WebhookBridge({ log: new InMemoryEventLog(), codec, deadLetter }, [crm]);
  await bridge.handleBatch(crm, { topic: Topics.scores, partition: 0, messages: [{ topic: Topics.scores, partition: 0, offset: '0', key: 'C1', value: null }] });
  await receiver.close();
  assert.equal(receiver.requests.length, 0);
  assert.equal(bridge.stats.crm.undecodable, 0);
});
