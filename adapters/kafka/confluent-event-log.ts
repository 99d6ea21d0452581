/**
 * The event log on Apache Kafka through Confluent's client (@confluentinc/kafka-javascript:
 * librdkafka, in native threads, behind a KafkaJS-style API), for CLV_KAFKA_CLIENT=confluent.
 * Optional and experimental: kafkajs (kafka-event-log.ts) stays the default, because this one
 * needs a native build (scripts/kafka/build-confluent-client.sh) and was measured on the stack
 * bench beside it (docs/performance.md).
 *
 * The same contract as kafka-event-log.ts, by other means:
 * - Partitioning: each message carries the partition the project's murmur2 partitioner gives
 *   its key (null keys to 0), so keys land where the embedded log and kafkajs put them;
 *   librdkafka's own partitioner would send null keys anywhere.
 * - Publishing: idempotent, acks=all, GZIP. librdkafka batches the messages of concurrent
 *   calls itself (linger.ms), so calls are handed over at once instead of being queued here.
 *   `publishAll` resolves when every message is acknowledged; librdkafka has no single
 *   request for several topics, so a failure may leave some topics published and not others
 *   (at-least-once: the caller retries, and consumers drop what they have by event id).
 * - Consuming: batches of at most `maxBatchSize` messages (js.consumer.max.batch.size); a
 *   batch's offset is stored and committed, for its partition only, after `eachBatch`
 *   resolved. A failed batch is fetched again from its first message after a backoff.
 * - Heartbeats run in librdkafka's own thread, so long work in a batch does not get the member
 *   evicted below max.poll.interval.ms (the rebalance timeout); `keepAlive`'s signal aborts
 *   when a rebalance takes the member's partitions.
 *
 * Not supported yet: TLS and SASL (refused at construction, naming the settings).
 */
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { BatchControl, ConsumerOptions, EventLog, OutgoingMessage, PublishOptions, RunningConsumer, TopicMessages } from '../../core/ports/event-log.js';
import type { TopicSpec } from '../../core/topics.js';
import type { BatchErrorContext } from './chunked-each-batch.js';
import type { ConfluentAdmin, ConfluentBatchPayload, ConfluentConsumer, ConfluentKafka, ConfluentKafkaModule, ConfluentMessage, ConfluentProducer } from './confluent-kafka-module.js';
import { consumerLag } from './consumer-lag.js';
import { createMissingTopics, type TopicAdmin } from './create-topics.js';
import type { KafkaConnection } from './kafka-connection.js';
import type { LogSink } from './kafkajs-log-creator.js';
import { partitionFor } from './murmur2-partitioner.js';
import { untilAborted } from './until-aborted.js';

/** Numbers this process's consumers' holds on their partitions (BatchControl.assignment): never reused. */
let assignments = 0;

export interface ConfluentEventLogOptions extends KafkaConnection {
  clientId?: string;
  /** Where librdkafka's warnings and errors go; without one they are dropped. */
  logger?: LogSink;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Also librdkafka's max.poll.interval.ms: the longest a batch may take. */
  rebalanceTimeoutMs?: number;
  /** fetch.wait.max.ms: bounds how late a new message is seen. */
  maxWaitTimeMs?: number;
  /** How long a connection to a broker may take to set up (socket.connection.setup.timeout.ms). */
  connectionTimeoutMs?: number;
  /** How long librdkafka waits for the broker's answer to a request. */
  requestTimeoutMs?: number;
  /** -1: the broker's default.replication.factor. */
  replicationFactor?: number;
  /** As KafkaEventLogOptions.maxQueuedBytes (CLV_PUBLISH_QUEUE_MAX_BYTES). */
  maxQueuedBytes?: number;
  partitionsConsumedConcurrently?: number;
  /**
   * linger.ms: how long librdkafka waits to fill a batch before sending it. Default 1, not
   * librdkafka's 5: a processor publishes a batch's outputs and waits for them before it saves
   * and commits, so every hop paid the linger. Stack bench, 5,000 events/s, single runs
   * (docs/performance.md): event-to-score p50 91–137 ms with 1 against 305–345 ms with 5, and
   * throughput 6,400–7,200 events/s against 5,000–5,100.
   */
  lingerMs?: number;
  /** Backoff of a failed batch before it is fetched again: exponential from initial, capped. */
  retry?: { initialRetryTimeMs?: number; maxRetryTimeMs?: number };
  onBatchError?: (error: unknown, context: BatchErrorContext) => void;
}

