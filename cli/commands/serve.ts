/**
 * `clv serve`: the REST API in production, a process of its own next to `clv run`. It reads
 * what the scoring processor keeps in Redis (scores, and purchase histories for revenue
 * actuals), the model registry's versions (CLV_MODEL_REGISTRY_DIR, polled for the champion
 * every CLV_MODEL_POLL_MS), and publishes POST /v1/events to Kafka through the schema
 * registry codec. /readyz checks Redis, Kafka and the schema registry. Per-segment revenue
 * actuals need the score history, which only ClickHouse keeps (CLV_CLICKHOUSE_URL): when it
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
import type { Command } from 'commander';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ClickHouseAnalyticsStore } from '../../adapters/clickhouse/clickhouse-analytics-store.js';
import { InMemoryClvReadModel } from '../../read-model/score-store-read-model.js';
import { KafkaEventLog } from '../../adapters/kafka/kafka-event-log.js';
import { topicSpecs } from '../../core/topics.js';
import { LocalModelRegistry } from '../../adapters/local-directory/local-model-registry.js';
import { instantOfLocalTime } from '../../core/calendar.js';
import { Segments } from '../../core/segmentation.js';
import { loadSegmentRevenueForecast } from '../../forecasting/segment-revenue-forecast-artifact.js';
import { revenueForecastViews } from '../../forecasting/segment-revenue-forecast-views.js';
import { REVENUE_FORECAST_ATTACHMENT } from '../../forecasting/training-forecast.js';
import { RedisStateStore } from '../../adapters/redis/redis-state-store.js';
import { SchemaRegistryCodec } from '../../adapters/avro/schema-registry-codec.js';
import { loadApiConfig, type ApiConfig } from '../../config/api-config.js';
import { buildApp } from '../../api/build-app.js';
import { dayIndexer } from '../../core/calendar.js';
import { loadConfig, type Config } from '../../config/config.js';
import type { CustomerScoreState, CustomerValueModel } from '../../processors/scoring/customer-scorer.js';
import { BgNbdGammaGammaModel } from '../../models/kinds/bgnbd-gamma-gamma-model.js';
import { loadPolicy } from '../../app/embedded.js';
import { createLogger } from '../../app/logger.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the REST API over the processors\' Redis state, the model registry and Kafka (CLV_API_HOST:CLV_API_PORT)')
    .action(() => serve());
}

/**
 * A larger young generation for the workers: each request allocates a few short-lived
 * objects (the parsed state, the view, the body), and with V8's default semi-space the
 * scavenges were 13% of a worker's CPU; at 32 MiB the server's CPU per request fell from
 * 127 to 117 µs (100 connections) and 134 to 106 µs (1,000) in one measurement on a busy
 * machine (bench/api-bench.ts, Redis mode). An operator's own setting wins.
 */
const SEMI_SPACE_FLAG = '--max-semi-space-size=32';
const LISTEN_BACKLOG = 4096;

async function serve(): Promise<void> {
  const config = loadConfig(process.env);
  const api = loadApiConfig(process.env);
  const logger = createLogger(config.logLevel);
  // The API always runs in workers, even one: so that the V8 flag above can be given, and a
  // worker that dies is replaced.
  if (cluster.isPrimary) return superviseWorkers(api.workers, logger);
  try {
    await serveApi(config, api, logger);
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
  const own = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(' ')].some((f) => f.startsWith('--max-semi-space-size'));
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

async function serveApi(config: Readonly<Config>, api: Readonly<ApiConfig>, logger: Logger): Promise<void> {
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
  const log = new KafkaEventLog({ brokers: config.kafkaBrokers, logger });
  // POST /v1/events may be the first writer of a new deployment: the topics must exist with
  // their partition counts and compaction, never auto-created with the broker's defaults.
  await log.createTopics(topicSpecs(config.partitions));

  // One client for every read: auto-pipelining sends the GETs of concurrent requests as one
  // write per event-loop tick instead of one syscall each (CPU is what bounds req/s here).
  const redis = new Redis(config.redisUrl, { enableAutoPipelining: true, maxRetriesPerRequest: 1 });
  // Failed commands reach the requests as 503s; without a listener ioredis also prints each reconnect failure.
  redis.on('error', () => {});
  const scores = new RedisStateStore<CustomerScoreState>({ redis, namespace: 'scores' });
  const histories = new RedisStateStore<never>({ redis, namespace: 'histories' });
  const registry = new LocalModelRegistry(config.modelRegistryDir);
  let champion: CustomerValueModel | null = null;
  // The revenue forecasts served are the champion's, as its training run left them.
  let serveForecastOf: (version: string) => Promise<void> = async () => {};
  const refreshChampion = async () => {
    const version = await registry.championVersion();
    if (version === null || version === champion?.version) return;
    const { artifact } = await registry.load(version);
    champion = BgNbdGammaGammaModel.fromJSON(artifact as ReturnType<BgNbdGammaGammaModel['toJSON']>);
    logger.info({ version }, 'explaining scores with champion model');
    await serveForecastOf(version);
  };
  await refreshChampion().catch((err) => logger.warn({ err }, 'model registry unreadable'));
  const poll = setInterval(() => refreshChampion().catch((err) => logger.warn({ err }, 'model registry unreadable')), config.modelPollMs);

  const readModel = new InMemoryClvReadModel({
    scores,
    currentModel: () => champion,
    registry,
    scoring: { dayOf: dayIndexer(config.timeZone), policy, minorPerUnit: config.minorPerUnit },
    refreshIndexEveryMs: api.indexRefreshMs,
    ping: () => redis.ping(),
  });
  readModel.readRevenueFrom(histories);
  // Read only: the sink's process owns the migrations. Not awaited: start-up never waits on it.
  const analytics = ClickHouseAnalyticsStore.open({ url: config.clickhouseUrl, database: config.clickhouseDatabase, migrate: false }).then(
    (store) => { readModel.readSegmentRevenueFrom(store); return store; },
    (err) => { logger.warn({ err }, 'ClickHouse unreachable: no per-segment revenue actuals until a restart'); return null; },
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

  const app = await buildApp({
    readModel, log, codec, config, api, logger,
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
  logger.info({ url: `http://${api.host}:${api.port}`, pid: process.pid, redis: redactedUrl(config.redisUrl), keys: api.apiKeys.length }, 'API listening');

  let stopping = false;
  shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing the requests in hand');
    clearInterval(poll);
    await app.close();
    await log.close();
    await redis.quit().catch(() => redis.disconnect());
    await (await analytics)?.close();
    logger.info('stopped');
    cluster.worker?.disconnect();
  };
  if (signalled) await shutdown(signalled);
}

/** The URL without its password, for the log. */
function redactedUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
