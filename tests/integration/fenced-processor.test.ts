/**
 * Fencing on the real Kafka and Redis: two instances of one processor in one consumer group,
 * wired as app/production.ts wires them (Redis state store, Redis fencing epochs). The first
 * stalls between apply and save past its session timeout; the second takes the partition
 * over, replays and saves newer state; then the first wakes up and tries its late save.
 * Before fencing was switched on, that late save won and the newer event was lost from state.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { KafkaEventLog } from '../../adapters/kafka/kafka-event-log.js';
import { RedisPartitionEpochs } from '../../adapters/redis/redis-partition-epochs.js';
import { FencedWriteError, RedisStateStore } from '../../adapters/redis/redis-state-store.js';
import type { StateStore } from '../../core/ports/state-store.js';
import { ProcessorRunner } from '../../processors/run-keyed-processor.js';
import { runScoped, services } from './support/services.js';
import { appendProcessor, jsonCodec, type Seen } from './support/append-processor.js';

const run = runScoped('it_fence');
const topic = `${run}_in`;
const groupId = `g-${run}`;
const namespace = `${run}_state`;
const redis = new Redis(services.redisUrl);

const appending = appendProcessor(groupId, topic);

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

after(async () => {
  const keys = await redis.keys(`clv:${namespace}:*`);
  await redis.del(...keys, RedisPartitionEpochs.keyOf(groupId));
  redis.disconnect();
});

test('fencing: an evicted instance that wakes up after the new owner saved cannot overwrite the newer state; its batch is left to the new owner', async (t) => {
  const logOptions = { brokers: services.kafkaBrokers, sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 6_000, retry: { maxRetryTimeMs: 1_000 } };
  const logA = new KafkaEventLog(logOptions);
  const logB = new KafkaEventLog(logOptions);
  await logA.createTopics([{ name: topic, partitions: 1, compacted: false }]);
  const storeA = new RedisStateStore<Seen>({ redis: services.redisUrl, namespace });
  const storeB = new RedisStateStore<Seen>({ redis: services.redisUrl, namespace });
  const epochs = new RedisPartitionEpochs(services.redisUrl);

  // Instance A stalls between apply and save (a GC pause, a hung call): no heartbeats.
  let release!: () => void;
  const stall = new Promise<void>((r) => (release = r));
  let stalled = false;
  let lateSave = null as 'written' | Error | null;
  const stallingStore: StateStore<Seen> = {
    getMany: (keys) => storeA.getMany(keys),
    scan: (n) => storeA.scan(n),
    scanPrefix: (prefix, n) => storeA.scanPrefix(prefix, n),
    deleteMany: (keys) => storeA.deleteMany(keys),
    size: () => storeA.size(),
    setMany: async (entries, options) => {
      stalled = true;
      await stall;
      try {
        await storeA.setMany(entries, options);
        lateSave = 'written';
      } catch (error) {
        lateSave = error as Error;
        throw error;
      }
    },
  };
  const a = new ProcessorRunner(appending, { log: logA, codec: jsonCodec, store: stallingStore, epochs });
  const b = new ProcessorRunner(appending, { log: logB, codec: jsonCodec, store: storeB, epochs });
  t.after(async () => {
    release();
    await Promise.all([a.stop(), b.stop()]);
    await Promise.all([logA.close(), logB.close()]);
    await Promise.all([storeA.close(), storeB.close(), epochs.close()]);
    const { default: kafkajs } = await import('kafkajs');
    const admin = new kafkajs.Kafka({ brokers: services.kafkaBrokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  });
  await a.start();
  await logA.publish(topic, [{ key: 'C1', value: await jsonCodec.encode(topic, { key: 'C1', id: 'e1' }) }]);
  await until(() => stalled, 'instance A to stall before saving e1');

  // B joins; once A's session expires, B owns the partition, replays e1 and takes e2.
  await b.start();
  await logB.publish(topic, [{ key: 'C1', value: await jsonCodec.encode(topic, { key: 'C1', id: 'e2' }) }]);
  await until(async () => (await storeB.getMany(['C1'])).get('C1')?.events.includes('e2') === true && (await logB.lag(groupId, [topic])) === 0, 'instance B to save e1 and e2 and commit');

  release();
  await until(() => lateSave !== null, "instance A's late save to settle");
  const final = (await storeB.getMany(['C1'])).get('C1');
  assert.deepEqual(final, { events: ['e1', 'e2'] }, `the newer state survives; A's late save ${lateSave === 'written' ? 'was written' : 'was refused'}`);
  assert.ok(lateSave instanceof FencedWriteError, `A's late save is refused as stale: ${String(lateSave)}`);
  assert.deepEqual((lateSave as FencedWriteError).refusedKeys, ['C1']);
  // A's batch was abandoned, not committed over B's progress: nothing is left to consume, and
  // a message published now is still processed once, on top of the newer state.
  await logB.publish(topic, [{ key: 'C1', value: await jsonCodec.encode(topic, { key: 'C1', id: 'e3' }) }]);
  await until(async () => (await storeB.getMany(['C1'])).get('C1')?.events.includes('e3') === true && (await logB.lag(groupId, [topic])) === 0, 'e3 to be saved and committed');
  assert.deepEqual((await storeB.getMany(['C1'])).get('C1'), { events: ['e1', 'e2', 'e3'] });
});
