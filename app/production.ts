/**
 * Production adapters chosen by the validated config: Kafka + schema registry for the log,
 * Redis for processor state, a local-directory model registry, ClickHouse for the analyst
 * tables. The processors are the same ones the embedded mode runs (stream-pipeline.ts).
 */
import type { Logger } from 'pino';
import { clickhouseConnection } from '../adapters/clickhouse/clickhouse-connection.js';
import { kafkaConnection } from '../adapters/kafka/kafka-connection.js';
import { redisConnectionOptions } from '../adapters/redis/redis-connection.js';
import { enableSinkMetrics, recordSinkInsertFailure, recordSinkInsertRetry, recordSinkRejectedRows } from '../metrics/metrics-registry.js';
import { reportChampion } from '../metrics/report-champion.js';
import { analyticsColumns } from '../core/ports/analytics-store.js';
import { ClickHouseAnalyticsStore } from '../adapters/clickhouse/clickhouse-analytics-store.js';
import { join } from 'node:path';
import { KafkaEventLog } from '../adapters/kafka/kafka-event-log.js';
import type { BatchErrorContext } from '../adapters/kafka/chunked-each-batch.js';
import { ConfluentEventLog } from '../adapters/kafka/confluent-event-log.js';
import { confluentBuildDir, loadConfluentKafka } from '../adapters/kafka/confluent-kafka-module.js';
import { projectRoot } from '../config/project-files.js';
import { LocalModelRegistry } from '../adapters/local-directory/local-model-registry.js';
import { openRedis } from '../adapters/redis/redis-client.js';
import { RedisPartitionEpochs } from '../adapters/redis/redis-partition-epochs.js';
import { SchemaRegistryCodec } from '../adapters/avro/schema-registry-codec.js';
import type { Config } from '../config/config.js';
import type { WebhookConfig } from '../config/webhook-config.js';
import type { EventCodec } from '../core/ports/event-codec.js';
import type { EventLog } from '../core/ports/event-log.js';
import { ClickHouseSink } from '../consumers/clickhouse-sink/clickhouse-sink.js';
import { WebhookBridge } from '../consumers/webhooks/webhook-bridge.js';
import { JsonLinesDeadLetter } from '../consumers/webhooks/webhook-dead-letter.js';
import type { Pipeline } from '../processors/pipeline.js';
import { STATE_FORMAT } from '../processors/state-format.js';
import { ChampionWatcher } from './champion-watcher.js';
import { redisStateStores } from './redis-state-stores.js';
import { streamPipeline } from './stream-pipeline.js';

/** Order ledgers are dropped this long after their last change: late refunds beyond it are ignored. */
export const LEDGER_TTL_SECONDS = 400 * 86_400;

/** The Kafka log and the schema-registry codec (schemas registered, compatibility checked). */
export async function productionLog(config: Readonly<Config>, logger: Logger) {
  const settings = {
    ...kafkaConnection(config),
    maxQueuedBytes: config.publishQueueMaxBytes,
    logger,
    onBatchError: (error: unknown, where: BatchErrorContext) => logger.warn({ err: error, ...where }, 'batch failed; redelivering after backoff'),
  };
  const log =
    config.kafkaClient === 'confluent'
      ? new ConfluentEventLog(loadConfluentKafka(confluentBuildDir(config.toolsDir ?? join(projectRoot(), '.tools'))), settings)
      : new KafkaEventLog(settings);
  const codec = new SchemaRegistryCodec({ url: config.schemaRegistryUrl });
  await codec.registerAll();
  return { log, codec };
}

export type ProductionPipeline = Awaited<ReturnType<typeof productionPipeline>>;

/** `observe` may wrap the log the processors see (the stack bench measures latency that way). */
export async function productionPipeline(config: Readonly<Config>, logger: Logger, observe?: (log: EventLog) => EventLog) {
  const { log, codec } = await productionLog(config, logger);
  // Standalone: each store makes its own client from the URL. Cluster: one client for all,
  // which knows the slot map (adapters/redis/redis-client.ts), quit after the stores close.
  const redisOptions = redisConnectionOptions(config);
  const cluster = config.redisCluster ? openRedis({ url: config.redisUrl, cluster: true }, { ...redisOptions, maxRetriesPerRequest: 1 }) : null;
  const redis = cluster ?? config.redisUrl;
  const stores = redisStateStores(redis, { redisOptions, ledgerTtlSeconds: LEDGER_TTL_SECONDS });
  // Fencing is always on here: any role may run as several replicas (docs/deployment.md).
  const epochs = new RedisPartitionEpochs(redis, redisOptions);
  const closeStores = async () => {
    await Promise.all([...Object.values(stores).map((s) => s.close()), epochs.close()]);
    await cluster?.quit().catch(() => cluster.disconnect());
  };
  try {
    for (const store of Object.values(stores)) await store.claimFormat(STATE_FORMAT);
  } catch (error) {
    await log.close();
    await closeStores();
    throw error;
  }
  const pipeline = streamPipeline(config, { log, codec, stores, epochs }, { observe });
  const registry = new LocalModelRegistry(config.modelRegistryDir);
  return {
    log,
    codec,
    pipeline,
    registry,
    /** Keeps `pipeline` scoring with the registry's champion. */
    champion: pipelineChampion(registry, pipeline, logger),
    async close() {
      await log.close();
      await closeStores();
    },
  };
}

/** A champion watcher that swaps the model `pipeline` scores with, and reports the champion's training time. */
function pipelineChampion(registry: LocalModelRegistry, pipeline: Pipeline, logger: Logger): ChampionWatcher {
  return new ChampionWatcher(registry, () => pipeline.championModel()?.version ?? null, (model) => pipeline.useModel(model), logger, () => reportChampion(registry));
}

/** The ClickHouse sink: every topic into the analyst tables (migrations applied first). */
export async function startClickHouseSink(config: Readonly<Config>, log: EventLog, codec: EventCodec, logger: Logger) {
  const store = await ClickHouseAnalyticsStore.open({ ...clickhouseConnection(config), database: config.clickhouseDatabase, cluster: config.clickhouseCluster });
  enableSinkMetrics(Object.keys(analyticsColumns));
  const sink = new ClickHouseSink(
    {
      log, codec, store,
      retryHooks: { onRetry: (err, attempt, delayMs) => { recordSinkInsertRetry(); logger.warn({ err, attempt, delayMs }, 'ClickHouse insert failed; retrying'); } },
      onInsertFailed: (table, err) => { recordSinkInsertFailure(table); logger.error({ err, table }, 'ClickHouse insert failed for good; the batch will be redelivered'); },
      onRowsRejected: (table, count) => { recordSinkRejectedRows(table, count); logger.warn({ table, count }, 'rows the ClickHouse table cannot hold; their messages went to the dead-letter topic'); },
    },
    // One member per partition lets batches of several partitions share an insert.
    { members: Math.min(config.partitions, 4) },
  );
  await sink.start();
  return {
    lagSource: sink.lagSource,
    async stop() {
      await sink.stop();
      await store.close();
    },
  };
}

/** The webhook bridge over the endpoints of CLV_WEBHOOKS_FILE (docs/webhooks.md). */
export async function startWebhookBridge(config: Readonly<WebhookConfig>, log: EventLog, codec: EventCodec, logger: Logger) {
  const bridge = new WebhookBridge({ log, codec, deadLetter: new JsonLinesDeadLetter(config.deadLetterDir) }, config.endpoints);
  await bridge.start();
  logger.info({ endpoints: config.endpoints.map((e) => e.name) }, 'webhook bridge started');
  return bridge;
}
