/** The embedded default: in-process log and stores, same processors and analytics sink as production. */
import type { Logger } from 'pino';
import { AvroCodec } from '../adapters/avro/avro-codec.js';
import { InMemoryAnalyticsStore } from '../adapters/in-memory/in-memory-analytics-store.js';
import { InMemoryEventLog } from '../adapters/in-memory/in-memory-event-log.js';
import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import type { Config } from '../config/config.js';
import type { EventLog } from '../core/ports/event-log.js';
import { topicSpecs } from '../core/topics.js';
import { ClickHouseSink, type ClickHouseSinkOptions } from '../consumers/clickhouse-sink/clickhouse-sink.js';
import { processorStateCodecs } from '../processors/state-codecs.js';
import { ScoreStoreReadModel } from '../read-model/score-store-read-model.js';
import { tuneHeapForStreaming } from './streaming-heap.js';
import { scoringSettingsFrom, streamPipeline } from './stream-pipeline.js';

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
export function embeddedPipeline(config: Readonly<Config>, logger: Logger, observe?: (log: EventLog) => EventLog) {
  tuneHeapForStreaming();
  const log = new InMemoryEventLog({
    onBatchError: (error, where) => logger.warn({ err: error, ...where }, 'batch failed; redelivering after backoff'),
  });
  const codec = new AvroCodec();
  const scoring = scoringSettingsFrom(config);
  // States are kept as the Redis stores' text, outside the JS heap (adapters/in-memory/in-memory-state-store.ts).
  // The read model sees every score write through its store, so the API's segment index
  // stays current without scans.
  const readModel: ScoreStoreReadModel = new ScoreStoreReadModel({
    scores: new InMemoryStateStore(processorStateCodecs.scores), currentModel: () => pipeline.currentModel(), scoring, shop: { currency: config.currency, timeZone: config.timeZone },
  });
  const pipeline = streamPipeline(config, { log, codec, stores: { ledgers: new InMemoryStateStore(processorStateCodecs.ledgers), histories: new InMemoryStateStore(processorStateCodecs.histories), scores: readModel.scoresStore } }, { observe, scoring });
  readModel.readRevenueFrom(pipeline.stores.histories);
  const analytics = new InMemoryAnalyticsStore();
  // Per-segment actuals and segment flows need segment membership as of past times: the sunk score history.
  readModel.readScoreHistoryFrom(analytics);
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
