/**
 * The API over a real embedded pipeline: 300 synthetic customers streamed through the
 * purchases, features and scoring processors with a BG/NBD + Gamma-Gamma model at the
 * published CDNOW parameters (tests/fixtures/api-model.json), so the read model answers from
 * the same state a demo would. Fast (well under a second), quiet (silent logger), no socket.
 */
import { sweepAtDataTime } from '../../processors/decay-sweep.js';
import type { RetrainOutcome } from '../../api/routes/models.js';
import { readFileSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import { AvroCodec } from '../../adapters/avro/avro-codec.js';
import { ScoreStoreReadModel } from '../../read-model/score-store-read-model.js';
import { InMemoryAnalyticsStore } from '../../adapters/in-memory/in-memory-analytics-store.js';
import { InMemoryEventLog } from '../../adapters/in-memory/in-memory-event-log.js';
import { forgetCustomer } from '../../app/forget-customer.js';
import { InMemoryStateStore } from '../../adapters/in-memory/in-memory-state-store.js';
import { loadApiConfig, type ApiConfig } from '../../config/api-config.js';
import { buildApp } from '../../api/build-app.js';
import { createApiKey, type ApiScope } from '../../core/api-keys.js';
import { dayIndexer } from '../../core/calendar.js';
import { loadConfig } from '../../config/config.js';
import type { ClvReadModel } from '../../core/ports/clv-read-model.js';
import type { EventLog, OutgoingMessage } from '../../core/ports/event-log.js';
import { generateSyntheticHistory } from '../../producers/synthetic/synthetic-history.js';
import { Pipeline } from '../../processors/pipeline.js';
import { BgNbdGammaGammaModel } from '../../models/kinds/bgnbd-gamma-gamma-model.js';
import { defaultPolicy } from './embedded-pipeline.js';

export const fixtureModel = () =>
  BgNbdGammaGammaModel.fromJSON(JSON.parse(readFileSync(new URL('../fixtures/api-model.json', import.meta.url), 'utf8')));

export interface ApiFixtureOptions {
  customers?: number;
  /** Stream the history with a model (default) or without one (everyone unscored). */
  withModel?: boolean;
  api?: Partial<ApiConfig>;
  retrain?: () => Promise<RetrainOutcome>;
  now?: () => number;
  logger?: Logger;
  readinessTimeoutMs?: number;
  /** Wraps the ports the app sees (to inject failures). */
  adapt?: { readModel?: (r: ClvReadModel) => ClvReadModel; log?: (l: EventLog) => EventLog };
}

/** An API key per scope, and one with every scope. */
function testKeys() {
  const make = (name: string, scopes: ApiScope[]) => createApiKey(name, scopes);
  const keys = { read: make('reader', ['read']), ingest: make('ingester', ['ingest']), admin: make('admin', ['admin']), metrics: make('prometheus', ['metrics' as ApiScope]), all: make('operator', ['read', 'ingest', 'admin']) };
  return {
    records: Object.values(keys).map((k) => k.record),
    keys: { read: keys.read.key, ingest: keys.ingest.key, admin: keys.admin.key, metrics: keys.metrics.key, all: keys.all.key },
  };
}

export async function apiFixture(options: ApiFixtureOptions = {}) {
  const config = loadConfig({});
  const log = new InMemoryEventLog({ maxBackoffMs: 20 });
  const codec = new AvroCodec();
  const scoring = { dayOf: dayIndexer(config.timeZone), policy: defaultPolicy, hysteresis: config.segmentHysteresis, minorPerUnit: config.minorPerUnit };
  const model = fixtureModel();
  let pipeline: Pipeline | null = null;
  const readModel = new ScoreStoreReadModel({ scores: new InMemoryStateStore(), currentModel: () => pipeline?.currentModel() ?? null, scoring });
  pipeline = new Pipeline({
    log, codec,
    stores: { ledgers: new InMemoryStateStore(), histories: new InMemoryStateStore(), scores: readModel.scoresStore },
    validation: { currency: config.currency, maxFutureSkewMs: config.maxFutureSkewMs, now: Date.now },
    scoring, partitions: 4, batchSize: 500,
  });
  if (options.withModel !== false) {
    pipeline.useModel(model);
    readModel.recordModel(model, { trainedAtMs: Date.UTC(2024, 6, 1), metrics: { 'holdout.mape': 0.12 } });
  }

  const history = generateSyntheticHistory({ customers: options.customers ?? 300, seed: 11, start: '2023-01-01', end: '2024-06-30' });
  await pipeline.start();
  const byTopic = new Map<string, OutgoingMessage[]>();
  for (const m of history.messages) {
    let list = byTopic.get(m.topic);
    if (!list) byTopic.set(m.topic, (list = []));
    list.push({ key: m.key, value: 'poison' in m ? m.poison : await codec.encode(m.topic, m.value) });
  }
  for (const [topic, messages] of byTopic) await log.publish(topic, messages);
  await pipeline.waitUntilIdle(2);
  // As `clv run training` leaves it: quiet customers decayed to the data's time.
  await sweepAtDataTime(pipeline, config.decaySweepIntervalMs);
  await pipeline.stop();

  const analytics = new InMemoryAnalyticsStore();
  const { records, keys } = testKeys();
  const api: ApiConfig = { ...loadApiConfig({}), apiKeys: records, rateLimitPerMinute: 100_000, ...options.api };
  const app = await buildApp({
    readModel: options.adapt?.readModel?.(readModel) ?? readModel,
    log: options.adapt?.log?.(log) ?? log,
    codec, config, api,
    logger: options.logger ?? pino({ level: 'silent' }),
    retrain: options.retrain,
    forgetCustomer: (customerId, requestedBy) => forgetCustomer({ stores: pipeline.stores, log, codec, analytics }, customerId, requestedBy),
    now: options.now,
    readinessTimeoutMs: options.readinessTimeoutMs,
  });
  return { app, keys, log, codec, config, readModel, pipeline, model, history, analytics };
}

export type ApiFixture = Awaited<ReturnType<typeof apiFixture>>;

/** `Authorization: Bearer <key>` headers. */
export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
