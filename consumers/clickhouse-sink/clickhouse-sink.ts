/**
 * The analytics sink: consumes every topic (group `clv-clickhouse-sink`), decodes, maps each
 * event to table rows and writes them to the analytics store in large per-table inserts.
 *
 * At-least-once, without duplicates: a batch's `eachBatch` resolves (and so commits) only
 * after all of its rows are written (table-buffers.ts); a batch redelivered after a crash
 * writes the same rows again, which the store collapses by row identity (event_id).
 *
 * Undecodable messages are skipped and counted: the processors already dead-letter them,
 * and the dead-letter topic itself is sunk to `dead_letters`. A message with a row that breaks
 * its table's schema (e.g. a time before 1970) is dead-lettered to clv.dead-letter.v1 with the
 * table and the reason, before the batch commits, and counted (`onRowsRejected`, a Prometheus
 * counter in production), rather than blocking the partition forever; its other rows are
 * written. A dead letter that `dead_letters` cannot hold is only counted: dead-lettering it
 * again would loop. Store failures are retried with backoff while retriable; a batch that
 * still fails is rejected, and the event log redelivers it.
 *
 * Batching across batches needs several batches in flight: one consumer member hands out one
 * batch at a time, so `members` (consumers in the group, sharing the partitions) sets how
 * many batches can share one insert. Under a backlog, batches of `maxBatchSize` fill inserts
 * on their own.
 */
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { analyticsRowViolation, type AnalyticsStore, type AnalyticsTable } from '../../core/ports/analytics-store.js';
import { DECODE_NEEDS_IO, type EventCodec } from '../../core/ports/event-codec.js';
import type { DeadLetterEvent } from '../../core/events.js';
import type { EventLog, IncomingMessage, MessageBatch, OutgoingMessage, RunningConsumer } from '../../core/ports/event-log.js';
import { Topics } from '../../core/topics.js';
import { rowsOfEvent } from './analytics-rows.js';
import { defaultRetryOptions, retryWithBackoff, type RetryHooks, type RetryOptions } from '../retry-with-backoff.js';
import { TableBuffers } from './table-buffers.js';

export const CLICKHOUSE_SINK_GROUP = 'clv-clickhouse-sink';
const SINK_DEAD_LETTER_PREFIX = 'clickhouse-sink:';

export interface ClickHouseSinkOptions {
  /** Rows that make a table's buffer write at once (default 50,000). */
  maxRows?: number;
  /** Longest a partial buffer waits, and shortest interval between partial writes of a table (default 1,000). */
  maxDelayMs?: number;
  /** Messages per eachBatch (default maxRows). */
  maxBatchSize?: number;
  /** Consumer members in the group (default 1); more lets batches of several partitions share inserts. */
  members?: number;
  /** Where the group starts when it has no committed offset (default true: all history). */
  fromBeginning?: boolean;
  retry?: Partial<RetryOptions>;
}

export interface ClickHouseSinkDeps {
  log: EventLog;
  codec: EventCodec;
  store: AnalyticsStore;
  retryHooks?: RetryHooks;
  /** An insert failed for good (not retriable, or out of attempts); its batch is rejected and the log redelivers it. */
  onInsertFailed?: (table: AnalyticsTable, error: unknown) => void;
  /** Rows of a batch that break their table's schema (dead-lettered, except those of the dead-letter topic). */
  onRowsRejected?: (table: AnalyticsTable, count: number) => void;
  /** Wall clock of the dead letters, epoch ms. */
  now?: () => number;
}

export interface ClickHouseSinkStats {
  messages: number;
  batches: number;
  /** Per topic: messages that did not decode. */
  undecodable: Record<string, number>;
  /** Per table: rows skipped because they break the table's schema. */
  rejectedRows: Record<string, number>;
  /** Messages sent to the dead-letter topic because a row of theirs broke its table's schema. */
  deadLettered: number;
  /** Per table: rows written (redelivered rows count again). */
  rowsWritten: Record<string, number>;
  inserts: number;
  insertRetries: number;
  /** Per table: inserts that failed for good (their batches were redelivered). */
  insertFailures: Record<string, number>;
}

export class ClickHouseSink {
  readonly stats: ClickHouseSinkStats = { messages: 0, batches: 0, undecodable: {}, rejectedRows: {}, deadLettered: 0, rowsWritten: {}, inserts: 0, insertRetries: 0, insertFailures: {} };
  private readonly buffers: TableBuffers;
  private consumers: RunningConsumer[] = [];

  constructor(
    private readonly deps: ClickHouseSinkDeps,
    private readonly options: ClickHouseSinkOptions = {},
  ) {
    const retry = { ...defaultRetryOptions, ...options.retry };
    const hooks: RetryHooks = {
      ...deps.retryHooks,
      onRetry: (error, attempt, delayMs) => {
        this.stats.insertRetries++;
        deps.retryHooks?.onRetry?.(error, attempt, delayMs);
      },
    };
    this.buffers = new TableBuffers({
      maxRows: options.maxRows ?? 50_000,
      maxDelayMs: options.maxDelayMs ?? 1_000,
      write: async (table, rows) => {
        try {
          await retryWithBackoff(() => deps.store.insert(table, rows as never[]), retry, hooks);
        } catch (error) {
          this.stats.insertFailures[table] = (this.stats.insertFailures[table] ?? 0) + 1;
          deps.onInsertFailed?.(table, error);
          throw error;
        }
        this.stats.inserts++;
        this.stats.rowsWritten[table] = (this.stats.rowsWritten[table] ?? 0) + rows.length;
      },
    });
  }

