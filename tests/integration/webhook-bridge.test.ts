/**
 * The webhook bridge on the real Kafka: delivery with retries and backoff that outlasts the
 * group's session timeout (a receiver answering 5xx) must keep the member in its group, so
 * the batch is dead-lettered once, committed, and the bridge moves on — instead of being
 * evicted mid-delivery, having its commit refused, and getting the same batch every cycle.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import { KafkaEventLog } from '../../adapters/kafka/kafka-event-log.js';
import { parseWebhookConfig, type WebhookEndpoint, type WebhookTopic } from '../../config/webhook-config.js';
import { WebhookBridge, webhookGroupId } from '../../consumers/webhooks/webhook-bridge.js';
import type { WebhookDeadLetterRecord } from '../../consumers/webhooks/webhook-dead-letter.js';
import type { EventCodec } from '../../core/ports/event-codec.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import { runScoped, services } from './support/services.js';

const secret = 's'.repeat(32);
const topic = runScoped('it_webhooks');
const jsonCodec: EventCodec = {
  encode: async (_t, value) => Buffer.from(JSON.stringify(value)),
  decode: async (_t, bytes) => JSON.parse(bytes.toString()),
};
const admin = new kafkajs.Kafka({ brokers: services.kafkaBrokers, logLevel: kafkajs.logLevel.NOTHING }).admin();
const groups: string[] = [];

after(async () => {
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.deleteGroups(groups).catch(() => undefined);
  await admin.disconnect();
});

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('webhook bridge on Kafka: retries and backoff longer than the session timeout keep the member; the batch is dead-lettered once and committed', async (t) => {
  // The broker's floor for session timeouts is 6 s; delivery takes 4 attempts and 3 backoffs
  // of 3 s (no jitter below), about 9 s.
  const log = new KafkaEventLog({ brokers: services.kafkaBrokers, sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 6_000, retry: { maxRetryTimeMs: 1_000 } });
  const receiver = await startWebhookReceiver(secret, () => ({ status: 503 }));
  const parsed = parseWebhookConfig({ endpoints: [{ name: `crm-${process.pid}`, url: receiver.url, secret, topics: ['clv.scores.v1'], fromBeginning: true, maxAttempts: 4, initialBackoffMs: 3_000, maxBackoffMs: 3_000, timeoutMs: 2_000 }] }, {}, 'test').endpoints[0];
  const endpoint: WebhookEndpoint = { ...parsed, topics: [topic as WebhookTopic] };
  const group = webhookGroupId(endpoint.name);
  groups.push(group);
  const deadLettered: WebhookDeadLetterRecord[] = [];
  const bridge = new WebhookBridge({ log, codec: jsonCodec, deadLetter: { write: async (r) => void deadLettered.push(r) }, hooks: { random: () => 0.9999 } }, [endpoint]);
  t.after(async () => {
    await bridge.stop();
    await log.close();
    await receiver.close();
  });

  await log.createTopics([{ name: topic, partitions: 1, compacted: false }]);
  await log.publish(topic, [{ key: 'C1', value: await jsonCodec.encode(topic, { event_id: 'C1@1@v1', customer_id: 'C1', segment: 'lost', action: 'win_back' }) }]);
  await bridge.start();

  await until(async () => (await log.lag(group, [topic])) === 0, 'the batch to be committed', 45_000).catch((error: Error) => {
    throw new Error(`${error.message}; meanwhile ${receiver.requests.length} requests and ${deadLettered.length} dead-letter records`);
  });
  assert.equal(deadLettered.length, 1, 'dead-lettered once');
  assert.equal(deadLettered[0].attempts, 4);
  assert.equal(receiver.requests.length, 4, 'one round of attempts, not the same batch again every cycle');
  assert.deepEqual(receiver.requests.map((r) => r.headers['x-clv-delivery-attempt']), ['1', '2', '3', '4']);
});
