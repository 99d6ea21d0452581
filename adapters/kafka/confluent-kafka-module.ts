/**
 * Loads Confluent's Kafka client (@confluentinc/kafka-javascript: librdkafka with a
 * KafkaJS-style API) for CLV_KAFKA_CLIENT=confluent. It is optional and not in package.json:
 * its install downloads a prebuilt binary (or, failing that, librdkafka's dependencies), which
 * fails offline, so scripts/kafka/build-confluent-client.sh builds it from source into a
 * directory of its own. Found there, or where Node resolves it for this project (installed
 * with npm where the binary can be downloaded).
 *
 * Only the surface the adapter uses is typed here, structurally: the package is absent from
 * most installs, and the project must compile without it.
 */
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { ClvError, ErrorCodes } from '../../core/errors.js';

export const CONFLUENT_KAFKA_PACKAGE = '@confluentinc/kafka-javascript';

export interface ConfluentMessage {
  key: string | Buffer | null;
  value: Buffer | null;
  partition?: number;
}

export interface ConfluentProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  send(record: { topic: string; messages: ConfluentMessage[] }): Promise<unknown>;
}

export interface ConfluentBatchPayload {
  batch: { topic: string; partition: number; messages: Array<{ key: Buffer | null; value: Buffer | null; offset: string }> };
  resolveOffset(offset: string): void;
  isRunning(): boolean;
  isStale(): boolean;
}

export interface ConfluentConsumer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  subscribe(options: { topics: string[] }): Promise<void>;
  run(options: { eachBatch: (payload: ConfluentBatchPayload) => Promise<void>; eachBatchAutoResolve: boolean; partitionsConsumedConcurrently: number }): Promise<void>;
  commitOffsets(offsets: Array<{ topic: string; partition: number; offset: string }>): Promise<void>;
}

export interface ConfluentAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  listTopics(): Promise<string[]>;
  createTopics(options: { topics: Array<{ topic: string; numPartitions: number; replicationFactor: number; configEntries: Array<{ name: string; value: string }> }> }): Promise<boolean>;
  /** Unlike kafkajs's, the list itself (not `{ topics }`); rejects when a topic is unknown. */
  fetchTopicMetadata(options: { topics: string[] }): Promise<Array<{ name: string; partitions: Array<{ partitionId: number; leader: number }> }>>;
  fetchOffsets(options: { groupId: string; topics: string[] }): Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>>;
  fetchTopicOffsets(topic: string): Promise<Array<{ partition: number; offset: string; high: string; low: string }>>;
}

/** Configuration: the KafkaJS-style settings in `kafkaJS`, librdkafka's own properties beside it. */
export type ConfluentConfig = { kafkaJS?: Record<string, unknown> } & Record<string, unknown>;

export interface ConfluentKafka {
  producer(config: ConfluentConfig): ConfluentProducer;
  consumer(config: ConfluentConfig): ConfluentConsumer;
  admin(config?: ConfluentConfig): ConfluentAdmin;
}

export interface ConfluentKafkaModule {
  librdkafkaVersion: string;
  features: string[];
  KafkaJS: {
    Kafka: new (config: ConfluentConfig) => ConfluentKafka;
    CompressionTypes: { GZIP: string };
    logLevel: { NOTHING: number; ERROR: number; WARN: number; INFO: number; DEBUG: number };
  };
}

/** Where build-confluent-client.sh puts the package under a tools directory. */
export function confluentBuildDir(toolsDir: string): string {
  return join(toolsDir, 'confluent-kafka-javascript');
}

/**
 * The package, from `buildDir` (the build script's) or else as Node resolves it here.
 * @throws ClvError INVALID_CONFIG naming CLV_KAFKA_CLIENT and how to build it, when neither has it.
 */
export function loadConfluentKafka(buildDir: string): ConfluentKafkaModule {
  const attempts: string[] = [];
  for (const from of [resolve(buildDir, 'package.json'), import.meta.url]) {
    try {
      return createRequire(from)(CONFLUENT_KAFKA_PACKAGE) as ConfluentKafkaModule;
    } catch (error) {
      attempts.push((error as Error).message.split('\n')[0]);
    }
  }
  throw new ClvError(
    ErrorCodes.INVALID_CONFIG,
    `CLV_KAFKA_CLIENT=confluent: ${CONFLUENT_KAFKA_PACKAGE} is not installed (${attempts.join('; ')}): build it with \`npm run kafka:confluent\`, or use CLV_KAFKA_CLIENT=kafkajs`,
  );
}
