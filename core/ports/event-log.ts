/**
 * The event log port: what processors need of Kafka, and no more. Implemented by the
 * embedded in-process log and by the Kafka adapter.
 *
 * Contract:
 * - A message's partition is a pure function of its key, so one customer's events stay in
 *   order on one partition.
 * - Delivery is at-least-once: `eachBatch` may see a message again after a failure or a
 *   restart; the group's offset advances only when `eachBatch` resolves.
 * - Within a group each partition is consumed by one member at a time.
 */
import type { TopicSpec } from '../topics.js';

export interface OutgoingMessage {
  key: string | null;
  value: Buffer;
}

/** Messages for one topic, one part of a `publishAll` call. */
export interface TopicMessages {
  topic: string;
  messages: OutgoingMessage[];
}

export interface PublishOptions {
  /**
   * The caller's deadline. When it aborts before the messages were handed to the log, they are
   * withdrawn and the call rejects saying nothing was published; when it aborts while they are
   * in flight, the call rejects at once and they may still be written (a retry is harmless:
   * the processors drop what they already have by event_id).
   */
  signal?: AbortSignal;
}

export interface IncomingMessage extends OutgoingMessage {
  topic: string;
  partition: number;
  /** Decimal string, as Kafka offsets are 64-bit. */
  offset: string;
}

export interface MessageBatch {
  topic: string;
  partition: number;
  messages: IncomingMessage[];
}

export interface ConsumerOptions {
  groupId: string;
  topics: string[];
  /** Where a group with no committed offset starts. */
  fromBeginning: boolean;
  /** Upper bound on messages handed to one `eachBatch` call. */
  maxBatchSize?: number;
  eachBatch: (batch: MessageBatch) => Promise<void>;
}

export interface RunningConsumer {
  /** Finishes the batch in hand, commits it, and leaves the group. */
  stop(): Promise<void>;
}

export interface EventLog {
  createTopics(specs: TopicSpec[]): Promise<void>;
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>;
  /**
   * Publishes every topic's messages together: one request (Kafka: one produce request per
   * broker), so a failure before it is sent publishes none of them, never some topics and not
   * others. Rejects at once with a retriable ClvError when the messages already waiting to be
   * published hold more bytes than the adapter's cap (back-pressure instead of unbounded memory).
   */
  publishAll(batches: TopicMessages[], options?: PublishOptions): Promise<void>;
  consume(options: ConsumerOptions): Promise<RunningConsumer>;
  /** Messages in `topics` not yet committed by `groupId`, summed over partitions. */
  lag(groupId: string, topics: string[]): Promise<number>;
  /**
   * Resolves when the log can take messages for `topic` (reachable, topic present with a
   * leader for every partition); rejects otherwise. For readiness probes: it involves no
   * consumer group, so it does not wait on a group coordinator.
   */
  checkWritable(topic: string): Promise<void>;
  close(): Promise<void>;
}
