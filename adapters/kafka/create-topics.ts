/**
 * Creates the topics of a list of specs that do not exist yet (partitions, and
 * cleanup.policy=compact where asked). Existing topics are left exactly as they are: adding
 * partitions would move keys to other partitions and break per-customer order, so a
 * partition-count mismatch is only reported.
 */
import type { Admin } from 'kafkajs';
import type { TopicSpec } from '../../core/topics.js';
import type { LogSink } from './kafkajs-log-creator.js';

export async function createMissingTopics(admin: Admin, specs: TopicSpec[], replicationFactor: number, logger?: LogSink): Promise<void> {
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
  // Only the missing ones: kafkajs skips waiting for leaders when any topic of the request
  // already existed. It resolves false (no throw) when a concurrent creator won the race.
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((s) => ({
      topic: s.name,
      numPartitions: s.partitions,
      replicationFactor,
      configEntries: s.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
    })),
  });
}
