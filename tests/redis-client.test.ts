import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cluster, Redis } from 'ioredis';
import { openRedis } from '../adapters/redis/redis-client.js';

test('a plain URL gives a standalone client; with cluster, a Cluster seeded with the URL node and its credentials for every node', async () => {
  const plain = openRedis({ url: 'redis://127.0.0.1:6390/3', cluster: false }, { lazyConnect: true });
  assert.ok(plain instanceof Redis);
  assert.equal(plain.options.db, 3);
  plain.disconnect();

  const cluster = openRedis({ url: 'rediss://clv:p%40ss@redis-0.redis:7001', cluster: true }, { lazyConnect: true, maxRetriesPerRequest: 1 });
  assert.ok(cluster instanceof Cluster);
  assert.deepEqual((cluster as unknown as { startupNodes: unknown }).startupNodes, [{ host: 'redis-0.redis', port: 7001 }]);
  assert.equal(cluster.options.redisOptions?.username, 'clv');
  assert.equal(cluster.options.redisOptions?.password, 'p@ss');
  assert.deepEqual(cluster.options.redisOptions?.tls, {});
  assert.equal(cluster.options.redisOptions?.maxRetriesPerRequest, 1);
  assert.equal(cluster.options.enableAutoPipelining, true);
  cluster.disconnect();
});
