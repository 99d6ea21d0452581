/**
 * What `clv serve` runs: the REST API in production, a process of its own next to `clv run`. It reads
 * what the scoring processor keeps in Redis (scores, and purchase histories for revenue
 * actuals), the model registry's versions (CLV_MODEL_REGISTRY_DIR, polled for the champion
 * every CLV_MODEL_POLL_MS), and publishes POST /v1/events to Kafka through the schema
 * registry codec. /readyz checks Redis, Kafka and the schema registry. Per-segment revenue
 * actuals and segment flows need the score history, which only ClickHouse keeps (CLV_CLICKHOUSE_URL): when it
 * cannot be reached at start they answer `available: false` until a restart; nothing else
 * depends on it, so it is not a readiness check.
 *
 * The revenue forecast served is the champion's (kept with its version by training), swapped
 * when the champion changes. Not served here: retraining (501: `clv train`, `clv run training`).
 *
 * The API runs in CLV_API_WORKERS (default 1) node:cluster workers sharing the port, each
 * with its own Redis connection, segment index and rate-limit counters (so a caller gets up
 * to workers × the limit). SIGTERM/SIGINT: stop accepting connections (503 while closing),
 * finish the requests in hand, close the clients; the primary exits when its workers have.
 */
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { openRedis } from '../adapters/redis/redis-client.js';
import type { Logger } from 'pino';
import { ClickHouseAnalyticsStore } from '../adapters/clickhouse/clickhouse-analytics-store.js';
import { clickhouseConnection } from '../adapters/clickhouse/clickhouse-connection.js';
import { kafkaConnection } from '../adapters/kafka/kafka-connection.js';
import { KafkaEventLog } from '../adapters/kafka/kafka-event-log.js';
import { LocalModelRegistry } from '../adapters/local-directory/local-model-registry.js';
import { redisConnectionOptions } from '../adapters/redis/redis-connection.js';
import { SchemaRegistryCodec } from '../adapters/avro/schema-registry-codec.js';
import { buildApp } from '../api/build-app.js';
import { metricsRefresher } from '../api/plugins/metrics.js';
import { loadPolicy } from '../config/action-policy-file.js';
import type { ApiConfig } from '../config/api-config.js';
import type { Config } from '../config/config.js';
import { nodeOptions } from '../config/environment.js';
import { withoutPassword } from '../config/env.js';
import type { Settings } from '../config/settings.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { dayIndexer, instantOfLocalTime } from '../core/calendar.js';
import type { CustomerValueModel } from '../core/customer-value-model.js';
import { Segments } from '../core/segmentation.js';
import { topicSpecs } from '../core/topics.js';
import { loadSegmentRevenueForecast } from '../forecasting/segment-revenue-forecast-artifact.js';
import { revenueForecastViews } from '../forecasting/segment-revenue-forecast-views.js';
import { REVENUE_FORECAST_ATTACHMENT } from '../forecasting/training-forecast.js';
import { ScoreStoreReadModel } from '../read-model/score-store-read-model.js';
import { apiAccessWarning } from './api-access-warning.js';
import { ChampionWatcher } from './champion-watcher.js';
import { forgetCustomer } from './forget-customer.js';
import { redisStateStores } from './redis-state-stores.js';
import { createLogger } from './logger.js';
import { serveMetrics } from './metrics-server.js';

/**
 * A larger young generation for the workers: each request allocates a few short-lived
 * objects (the parsed state, the view, the body), and with V8's default semi-space the
 * scavenges were 13% of a worker's CPU; at 32 MiB the server's CPU per request fell from
 * 127 to 117 µs (100 connections) and 134 to 106 µs (1,000) in one measurement on a busy
 * machine (bench/api-bench.ts, Redis mode). An operator's own setting wins.
 */
const SEMI_SPACE_FLAG = '--max-semi-space-size=32';
const LISTEN_BACKLOG = 4096;

