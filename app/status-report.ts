/**
 * `clv status`: what an operator asks first. Are Kafka, the schema registry, Redis and
 * ClickHouse reachable (each check bounded by a timeout, all at once)? How far behind is each
 * consumer group (lag 0: everything published so far — a replay included — has been
 * processed)? When is the newest score the analysts can see, and which model is champion
 * since when? Nothing is written anywhere.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { ClickHouseAnalyticsStore } from '../adapters/clickhouse/clickhouse-analytics-store.js';
import { clickhouseConnection } from '../adapters/clickhouse/clickhouse-connection.js';
import { kafkaConnection } from '../adapters/kafka/kafka-connection.js';
import { KafkaEventLog } from '../adapters/kafka/kafka-event-log.js';
import { LocalModelRegistry } from '../adapters/local-directory/local-model-registry.js';
import { redisConnectionOptions } from '../adapters/redis/redis-connection.js';
import { withoutPassword } from '../config/env.js';
import type { Settings } from '../config/settings.js';
import { Topics } from '../core/topics.js';
import { CLICKHOUSE_SINK_GROUP } from '../consumers/clickhouse-sink/clickhouse-sink.js';
import { webhookGroupId } from '../consumers/webhooks/webhook-bridge.js';

export type ServiceName = 'kafka' | 'schema registry' | 'redis' | 'clickhouse';

export interface ServiceCheck {
  service: ServiceName;
  /** Where it was looked for (passwords masked). */
  address: string;
  up: boolean;
  /** How long the check took. */
  ms: number;
  /** Why it is down. */
  error?: string;
}

/** A consumer group and the topics it reads. */
export interface ConsumerGroup {
  group: string;
  topics: readonly string[];
}

export interface GroupLag extends ConsumerGroup {
  /** Messages in its topics not yet committed by the group; null when unknown (see `note`). */
  lag: number | null;
  note?: string;
}

export interface StatusReport {
  checkedAt: string;
  /** Every service reachable. */
  ok: boolean;
  services: ServiceCheck[];
  /** Empty when Kafka is down. */
  lag: GroupLag[];
  /** The newest score in ClickHouse (the sink's copy of clv.scores.v1). */
  lastScore: { eventTime: string | null; note?: string };
  champion: { version: string; kind: string | null; registeredAt: string | null; ageMs: number | null; promotedAt: string | null } | null;
  /** Set when the model registry directory could not be read. */
  championError?: string;
}

/**
 * The groups `clv run` consumes with: the three processors, the ClickHouse sink, and one per
 * webhook endpoint when CLV_WEBHOOKS_FILE is set. (tests/status-report.test.ts checks the
 * processors' against the pipeline's own.)
 */
export function consumerGroups(settings: Readonly<Settings>): ConsumerGroup[] {
  return [
    { group: 'clv-purchases', topics: [Topics.orders, Topics.payments] },
    { group: 'clv-features', topics: [Topics.purchases] },
    { group: 'clv-scoring', topics: [Topics.features] },
    { group: CLICKHOUSE_SINK_GROUP, topics: Object.values(Topics) },
    ...(settings.webhooks?.endpoints ?? []).map((e) => ({ group: webhookGroupId(e.name), topics: [...e.topics] })),
  ];
}

export interface StatusOptions {
  /** Longest any one check may take. */
  timeoutMs: number;
  /** Default: consumerGroups(settings). */
  groups?: readonly ConsumerGroup[];
  nowMs?: number;
}

export async function statusReport(settings: Readonly<Settings>, options: StatusOptions): Promise<StatusReport> {
  const { config } = settings;
  const { timeoutMs } = options;
  const nowMs = options.nowMs ?? Date.now();
  const groups = options.groups ?? consumerGroups(settings);

  const log = new KafkaEventLog({ ...kafkaConnection(config), clientId: 'clv-status', connectionTimeoutMs: timeoutMs, requestTimeoutMs: timeoutMs, retry: { retries: 0 } });
  const kafka = check('kafka', config.kafkaBrokers.join(','), timeoutMs, () => log.topicNames());
  const registry = check('schema registry', config.schemaRegistryUrl, timeoutMs, async () => {
    const res = await fetch(`${config.schemaRegistryUrl}/subjects`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) throw new Error(`answered HTTP ${res.status}`);
  });
  const redis = check('redis', withoutPassword(config.redisUrl), timeoutMs, () => pingRedis(config.redisUrl, redisConnectionOptions(config), timeoutMs));
  let store: ClickHouseAnalyticsStore | null = null;
  const clickhouse = check('clickhouse', `${withoutPassword(config.clickhouseUrl)} database ${config.clickhouseDatabase}`, timeoutMs, async () => {
    store = await ClickHouseAnalyticsStore.open({ ...clickhouseConnection(config), database: config.clickhouseDatabase, cluster: config.clickhouseCluster, migrate: false, requestTimeoutMs: timeoutMs });
    return store;
  });

  const [kafkaCheck, registryCheck, redisCheck, clickhouseCheck] = await Promise.all([kafka, registry, redis, clickhouse]);
  const [lag, lastScore, champion] = await Promise.all([
    kafkaCheck.value ? groupLags(log, kafkaCheck.value, groups, timeoutMs) : Promise.resolve([]),
    clickhouseCheck.value ? latestScore(clickhouseCheck.value, timeoutMs) : Promise.resolve({ eventTime: null, note: 'ClickHouse is down' }),
    championOf(new LocalModelRegistry(config.modelRegistryDir), nowMs),
  ]);
  await Promise.all([
    settle(log.close(), timeoutMs),
    settle((store as ClickHouseAnalyticsStore | null)?.close() ?? Promise.resolve(), timeoutMs),
  ]);

  const services = [kafkaCheck, registryCheck, redisCheck, clickhouseCheck].map((c) => c.check);
  return {
    checkedAt: new Date(nowMs).toISOString(),
    ok: services.every((s) => s.up),
    services,
    lag,
    lastScore,
    ...champion,
  };
}

