/**
 * Production adapters chosen by the validated config: Kafka + schema registry for the log,
 * Redis for processor state, a local-directory model registry. The processors are the same
 * ones the embedded mode runs.
 */
import { createServer, type Server } from 'node:http';
import type { Logger } from 'pino';
import { enableSinkMetrics, metricsRegistry, recordSinkInsertFailure, recordSinkInsertRetry } from '../metrics/metrics-registry.js';
import { reportChampion } from '../metrics/report-champion.js';
import { analyticsColumns } from '../core/ports/analytics-store.js';
import { ClickHouseAnalyticsStore } from '../adapters/clickhouse/clickhouse-analytics-store.js';
import { KafkaEventLog } from '../adapters/kafka/kafka-event-log.js';
import { LocalModelRegistry } from '../adapters/local-directory/local-model-registry.js';
import { RedisStateStore } from '../adapters/redis/redis-state-store.js';
import { SchemaRegistryCodec } from '../adapters/avro/schema-registry-codec.js';
import { dayIndexer } from '../core/calendar.js';
import type { Config } from '../config/config.js';
import type { EventCodec } from '../core/ports/event-codec.js';
import type { EventLog } from '../core/ports/event-log.js';
import { ClickHouseSink } from '../consumers/clickhouse-sink/clickhouse-sink.js';
import { WebhookBridge } from '../consumers/webhooks/webhook-bridge.js';
import { JsonLinesDeadLetter } from '../consumers/webhooks/webhook-dead-letter.js';
import { loadWebhookConfig } from '../config/webhook-config.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { Pipeline } from '../processors/pipeline.js';
import { rfmRuleModelFrom } from '../models/kinds/rfm-rule-model.js';
import { BgNbdGammaGammaModel } from '../models/kinds/bgnbd-gamma-gamma-model.js';
import { loadPolicy } from './embedded.js';
import { prometheusObserver } from '../metrics/prometheus-observer.js';

/** Order ledgers are dropped this long after their last change: late refunds beyond it are ignored. */
const LEDGER_TTL_SECONDS = 400 * 86_400;

/** `observe` may wrap the log the processors see (the stack bench measures latency that way). */
export async function productionPipeline(config: Readonly<Config>, logger: Logger, observe: (log: EventLog) => EventLog = (l) => l) {
  const log = new KafkaEventLog({
    brokers: config.kafkaBrokers,
    logger,
    onBatchError: (error, where) => logger.warn({ err: error, ...where }, 'batch failed; redelivering after backoff'),
  });
  const codec = new SchemaRegistryCodec({ url: config.schemaRegistryUrl });
  await codec.registerAll();
  const stores = {
    ledgers: new RedisStateStore<never>({ redis: config.redisUrl, namespace: 'ledgers', ttlSeconds: LEDGER_TTL_SECONDS }),
    histories: new RedisStateStore<never>({ redis: config.redisUrl, namespace: 'histories' }),
    scores: new RedisStateStore<never>({ redis: config.redisUrl, namespace: 'scores' }),
  };
  const pipeline: Pipeline = new Pipeline({
    log: observe(log),
    codec,
    stores,
    validation: { currency: config.currency, maxFutureSkewMs: config.maxFutureSkewMs, now: Date.now },
    scoring: { dayOf: dayIndexer(config.timeZone), policy: loadPolicy(config.policyFile), hysteresis: config.segmentHysteresis, minorPerUnit: config.minorPerUnit },
    partitions: config.partitions,
    batchSize: config.batchSize,
    observe: prometheusObserver(() => pipeline.currentModel()?.version ?? null),
    // Customers get scores and segments from the first event; the first champion replaces the rules.
    fallbackModel: rfmRuleModelFrom(config),
  });
  const registry = new LocalModelRegistry(config.modelRegistryDir);
  return {
    log,
    codec,
    pipeline,
    registry,
    async close() {
      await log.close();
      await Promise.all(Object.values(stores).map((s) => s.close()));
    },
  };
}

/** Loads the registry's champion into the pipeline when it changes; returns the version in use. */
export async function refreshChampion(registry: LocalModelRegistry, pipeline: Pipeline, logger: Logger): Promise<string | null> {
  const version = await registry.championVersion();
  await reportChampion(registry);
  if (version === null || version === pipeline.currentModel()?.version) return version;
  const { artifact } = await registry.load(version);
  pipeline.useModel(BgNbdGammaGammaModel.fromJSON(artifact as ReturnType<BgNbdGammaGammaModel['toJSON']>));
  logger.info({ version }, 'scoring with champion model');
  return version;
}

/** The ClickHouse sink: every topic into the analyst tables (migrations applied first). */
export async function startClickHouseSink(config: Readonly<Config>, log: EventLog, codec: EventCodec, logger: Logger) {
  const store = await ClickHouseAnalyticsStore.open({ url: config.clickhouseUrl, database: config.clickhouseDatabase });
  enableSinkMetrics(Object.keys(analyticsColumns));
  const sink = new ClickHouseSink(
    {
      log, codec, store,
      retryHooks: { onRetry: (err, attempt, delayMs) => { recordSinkInsertRetry(); logger.warn({ err, attempt, delayMs }, 'ClickHouse insert failed; retrying'); } },
      onInsertFailed: (table, err) => { recordSinkInsertFailure(table); logger.error({ err, table }, 'ClickHouse insert failed for good; the batch will be redelivered'); },
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

/** Serves the Prometheus registry on /metrics for a processor process (no API in it). */
export async function serveMetrics(host: string, port: number): Promise<Server> {
  const server = createServer(async (req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': metricsRegistry.contentType }).end(await metricsRegistry.metrics());
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return server;
}

/** The webhook bridge, when CLV_WEBHOOKS_FILE names endpoints (docs/webhooks.md). */
export async function startWebhookBridge(log: EventLog, codec: EventCodec, logger: Logger) {
  const config = await loadWebhookConfig(process.env);
  if (config === null) throw new ClvError(ErrorCodes.INVALID_CONFIG, 'CLV_WEBHOOKS_FILE is not set: the webhooks role needs endpoints');
  const bridge = new WebhookBridge({ log, codec, deadLetter: new JsonLinesDeadLetter(config.deadLetterDir) }, config.endpoints);
  await bridge.start();
  logger.info({ endpoints: config.endpoints.map((e) => e.name) }, 'webhook bridge started');
  return bridge;
}
