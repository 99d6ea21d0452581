/**
 * The Kafka adapter without a broker: what publishing does when Kafka is down (a closed port
 * on 127.0.0.1). On a live broker: tests/integration/kafka-event-log.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KafkaEventLog } from '../adapters/kafka/kafka-event-log.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { Topics } from '../core/topics.js';
import { freePort } from './integration/support/free-port.js';

const message = (bytes: number) => ({ key: 'C1', value: Buffer.alloc(bytes, 1) });

/** Guard only, no timing asserted: before deadlines existed these calls never settled. */
function settlesWithin<T>(p: Promise<T>, ms = 20_000): Promise<T> {
  return Promise.race([p, new Promise<never>((_r, reject) => setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms).unref())]);
}

test('kafka event log: with the broker down, publishAll gives up at its deadline and says nothing was published', async () => {
  const log = new KafkaEventLog({ brokers: [`127.0.0.1:${await freePort()}`], connectionTimeoutMs: 200, retry: { initialRetryTimeMs: 50, maxRetryTimeMs: 200 } });
  try {
    const batches = [{ topic: Topics.orders, messages: [message(10)] }, { topic: Topics.payments, messages: [message(10)] }];
    await assert.rejects(settlesWithin(log.publishAll(batches, { signal: AbortSignal.timeout(300) })), (e: unknown) => {
      assert.ok(e instanceof ClvError, String(e));
      assert.equal(e.code, ErrorCodes.DEPENDENCY_FAILED);
      assert.equal(e.retriable, true);
      assert.match(e.message, /nothing was published/);
      return true;
    });
  } finally {
    await log.close();
  }
});

test('kafka event log: what waits to be published is capped in bytes; a call over the cap is refused at once', async () => {
  const log = new KafkaEventLog({ brokers: [`127.0.0.1:${await freePort()}`], connectionTimeoutMs: 200, retry: { initialRetryTimeMs: 50, maxRetryTimeMs: 200 }, maxQueuedBytes: 1000 });
  try {
    const stop = new AbortController();
    // 800 bytes wait for a broker that is not there…
    const waiting = log.publishAll([{ topic: Topics.orders, messages: [message(800)] }], { signal: stop.signal });
    // …so 300 more would exceed the cap: refused without waiting.
    await assert.rejects(settlesWithin(log.publishAll([{ topic: Topics.orders, messages: [message(300)] }])), (e: unknown) =>
      e instanceof ClvError && e.retriable && /publish queue is full: 802 bytes wait, the cap is 1000/.test(e.message));
    // Under the cap still waits its turn; a call alone may exceed the cap (or it could never go).
    stop.abort();
    await assert.rejects(waiting, /nothing was published/);
    await assert.rejects(settlesWithin(log.publishAll([{ topic: Topics.orders, messages: [message(5000)] }], { signal: AbortSignal.timeout(200) })), /nothing was published/);
  } finally {
    await log.close();
  }
});
