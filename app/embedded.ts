/** The embedded default: in-process log and stores, same processors and analytics sink as production. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AvroCodec } from '../adapters/avro/avro-codec.js';
import { InMemoryAnalyticsStore } from '../adapters/in-memory/in-memory-analytics-store.js';
import { projectRoot } from '../adapters/avro/schema-files.js';
import { InMemoryEventLog } from '../adapters/in-memory/in-memory-event-log.js';
import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import { parseActionPolicy, type ActionPolicy } from '../core/action-policy.js';
import { dayIndexer } from '../core/calendar.js';
import type { Config } from '../config/config.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { topicSpecs } from '../core/topics.js';
import { ClickHouseSink, type ClickHouseSinkOptions } from '../consumers/clickhouse-sink/clickhouse-sink.js';
import { InMemoryClvReadModel } from '../read-model/score-store-read-model.js';
import { Pipeline } from '../processors/pipeline.js';
import { rfmRuleModelFrom } from '../models/kinds/rfm-rule-model.js';
import { prometheusObserver } from '../metrics/prometheus-observer.js';
import type { Logger } from 'pino';
import type { EventLog } from '../core/ports/event-log.js';

export function loadPolicy(file: string | null): ActionPolicy {
  const path = file ?? join(projectRoot(), 'config', 'action-policy.json');
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new ClvError(ErrorCodes.INVALID_POLICY, `action policy ${String(path)}: ${(cause as Error).message}`, { cause });
  }
  return parseActionPolicy(doc, file ?? 'config/action-policy.json');
}

/**
 * The analytics sink's settings over the in-memory tables. For ClickHouse the sink makes few
 * large inserts (at most one a second per table, batches waiting for it); an in-memory
 * insert costs per row, not per call, so each batch is written at once. With one member
 * handing out one batch at a time, waiting for company would stall a replay a second per
 * batch.
 */
export const embeddedSinkOptions: Readonly<ClickHouseSinkOptions> = Object.freeze({ maxRows: 10_000, maxDelayMs: 0 });

/**
 * `observe` may wrap the log the processors see (the bench measures latency that way).
 * The analytics store holds the analyst tables in memory once `startSink` runs the sink.
 */
export function embeddedPipeline(config: Readonly<Config>, logger: Logger, observe: (log: EventLog) => EventLog = (log) => log) {
  const log = new InMemoryEventLog({
    onBatchError: (error, where) => logger.warn({ err: error, ...where }, 'batch failed; redelivering after backoff'),
  });
  const codec = new AvroCodec();
  const scoring = { dayOf: dayIndexer(config.timeZone), policy: loadPolicy(config.policyFile), hysteresis: config.segmentHysteresis, minorPerUnit: config.minorPerUnit };
  // The read model sees every score write through its store, so the API's segment index
  // stays current without scans.
  const readModel: InMemoryClvReadModel = new InMemoryClvReadModel({ scores: new InMemoryStateStore(), currentModel: () => pipeline.currentModel(), scoring });
  const pipeline: Pipeline = new Pipeline({
    log: observe(log),
    codec,
    stores: { ledgers: new InMemoryStateStore(), histories: new InMemoryStateStore(), scores: readModel.scoresStore },
    validation: { currency: config.currency, maxFutureSkewMs: config.maxFutureSkewMs, now: Date.now },
    scoring,
    partitions: config.partitions,
    batchSize: config.batchSize,
    observe: prometheusObserver(() => pipeline.currentModel()?.version ?? null),
    // Customers get scores and segments from the first event; the first champion replaces the rules.
    fallbackModel: rfmRuleModelFrom(config),
  });
  readModel.readRevenueFrom(pipeline.stores.histories);
  const analytics = new InMemoryAnalyticsStore();
  // Per-segment actuals need segment membership as of a past time: the sunk score history.
  readModel.readSegmentRevenueFrom(analytics);
  /**
   * Starts production's ClickHouse sink (consumers/clickhouse-sink/clickhouse-sink.ts, same consumer group)
   * into `analytics`. A stopped sink does not start again: call this again, and the group
   * resumes from its committed offsets, as a restarted `clv run sink` does.
   */
  const startSink = async (): Promise<ClickHouseSink> => {
    await log.createTopics(topicSpecs(config.partitions));
    const sink = new ClickHouseSink(
      { log, codec, store: analytics, retryHooks: { onRetry: (err, attempt, delayMs) => logger.warn({ err, attempt, delayMs }, 'analytics insert failed; retrying') } },
      embeddedSinkOptions,
    );
    await sink.start();
    return sink;
  };
  return { log, codec, pipeline, readModel, analytics, startSink, dayOf: scoring.dayOf };
}
