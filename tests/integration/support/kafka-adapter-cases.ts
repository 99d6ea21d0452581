/**
 * What only a real broker can show about an EventLog on Kafka, for each Kafka adapter (kafkajs,
 * Confluent's): topic configs from the specs, partitioning equal to the embedded log's, topics
 * never auto-created, an unreachable broker as a retriable error. The port's own contract is
 * tests/support/event-log-contract.ts. Also what the adapters' suites share: the suite's admin
 * client, and waiting for a condition.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import type { Admin } from 'kafkajs';
import { partitionFor } from '../../../adapters/kafka/murmur2-partitioner.js';
import { ClvError, ErrorCodes } from '../../../core/errors.js';
import type { EventLog, IncomingMessage } from '../../../core/ports/event-log.js';
import { topicSpecs } from '../../../core/topics.js';
import { runScoped, services } from './services.js';

export interface KafkaAdapterCases {
  /** A log on the suite's broker. */
  make: () => EventLog;
  /** A log on a broker that is not there, failing within seconds. */
  makeUnreachable: () => EventLog;
  /** The suite's own admin client (kafkajs), connected. */
  admin: () => Admin;
}

const msg = (key: string | null, value: string) => ({ key, value: Buffer.from(value) });

/** Polls `condition` every 20 ms until it holds; throws after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The suite's admin client (kafkajs) on the suite's broker, connected before its tests; after
 * them it deletes this run's topics and groups (runScoped names, and the contract suite's), so
 * the shared dev broker is left as it was found. Not connected when `skip`.
 */
export function suiteAdmin(options: { skip?: boolean } = {}): () => Admin {
  const brokers = services.kafkaBrokers;
  const own = (name: string) => name.includes(`_${process.pid}_`) || name.startsWith(`contract-${process.pid}-`);
  let admin: Admin | null = null;
  before(async () => {
    if (options.skip) return;
    const client = new kafkajs.Kafka({ brokers, logLevel: kafkajs.logLevel.NOTHING, connectionTimeout: 3_000, retry: { retries: 2 } }).admin();
    try {
      await client.connect();
      await client.listTopics();
    } catch (e) {
      throw new Error(`Kafka is not reachable at ${brokers.join(',')} (${(e as Error).message}). Start it with \`bash scripts/services/up.sh kafka\`, or point CLV_KAFKA_BROKERS at a broker.`);
    }
    admin = client;
  });
  after(async () => {
    if (admin === null) return;
    const topics = (await admin.listTopics()).filter(own);
    if (topics.length > 0) await admin.deleteTopics({ topics });
    const { groups } = await admin.listGroups();
    const mine = groups.map((g) => g.groupId).filter((g) => own(g.replace(/^g-/, '')));
    if (mine.length > 0) await admin.deleteGroups(mine).catch(() => undefined);
    await admin.disconnect();
  });
  return () => {
    if (admin === null) throw new Error('the suite admin is not connected (skipped, or before its hook ran)');
    return admin;
  };
}

export function kafkaAdapterCases(adapter: string, { make, makeUnreachable, admin }: KafkaAdapterCases): void {
  test(`${adapter}: createTopics sets partition counts and cleanup.policy=compact from the specs, and is idempotent`, async () => {
    const log = make();
    const specs = topicSpecs(3).map((s) => ({ ...s, name: runScoped(s.name) }));
    await log.createTopics(specs);
    // Again, with other partition counts: existing topics are left exactly as they are.
    await log.createTopics(specs.map((s) => ({ ...s, partitions: 5 })));
    const { topics } = await admin().fetchTopicMetadata({ topics: specs.map((s) => s.name) });
    const { resources } = await admin().describeConfigs({
      includeSynonyms: false,
      resources: specs.map((s) => ({ type: kafkajs.ConfigResourceTypes.TOPIC, name: s.name, configNames: ['cleanup.policy'] })),
    });
    for (const spec of specs) {
      assert.equal(topics.find((t) => t.name === spec.name)?.partitions.length, spec.partitions, spec.name);
      const policy = resources.find((r) => r.resourceName === spec.name)?.configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue;
      assert.equal(policy, spec.compacted ? 'compact' : 'delete', spec.name);
    }
    assert.ok(specs.some((s) => s.compacted) && specs.some((s) => !s.compacted));
    await log.close();
  });

  test(`${adapter}: a key lands on the partition the embedded log (murmur2) picks; null keys on partition 0`, async () => {
    const log = make();
    const topic = runScoped('partitioning');
    await log.createTopics([{ name: topic, partitions: 8, compacted: false }]);
    const keys = [...Array.from({ length: 64 }, (_, i) => `C${i}`), null];
    await log.publish(topic, keys.map((k, i) => msg(k, String(i))));
    const seen: IncomingMessage[] = [];
    const consumer = await log.consume({ groupId: `g-${topic}`, topics: [topic], fromBeginning: true, eachBatch: async (b) => void seen.push(...b.messages) });
    await until(() => seen.length === keys.length, `${keys.length} messages`);
    await consumer.stop();
    for (const m of seen) assert.equal(m.partition, partitionFor(m.key, 8), `key ${m.key}`);
    assert.ok(new Set(seen.map((m) => m.partition)).size > 4, 'keys spread over the partitions');
    await log.close();
  });

  test(`${adapter}: a topic that was never created is an error, not auto-created with the broker defaults`, async () => {
    const log = make();
    const topic = runScoped('never-created');
    const invalidConfig = (e: ClvError) => e.code === ErrorCodes.INVALID_CONFIG && e.message.includes(topic);
    await assert.rejects(log.publish(topic, [msg('C1', 'x')]), invalidConfig);
    await assert.rejects(log.consume({ groupId: `g-${topic}`, topics: [topic], fromBeginning: true, eachBatch: async () => {} }), invalidConfig);
    assert.ok(!(await admin().listTopics()).includes(topic));
    await log.close();
  });

  test(`${adapter}: an unreachable broker is a retriable DEPENDENCY_FAILED naming the address`, async () => {
    const log = makeUnreachable();
    await assert.rejects(log.lag('g', ['t']), (e: ClvError) => {
      assert.ok(e instanceof ClvError);
      assert.equal(e.code, ErrorCodes.DEPENDENCY_FAILED);
      assert.equal(e.retriable, true);
      assert.match(e.message, /127\.0\.0\.1:1/);
      return true;
    });
    await log.close();
  });
}