export async function serveApi(settings: Readonly<Settings>): Promise<void> {
  const { config, api } = settings;
  const logger = createLogger(config.logLevel);
  // The API always runs in workers, even one: so that the V8 flag above can be given, and a
  // worker that dies is replaced.
  if (cluster.isPrimary) {
    const warning = apiAccessWarning(api);
    if (warning) logger.warn(warning);
    return superviseWorkers(api.workers, logger);
  }
  try {
    await serveInWorker(config, api, logger);
  } catch (error) {
    // The channel to the primary would keep a failed worker alive; clv.ts reports the error.
    cluster.worker?.disconnect();
    throw error;
  }
}

/**
 * Forks the workers and passes stop signals on. A worker that dies after it was serving is
 * replaced; one that dies before it ever listened (bad config, a dependency down at start)
 * stops them all with its exit code, rather than restarting in a loop.
 */
async function superviseWorkers(workers: number, logger: Logger): Promise<void> {
  const own = [...process.execArgv, ...nodeOptions()].some((f) => f.startsWith('--max-semi-space-size'));
  cluster.setupPrimary({ execArgv: own ? process.execArgv : [...process.execArgv, SEMI_SPACE_FLAG] });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
  };
  const fork = () => {
    let listened = false;
    const worker = cluster.fork();
    worker.once('listening', () => { listened = true; });
    worker.once('exit', (code, signal) => {
      if (stopping) return;
      if (!listened) {
        process.exitCode = code || 1;
        stop('SIGTERM');
        return;
      }
      logger.error({ code, signal }, 'API worker died; starting another');
      fork();
    });
  };
  for (let i = 0; i < workers; i++) fork();
  const onSignal = (signal: NodeJS.Signals) => stop(signal);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  await new Promise<void>((resolve) => {
    const check = () => { if (stopping && Object.keys(cluster.workers ?? {}).length === 0) resolve(); };
    cluster.on('exit', check);
    check();
  });
  process.off('SIGTERM', onSignal).off('SIGINT', onSignal);
}

