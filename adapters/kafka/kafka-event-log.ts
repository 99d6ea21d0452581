/**
 * The event log on Apache Kafka (kafkajs): the production implementation of the EventLog port.
 *
 * - Partitioning uses the embedded log's murmur2 partitioner, so a key lands on the same
 *   partition number here as in the demo (and as with the Java client); null keys go to 0.
 * - Publishing is idempotent (broker-side de-duplication of retried produce requests) and
 *   GZIP-compressed; publish calls made while a request is in flight share the next request
 *   (very large calls go in 10k slices).
 * - Topics are created only by `createTopics`: auto-creation is off in the clients, because a
 *   topic the broker auto-creates gets its default layout (one partition, not compacted).
 * - Consuming commits a chunk only after `eachBatch` resolved for it (see chunked-each-batch).
 */
import kafkajs from 'kafkajs';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { ConsumerOptions, EventLog, OutgoingMessage, PublishOptions, RunningConsumer, TopicMessages } from '../../core/ports/event-log.js';
import type { TopicSpec } from '../../core/topics.js';
import { chunkedEachBatch, type BatchErrorContext } from './chunked-each-batch.js';
import { consumerLag } from './consumer-lag.js';
import { createMissingTopics } from './create-topics.js';
import { kafkajsSecurity, type KafkaConnection } from './kafka-connection.js';
import { kafkajsLogCreator, kafkajsLogLevel, type KafkaLogLevel, type LogSink } from './kafkajs-log-creator.js';
import { partitionFor } from './murmur2-partitioner.js';
import { untilAborted } from './until-aborted.js';

const { Kafka: KafkaClient, CompressionTypes } = kafkajs;

/** Numbers this process's consumers' holds on their partitions (BatchControl.assignment): never reused. */
let assignments = 0;

/** brokers, tls, sasl: see KafkaConnection (`...kafkaConnection(config)`). */
export interface KafkaEventLogOptions extends KafkaConnection {
  clientId?: string;
  /** Where kafkajs and this adapter log; without one they stay silent. */
  logger?: LogSink;
  /** kafkajs's level: default 'warn' with a logger, 'nothing' without. */
  logLevel?: KafkaLogLevel;
  /** A member that has not heartbeated for this long is dropped from its group (broker min 6000). */
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** How long a rebalance waits for members to rejoin, i.e. to finish the chunk in hand. */
  rebalanceTimeoutMs?: number;
  /** Longest a fetch waits on the broker for data: bounds how late a new message is seen. */
  maxWaitTimeMs?: number;
  connectionTimeoutMs?: number;
  /** How long a request waits for the broker's answer (kafkajs default 30 s). */
  requestTimeoutMs?: number;
  /** Backoff of failed batches and failed broker calls: exponential from initial, capped. */
  retry?: { initialRetryTimeMs?: number; maxRetryTimeMs?: number; retries?: number };
  /** -1: the broker's default.replication.factor. */
  replicationFactor?: number;
  /** A `publish` call larger than this is sent as several requests (see publish). */
  maxMessagesPerRequest?: number;
  /**
   * Most bytes (keys + values) of publish calls waiting or in flight; a call that would exceed
   * it is refused with a retriable error (CLV_PUBLISH_QUEUE_MAX_BYTES, default 64 MiB).
   */
  maxQueuedBytes?: number;
  /**
   * Partitions whose batches are processed at the same time (kafkajs
   * partitionsConsumedConcurrently). Processors keep no state across partitions, and
   * overlapping one partition's I/O (store, produce, commit) with another's cuts latency.
   * Default 8, the default partition count: kafkajs fetches again only when every batch of
   * the last fetch is done, so with 4 a fetch of 8 partitions ran in two waves; with 8 all of
   * them run at once and their publish calls share produce requests (stack bench, 5,000
   * events/s: latency p99 167–234 ms with 8 against 399–430 ms with 4; the ClickHouse sink
   * 28,000–30,000 against 21,000–23,000 messages/s).
   */
  partitionsConsumedConcurrently?: number;
  /** Told about every failed eachBatch chunk before it is redelivered. */
  onBatchError?: (error: unknown, context: BatchErrorContext) => void;
}

