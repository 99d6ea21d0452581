/**
 * PartitionEpochs on Redis: one counter per consumer group, `clv-epoch:<group>`, taken with
 * INCR (atomic, so no two instances ever get the same epoch). Outside every state namespace
 * (`clv:<namespace>:…`), so state scans never see it; never expires, so epochs only grow.
 *
 * Errors are ClvError(DEPENDENCY_FAILED, retriable): the batch that needed an epoch is retried.
 */
import { Redis, type Cluster, type RedisOptions } from 'ioredis';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { PartitionEpochs } from '../../core/ports/partition-epochs.js';
import { connectionErrors } from './redis-connection.js';

export class RedisPartitionEpochs implements PartitionEpochs {
  private readonly client: Redis | Cluster;
  private readonly ownsClient: boolean;
  /** Adds the connection's last error to a command's message (own clients only). */
  private readonly explain: (message: string) => string = (m) => m;

  /** A client the caller owns, or a redis:// URL for a client of its own that `close()` quits. */
  constructor(redis: Redis | Cluster | string, redisOptions: RedisOptions = {}) {
    if (typeof redis === 'string') {
      this.client = new Redis(redis, { maxRetriesPerRequest: 1, ...redisOptions });
      this.explain = connectionErrors(this.client);
      this.ownsClient = true;
    } else {
      this.client = redis;
      this.ownsClient = false;
    }
  }

  /** The Redis key of a group's counter. */
  static keyOf(group: string): string {
    return `clv-epoch:${group}`;
  }

  async take(group: string): Promise<number> {
    try {
      return await this.client.incr(RedisPartitionEpochs.keyOf(group));
    } catch (cause) {
      throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, `redis: cannot take a fencing epoch for group ${group}: ${this.explain((cause as Error)?.message ?? String(cause))}`, { retriable: true, cause });
    }
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.quit().catch(() => this.client.disconnect());
  }
}
