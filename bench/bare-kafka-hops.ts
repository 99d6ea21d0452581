/**
 * The bare baseline of `npm run bench:stack` (issue 14): kafkajs alone, three chained
 * consume → produce hops (orders + payments → hop 1 → purchases → hop 2 → features → hop 3 →
 * scores), each publishing per input chunk as many messages as the pipeline published on its
 * output topic per input, with the pipeline's own bytes and the consumed inputs' keys
 * (`HopOutputs`; without them a hop forwards every message unchanged), with the project's client settings (adapters/kafka/kafka-event-log.ts): an idempotent
 * producer, acks=all, maxInFlightRequests 1, GZIP, the murmur2 partitioner, sendBatch; a
 * consumer per hop with the same session, heartbeat, max wait, partitionsConsumedConcurrently
 * 8, batches of at most `maxBatchSize`, and per chunk publish → resolve → commit → heartbeat,
 * the project's order. No decoding, state, Redis or processor logic: the floor of the Kafka
 * work of a pipeline of three hops.
 *
 * It is an EventLog over run-scoped topics (`<run>.<clv topic>`, created with the same
 * partition counts and compaction as topicSpecs gives) so that the project's publisher
 * (producers/publish-messages.ts) and latency probe (bench/latency-probe.ts) run over it
 * unchanged: hop 3 publishes through `observer`, as the scoring processor publishes through
 * the probe. `close()` stops the hops and deletes the topics and groups it created.
 */
import kafkajs from 'kafkajs';
import type { Admin, Consumer, Producer } from 'kafkajs';
import { consumerLag } from '../adapters/kafka/consumer-lag.js';
import { partitionFor } from '../adapters/kafka/murmur2-partitioner.js';
import type { ConsumerOptions, EventLog, OutgoingMessage, RunningConsumer, TopicMessages } from '../core/ports/event-log.js';
import { Topics, type TopicSpec } from '../core/topics.js';

/** The project's KafkaEventLog defaults (adapters/kafka/kafka-event-log.ts DEFAULTS). */
const CLIENT = { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000, rebalanceTimeoutMs: 15_000, maxWaitTimeMs: 100, connectionTimeoutMs: 3_000, partitionsConsumedConcurrently: 8 };
const RETRY = { initialRetryTime: 100, maxRetryTime: 10_000, retries: 10 };

/** The three hops: the project's processors' inputs and outputs. */
export const HOPS = [
  { name: 'hop1', from: [Topics.orders, Topics.payments], to: Topics.purchases },
  { name: 'hop2', from: [Topics.purchases], to: Topics.features },
  { name: 'hop3', from: [Topics.features], to: Topics.scores },
] as const;

/**
 * What the pipeline published on a hop's output topic: per input message consumed by that hop
 * (`perInput`) and the values (bytes). Without it a hop forwards every message it consumes.
 */
export type HopOutputs = Map<string, { perInput: number; values: Buffer[] }>;

export class BareKafkaHops implements EventLog {
  private readonly kafka: kafkajs.Kafka;
  private admin: Promise<Admin> | null = null;
  private producer: Promise<Producer> | null = null;
  private readonly consumers: Consumer[] = [];
  private readonly created: string[] = [];
  private readonly groups: string[] = [];

  constructor(private readonly brokers: string[], readonly run: string) {
    this.kafka = new kafkajs.Kafka({ clientId: 'clv-stream', brokers, connectionTimeout: CLIENT.connectionTimeoutMs, retry: RETRY, logLevel: kafkajs.logLevel.NOTHING });
  }

  /** The run-scoped name of a clv topic. */
  topic(name: string): string {
    return `${this.run}.${name}`;
  }

  group(hop: string): string {
    return `${this.run}-${hop}`;
  }

  async createTopics(specs: TopicSpec[]): Promise<void> {
    const admin = await this.connectedAdmin();
    const topics = specs.map((s) => ({
      topic: this.topic(s.name),
      numPartitions: s.partitions,
      replicationFactor: -1,
      configEntries: s.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
    }));
    await admin.createTopics({ topics, waitForLeaders: true });
    this.created.push(...topics.map((t) => t.topic));
  }

  publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    return this.publishAll([{ topic, messages }]);
  }

  /** One sendBatch, acknowledged by all in-sync replicas, as KafkaEventLog sends. */
  async publishAll(batches: TopicMessages[]): Promise<void> {
    const producer = await this.connectedProducer();
    const topicMessages = batches.filter((b) => b.messages.length > 0).map((b) => ({ topic: this.topic(b.topic), messages: b.messages.map((m) => ({ key: m.key, value: m.value === null ? null : Buffer.from(m.value.buffer, m.value.byteOffset, m.value.byteLength) })) }));
    if (topicMessages.length > 0) await producer.sendBatch({ compression: kafkajs.CompressionTypes.GZIP, acks: -1, topicMessages });
  }

  /**
   * Starts the three hops (resolves once each has joined its group); hop 3 publishes through
   * `observer` (a latency probe over this log), the others through this log.
   */
  async startHops(options: { maxBatchSize: number; observer?: EventLog; outputs?: HopOutputs }): Promise<void> {
    for (const hop of HOPS) {
      const out: EventLog = hop.name === 'hop3' && options.observer ? options.observer : this;
      const shape = options.outputs?.get(hop.to);
      let consumed = 0;
      let produced = 0;
      const consumer = this.kafka.consumer({
        groupId: this.group(hop.name),
        sessionTimeout: CLIENT.sessionTimeoutMs,
        heartbeatInterval: CLIENT.heartbeatIntervalMs,
        rebalanceTimeout: CLIENT.rebalanceTimeoutMs,
        maxWaitTimeInMs: CLIENT.maxWaitTimeMs,
        allowAutoTopicCreation: false,
        retry: { ...RETRY, restartOnFailure: async () => true },
      });
      this.consumers.push(consumer);
      this.groups.push(this.group(hop.name));
      await consumer.connect();
      await consumer.subscribe({ topics: hop.from.map((t) => this.topic(t)), fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: CLIENT.partitionsConsumedConcurrently,
        eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, uncommittedOffsets, heartbeat, isRunning, isStale }) => {
          for (let start = 0; start < batch.messages.length; start += options.maxBatchSize) {
            if (!isRunning() || isStale()) return;
            const chunk = batch.messages.slice(start, start + options.maxBatchSize);
            let messages = chunk.map((m) => ({ key: m.key === null ? null : m.key.toString(), value: m.value as Buffer | null }));
            if (shape && shape.values.length > 0) {
              // As many outputs as the pipeline published per input, with its bytes, keyed by the inputs.
              consumed += chunk.length;
              const due = Math.min(chunk.length, Math.round(consumed * shape.perInput) - produced);
              messages = messages.slice(0, Math.max(0, due)).map((m, i) => ({ key: m.key, value: shape.values[(produced + i) % shape.values.length] }));
              produced += messages.length;
            }
            if (messages.length > 0) await out.publish(hop.to, messages);
            resolveOffset(chunk[chunk.length - 1].offset);
            await commitOffsetsIfNecessary(uncommittedOffsets());
            await heartbeat();
          }
        },
      });
    }
  }

  consume(_options: ConsumerOptions): Promise<RunningConsumer> {
    throw new Error('BareKafkaHops runs its own hops (startHops)');
  }

  /** Messages on `topics` (clv names) the group has not committed yet. */
  async lag(groupId: string, topics: string[]): Promise<number> {
    const admin = await this.connectedAdmin();
    const scoped = topics.map((t) => this.topic(t));
    const [committed, ends] = await Promise.all([admin.fetchOffsets({ groupId, topics: scoped }), Promise.all(scoped.map((t) => admin.fetchTopicOffsets(t)))]);
    let lag = 0n;
    scoped.forEach((topic, i) => { lag += consumerLag(committed.find((c) => c.topic === topic)?.partitions ?? [], ends[i]); });
    return Number(lag);
  }

  /** Total lag of the three hops on their inputs. */
  async hopsLag(): Promise<number> {
    let lag = 0;
    for (const hop of HOPS) lag += await this.lag(this.group(hop.name), [...hop.from]);
    return lag;
  }

  async checkWritable(_topic: string): Promise<void> {}

  /** Stops the hops, then deletes the groups and topics this run created. */
  async close(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.disconnect()));
    await (await this.producer)?.disconnect();
    const admin = await this.connectedAdmin();
    try {
      if (this.groups.length > 0) await admin.deleteGroups(this.groups).catch(() => undefined);
      if (this.created.length > 0) await admin.deleteTopics({ topics: this.created });
    } finally {
      await admin.disconnect();
      this.admin = null;
    }
  }

  /** Memoised promises: the hops ask at once, and must share one client. */
  private connectedAdmin(): Promise<Admin> {
    return (this.admin ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })());
  }

  private connectedProducer(): Promise<Producer> {
    return (this.producer ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        retry: { ...RETRY, retries: Number.MAX_SAFE_INTEGER },
        allowAutoTopicCreation: false,
        createPartitioner: () => ({ partitionMetadata, message }) => partitionFor(message.key == null ? null : message.key.toString(), partitionMetadata.length),
      });
      await producer.connect();
      return producer;
    })());
  }
}
