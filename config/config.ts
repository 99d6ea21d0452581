/**
 * Settings, read once from environment variables, validated, frozen. The defaults make the
 * embedded mode work with nothing set. Only config/environment.ts passes the process environment here.
 */
import { readFileSync } from 'node:fs';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { BUILT_IN_HOLIDAY_SETS, holidayCalendar, type HolidayCalendar } from '../core/holidays/holiday-calendar.js';
import { parseHolidayCalendarJson } from '../core/holidays/holiday-file.js';
import { bool, fail, num, oneOf, str, url, value, type Env } from './env.js';
import { loadTransportConfig, type TransportConfig } from './transport-config.js';

/** TransportConfig: TLS, SASL and credentials of the connections (config/transport-config.ts). */
export interface Config extends TransportConfig {
  /** CLV_TIME_ZONE: IANA zone that decides which calendar day a purchase falls on. */
  timeZone: string;
  /** CLV_CURRENCY: the shop's ISO 4217 currency; events in others are dead-lettered. */
  currency: string;
  /** Derived from the currency: 100 for USD, 1 for VND/JPY. */
  minorPerUnit: number;
  /** CLV_HORIZON_MONTHS: CLV horizon. */
  horizonMonths: number;
  /** CLV_MONTHLY_DISCOUNT_RATE: e.g. 0.01 for 1% a month. */
  monthlyDiscountRate: number;
  /** CLV_PERIOD: the models' time unit. */
  period: 'day' | 'week';
  /** CLV_SEGMENT_HYSTERESIS: relative margin to cross before a segment changes. */
  segmentHysteresis: number;
  /** CLV_AT_RISK_P_ALIVE: probability alive below which a customer is at risk. */
  atRiskPAlive: number;
  /** CLV_LOST_P_ALIVE: probability alive below which a customer is lost. */
  lostPAlive: number;
  /** CLV_NEW_CUSTOMER_DAYS: a one-time buyer stays "new" this many days. */
  newCustomerDays: number;
  /**
   * CLV_ONE_TIME_BUYER_AT_RISK_DAYS / CLV_ONE_TIME_BUYER_LOST_DAYS: days of silence after which a
   * one-time buyer is at risk / lost; 0 (default) learns them at training from how long returning
   * customers took to come back (core/one-time-buyer-lapse.ts).
   */
  oneTimeBuyerAtRiskDays: number;
  oneTimeBuyerLostDays: number;
  /** CLV_PARTITIONS: partitions per topic. */
  partitions: number;
  /** CLV_BATCH_SIZE: most messages per processor batch. */
  batchSize: number;
  /** CLV_MAX_FUTURE_SKEW_MS: how far past the wall clock an event_time may be. */
  maxFutureSkewMs: number;
  /**
   * CLV_DATA_DIR: where the user keeps transaction files (e.g. the CDNOW files in
   * `cdnow/`): a relative `--input` not found in the working directory is looked up there.
   * The tests read CDNOW from it too (default: ../shared/data beside the clone).
   */
  dataDir: string | null;
  /** CLV_POLICY_FILE: action policy JSON; null for the shipped default. */
  policyFile: string | null;
  /** CLV_LOG_LEVEL: pino level. */
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** CLV_KAFKA_BROKERS: comma-separated host:port list (production mode). */
  kafkaBrokers: string[];
  /**
   * CLV_KAFKA_CLIENT: the stream processors' Kafka client: kafkajs (default), or confluent
   * (librdkafka, experimental: built by `npm run kafka:confluent`, no TLS or SASL yet).
   */
  kafkaClient: 'kafkajs' | 'confluent';
  /** CLV_TOOLS_DIR: where project scripts build optional tools (default .tools/ in the project). */
  toolsDir: string | null;
  /** CLV_PUBLISH_QUEUE_MAX_BYTES: most bytes waiting to be published to Kafka per process; more is refused (retriable). */
  publishQueueMaxBytes: number;
  /** CLV_SCHEMA_REGISTRY_URL: Confluent-compatible registry base URL. */
  schemaRegistryUrl: string;
  /** CLV_REDIS_URL: redis:// URL of the feature store. */
  redisUrl: string;
  /**
   * CLV_REDIS_CLUSTER: CLV_REDIS_URL names one node of a Redis Cluster (the client discovers
   * the others and follows the slots); credentials and TLS still come from the URL.
   */
  redisCluster: boolean;
  /** CLV_CLICKHOUSE_URL: ClickHouse HTTP URL. */
  clickhouseUrl: string;
  /** CLV_CLICKHOUSE_DATABASE: database of the analyst tables. */
  clickhouseDatabase: string;
  /**
   * CLV_CLICKHOUSE_CLUSTER / CLV_CLICKHOUSE_SHARD_URLS: the analyst tables sharded over the
   * `remote_servers` cluster of that name — local tables on every shard (created through each
   * shard's HTTP URL, no ON CLUSTER needed) behind `Distributed` tables sharded by customer;
   * null: one server, plain tables (adapters/clickhouse/sharded-migration.ts).
   */
  clickhouseCluster: { name: string; shardUrls: string[] } | null;
  /** CLV_MODEL_REGISTRY_DIR: directory of the local model registry. */
  modelRegistryDir: string;
  /** CLV_MODEL_POLL_MS: how often a running scoring processor looks for a new champion. */
  modelPollMs: number;
  /** CLV_METRICS_HOST / CLV_METRICS_PORT: where `clv run` serves /metrics. */
  metricsHost: string;
  metricsPort: number;
  /** CLV_TRAINING_HOLDOUT_DAYS: the last days before the as-of that training holds out to compare challenger and champion. */
  trainingHoldoutDays: number;
  /** CLV_PROMOTION_MARGIN: relative improvement of holdout value MAE a challenger needs over the champion (0.02: 2% lower). */
  promotionMargin: number;
  /** CLV_MIN_TRAINING_CUSTOMERS: fewest customers in the calibration period training accepts. */
  minTrainingCustomers: number;
  /** CLV_MIN_REPEAT_CUSTOMERS: fewest calibration customers with a repeat purchase (what BG/NBD and Gamma-Gamma learn from). */
  minRepeatCustomers: number;
  /** CLV_MIN_HISTORY_DAYS: fewest days from the first purchase to the as-of; more than the holdout. */
  minHistoryDays: number;
  /** CLV_RETRAIN_INTERVAL_MS: how often `clv run training` retrains. */
  retrainIntervalMs: number;
  /** CLV_DECAY_SWEEP_INTERVAL_MS: how often `clv run training` re-scores customers whose score is older than this. */
  decaySweepIntervalMs: number;
  /** CLV_RULES_MEDIUM_CLV / CLV_RULES_HIGH_CLV: currency units; the value segments of the RFM rules used before any model is trained. */
  rulesMediumClv: number;
  rulesHighClv: number;
  /** CLV_FORECAST_HORIZON_DAYS: days of revenue forecast each training run stores with its version; 0: none. */
  forecastHorizonDays: number;
  /**
   * CLV_HOLIDAYS: the revenue forecast's holidays, comma-separated built-in sets (retail,
   * vietnam) and/or paths of holiday files (config/holidays.example.json), read and
   * validated here.
   */
  holidays: HolidayCalendar;
  /** CLV_TRAIN_LSTM: each training run also fits the LSTM, judges it on the holdout and keeps it with the version (not used for scoring). */
  trainLstm: boolean;
  /** CLV_LSTM_EPOCHS: most epochs of that LSTM (early stopping may end it sooner). */
  lstmEpochs: number;
  /** CLV_ANOMALY_INTERVAL_MS: how often `clv run anomalies` looks for newly complete days. */
  anomalyIntervalMs: number;
  /** CLV_ANOMALY_WEEKS: weeks of history (same weekday) a day is judged against. */
  anomalyWeeks: number;
  /** CLV_ANOMALY_THRESHOLD: k, robust scores beyond ±k are unusual (anomalies/seasonal-anomaly-detector.ts). */
  anomalyThreshold: number;
  /** CLV_ANOMALY_LATENESS_MS: a day is judged once the stored orders and payments reach this far past its end (event time). */
  anomalyLatenessMs: number;
}

