/**
 * The event log port: what processors need of Kafka, and no more. Implemented by the
 * embedded in-process log and by the Kafka adapter.
 *
 * Contract:
 * - A message's partition is a pure function of its key, so one customer's events stay in
 *   order on one partition.
 * - Delivery is at-least-once: `eachBatch` may see a message again after a failure or a
 *   restart; the group's offset advances only when `eachBatch` resolves.
 * - Within a group each partition is consumed by one member at a time — as far as the group
 *   knows: a member that stalls past its session timeout loses its partitions while it may
 *   still be working on a batch of them. `BatchControl.assignment` tells a handler which hold
 *   on the partition a batch belongs to, so that its writes can be fenced (processors/run-keyed-processor.ts).
 */
import type { TopicSpec } from '../topics.js';

export interface OutgoingMessage {
  key: string | null;
  /**
   * The encoded event; null is a tombstone: on a compacted topic it deletes the key's earlier
   * values at the next compaction (an erased customer). Consumers skip tombstones.
   */
  value: Buffer | null;
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

/** What a handler may know and do besides reading its batch. */
export interface BatchControl {
  /**
   * This member's current hold on the batch's partition: a number that changes every time the
   * partition is (re)assigned to this member (after every rebalance) and is never reused
   * for the group within the process. Batches with the same value come from one uninterrupted hold.
   */
  readonly assignment: number;
  /**
   * Runs work that may outlast the group's session timeout (a webhook delivery with its
   * retries and backoff) while keeping this member in the group: the log heartbeats for as
   * long as `work` runs. When the member loses the partition (a rebalance, an eviction) or no
   * heartbeat is acknowledged within a deadline shorter than the session timeout (past which
   * the group may already have evicted it), `work`'s signal aborts and keepAlive rejects: the
   * handler should stop and throw, leaving the batch uncommitted for the partition's next owner.
   */
  keepAlive<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T>;
}

export interface ConsumerOptions {
  groupId: string;
  topics: string[];
  /** Where a group with no committed offset starts. */
  fromBeginning: boolean;
  /** Upper bound on messages handed to one `eachBatch` call. */
  maxBatchSize?: number;
  eachBatch: (batch: MessageBatch, control: BatchControl) => Promise<void>;
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