/** A null value is a tombstone (an erased customer on a compacted topic). */
type KafkaMessage = { key: string | null; value: Buffer | null };

interface QueuedPublish {
  batches: Array<{ topic: string; messages: KafkaMessage[] }>;
  /** Messages over all batches. */
  count: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** The calls' messages, one list per topic, in queue order. */
function mergeByTopic(calls: QueuedPublish[]): Array<{ topic: string; messages: KafkaMessage[] }> {
  const byTopic = new Map<string, KafkaMessage[]>();
  for (const call of calls) {
    for (const b of call.batches) {
      const list = byTopic.get(b.topic);
      if (list) for (const m of b.messages) list.push(m);
      else byTopic.set(b.topic, [...b.messages]);
    }
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}


// Defaults for a single local broker: failures are noticed within seconds and tests stay quick.
const DEFAULTS = {
  clientId: 'clv-stream',
  sessionTimeoutMs: 10_000,
  heartbeatIntervalMs: 1_000,
  rebalanceTimeoutMs: 15_000,
  maxWaitTimeMs: 100,
  connectionTimeoutMs: 3_000,
  initialRetryTimeMs: 100,
  maxRetryTimeMs: 10_000,
  retries: 10,
  maxBatchSize: 1_000,
  maxMessagesPerRequest: 10_000,
  maxQueuedBytes: 64 * 1024 * 1024,
  partitionsConsumedConcurrently: 8,
};

export class KafkaEventLog implements EventLog {
  private readonly kafka: Kafka;
  private readonly brokers: string[];
  private readonly running = new Set<RunningConsumer>();
  private readonly knownTopics = new Set<string>();
  private admin: Promise<Admin> | null = null;
  private producer: Promise<Producer> | null = null;
  /** Publish calls waiting for the produce request in flight to finish (see publish). */
  private readonly publishQueue: QueuedPublish[] = [];
  private draining = false;
  /** Bytes of the publish calls not yet settled (see publishAll). */
  private queuedBytes = 0;

  constructor(private readonly options: KafkaEventLogOptions) {
    this.brokers = options.brokers;
    const level = options.logLevel ?? (options.logger ? 'warn' : 'nothing');
    this.kafka = new KafkaClient({
      clientId: options.clientId ?? DEFAULTS.clientId,
      brokers: this.brokers,
      ...kafkajsSecurity(options),
      connectionTimeout: options.connectionTimeoutMs ?? DEFAULTS.connectionTimeoutMs,
      ...(options.requestTimeoutMs === undefined ? {} : { requestTimeout: options.requestTimeoutMs }),
      logLevel: kafkajsLogLevel(level),
      ...(options.logger ? { logCreator: kafkajsLogCreator(options.logger) } : {}),
      retry: this.retry(),
    });
  }

  async createTopics(specs: TopicSpec[]): Promise<void> {
    const admin = await this.connectedAdmin();
    await this.call('create topics', () => createMissingTopics(admin, specs, this.options.replicationFactor ?? -1, this.options.logger));
    for (const s of specs) this.knownTopics.add(s.name);
  }

  /**
   * Resolves once the broker has acknowledged every message of the call (acks=all).
   *
   * Calls made while a produce request is in flight are queued and then sent together, as one
   * request (queue order, so per-key order holds). The idempotent producer sends one request
   * at a time per broker anyway (kafkajs takes a per-broker lock around each produce), so
   * every processor's partition batches used to wait in line behind each other, one request
   * each: measured on the stack bench at 5,000 events/s, a processor's publish took 20–50 ms
   * of its ~25–60 ms batch (p99 ~100–170 ms), the largest stage of every hop. One request for
   * all waiting calls costs one round trip instead of one each.
   */
  publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    return this.publishAll([{ topic, messages }]);
  }

  /**
   * All topics of the call go in the same produce request (one per broker; a call is never
   * split unless it alone exceeds maxMessagesPerRequest). Back-pressure: the bytes of the calls
   * waiting or in flight are counted, and a call that would take them over `maxQueuedBytes`
   * is refused at once (a call alone is always taken, or it could never go). Deadline: see
   * PublishOptions.signal; without a broker, kafkajs would otherwise retry for ever.
   */
  async publishAll(batches: TopicMessages[], options: PublishOptions = {}): Promise<void> {
    const live = batches.filter((b) => b.messages.length > 0);
    if (live.length === 0) return;
    const { signal } = options;
    let count = 0;
    let bytes = 0;
    const copied = live.map((b) => ({
      topic: b.topic,
      messages: b.messages.map((m) => {
        count++;
        bytes += (m.value?.length ?? 0) + (m.key === null ? 0 : Buffer.byteLength(m.key));
        return { key: m.key, value: m.value };
      }),
    }));
    const cap = this.options.maxQueuedBytes ?? DEFAULTS.maxQueuedBytes;
    if (this.queuedBytes > 0 && this.queuedBytes + bytes > cap) {
      throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, `Kafka (${this.brokers.join(',')}): publish queue is full: ${this.queuedBytes} bytes wait, the cap is ${cap}; retry later`, { retriable: true });
    }
    this.queuedBytes += bytes;
    let held = true;
    const release = () => {
      if (held) this.queuedBytes -= bytes;
      held = false;
    };
    try {
      await untilAborted(signal, (async () => {
        await this.connectedProducer();
        for (const b of copied) await this.requireTopic(b.topic);
      })(), () => this.withdrawn());
    } catch (error) {
      release();
      throw error;
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.publishQueue.indexOf(call);
        if (i >= 0) {
          this.publishQueue.splice(i, 1);
          call.reject(this.withdrawn());
        } else {
          // Handed to kafkajs, which cannot take it back: its bytes stay counted until it settles.
          reject(new ClvError(ErrorCodes.DEPENDENCY_FAILED, `Kafka (${this.brokers.join(',')}): publish deadline passed before the broker acknowledged: the messages may still be written`, { retriable: true }));
        }
      };
      const settle = () => {
        release();
        signal?.removeEventListener('abort', onAbort);
      };
      const call: QueuedPublish = {
        batches: copied,
        count,
        resolve: () => (settle(), resolve()),
        reject: (error) => (settle(), reject(error)),
      };
      if (signal?.aborted) return call.reject(this.withdrawn());
      signal?.addEventListener('abort', onAbort, { once: true });
      this.publishQueue.push(call);
      if (!this.draining) {
        this.draining = true;
        // On the next turn of the event loop, so that calls made together (e.g. a batch's
        // scores and segment changes) share the first request too.
        setImmediate(() => void this.drainPublishQueue());
      }
    });
  }

  private withdrawn(): ClvError {
    return new ClvError(ErrorCodes.DEPENDENCY_FAILED, `Kafka (${this.brokers.join(',')}): publish deadline passed before the messages were sent: nothing was published`, { retriable: true });
  }

  /** Sends the queued publish calls, as few requests as possible, until the queue is empty. */
  private async drainPublishQueue(): Promise<void> {
    const queue = this.publishQueue;
    // Very large requests go in slices: kafkajs groups a request's messages by partition by
    // copying arrays, quadratic in messages per partition (measured: 100k messages in one
    // request ~15k msg/s, in 10k slices ~70k msg/s). Slices are sent one after another, so
    // per-key order holds.
    const max = this.options.maxMessagesPerRequest ?? DEFAULTS.maxMessagesPerRequest;
    try {
      while (queue.length > 0) {
        let producer: Producer;
        try {
          producer = await this.connectedProducer();
        } catch (error) {
          for (const call of queue.splice(0)) call.reject(error);
          return;
        }
        if (queue[0].count > max) {
          // A call larger than a request goes alone, slice after slice.
          const call = queue.shift() as QueuedPublish;
          try {
            for (const b of call.batches) {
              for (let start = 0; start < b.messages.length; start += max) {
                await this.send(producer, [{ topic: b.topic, messages: b.messages.slice(start, start + max) }]);
              }
            }
            call.resolve();
          } catch (error) {
            call.reject(error);
          }
          continue;
        }
        // Whole calls, in queue order, while they fit in one request.
        const calls: QueuedPublish[] = [];
        let count = 0;
        while (queue.length > 0 && count + queue[0].count <= max) {
          const call = queue.shift() as QueuedPublish;
          calls.push(call);
          count += call.count;
        }
        try {
          await this.send(producer, mergeByTopic(calls));
          for (const call of calls) call.resolve();
        } catch (error) {
          if (calls.length === 1) {
            calls[0].reject(error);
            continue;
          }
          // Only errors kafkajs does not retry get here (e.g. a message too large). Each call
          // is sent again on its own, so that one bad call fails alone and does not hold up
          // the processors whose calls shared its request. (Re-sending may duplicate what the
          // failed request wrote: at-least-once, like the caller's own retry.)
          for (const call of calls) {
            try {
              await this.send(producer, call.batches);
              call.resolve();
            } catch (own) {
              call.reject(own);
            }
          }
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private send(producer: Producer, topicMessages: Array<{ topic: string; messages: KafkaMessage[] }>): Promise<unknown> {
    const topics = topicMessages.map((t) => t.topic).join(', ');
    return this.call(`publish to ${topics}`, () => producer.sendBatch({ compression: CompressionTypes.GZIP, topicMessages }));
  }

  async consume(options: ConsumerOptions): Promise<RunningConsumer> {
    for (const topic of options.topics) await this.requireTopic(topic);
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? DEFAULTS.sessionTimeoutMs,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs,
      rebalanceTimeout: this.options.rebalanceTimeoutMs ?? DEFAULTS.rebalanceTimeoutMs,
      maxWaitTimeInMs: this.options.maxWaitTimeMs ?? DEFAULTS.maxWaitTimeMs,
      allowAutoTopicCreation: false,
      // After `retries` failed attempts kafkajs restarts the consumer (rejoins the group) and
      // keeps going; restartOnFailure is only asked about retriable errors.
      retry: { ...this.retry(), restartOnFailure: async () => true },
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.reportDeadConsumer(options.groupId, payload.error);
    });
    // kafkajs emits GROUP_JOIN synchronously at the end of every join and sync, before it
    // fetches for the new assignment: every batch after it belongs to the new hold.
    let assignment = ++assignments;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      assignment = ++assignments;
    });
    await this.call(`join group ${options.groupId}`, async () => {
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning });
        // Resolves once this member has joined the group and received its partitions.
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? DEFAULTS.partitionsConsumedConcurrently,
          eachBatch: chunkedEachBatch({
            groupId: options.groupId,
            maxBatchSize: options.maxBatchSize ?? DEFAULTS.maxBatchSize,
            eachBatch: options.eachBatch,
            onBatchError: this.options.onBatchError,
            assignment: () => assignment,
            keepAlive: this.keepAliveTiming(),
          }),
        });
      } catch (error) {
        await consumer.disconnect().catch(() => undefined);
        throw error;
      }
    });
    let stopped: Promise<void> | null = null;
    const handle: RunningConsumer = {
      // disconnect() stops the fetch loop, waits for the chunk in hand (committed by
      // chunkedEachBatch), leaves the group so its partitions move at once, and closes sockets.
      stop: () => (stopped ??= consumer.disconnect().finally(() => this.running.delete(handle))),
    };
    this.running.add(handle);
    return handle;
  }

  async checkWritable(topic: string): Promise<void> {
    const admin = await this.connectedAdmin();
    await this.call(`metadata of ${topic}`, async () => {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = topics[0]?.partitions ?? [];
      if (partitions.length === 0 || partitions.some((p) => p.leader < 0)) throw new Error(`topic ${topic} has partitions without a leader`);
    });
  }

  async lag(groupId: string, topics: string[]): Promise<number> {
    const admin = await this.connectedAdmin();
    return this.call(`lag of ${groupId}`, async () => {
      const [committed, ends] = await Promise.all([
        admin.fetchOffsets({ groupId, topics }),
        Promise.all(topics.map((t) => admin.fetchTopicOffsets(t))),
      ]);
      let lag = 0n;
      topics.forEach((topic, i) => {
        lag += consumerLag(committed.find((c) => c.topic === topic)?.partitions ?? [], ends[i]);
      });
      return Number(lag);
    });
  }

  /** The topics the cluster has (`clv status`: Kafka is reachable, and which topics exist yet). */
  async topicNames(): Promise<string[]> {
    const admin = await this.connectedAdmin();
    return this.call('list topics', () => admin.listTopics());
  }

  async close(): Promise<void> {
    await Promise.all([...this.running].map((c) => c.stop()));
    const clients = await Promise.allSettled([this.admin, this.producer].filter((c) => c !== null));
    this.admin = this.producer = null;
    await Promise.all(clients.map((c) => (c.status === 'fulfilled' ? c.value.disconnect() : undefined)));
  }

  private connectedAdmin(): Promise<Admin> {
    return (this.admin ??= this.connect('admin', this.kafka.admin()));
  }

  private connectedProducer(): Promise<Producer> {
    return (this.producer ??= this.connect(
      'producer',
      this.kafka.producer({
        idempotent: true,
        // Idempotence needs in-order produce requests per partition; kafkajs also serialises
        // idempotent requests per broker, so 1 costs nothing.
        maxInFlightRequests: 1,
        // Unbounded, as kafkajs intends for idempotence (backoff still capped by maxRetryTimeMs):
        // after a give-up kafkajs rewinds its sequence numbers, and if the lost request had in
        // fact been written, the broker would take the next request with those numbers for a
        // duplicate and drop it. So a publish waits out a broker outage instead of failing;
        // the consumer that called it may lose its partitions meanwhile, which only redelivers.
        retry: { ...this.retry(), retries: Number.MAX_SAFE_INTEGER },
        allowAutoTopicCreation: false,
        createPartitioner: () => ({ partitionMetadata, message }) =>
          partitionFor(message.key == null ? null : message.key.toString(), partitionMetadata.length),
      }),
    ));
  }

  private async connect<C extends Admin | Producer>(what: string, client: C): Promise<C> {
    try {
      await client.connect();
      return client;
    } catch (cause) {
      // Forget the failed attempt so that the next call tries again, and close whatever
      // socket it left open (a broker that accepted the connection but never answered).
      if (what === 'admin') this.admin = null;
      else this.producer = null;
      await client.disconnect().catch(() => undefined);
      throw this.dependencyError(`connect ${what}`, cause);
    }
  }

  /**
   * kafkajs retries a produce to a topic the broker does not know for as long as the
   * idempotent producer's retries (forever), so an unknown topic is caught here, once per topic.
   */
  private async requireTopic(topic: string): Promise<void> {
    if (this.knownTopics.has(topic)) return;
    const admin = await this.connectedAdmin();
    const topics = await this.call('list topics', () => admin.listTopics());
    if (!topics.includes(topic)) throw new ClvError(ErrorCodes.INVALID_CONFIG, `unknown Kafka topic ${topic}: create it with createTopics first`);
    this.knownTopics.add(topic);
  }

  /**
   * BatchControl.keepAlive: heartbeat as often as the fetch loop would, and give work up when
   * no heartbeat was acknowledged for all but two heartbeat intervals of the session timeout.
   */
  private keepAliveTiming(): { intervalMs: number; deadlineMs: number } {
    const session = this.options.sessionTimeoutMs ?? DEFAULTS.sessionTimeoutMs;
    const intervalMs = this.options.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs;
    return { intervalMs, deadlineMs: Math.max(intervalMs, session - 2 * intervalMs) };
  }

  private retry() {
    const r = this.options.retry ?? {};
    return {
      initialRetryTime: r.initialRetryTimeMs ?? DEFAULTS.initialRetryTimeMs,
      maxRetryTime: r.maxRetryTimeMs ?? DEFAULTS.maxRetryTimeMs,
      retries: r.retries ?? DEFAULTS.retries,
    };
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (cause) {
      throw cause instanceof ClvError ? cause : this.dependencyError(what, cause);
    }
  }

  private dependencyError(what: string, cause: unknown): ClvError {
    return new ClvError(ErrorCodes.DEPENDENCY_FAILED, `Kafka (${this.brokers.join(',')}): ${what} failed: ${(cause as Error)?.message ?? String(cause)}`, { retriable: true, cause });
  }

  /** A consumer kafkajs will not restart consumes nothing more: that must never be silent. */
  private reportDeadConsumer(groupId: string, error: Error): void {
    const fields = { groupId, err: error };
    const message = 'Kafka consumer crashed and will not restart';
    if (this.options.logger) this.options.logger.error(fields, message);
    else console.error(message, fields);
  }
}