export function loadConfig(env: Env, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): Readonly<Config> {
  const timeZone = str(env, 'CLV_TIME_ZONE', 'UTC', (v) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: v });
      return null;
    } catch {
      return 'an IANA time zone such as Asia/Ho_Chi_Minh';
    }
  });
  const currency = str(env, 'CLV_CURRENCY', 'USD', (v) => (/^[A-Z]{3}$/.test(v) ? null : 'a three-letter ISO 4217 code'));
  const fractionDigits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const redisUrl = str(env, 'CLV_REDIS_URL', 'redis://127.0.0.1:6379', url(['redis:', 'rediss:']));
  const clickhouseUrl = str(env, 'CLV_CLICKHOUSE_URL', 'http://127.0.0.1:8123', url(['http:', 'https:']));
  return Object.freeze({
    timeZone,
    currency,
    minorPerUnit: 10 ** fractionDigits,
    horizonMonths: num(env, 'CLV_HORIZON_MONTHS', 12, { min: 1, max: 120, integer: true }),
    monthlyDiscountRate: num(env, 'CLV_MONTHLY_DISCOUNT_RATE', 0.01, { min: 0, max: 1 }),
    period: oneOf(env, 'CLV_PERIOD', 'week', ['day', 'week'] as const),
    segmentHysteresis: num(env, 'CLV_SEGMENT_HYSTERESIS', 0, { min: 0, max: 1 }),
    atRiskPAlive: num(env, 'CLV_AT_RISK_P_ALIVE', 0.5, { min: 0, max: 1 }),
    lostPAlive: num(env, 'CLV_LOST_P_ALIVE', 0.2, { min: 0, max: 1 }),
    newCustomerDays: num(env, 'CLV_NEW_CUSTOMER_DAYS', 60, { min: 0, max: 3650, integer: true }),
    ...oneTimeBuyerLapse(env),
    partitions: num(env, 'CLV_PARTITIONS', 8, { min: 1, max: 1024, integer: true }),
    batchSize: num(env, 'CLV_BATCH_SIZE', 2000, { min: 1, max: 100_000, integer: true }),
    maxFutureSkewMs: num(env, 'CLV_MAX_FUTURE_SKEW_MS', 86_400_000, { min: 0, integer: true }),
    dataDir: value(env, 'CLV_DATA_DIR'),
    policyFile: value(env, 'CLV_POLICY_FILE'),
    logLevel: oneOf(env, 'CLV_LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    kafkaBrokers: str(env, 'CLV_KAFKA_BROKERS', '127.0.0.1:9092', (v) => (v.split(',').every((b) => /^[^\s:,]+:\d{1,5}$/.test(b.trim())) ? null : 'host:port[,host:port…]')).split(',').map((b) => b.trim()),
    kafkaClient: oneOf(env, 'CLV_KAFKA_CLIENT', 'kafkajs', ['kafkajs', 'confluent'] as const),
    toolsDir: value(env, 'CLV_TOOLS_DIR'),
    publishQueueMaxBytes: num(env, 'CLV_PUBLISH_QUEUE_MAX_BYTES', 64 * 1024 * 1024, { min: 1024, max: 4 * 1024 ** 3, integer: true }),
    schemaRegistryUrl: str(env, 'CLV_SCHEMA_REGISTRY_URL', 'http://127.0.0.1:8081/apis/ccompat/v7', url(['http:', 'https:'])),
    redisUrl,
    redisCluster: bool(env, 'CLV_REDIS_CLUSTER', false),
    clickhouseUrl,
    ...loadTransportConfig(env, { redisUrl, clickhouseUrl }, readFile),
    modelRegistryDir: str(env, 'CLV_MODEL_REGISTRY_DIR', '.clv/models'),
    modelPollMs: num(env, 'CLV_MODEL_POLL_MS', 10_000, { min: 100, integer: true }),
    metricsHost: str(env, 'CLV_METRICS_HOST', '127.0.0.1'),
    // 0 lets the system pick a free port: several processor processes on one machine.
    metricsPort: num(env, 'CLV_METRICS_PORT', 0, { min: 0, max: 65_535, integer: true }),
    clickhouseDatabase: str(env, 'CLV_CLICKHOUSE_DATABASE', 'clv', (v) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? null : 'an identifier (letters, digits, _)')),
    clickhouseCluster: clickhouseCluster(env),
    ...trainingSettings(env, readFile),
    anomalyIntervalMs: num(env, 'CLV_ANOMALY_INTERVAL_MS', 3_600_000, { min: 1000, integer: true }),
    anomalyWeeks: num(env, 'CLV_ANOMALY_WEEKS', 8, { min: 4, max: 52, integer: true }),
    anomalyThreshold: num(env, 'CLV_ANOMALY_THRESHOLD', 5, { min: 1, max: 100 }),
    anomalyLatenessMs: num(env, 'CLV_ANOMALY_LATENESS_MS', 86_400_000, { min: 0, integer: true }),
  });
}

