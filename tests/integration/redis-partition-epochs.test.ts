/**
 * RedisPartitionEpochs on the real Redis: epochs of a group only grow, across instances and
 * concurrent takes; groups do not share a sequence; an unreachable Redis is retriable.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { RedisPartitionEpochs } from '../../adapters/redis/redis-partition-epochs.js';
import { ClvError } from '../../core/errors.js';
import { runScoped, services } from './support/services.js';

const group = runScoped('it_epochs');
const client = new Redis(services.redisUrl);

after(async () => {
  await client.del(RedisPartitionEpochs.keyOf(group), RedisPartitionEpochs.keyOf(`${group}-other`));
  client.disconnect();
});

test('partition epochs: every take, by any instance and concurrently, is greater than all before it; groups are independent', async () => {
  const a = new RedisPartitionEpochs(services.redisUrl);
  const b = new RedisPartitionEpochs(client);
  const first = await a.take(group);
  const together = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).take(group)));
  assert.equal(new Set(together).size, 50, 'no two takes share an epoch');
  assert.ok(together.every((e) => e > first));
  assert.ok((await b.take(group)) > Math.max(...together));
  assert.equal(await a.take(`${group}-other`), 1);
  await a.close();
  await b.close();
  assert.equal(client.status, 'ready', 'a client passed in is left open');
});

test('partition epochs: an unreachable Redis is a retriable dependency error', async () => {
  const down = new RedisPartitionEpochs('redis://127.0.0.1:1', { retryStrategy: () => null, connectTimeout: 300 });
  await assert.rejects(down.take(group), (e: unknown) => e instanceof ClvError && e.retriable && /fencing epoch/.test(e.message));
  await down.close();
});
