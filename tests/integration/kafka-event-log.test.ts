/**
 * KafkaEventLog against a real broker (scripts/services/up.sh kafka): the EventLog contract
 * suite, plus what only a real broker can show — topic configs, partitioning agreement with the
 * embedded log, redelivery across group members, and a member that stalls mid-batch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KafkaEventLog, type KafkaEventLogOptions } from '../../adapters/kafka/kafka-event-log.js';
import type { IncomingMessage } from '../../core/ports/event-log.js';
import { eventLogContract } from '../support/event-log-contract.js';
import { kafkaAdapterCases, suiteAdmin, until } from './support/kafka-adapter-cases.js';
import { runScoped, services } from './support/services.js';

const brokers = services.kafkaBrokers;
// Quick backoff: a failed batch is retried within a second, so redelivery tests stay short.
const quick: KafkaEventLogOptions = { brokers, retry: { maxRetryTimeMs: 1_000 } };
const msg = (key: string | null, value: string) => ({ key, value: Buffer.from(value) });
const values = (ms: IncomingMessage[]) => ms.map((m) => String(m.value));
const admin = suiteAdmin();

eventLogContract('kafka event log', async () => new KafkaEventLog(quick));
kafkaAdapterCases('kafka event log', {
  make: () => new KafkaEventLog(quick),
  makeUnreachable: () => new KafkaEventLog({ brokers: ['127.0.0.1:1'], connectionTimeoutMs: 300, retry: { retries: 0 } }),
  admin,
});

test('kafka event log: a publish call larger than maxMessagesPerRequest goes in slices and keeps per-key order', async () => {
  const log = new KafkaEventLog({ ...quick, maxMessagesPerRequest: 3 });
  const topic = runScoped('slices');
  await log.createTopics([{ name: topic, partitions: 2, compacted: false }]);
  const sent = Array.from({ length: 20 }, (_, i) => msg(`C${i % 2}`, String(i)));
  await log.publish(topic, sent);
  const seen: IncomingMessage[] = [];
  const consumer = await log.consume({ groupId: `g-${topic}`, topics: [topic], fromBeginning: true, eachBatch: async (b) => void seen.push(...b.messages) });
  await until(() => seen.length === 20, '20 messages');
  await consumer.stop();
  for (const key of ['C0', 'C1']) {
    assert.deepEqual(values(seen.filter((m) => m.key === key)), values(sent.filter((m) => m.key === key).map((m) => ({ ...m, topic, partition: 0, offset: '0' }))));
  }
  await log.close();
});

test('kafka event log: concurrent publish calls (several topics, and a call larger than a request among them) all arrive, each in its order', async () => {
  const log = new KafkaEventLog({ ...quick, maxMessagesPerRequest: 4 });
  const a = runScoped('coalesce-a');
  const b = runScoped('coalesce-b');
  await log.createTopics([{ name: a, partitions: 2, compacted: false }, { name: b, partitions: 1, compacted: false }]);
  // Queued while the first request is in flight, then sent together (merged per topic).
  const calls = [
    { topic: a, messages: ['a0', 'a1'].map((v) => msg('C1', v)) },
    { topic: b, messages: ['b0'].map((v) => msg('C1', v)) },
    { topic: a, messages: ['a2', 'a3', 'a4', 'a5', 'a6', 'a7'].map((v) => msg('C1', v)) },
    { topic: a, messages: ['a8'].map((v) => msg('C2', v)) },
    { topic: b, messages: ['b1', 'b2'].map((v) => msg('C1', v)) },
  ];
  await Promise.all(calls.map((c) => log.publish(c.topic, c.messages)));
  const seen: IncomingMessage[] = [];
  const consumer = await log.consume({ groupId: `g-${a}`, topics: [a, b], fromBeginning: true, eachBatch: async (batch) => void seen.push(...batch.messages) });
  await until(() => seen.length === 12, '12 messages');
  await consumer.stop();
  assert.deepEqual(values(seen.filter((m) => m.topic === a && m.key === 'C1')), ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7']);
  assert.deepEqual(values(seen.filter((m) => m.topic === a && m.key === 'C2')), ['a8']);
  assert.deepEqual(values(seen.filter((m) => m.topic === b)), ['b0', 'b1', 'b2']);
  await log.close();
});

test('kafka event log: a call the broker refuses fails alone, not the calls that shared its request', async () => {
  const log = new KafkaEventLog(quick);
  const a = runScoped('refused-a');
  const b = runScoped('refused-b');
  await log.createTopics([{ name: a, partitions: 1, compacted: false }, { name: b, partitions: 1, compacted: false }]);
  // Random bytes do not compress: 2 MB is above the broker's message.max.bytes (1 MB default).
  const huge = { key: 'C1', value: Buffer.from(Array.from({ length: 2 << 20 }, () => Math.floor(Math.random() * 256))) };
  const [refused, fine] = await Promise.allSettled([log.publish(a, [huge]), log.publish(b, [msg('C1', 'ok')])]);
  assert.equal(refused.status, 'rejected');
  assert.equal(fine.status, 'fulfilled');
  const seen: IncomingMessage[] = [];
  const consumer = await log.consume({ groupId: `g-${b}`, topics: [b], fromBeginning: true, eachBatch: async (batch) => void seen.push(...batch.messages) });
  await until(() => seen.length === 1, '1 message');
  await consumer.stop();
  assert.deepEqual(values(seen), ['ok']);
  await log.close();
});

test('kafka event log: a failed chunk and every chunk after it are redelivered; chunks committed before it are not', async () => {
  const errors: string[] = [];
  const log = new KafkaEventLog({ ...quick, onBatchError: (_e, c) => errors.push(c.offset) });
  const topic = runScoped('chunks');
  await log.createTopics([{ name: topic, partitions: 1, compacted: false }]);
  await log.publish(topic, ['0', '1', '2', '3', '4'].map((v) => msg('C1', v)));
  const calls: string[][] = [];
  let failures = 1;
  const consumer = await log.consume({
    groupId: `g-${topic}`, topics: [topic], fromBeginning: true, maxBatchSize: 2,
    eachBatch: async (b) => {
      calls.push(values(b.messages));
      if (b.messages[0].offset === '2' && failures-- > 0) throw new Error('store is down');
    },
  });
  await until(async () => (await log.lag(`g-${topic}`, [topic])) === 0, 'everything committed');
  await consumer.stop();
  assert.deepEqual(calls, [['0', '1'], ['2', '3'], ['2', '3'], ['4']]);
  assert.deepEqual(errors, ['2']);
  await log.close();
});

test('kafka event log: a member stopped with its batch uncommitted hands those messages to the next member of the group', async () => {
  const log = new KafkaEventLog(quick);
  const topic = runScoped('handover');
  const groupId = `g-${topic}`;
  await log.createTopics([{ name: topic, partitions: 1, compacted: false }]);
  await log.publish(topic, ['p1', 'p2'].map((v) => msg('C1', v)));
  let failing = false;
  const triedByFirst = new Set<string>();
  const first = await log.consume({ groupId, topics: [topic], fromBeginning: true, eachBatch: async (b) => {
    values(b.messages).forEach((v) => triedByFirst.add(v));
    if (failing) throw new Error('crashes before it can commit');
  } });
  await until(async () => (await log.lag(groupId, [topic])) === 0, 'the first two messages to be committed');
  failing = true;
  await log.publish(topic, ['x1', 'x2', 'x3'].map((v) => msg('C1', v)));
  await until(() => triedByFirst.size === 5, 'the first member to hold the new messages');
  await first.stop();
  assert.equal(await log.lag(groupId, [topic]), 3, 'nothing more committed');
  // fromBeginning only matters for a group with no committed offset; this one has one.
  const bySecond: string[] = [];
  const second = await log.consume({ groupId, topics: [topic], fromBeginning: false, eachBatch: async (b) => void bySecond.push(...values(b.messages)) });
  await until(async () => (await log.lag(groupId, [topic])) === 0, 'the next member to commit');
  await second.stop();
  assert.deepEqual(bySecond, ['x1', 'x2', 'x3']);
  await log.close();
});

test('kafka event log: a member stalled mid-batch loses its partition; the next member gets the uncommitted chunk; the stalled member cannot commit late', async () => {
  // The broker's floor for session timeouts is 6 s (group.min.session.timeout.ms).
  const log = new KafkaEventLog({ ...quick, sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 6_000 });
  const topic = runScoped('stall');
  const groupId = `g-${topic}`;
  await log.createTopics([{ name: topic, partitions: 1, compacted: false }]);
  await log.publish(topic, ['0', '1', '2', '3', '4'].map((v) => msg('C1', v)));
  let release!: () => void;
  const stalled = new Promise<void>((r) => (release = r));
  const byFirst: string[][] = [];
  const first = await log.consume({ groupId, topics: [topic], fromBeginning: true, maxBatchSize: 2, eachBatch: async (b) => {
    byFirst.push(values(b.messages));
    if (b.messages[0].offset === '2') await stalled; // e.g. a GC pause or a hung store call: no heartbeats
  } });
  await until(() => byFirst.length === 2, 'the first member to stall on its second chunk');
  const bySecond: string[] = [];
  const second = await log.consume({ groupId, topics: [topic], fromBeginning: true, eachBatch: async (b) => void bySecond.push(...values(b.messages)) });
  await until(async () => bySecond.length >= 3 && (await log.lag(groupId, [topic])) === 0, 'the second member to take over and commit');
  assert.deepEqual(bySecond, ['2', '3', '4'], 'from the first uncommitted offset: chunk 2–3 again, at least once');
  release();
  await first.stop();
  assert.equal(await log.lag(groupId, [topic]), 0, "the stalled member's late commit was refused (it would rewind to 4)");
  await second.stop();
  assert.deepEqual(byFirst, [['0', '1'], ['2', '3']]);
  await log.close();
});