/**
 * The training lifecycle. The readiness defaults are what a shop needs before BG/NBD's four
 * parameters are identifiable at all; the demo's synthetic history and CDNOW_sample (2,357
 * customers, 18 months) pass them by a wide margin.
 */
function trainingSettings(env: Env, readFile: (path: string) => string) {
  const trainingHoldoutDays = num(env, 'CLV_TRAINING_HOLDOUT_DAYS', 90, { min: 1, max: 3650, integer: true });
  const minHistoryDays = num(env, 'CLV_MIN_HISTORY_DAYS', 180, { min: 2, max: 36_500, integer: true });
  // A history no longer than the holdout leaves nothing to fit the challenger on.
  if (minHistoryDays <= trainingHoldoutDays) fail('CLV_MIN_HISTORY_DAYS', String(minHistoryDays), `more days than CLV_TRAINING_HOLDOUT_DAYS (${trainingHoldoutDays})`);
  const rulesMediumClv = num(env, 'CLV_RULES_MEDIUM_CLV', 50, { min: 0 });
  const rulesHighClv = num(env, 'CLV_RULES_HIGH_CLV', 200, { min: 0 });
  if (rulesHighClv < rulesMediumClv) fail('CLV_RULES_HIGH_CLV', String(rulesHighClv), `a number ≥ CLV_RULES_MEDIUM_CLV (${rulesMediumClv})`);
  return {
    trainingHoldoutDays,
    promotionMargin: num(env, 'CLV_PROMOTION_MARGIN', 0.01, { min: 0, max: 1 }),
    minTrainingCustomers: num(env, 'CLV_MIN_TRAINING_CUSTOMERS', 100, { min: 1, integer: true }),
    minRepeatCustomers: num(env, 'CLV_MIN_REPEAT_CUSTOMERS', 30, { min: 1, integer: true }),
    minHistoryDays,
    retrainIntervalMs: num(env, 'CLV_RETRAIN_INTERVAL_MS', 86_400_000, { min: 1000, integer: true }),
    decaySweepIntervalMs: num(env, 'CLV_DECAY_SWEEP_INTERVAL_MS', 3_600_000, { min: 100, integer: true }),
    rulesMediumClv,
    rulesHighClv,
    forecastHorizonDays: num(env, 'CLV_FORECAST_HORIZON_DAYS', 90, { min: 0, max: 1095, integer: true }),
    holidays: holidaysOf(env, readFile),
    // Off by default: minutes of CPU per run at CDNOW scale, for a model nothing scores with.
    trainLstm: bool(env, 'CLV_TRAIN_LSTM', false),
    lstmEpochs: num(env, 'CLV_LSTM_EPOCHS', 20, { min: 1, max: 1000, integer: true }),
  };
}