/** Runs `probe` within `timeoutMs`: up with its value, or down with why. */
async function check<T>(service: ServiceName, address: string, timeoutMs: number, probe: () => Promise<T>): Promise<{ check: ServiceCheck; value: T | null }> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const value = await withTimeout(probe(), timeoutMs);
    return { check: { service, address, up: true, ms: ms() }, value };
  } catch (error) {
    // fetch's own AbortSignal.timeout says "The operation was aborted due to timeout".
    const why = (error as Error)?.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : reason(error);
    return { check: { service, address, up: false, ms: ms(), error: why }, value: null };
  }
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Waits for a clean-up at most `timeoutMs`, ignoring its failure. */
async function settle(work: Promise<unknown>, timeoutMs: number): Promise<void> {
  await withTimeout(work, timeoutMs).catch(() => undefined);
}

/** The root cause's message: adapters and clients wrap it ("Kafka (…): connect admin failed: …", "fetch failed"), the address is on the line already. */
function reason(error: unknown): string {
  let e = error as { message?: string; cause?: unknown } | undefined;
  while (e && typeof e.cause === 'object' && e.cause !== null && typeof (e.cause as { message?: unknown }).message === 'string') e = e.cause as typeof e;
  return (e?.message || String(error)).replace(/\s*\n\s*/g, ' ');
}

async function pingRedis(url: string, options: RedisOptions, timeoutMs: number): Promise<void> {
  // No ready check (it would wait on INFO with no timeout): PING, bounded by commandTimeout, is the check.
  const redis = new Redis(url, {
    ...options, lazyConnect: true, connectTimeout: timeoutMs, commandTimeout: timeoutMs, enableReadyCheck: false,
    maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null,
  });
  // connect() only says "Connection is closed"; the socket's error says why.
  let socketError: Error | null = null;
  redis.on('error', (error: Error) => { socketError ??= error; });
  try {
    await redis.connect().catch((error) => { throw socketError ?? error; });
    const pong = await redis.ping();
    if (pong !== 'PONG') throw new Error(`answered ${pong} to PING`);
  } finally {
    redis.disconnect();
  }
}

async function groupLags(log: KafkaEventLog, topicNames: readonly string[], groups: readonly ConsumerGroup[], timeoutMs: number): Promise<GroupLag[]> {
  const existing = new Set(topicNames);
  return Promise.all(groups.map(async (g): Promise<GroupLag> => {
    const missing = g.topics.filter((t) => !existing.has(t));
    if (missing.length > 0) return { ...g, topics: [...g.topics], lag: null, note: `topic${missing.length > 1 ? 's' : ''} not created yet: ${missing.join(', ')}` };
    try {
      return { ...g, topics: [...g.topics], lag: await withTimeout(log.lag(g.group, [...g.topics]), timeoutMs) };
    } catch (error) {
      return { ...g, topics: [...g.topics], lag: null, note: reason(error) };
    }
  }));
}

async function latestScore(store: ClickHouseAnalyticsStore, timeoutMs: number): Promise<StatusReport['lastScore']> {
  try {
    const ms = await withTimeout(store.latestScoreTime(), timeoutMs);
    return ms === null ? { eventTime: null, note: `no scores in ${store.database}.clv_scores yet` } : { eventTime: new Date(ms).toISOString() };
  } catch (error) {
    return { eventTime: null, note: reason(error) };
  }
}

async function championOf(registry: LocalModelRegistry, nowMs: number): Promise<Pick<StatusReport, 'champion' | 'championError'>> {
  try {
    const version = await registry.championVersion();
    if (version === null) return { champion: null };
    const [infos, promotions] = await Promise.all([registry.list(), registry.promotions()]);
    const info = infos.find((i) => i.version === version);
    const registeredMs = info ? Date.parse(info.registeredAt) : NaN;
    const promotedAt = promotions.filter((p) => p.version === version).at(-1)?.promotedAt ?? null;
    return {
      champion: {
        version,
        kind: info?.kind ?? null,
        registeredAt: Number.isFinite(registeredMs) ? new Date(registeredMs).toISOString() : null,
        ageMs: Number.isFinite(registeredMs) ? nowMs - registeredMs : null,
        promotedAt,
      },
    };
  } catch (error) {
    return { champion: null, championError: reason(error) };
  }
}