/** kafka-event-log.ts's defaults where the setting is the same. */
const DEFAULTS = {
  clientId: 'clv-stream',
  sessionTimeoutMs: 10_000,
  heartbeatIntervalMs: 1_000,
  rebalanceTimeoutMs: 15_000,
  maxWaitTimeMs: 100,
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 30_000,
  maxBatchSize: 1_000,
  maxQueuedBytes: 64 * 1024 * 1024,
  partitionsConsumedConcurrently: 8,
  lingerMs: 1,
  initialRetryTimeMs: 100,
  maxRetryTimeMs: 10_000,
};

/** librdkafka's rebalance callback codes (rdkafka.h RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS / __REVOKE_PARTITIONS). */
const ASSIGN_PARTITIONS = -175;
/** Kafka's error code UNKNOWN_TOPIC_OR_PARTITION. */
const UNKNOWN_TOPIC_OR_PARTITION = 3;

export class ConfluentEventLog implements EventLog {
  private readonly kafka: ConfluentKafka;
  private readonly brokers: string[];
  private readonly running = new Set<RunningConsumer>();
  /** Partition counts of the topics known to exist. */
  private readonly partitionCounts = new Map<string, number>();
  private admin: Promise<ConfluentAdmin> | null = null;
  private producer: Promise<ConfluentProducer> | null = null;
  private queuedBytes = 0;

  constructor(
    private readonly client: ConfluentKafkaModule,
    private readonly options: ConfluentEventLogOptions,
  ) {
    if (options.tls || options.sasl) {
      throw new ClvError(ErrorCodes.INVALID_CONFIG, 'CLV_KAFKA_CLIENT=confluent does not support CLV_KAFKA_TLS or CLV_KAFKA_SASL_MECHANISM yet: use CLV_KAFKA_CLIENT=kafkajs');
    }
    this.brokers = options.brokers;
    const { logLevel } = client.KafkaJS;
    this.kafka = new client.KafkaJS.Kafka({
      kafkaJS: {
        clientId: options.clientId ?? DEFAULTS.clientId,
        brokers: this.brokers,
        connectionTimeout: options.connectionTimeoutMs ?? DEFAULTS.connectionTimeoutMs,
        requestTimeout: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
        logLevel: options.logger ? logLevel.WARN : logLevel.NOTHING,
        ...(options.logger ? { logger: librdkafkaLogger(options.logger) } : {}),
      },
    });
  }

  async createTopics(specs: TopicSpec[]): Promise<void> {
    const admin = await this.connectedAdmin();
    await this.call('create topics', () => createMissingTopics(topicAdmin(admin), specs, this.options.replicationFactor ?? -1, this.options.logger));
    for (const s of specs) this.partitionCounts.set(s.name, s.partitions);
  }

  publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    return this.publishAll([{ topic, messages }]);
  }

  async publishAll(batches: TopicMessages[], options: PublishOptions = {}): Promise<void> {
    const live = batches.filter((b) => b.messages.length > 0);
    if (live.length === 0) return;
    const { signal } = options;
    let bytes = 0;
    for (const b of live) for (const m of b.messages) bytes += (m.value?.length ?? 0) + (m.key === null ? 0 : Buffer.byteLength(m.key));
    const cap = this.options.maxQueuedBytes ?? DEFAULTS.maxQueuedBytes;
    if (this.queuedBytes > 0 && this.queuedBytes + bytes > cap) {
      throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, `Kafka (${this.brokers.join(',')}): publish queue is full: ${this.queuedBytes} bytes wait, the cap is ${cap}; retry later`, { retriable: true });
    }
    if (signal?.aborted) throw this.withdrawn();
    this.queuedBytes += bytes;
    let held = true;
    const release = () => {
      if (held) this.queuedBytes -= bytes;
      held = false;
    };
    let inFlight: Promise<unknown> | null = null;
    try {
      const ready = Promise.all([this.connectedProducer(), Promise.all(live.map((b) => this.partitionCount(b.topic)))]);
      const [producer, counts] = await untilAborted(signal, ready, () => this.withdrawn());
      const sends = live.map((b, i) => {
        const messages: ConfluentMessage[] = b.messages.map((m) => ({ key: m.key, value: m.value, partition: partitionFor(m.key, counts[i]) }));
        return this.call(`publish to ${b.topic}`, () => producer.send({ topic: b.topic, messages }));
      });
      inFlight = Promise.all(sends);
      await untilAborted(signal, inFlight, () => this.inFlightAbort());
    } finally {
      // Handed to librdkafka, which cannot take them back: their bytes stay counted until they settle.
      if (inFlight === null) release();
      else inFlight.then(release, release);
    }
  }

  async consume(options: ConsumerOptions): Promise<RunningConsumer> {
    for (const topic of options.topics) await this.partitionCount(topic);
    const maxBatchSize = options.maxBatchSize ?? DEFAULTS.maxBatchSize;
    if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) throw new ClvError(ErrorCodes.INVALID_CONFIG, `maxBatchSize must be a positive integer, got ${maxBatchSize}`);
    let assignment = ++assignments;
    // Aborted when a rebalance ends the hold: keepAlive's work is then someone else's.
    let hold = new AbortController();
    let joined!: () => void;
    const firstAssignment = new Promise<void>((resolve) => (joined = resolve));
    const consumer = this.kafka.consumer({
      kafkaJS: {
        groupId: options.groupId,
        fromBeginning: options.fromBeginning,
        autoCommit: false,
        sessionTimeout: this.options.sessionTimeoutMs ?? DEFAULTS.sessionTimeoutMs,
        heartbeatInterval: this.options.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs,
        rebalanceTimeout: this.options.rebalanceTimeoutMs ?? DEFAULTS.rebalanceTimeoutMs,
        maxWaitTimeInMs: this.options.maxWaitTimeMs ?? DEFAULTS.maxWaitTimeMs,
        allowAutoTopicCreation: false,
      },
      'js.consumer.max.batch.size': maxBatchSize,
      rebalance_cb: (error: { code?: number } | null) => {
        assignment = ++assignments;
        hold.abort(new ClvError(ErrorCodes.DEPENDENCY_FAILED, `the group ${options.groupId} rebalanced: this member's hold on its partitions ended`, { retriable: true }));
        hold = new AbortController();
        if (error?.code === ASSIGN_PARTITIONS) joined();
      },
    });
    const backoff = new Map<string, number>();
    const initial = this.options.retry?.initialRetryTimeMs ?? DEFAULTS.initialRetryTimeMs;
    const max = this.options.retry?.maxRetryTimeMs ?? DEFAULTS.maxRetryTimeMs;
    const eachBatch = async (payload: ConfluentBatchPayload): Promise<void> => {
      const { topic, partition, messages } = payload.batch;
      // Stopping: left unresolved, the batch is fetched again by the partition's next owner.
      if (!payload.isRunning() || payload.isStale() || messages.length === 0) return;
      const signal = hold.signal;
      const control: BatchControl = { assignment, keepAlive: (work) => untilAborted(signal, work(signal), () => signal.reason as Error) };
      const incoming = messages.map((m) => ({ topic, partition, offset: m.offset, key: m.key === null ? null : m.key.toString('utf8'), value: m.value }));
      const where = `${topic}\u0000${partition}`;
      try {
        await options.eachBatch({ topic, partition, messages: incoming }, control);
      } catch (error) {
        this.options.onBatchError?.(error, { groupId: options.groupId, topic, partition, offset: messages[0].offset });
        const pause = backoff.get(where) ?? initial;
        backoff.set(where, Math.min(max, pause * 2));
        await new Promise((resolve) => setTimeout(resolve, pause));
        // Unresolved: the client seeks back to the batch's first message.
        throw error;
      }
      backoff.delete(where);
      const last = messages[messages.length - 1].offset;
      payload.resolveOffset(last);
      await consumer.commitOffsets([{ topic, partition, offset: String(BigInt(last) + 1n) }]);
    };
    await this.call(`join group ${options.groupId}`, async () => {
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: options.topics });
        await consumer.run({
          eachBatch,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? DEFAULTS.partitionsConsumedConcurrently,
        });
        // As kafkajs's run(): resolved once the member holds its partitions, so that a caller
        // starting from the end does not miss what it publishes right after.
        const timeoutMs = (this.options.rebalanceTimeoutMs ?? DEFAULTS.rebalanceTimeoutMs) + (this.options.sessionTimeoutMs ?? DEFAULTS.sessionTimeoutMs);
        await untilAborted(AbortSignal.timeout(timeoutMs), firstAssignment, () => new Error(`no partitions assigned within ${timeoutMs} ms`));
      } catch (error) {
        await consumer.disconnect().catch(() => undefined);
        throw error;
      }
    });
    let stopped: Promise<void> | null = null;
    const handle: RunningConsumer = {
      stop: () => (stopped ??= consumer.disconnect().finally(() => this.running.delete(handle))),
    };
    this.running.add(handle);
    return handle;
  }

  async checkWritable(topic: string): Promise<void> {
    const admin = await this.connectedAdmin();
    await this.call(`metadata of ${topic}`, async () => {
      const topics = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = topics[0]?.partitions ?? [];
      if (partitions.length === 0 || partitions.some((p) => p.leader < 0)) throw new Error(`topic ${topic} has partitions without a leader`);
    });
  }

  async lag(groupId: string, topics: string[]): Promise<number> {
    const admin = await this.connectedAdmin();
    return this.call(`lag of ${groupId}`, async () => {
      const [committed, ends] = await Promise.all([admin.fetchOffsets({ groupId, topics }), Promise.all(topics.map((t) => admin.fetchTopicOffsets(t)))]);
      let lag = 0n;
      topics.forEach((topic, i) => {
        lag += consumerLag(committed.find((c) => c.topic === topic)?.partitions ?? [], ends[i]);
      });
      return Number(lag);
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.running].map((c) => c.stop()));
    const clients = await Promise.allSettled([this.admin, this.producer].filter((c) => c !== null));
    this.admin = this.producer = null;
    await Promise.all(clients.map((c) => (c.status === 'fulfilled' ? c.value.disconnect() : undefined)));
  }

  /** The topic's partition count, read once; an unknown topic is refused (it is never auto-created). */
  private async partitionCount(topic: string): Promise<number> {
    const known = this.partitionCounts.get(topic);
    if (known !== undefined) return known;
    const admin = await this.connectedAdmin();
    const topics = await this.call('list topics', () => admin.listTopics());
    if (!topics.includes(topic)) throw new ClvError(ErrorCodes.INVALID_CONFIG, `unknown Kafka topic ${topic}: create it with createTopics first`);
    const meta = await this.call(`metadata of ${topic}`, () => admin.fetchTopicMetadata({ topics: [topic] }));
    const count = meta[0]?.partitions.length ?? 0;
    if (count === 0) throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, `Kafka (${this.brokers.join(',')}): topic ${topic} has no partitions in its metadata`, { retriable: true });
    this.partitionCounts.set(topic, count);
    return count;
  }

  private connectedAdmin(): Promise<ConfluentAdmin> {
    return (this.admin ??= this.connect('admin', this.kafka.admin()));
  }

  private connectedProducer(): Promise<ConfluentProducer> {
    return (this.producer ??= this.connect(
      'producer',
      this.kafka.producer({
        kafkaJS: { idempotent: true, acks: -1, compression: this.client.KafkaJS.CompressionTypes.GZIP, allowAutoTopicCreation: false },
        'linger.ms': this.options.lingerMs ?? DEFAULTS.lingerMs,
      }),
    ));
  }

  private async connect<C extends ConfluentAdmin | ConfluentProducer>(what: 'admin' | 'producer', client: C): Promise<C> {
    try {
      await client.connect();
      return client;
    } catch (cause) {
      if (what === 'admin') this.admin = null;
      else this.producer = null;
      await client.disconnect().catch(() => undefined);
      throw this.dependencyError(`connect ${what}`, cause);
    }
  }

  private withdrawn(): ClvError {
    return new ClvError(ErrorCodes.DEPENDENCY_FAILED, `Kafka (${this.brokers.join(',')}): publish deadline passed before the messages were sent: nothing was published`, { retriable: true });
  }

  private inFlightAbort(): ClvError {
    return new ClvError(ErrorCodes.DEPENDENCY_FAILED, `Kafka (${this.brokers.join(',')}): publish deadline passed before the broker acknowledged: the messages may still be written`, { retriable: true });
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
}