  /** The group and topics whose lag says how far the tables are behind. */
  readonly lagSource = { group: CLICKHOUSE_SINK_GROUP, topics: Object.values(Topics) as readonly string[] };

  async start(): Promise<void> {
    const members = this.options.members ?? 1;
    for (let i = 0; i < members; i++) {
      this.consumers.push(await this.deps.log.consume({
        groupId: CLICKHOUSE_SINK_GROUP,
        topics: Object.values(Topics),
        fromBeginning: this.options.fromBeginning ?? true,
        maxBatchSize: this.options.maxBatchSize ?? this.options.maxRows ?? 50_000,
        eachBatch: (batch) => this.handleBatch(batch),
      }));
    }
  }

  /** Writes what is buffered at once, lets every member finish and commit its batch, leaves the group. A stopped sink is not started again: make a new one. */
  async stop(): Promise<void> {
    const drained = this.buffers.drain();
    await Promise.all(this.consumers.map((c) => c.stop()));
    await drained;
    this.consumers = [];
  }

  /**
   * Resolves once the group has committed everything in every topic, that is once every row
   * of what the log holds is written: a replay waits on it before reading the tables.
   */
  async waitUntilIdle(pollMs = 20): Promise<void> {
    const topics = Object.values(Topics);
    while ((await this.deps.log.lag(CLICKHOUSE_SINK_GROUP, topics)) > 0) await new Promise((r) => setTimeout(r, pollMs));
  }

  /** One batch: decode, map, dead-letter what no table can hold, buffer, and resolve once its rows are written. Public for tests. */
  async handleBatch(batch: MessageBatch): Promise<void> {
    const byTable = new Map<AnalyticsTable, object[]>();
    const rejected = new Map<AnalyticsTable, number>();
    const deadLetters: OutgoingMessage[] = [];
    const { codec } = this.deps;
    for (const message of batch.messages) {
      this.stats.messages++;
      // A tombstone (an erased customer's key on a compacted topic) has no row: the erasure
      // deleted the customer's rows itself (app/forget-customer.ts).
      if (message.value === null) continue;
      let value: unknown;
      try {
        // The synchronous path when the codec can take it: no promise per message.
        value = codec.decodeSync ? codec.decodeSync(message.topic, message.value) : DECODE_NEEDS_IO;
        if (value === DECODE_NEEDS_IO) value = await codec.decode(message.topic, message.value);
      } catch (error) {
        // Only bad bytes are skipped; a codec that cannot reach its registry must retry.
        if (!(error instanceof ClvError) || error.code !== ErrorCodes.UNDECODABLE) throw error;
        this.stats.undecodable[message.topic] = (this.stats.undecodable[message.topic] ?? 0) + 1;
        continue;
      }
      let refusal: string | null = null;
      for (const { table, row } of rowsOfEvent(message.topic, value)) {
        const violation = analyticsRowViolation(table, row);
        if (violation !== null) {
          this.stats.rejectedRows[table] = (this.stats.rejectedRows[table] ?? 0) + 1;
          rejected.set(table, (rejected.get(table) ?? 0) + 1);
          refusal ??= `ClickHouse table ${table} refuses the row: ${violation}`;
          continue;
        }
        let rows = byTable.get(table);
        if (!rows) byTable.set(table, (rows = []));
        rows.push(row);
      }
      if (refusal !== null && message.topic !== Topics.deadLetter) deadLetters.push(await this.deadLetter(message, value, refusal));
    }
    // Before the rows are buffered, so before the batch can commit: a crash redelivers the
    // batch and sends the dead letters again (the dead_letters table keeps one per event_id).
    if (deadLetters.length > 0) {
      await this.deps.log.publish(Topics.deadLetter, deadLetters);
      this.stats.deadLettered += deadLetters.length;
    }
    for (const [table, count] of rejected) this.deps.onRowsRejected?.(table, count);
    await this.buffers.add(byTable);
    this.stats.batches++;
  }

  private async deadLetter(message: IncomingMessage, value: unknown, reason: string): Promise<OutgoingMessage> {
    const letter: DeadLetterEvent = {
      // Not `topic/partition/offset` alone: a processor may dead-letter the same message for
      // its own reason, and dead_letters keeps one row per event_id.
      event_id: `${SINK_DEAD_LETTER_PREFIX}${message.topic}/${message.partition}/${message.offset}`,
      event_time: (this.deps.now ?? Date.now)(),
      source_topic: message.topic,
      source_partition: message.partition,
      source_offset: message.offset,
      key: message.key,
      payload: message.value ?? Buffer.alloc(0),
      payload_json: JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : Buffer.isBuffer(v) ? v.toString('base64') : v)),
      error_code: ErrorCodes.INVALID_EVENT,
      reason,
    };
    return { key: message.key, value: await this.deps.codec.encode(Topics.deadLetter, letter) };
  }
}
