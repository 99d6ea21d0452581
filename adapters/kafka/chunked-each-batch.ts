/**
 * Adapts the port's `eachBatch` to kafkajs's: a fetched batch (up to a megabyte per partition)
 * is cut into chunks of at most `maxBatchSize` messages, and each chunk's offset is resolved
 * and committed only after the handler resolved for it — the port's at-least-once contract.
 *
 * kafkajs re-fetches a partition from its last *resolved* offset when `eachBatch` throws, so a
 * failed chunk and every chunk after it are delivered again, and kafkajs's retrier supplies the
 * exponential backoff. Pure over the kafkajs payload: unit-tested with a fake one.
 */
import type { EachBatchHandler, KafkaMessage } from 'kafkajs';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { keepAlive } from './heartbeat-keep-alive.js';
import type { BatchControl, IncomingMessage, MessageBatch } from '../../core/ports/event-log.js';

export interface BatchErrorContext {
  groupId: string;
  topic: string;
  partition: number;
  /** Offset of the first message of the chunk that failed. */
  offset: string;
}

export interface ChunkedEachBatchOptions {
  groupId: string;
  maxBatchSize: number;
  eachBatch: (batch: MessageBatch, control: BatchControl) => Promise<void>;
  /** This member's current hold on its partitions (BatchControl.assignment), read as a batch starts. */
  assignment: () => number;
  /** BatchControl.keepAlive: heartbeat period, and the longest wait for an acknowledged heartbeat (< session timeout). */
  keepAlive: { intervalMs: number; deadlineMs: number };
  /** Told about every failed chunk before it is retried. */
  onBatchError?: (error: unknown, context: BatchErrorContext) => void;
}

// A tombstone (null value: an erased customer on a compacted topic) stays null; consumers skip it.
function toIncomingMessage(topic: string, partition: number, m: KafkaMessage): IncomingMessage {
  return { topic, partition, offset: m.offset, key: m.key === null ? null : m.key.toString('utf8'), value: m.value };
}

export function chunkedEachBatch(options: ChunkedEachBatchOptions): EachBatchHandler {
  const { groupId, maxBatchSize, eachBatch, onBatchError, assignment, keepAlive: timing } = options;
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `maxBatchSize must be a positive integer, got ${maxBatchSize}`);
  }
  return async ({ batch, resolveOffset, commitOffsetsIfNecessary, uncommittedOffsets, heartbeat, isRunning, isStale }) => {
    const { topic, partition } = batch;
    const control: BatchControl = {
      assignment: assignment(),
      keepAlive: (work) => keepAlive(work, { heartbeat, ...timing }),
    };
    for (let start = 0; start < batch.messages.length; start += maxBatchSize) {
      // Between chunks, a stop request or a pending seek ends the batch: the rest is fetched
      // again by whoever owns the partition next, from the last committed offset.
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(start, start + maxBatchSize);
      try {
        await eachBatch({ topic, partition, messages: chunk.map((m) => toIncomingMessage(topic, partition, m)) }, control);
      } catch (error) {
        onBatchError?.(error, { groupId, topic, partition, offset: chunk[0].offset });
        // A member that stalled past its session timeout (its write was fenced, say) learns
        // here that it was evicted: the heartbeat throws a rebalance error, which kafkajs
        // answers by rejoining at once instead of retrying the chunk with a stale epoch.
        await heartbeat();
        // Wrapped as retriable on purpose: kafkajs's retrier gives up at once on errors marked
        // `retriable: false` or named TypeError/RangeError…, and its consumer then stops for
        // good. The port promises redelivery after any failure, so every handler error retries.
        throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, `eachBatch failed on ${topic}/${partition} at offset ${chunk[0].offset}: ${(error as Error)?.message ?? String(error)}`, { retriable: true, cause: error });
      }
      // resolveOffset on the batch's last message also skips trailing control records, so the
      // resolved offsets (not last + 1) are what gets committed.
      resolveOffset(chunk[chunk.length - 1].offset);
      await commitOffsetsIfNecessary(uncommittedOffsets());
      await heartbeat();
    }
  };
}
