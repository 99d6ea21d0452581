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

export class RedisPartitionEpochs implements PartitionEpochs {
  private readonly client: Redis | Cluster;
  private readonly ownsClient: boolean;

  /** A client the caller owns, or a redis:// URL for a client of its own that `close()` quits. */
  constructor(redis: Redis | Cluster | string, redisOptions: RedisOptions = {}) {
    if (typeof redis === 'string') {
      this.client = new Redis(redis, { maxRetriesPerRequest: 1, ...redisOptions });
      this.client.on('error', () => {});
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
      throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, `redis: cannot take a fencing epoch for group ${group}: ${(cause as Error)?.message ?? String(cause)}`, { retriable: true, cause });
    }
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.quit().catch(() => this.client.disconnect());
  }
}
