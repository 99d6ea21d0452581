/**
 * Erasure of one customer (GDPR Art. 17, CCPA §1798.105): `clv forget <customer>` and
 * `DELETE /v1/customers/:id`. In order:
 *
 * 1. Processor state: the purchase history, the score and every order ledger of the customer
 *    (ledgers are keyed compositeKey(customer, order): found by the customer's part, and
 *    deleted only if their `customerId` is the customer, as a second check).
 * 2. A tombstone (null value) for the customer's key on the compacted topics clv.features.v1
 *    and clv.scores.v1, so that compaction drops the customer's earlier values there.
 * 3. The analytics rows of every table that names the customer (ClickHouse mutations, waited
 *    for), dead letters keyed by the customer included.
 * 4. The audit record on clv.erasures.v1 (the sink keeps it in the `erasures` table): only
 *    after every step above succeeded. A step that fails rejects the whole call, which may be
 *    run again: each step is idempotent.
 *
 * Events of the customer that arrive later start from nothing: there is no state left for
 * them to join. What erasure does not reach, and why (also in docs/erasure.md):
 * - events still in flight — published before the erasure, not yet processed — recreate the
 *   state they carry: erase once the customer's last events have been processed, or again;
 * - the raw event topics (orders, payments, purchases, dead letters) are not compacted: their
 *   records of the customer go when their retention expires;
 * - a processor replica stalled in the middle of a batch of the customer may still write its
 *   state after the deletion (fencing only refuses writes older than a newer one, and the key
 *   is gone); the next erasure removes it.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ClickHouseAnalyticsStore } from '../adapters/clickhouse/clickhouse-analytics-store.js';
import { clickhouseConnection } from '../adapters/clickhouse/clickhouse-connection.js';
import { kafkaConnection } from '../adapters/kafka/kafka-connection.js';
import { KafkaEventLog } from '../adapters/kafka/kafka-event-log.js';
import { redisConnectionOptions } from '../adapters/redis/redis-connection.js';
import { openRedis } from '../adapters/redis/redis-client.js';
import { SchemaRegistryCodec } from '../adapters/avro/schema-registry-codec.js';
import type { Config } from '../config/config.js';
import { compositeKey } from '../core/composite-key.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import type { CustomerErasedEvent } from '../core/events.js';
import type { AnalyticsStore } from '../core/ports/analytics-store.js';
import type { EventCodec } from '../core/ports/event-codec.js';
import type { EventLog } from '../core/ports/event-log.js';
import { Topics, topicSpecs } from '../core/topics.js';
import type { PipelineStores } from '../processors/pipeline.js';
import { redisStateStores } from './redis-state-stores.js';

export interface ErasureDeps {
  stores: PipelineStores;
  log: EventLog;
  codec: EventCodec;
  analytics: AnalyticsStore;
  /** Wall clock, ms: the audit record's time. */
  now?: () => number;
}

/** The compacted topics keyed by customer: each gets a tombstone. */
const TOMBSTONED_TOPICS = [Topics.features, Topics.scores] as const;
const PAGE = 1_000;

/** Forgets `customerId` everywhere (see above); resolves with the audit record it published. */
export async function forgetCustomer(deps: ErasureDeps, customerId: string, requestedBy: string): Promise<CustomerErasedEvent> {
  if (typeof customerId !== 'string' || customerId.length === 0) {
    throw new ClvError(ErrorCodes.INVALID_EVENT, 'customer id: expected a non-empty string');
  }
  const { stores, log, codec, analytics } = deps;
  let stateKeysDeleted = (await stores.histories.deleteMany([customerId])) + (await stores.scores.deleteMany([customerId]));
  for await (const page of stores.ledgers.scanPrefix(`${compositeKey(customerId)}/`, PAGE)) {
    const mine = page.filter(([, ledger]) => ledger.customerId === customerId).map(([key]) => key);
    stateKeysDeleted += await stores.ledgers.deleteMany(mine);
  }
  await Promise.all(TOMBSTONED_TOPICS.map((topic) => log.publish(topic, [{ key: customerId, value: null }])));
  const analyticsTables = await analytics.forgetCustomer(customerId);
  const record: CustomerErasedEvent = {
    event_id: `erasure:${randomUUID()}`,
    event_time: (deps.now ?? Date.now)(),
    customer_id: customerId,
    requested_by: requestedBy,
    state_keys_deleted: stateKeysDeleted,
    tombstoned_topics: [...TOMBSTONED_TOPICS],
    analytics_tables: [...analyticsTables].sort(),
  };
  await log.publish(Topics.erasures, [{ key: customerId, value: await codec.encode(Topics.erasures, record) }]);
  return record;
}

/**
 * Erasure on the production adapters (Redis, Kafka with the schema registry, ClickHouse), for
 * `clv forget` and `clv serve`. The erasures topic is created if this deployment predates it.
 */
export async function productionErasure(config: Readonly<Config>, logger: Logger): Promise<{ forget: (customerId: string, requestedBy: string) => Promise<CustomerErasedEvent>; close: () => Promise<void> }> {
  const codec = new SchemaRegistryCodec({ url: config.schemaRegistryUrl });
  await codec.registerAll();
  const log = new KafkaEventLog({ ...kafkaConnection(config), logger });
  const redisOptions = redisConnectionOptions(config);
  const cluster = config.redisCluster ? openRedis({ url: config.redisUrl, cluster: true }, { ...redisOptions, maxRetriesPerRequest: 1 }) : null;
  const redis = cluster ?? config.redisUrl;
  const stores = redisStateStores(redis, { redisOptions });
  const close = async () => {
    await log.close();
    await Promise.all(Object.values(stores).map((s) => s.close()));
    await cluster?.quit().catch(() => cluster.disconnect());
  };
  let analytics: ClickHouseAnalyticsStore;
  try {
    await log.createTopics(topicSpecs(config.partitions));
    analytics = await ClickHouseAnalyticsStore.open({ ...clickhouseConnection(config), database: config.clickhouseDatabase, cluster: config.clickhouseCluster });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    forget: (customerId, requestedBy) => forgetCustomer({ stores, log, codec, analytics }, customerId, requestedBy),
    async close() {
      await close();
      await analytics.close();
    },
  };
}

/** `clv forget`: erases one customer on the production stack and prints the audit record. */
export async function forgetNow(config: Readonly<Config>, customerId: string, requestedBy: string, logger: Logger): Promise<void> {
  const erasure = await productionErasure(config, logger);
  try {
    const record = await erasure.forget(customerId, requestedBy);
    process.stdout.write(
      `forgot customer ${JSON.stringify(customerId)}: ${record.state_keys_deleted} state entries deleted, tombstones on ${record.tombstoned_topics.join(', ')}, ` +
        `rows deleted from ${record.analytics_tables.length} analytics tables; audit record ${record.event_id} on ${Topics.erasures}\n`,
    );
  } finally {
    await erasure.close();
  }
}
