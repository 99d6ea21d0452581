/**
 * ConfluentEventLog (CLV_KAFKA_CLIENT=confluent) against a real broker: the EventLog contract
 * suite, and the partitioning, topic and failure cases kafka-event-log.test.ts checks for
 * kafkajs. Needs the native client built by `npm run kafka:confluent`; without it the suite
 * is skipped, saying so — unless CLV_REQUIRE_CONFLUENT_KAFKA=1 (CI builds it), where its
 * absence fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ConfluentEventLog, type ConfluentEventLogOptions } from '../../adapters/kafka/confluent-event-log.js';
import { confluentBuildDir, loadConfluentKafka, type ConfluentKafkaModule } from '../../adapters/kafka/confluent-kafka-module.js';
import { projectRoot } from '../../config/project-files.js';
import { ClvError } from '../../core/errors.js';
import { eventLogContract } from '../support/event-log-contract.js';
import { kafkaAdapterCases, suiteAdmin, until } from './support/kafka-adapter-cases.js';
import { runScoped, services } from './support/services.js';

const brokers = services.kafkaBrokers;
const quick: ConfluentEventLogOptions = { brokers, retry: { maxRetryTimeMs: 1_000 } };
const msg = (key: string | null, value: string) => ({ key, value: Buffer.from(value) });

let client: ConfluentKafkaModule | null = null;
let missing = '';
try {
  client = loadConfluentKafka(confluentBuildDir(services.toolsDir ?? join(projectRoot(), '.tools')));
} catch (error) {
  missing = (error as Error).message;
  if (process.env.CLV_REQUIRE_CONFLUENT_KAFKA === '1') throw new Error(`CLV_REQUIRE_CONFLUENT_KAFKA=1 but ${missing}`);
}
const skip = client === null ? `the Confluent client is not built (npm run kafka:confluent): ${missing}` : false;
const make = (options: ConfluentEventLogOptions = quick) => new ConfluentEventLog(client as ConfluentKafkaModule, options);

const admin = suiteAdmin({ skip: skip !== false });

if (skip) {
  test('confluent event log', { skip }, () => undefined);
} else {
  eventLogContract('confluent event log', async () => make());
  kafkaAdapterCases('confluent event log', {
    make: () => make(),
    makeUnreachable: () => make({ brokers: ['127.0.0.1:1'], requestTimeoutMs: 1_000 }),
    admin,
  });



  test('confluent event log: batches hold at most maxBatchSize messages, and every message arrives once without failures', async () => {
    const log = make();
    const topic = runScoped('cf-batches');
    await log.createTopics([{ name: topic, partitions: 2, compacted: false }]);
    await log.publish(topic, Array.from({ length: 500 }, (_, i) => msg(`C${i % 7}`, String(i))));
    const sizes: number[] = [];
    const seen: string[] = [];
    const consumer = await log.consume({ groupId: `g-${topic}`, topics: [topic], fromBeginning: true, maxBatchSize: 16, eachBatch: async (b) => void (sizes.push(b.messages.length), seen.push(...b.messages.map((m) => String(m.value)))) });
    await until(() => seen.length >= 500, '500 messages');
    await consumer.stop();
    assert.ok(Math.max(...sizes) <= 16, `largest batch ${Math.max(...sizes)}`);
    assert.deepEqual([...seen].sort(), Array.from({ length: 500 }, (_, i) => String(i)).sort());
    await log.close();
  });


  test('confluent event log: what waits to be published is capped in bytes; a call over the cap is refused at once', async () => {
    const log = make({ ...quick, maxQueuedBytes: 1000 });
    const topic = runScoped('cf-cap');
    const payload = (bytes: number) => ({ key: 'C1', value: Buffer.alloc(bytes - 2) });
    try {
      await log.createTopics([{ name: topic, partitions: 2, compacted: false }]);
      // A call's bytes count from the moment it is made until the broker acknowledged it…
      const first = log.publishAll([{ topic, messages: [payload(800)] }]);
      // …so 300 more, made meanwhile, would exceed the cap: refused at once.
      await assert.rejects(log.publishAll([{ topic, messages: [payload(300)] }]), (e: unknown) => e instanceof ClvError && e.retriable && /publish queue is full: 800 bytes wait, the cap is 1000/.test(e.message));
      await first;
      // Acknowledged, they no longer count; a call alone may exceed the cap (or it could never go).
      await log.publishAll([{ topic, messages: [payload(300)] }]);
      await log.publishAll([{ topic, messages: [payload(5000)] }]);
      assert.equal(await log.lag(`g-${topic}`, [topic]), 3);
    } finally {
      await log.close();
    }
  });

  test('confluent event log: TLS or SASL settings are refused, naming them', () => {
    assert.throws(() => make({ brokers, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } }), /CLV_KAFKA_CLIENT=confluent does not support CLV_KAFKA_TLS or CLV_KAFKA_SASL_MECHANISM/);
  });

}
