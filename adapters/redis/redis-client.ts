/**
 * The one place a Redis client is made from the settings: a standalone `Redis` for a
 * redis:// URL, or — with CLV_REDIS_CLUSTER — an ioredis `Cluster` seeded with the URL's node
 * (the client asks it for the slot map and discovers the other masters; user, password and
 * TLS of the URL apply to every node).
 *
 * What runs on a Cluster: every command the adapters send touches one slot. State keys carry
 * the customer as their hash tag (redis-key-layout.ts), so each fenced write (a one-key Lua
 * script) stays on one node; reads are one GET per key (redis-state-store.ts), which
 * auto-pipelining sends as one pipeline per node; the epoch counters (`clv-epoch:<group>`)
 * and format claims (`clv-format:<namespace>`) are single-key commands. No MULTI, no MGET
 * and no multi-key script is sent to a Cluster.
 */
import { Cluster, Redis, type RedisOptions } from 'ioredis';

export interface RedisConnection {
  /** redis:// or rediss:// URL (config.redisUrl). */
  url: string;
  /** The URL names a node of a Redis Cluster (config.redisCluster). */
  cluster: boolean;
}

/**
 * A new client; the caller owns it (quit it when done). `options` apply to the connection of
 * every node. Errors are left to the commands (an 'error' listener is installed so that
 * ioredis does not print every reconnect failure).
 */
export function openRedis(connection: RedisConnection, options: RedisOptions = {}): Redis | Cluster {
  if (!connection.cluster) {
    const client = new Redis(connection.url, options);
    client.on('error', () => {});
    return client;
  }
  const u = new URL(connection.url);
  const nodeOptions: RedisOptions = {
    ...options,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  const client = new Cluster([{ host: u.hostname, port: Number(u.port || 6379) }], {
    redisOptions: nodeOptions,
    // Commands of one batch to one node travel as one pipeline (redis-state-store.ts).
    enableAutoPipelining: true,
    // A lost slot map (a node restarting, a failover) is retried by the runner's batch retry.
    retryDelayOnClusterDown: 200,
    lazyConnect: options.lazyConnect ?? false,
  });
  client.on('error', () => {});
  return client;
}
