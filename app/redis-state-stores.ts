/**
 * The processors' state stores on Redis, each namespace with its state's codec
 * (processors/state-codecs.ts): the one place that pairs them, so that every process reading
 * or writing them — the processors, the API, erasure, training, tools — reads what the others
 * wrote.
 */
import type { Cluster, Redis, RedisOptions } from 'ioredis';
import { firstKeyPart, RedisStateStore } from '../adapters/redis/redis-state-store.js';
import type { CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';
import type { OrderLedger } from '../processors/purchases/purchase-joiner.js';
import type { CustomerScoreState } from '../processors/scoring/customer-scorer.js';
import { processorStateCodecs } from '../processors/state-codecs.js';

export interface RedisStateStores {
  ledgers: RedisStateStore<OrderLedger>;
  histories: RedisStateStore<CustomerPurchaseHistory>;
  scores: RedisStateStore<CustomerScoreState>;
}

export interface RedisStateStoresOptions {
  /** Options for the clients made from a URL. */
  redisOptions?: RedisOptions;
  /** Each ledger write (re)sets its expiry this many seconds later; default never (readers and erasure need none). */
  ledgerTtlSeconds?: number;
  /** Namespaces `<prefix>_ledgers`… instead of `ledgers`… (tests and benches sharing a server). */
  prefix?: string;
}

/** The three stores over `redis` (a client the caller owns, or a URL: then a client per store, quit by `close()`). */
export function redisStateStores(redis: Redis | Cluster | string, options: RedisStateStoresOptions = {}): RedisStateStores {
  const { redisOptions, ledgerTtlSeconds, prefix } = options;
  const scoped = (name: string) => (prefix === undefined ? name : `${prefix}_${name}`);
  return {
    ledgers: new RedisStateStore({ redis, redisOptions, namespace: scoped('ledgers'), hashTag: firstKeyPart, ttlSeconds: ledgerTtlSeconds, codec: processorStateCodecs.ledgers }),
    histories: new RedisStateStore({ redis, redisOptions, namespace: scoped('histories'), codec: processorStateCodecs.histories }),
    scores: new RedisStateStore({ redis, redisOptions, namespace: scoped('scores'), codec: processorStateCodecs.scores }),
  };
}
