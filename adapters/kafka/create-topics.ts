/**
 * Creates the topics of a list of specs that do not exist yet (partitions, and
 * cleanup.policy=compact where asked). Existing topics are left exactly as they are: adding
 * partitions would move keys to other partitions and break per-customer order, so a
 * partition-count mismatch is only reported.
 */
import type { TopicSpec } from '../../core/topics.js';
import type { LogSink } from './kafkajs-log-creator.js';

/** What creating topics needs of an admin client: kafkajs's, and Confluent's KafkaJS-style one. */
export interface TopicAdmin {
  listTopics(): Promise<string[]>;
  fetchTopicMetadata(options: { topics: string[] }): Promise<{ topics: Array<{ name: string; partitions: Array<{ leader: number }> }> }>;
  createTopics(options: { topics: Array<{ topic: string; numPartitions: number; replicationFactor: number; configEntries: Array<{ name: string; value: string }> }> }): Promise<boolean>;
}

export async function createMissingTopics(admin: TopicAdmin, specs: TopicSpec[], replicationFactor: number, logger?: LogSink): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const present = specs.filter((s) => existing.has(s.name));
  const missing = specs.filter((s) => !existing.has(s.name));
  if (present.length > 0 && logger) {
    const { topics } = await admin.fetchTopicMetadata({ topics: present.map((s) => s.name) });
    for (const t of topics) {
      const wanted = present.find((s) => s.name === t.name)?.partitions;
      if (wanted !== undefined && wanted !== t.partitions.length) {
        logger.warn({ topic: t.name, partitions: t.partitions.length, wanted }, 'Kafka topic exists with another partition count; left as it is');
      }
    }
  }
  if (missing.length === 0) return;
  // Only the missing ones: kafkajs (which waits for leaders by default) skips waiting when
  // any topic of the request already existed. It resolves false (no throw) when a concurrent
  // creator won the race. No `waitForLeaders` option: Confluent's client refuses it, and the
  // wait below covers both.
  try {
    await admin.createTopics({
      topics: missing.map((s) => ({
        topic: s.name,
        numPartitions: s.partitions,
        replicationFactor,
        configEntries: s.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
      })),
    });
  } catch (error) {
    // kafkajs reads the metadata right after creating; a broker that has just started may not
    // know the new topics for a moment and answers UNKNOWN_TOPIC_OR_PARTITION (seen on a
    // fresh CI broker). The topics are created; waiting for their leaders is done below.
    if (!isTransientMetadataError(error)) throw error;
  }
  await waitForLeaders(admin, missing.map((s) => s.name));
}

const TRANSIENT = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION', 'NOT_LEADER_OR_FOLLOWER']);

function isTransientMetadataError(error: unknown): boolean {
  for (let e = error as { type?: string; cause?: unknown; originalError?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (e.type && TRANSIENT.has(e.type)) return true;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return false;
}

/** Until every partition of `topics` has a leader, for at most `timeoutMs`. */
async function waitForLeaders(admin: TopicAdmin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 50; ; pause = Math.min(1000, pause * 2)) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics });
      if (meta.length === topics.length && meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (!isTransientMetadataError(error)) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} have no leaders after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, pause));
  }
}