async function serveInWorker(config: Readonly<Config>, api: Readonly<ApiConfig>, logger: Logger): Promise<void> {
  let signalled: NodeJS.Signals | null = null;
  let shutdown: ((signal: NodeJS.Signals) => Promise<void>) | null = null;
  const onSignal = (signal: NodeJS.Signals) => (shutdown ? void shutdown(signal) : (signalled = signal));
  // `on`, not `once`: Ctrl-C reaches the primary and the workers, and the primary passes it
  // on too; a second signal must not kill a worker that is finishing its requests.
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  // First, before any client or timer exists: a bad policy file or a registry that cannot be
  // reached fails start-up.
  const policy = loadPolicy(config.policyFile);
  const codec = new SchemaRegistryCodec({ url: config.schemaRegistryUrl });
  await codec.registerAll();
  const log = new KafkaEventLog({ ...kafkaConnection(config), maxQueuedBytes: config.publishQueueMaxBytes, logger });
  // POST /v1/events may be the first writer of a new deployment: the topics must exist with
  // their partition counts and compaction, never auto-created with the broker's defaults.
  await log.createTopics(topicSpecs(config.partitions));

  // One client for every read: auto-pipelining sends the GETs of concurrent requests as one
  // write per event-loop tick instead of one syscall each (CPU is what bounds req/s here).
  // Failed commands reach the requests as 503s (openRedis listens for 'error', so ioredis does not print each reconnect failure).
  const redis = openRedis({ url: config.redisUrl, cluster: config.redisCluster }, { ...redisConnectionOptions(config), enableAutoPipelining: true, maxRetriesPerRequest: 1 });
  const { scores, histories, ledgers } = redisStateStores(redis);
  const registry = new LocalModelRegistry(config.modelRegistryDir);
  let champion: CustomerValueModel | null = null;
  // The revenue forecasts served are the champion's, as its training run left them.
  let serveForecastOf: (version: string) => Promise<void> = async () => {};
  const watcher = new ChampionWatcher(registry, () => champion?.version ?? null, async (model) => {
    champion = model;
    await serveForecastOf(model.version);
  }, logger);
  await watcher.refreshLogged();
  const stopChampionPoll = watcher.poll(config.modelPollMs);

  const readModel = new ScoreStoreReadModel({
    scores,
    currentModel: () => champion,
    registry,
    scoring: { dayOf: dayIndexer(config.timeZone), policy, minorPerUnit: config.minorPerUnit },
    refreshIndexEveryMs: api.indexRefreshMs,
    ping: () => redis.ping(),
    shop: { currency: config.currency, timeZone: config.timeZone },
  });
  readModel.readRevenueFrom(histories);
  // Read only: the sink's process owns the migrations. Not awaited: start-up never waits on it.
  const analytics = ClickHouseAnalyticsStore.open({ ...clickhouseConnection(config), database: config.clickhouseDatabase, cluster: config.clickhouseCluster, migrate: false }).then(
    (store) => { readModel.readScoreHistoryFrom(store); return store; },
    (err) => { logger.warn({ err }, 'ClickHouse unreachable: no per-segment revenue actuals or segment flows until a restart'); return null; },
  );
  serveForecastOf = async (version) => {
    const stored = await registry.attachment(version, REVENUE_FORECAST_ATTACHMENT);
    const views = stored === null ? null : revenueForecastViews(loadSegmentRevenueForecast(stored), {
      modelVersion: version, generatedAtMs: Date.now(), currency: config.currency, dayStartMs: (day) => instantOfLocalTime(config.timeZone)(day, 0),
    });
    // A champion without a forecast clears its predecessor's: never serve another version's.
    for (const segment of [null, ...Segments]) readModel.setRevenueForecast(views?.get(segment) ?? null, segment);
    logger.info({ version, forecast: views !== null }, 'revenue forecast of the champion');
  };
  if (champion !== null) await serveForecastOf((champion as CustomerValueModel).version).catch((err) => logger.warn({ err }, 'revenue forecast unreadable'));
  // Built once up front, so the first segment query or /metrics scrape does not wait on the scan.
  void readModel.rebuildIndex().catch((err) => logger.warn({ err }, 'segment index not built; retrying on the next segment query'));

  // DELETE /v1/customers/:id: through the read model's score store, so this worker's segment
  // index drops the customer at once (the other workers' at their next rebuild).
  const forget = async (customerId: string, requestedBy: string) => {
    const store = await analytics;
    if (store === null) throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, 'ClickHouse was unreachable when the API started: an erasure must reach the analytics tables too (restart, or use `clv forget`)', { retriable: true });
    return forgetCustomer({ stores: { ledgers, histories, scores: readModel.scoresStore }, log, codec, analytics: store }, customerId, requestedBy);
  };
  const refreshMetrics = metricsRefresher(readModel, config.modelPollMs);
  const app = await buildApp({
    readModel, log, codec, config, api, logger, metricsRefresher: refreshMetrics, forgetCustomer: forget,
    readinessChecks: {
      schema_registry: async () => {
        const res = await fetch(`${codec.url}/subjects`, { signal: AbortSignal.timeout(2000) });
        if (!res.ok) throw new Error(`schema registry answered ${res.status}`);
      },
    },
  });
  // Node's default accept backlog (511) is less than a thousand clients connecting at once;
  // the kernel caps this at net.core.somaxconn.
  await app.listen({ host: api.host, port: api.port, backlog: LISTEN_BACKLOG });
  // /metrics without credentials on a port of its own, for scrapers on an internal network.
  const metricsServer = api.metricsPort === null ? null : await serveMetrics(api.host, api.metricsPort, () => refreshMetrics(app.log), api.tls);
  const scheme = api.tls === null ? 'http' : 'https';
  const metricsUrl = metricsServer === null ? null : `${scheme}://${api.host}:${(metricsServer.address() as AddressInfo).port}/metrics`;
  logger.info({ url: `${scheme}://${api.host}:${api.port}`, metrics: metricsUrl, pid: process.pid, redis: withoutPassword(config.redisUrl), keys: api.apiKeys.length }, 'API listening');

  let stopping = false;
  shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing the requests in hand');
    stopChampionPoll();
    await app.close();
    if (metricsServer) await new Promise((resolve) => metricsServer.close(resolve));
    await log.close();
    await redis.quit().catch(() => redis.disconnect());
    await (await analytics)?.close();
    logger.info('stopped');
    cluster.worker?.disconnect();
  };
  if (signalled) await shutdown(signalled);
}