/** Both settings or neither: the migrations must reach every shard to create its local tables. */
function clickhouseCluster(env: Env): Config['clickhouseCluster'] {
  const name = str(env, 'CLV_CLICKHOUSE_CLUSTER', '', (v) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? null : 'the name of a remote_servers cluster (letters, digits, _)'));
  const urls = value(env, 'CLV_CLICKHOUSE_SHARD_URLS');
  if (name === '' && urls === null) return null;
  if (name === '') return fail('CLV_CLICKHOUSE_SHARD_URLS', urls as string, 'unset unless CLV_CLICKHOUSE_CLUSTER names the cluster');
  if (urls === null) return fail('CLV_CLICKHOUSE_CLUSTER', name, 'unset, or CLV_CLICKHOUSE_SHARD_URLS set too (the HTTP URL of every shard, comma-separated)');
  const shardUrls = urls.split(',').map((u) => u.trim());
  const check = url(['http:', 'https:']);
  for (const u of shardUrls) if (check(u) !== null) fail('CLV_CLICKHOUSE_SHARD_URLS', urls, 'HTTP URLs of every shard, comma-separated (http://host:8123,http://host2:8123)');
  if (new Set(shardUrls).size !== shardUrls.length) fail('CLV_CLICKHOUSE_SHARD_URLS', urls, 'each shard once');
  return { name, shardUrls };
}