/**
 * createMissingTopics's admin over Confluent's: metadata as kafkajs shapes it, and a topic the
 * broker does not know yet (just created, its metadata not yet everywhere) as absent from the
 * answer rather than an error, so that the wait for leaders asks again.
 */
function topicAdmin(admin: ConfluentAdmin): TopicAdmin {
  return {
    listTopics: () => admin.listTopics(),
    createTopics: (options) => admin.createTopics(options),
    fetchTopicMetadata: async (options) => {
      try {
        return { topics: await admin.fetchTopicMetadata(options) };
      } catch (error) {
        if ((error as { retriable?: boolean }).retriable || (error as { code?: number }).code === UNKNOWN_TOPIC_OR_PARTITION) return { topics: [] };
        throw error;
      }
    },
  };
}


/**
 * The client's KafkaJS-style logger, into the project's log (component librdkafka): warnings and
 * errors only, as kafkajs logs at 'warn' (its info is a line per connection and rebalance).
 */
function librdkafkaLogger(sink: LogSink) {
  const entry = (level: 'error' | 'warn') => (message: string, extra?: object) => sink[level]({ component: 'librdkafka', ...extra }, message);
  const drop = () => undefined;
  const logger = { error: entry('error'), warn: entry('warn'), info: drop, debug: drop, namespace: () => logger, setLogLevel: drop };
  return logger;
}
