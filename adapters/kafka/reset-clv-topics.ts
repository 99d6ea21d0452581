/**
 * Deletes the clv topics and consumer groups on a broker: for benchmarks and end-to-end
 * tests that need an empty stack. Never called by the product itself.
 */
import kafkajs from 'kafkajs';
import { Topics } from '../../core/topics.js';

export async function resetClvTopics(brokers: string[], groups: readonly string[], options: { topics: boolean; timeoutMs?: number }): Promise<void> {
  const admin = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const until = async (done: () => Promise<boolean>, what: string) => {
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  await admin.connect();
  try {
    // A group whose members have not left yet cannot be deleted: retry until they have.
    for (const group of groups) {
      await until(
        () => admin.deleteGroups([group]).then(() => true, (e: { groups?: Array<{ error?: { type?: string } }> }) => e.groups?.[0]?.error?.type === 'GROUP_ID_NOT_FOUND'),
        `consumer group ${group} to be deleted`,
      );
    }
    if (options.topics) {
      const ours = (t: string) => (Object.values(Topics) as string[]).includes(t);
      const existing = (await admin.listTopics()).filter(ours);
      if (existing.length > 0) await admin.deleteTopics({ topics: existing });
      await until(async () => !(await admin.listTopics()).some(ours), 'topic deletion');
    }
  } finally {
    await admin.disconnect();
  }
}