function oneTimeBuyerLapse(env: Env) {
  const oneTimeBuyerAtRiskDays = num(env, 'CLV_ONE_TIME_BUYER_AT_RISK_DAYS', 0, { min: 0, max: 36_500, integer: true });
  const oneTimeBuyerLostDays = num(env, 'CLV_ONE_TIME_BUYER_LOST_DAYS', 0, { min: 0, max: 36_500, integer: true });
  if (oneTimeBuyerLostDays > 0 && oneTimeBuyerLostDays <= oneTimeBuyerAtRiskDays) {
    fail('CLV_ONE_TIME_BUYER_LOST_DAYS', String(oneTimeBuyerLostDays), `more days than CLV_ONE_TIME_BUYER_AT_RISK_DAYS (${oneTimeBuyerAtRiskDays}), or 0 to learn it`);
  }
  if (oneTimeBuyerLostDays === 1) fail('CLV_ONE_TIME_BUYER_LOST_DAYS', '1', 'at least 2 days (at risk comes first), or 0 to learn it');
  return { oneTimeBuyerAtRiskDays, oneTimeBuyerLostDays };
}

/**
 * CLV_HOLIDAYS: each entry a built-in set's name or the path of a holiday file (anything
 * with a `/` or ending in `.json`). Files are read and validated now, so a typo stops
 * start-up instead of silently dropping a holiday effect.
 */
function holidaysOf(env: Env, readFile: (path: string) => string): HolidayCalendar {
  const raw = str(env, 'CLV_HOLIDAYS', 'retail');
  const known = Object.keys(BUILT_IN_HOLIDAY_SETS).join(', ');
  const holidays = raw.split(',').map((x) => x.trim()).filter((x) => x !== '').flatMap((entry) => {
    if (entry in BUILT_IN_HOLIDAY_SETS) return BUILT_IN_HOLIDAY_SETS[entry];
    if (!entry.includes('/') && !entry.endsWith('.json')) return fail('CLV_HOLIDAYS', raw, `built-in holiday sets (${known}) or paths of holiday files; unknown: ${entry}`);
    let text: string;
    try {
      text = readFile(entry);
    } catch (cause) {
      return fail('CLV_HOLIDAYS', raw, `readable holiday files; cannot read ${entry} (${(cause as Error).message})`);
    }
    return parseHolidayCalendarJson(text, entry).holidays;
  });
  try {
    return holidayCalendar(holidays);
  } catch (cause) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `invalid setting CLV_HOLIDAYS=${JSON.stringify(raw)}: ${(cause as Error).message} (a holiday in two of its sets or files)`, { cause });
  }
}
