import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { buildRequests, type WebhookEvent } from '../consumers/webhooks/webhook-batch.js';
import { deliverWebhook, parseRetryAfter, type DeliveryPolicy } from '../consumers/webhooks/webhook-delivery.js';
import type { ClvScoreEvent } from '../core/events.js';
import { ClvError } from '../core/errors.js';
import { Topics } from '../core/topics.js';
import { startWebhookReceiver, type Reply } from './support/webhook-receiver.js';

const secret = 's'.repeat(40);

function request(n = 3) {
  const events: WebhookEvent[] = Array.from({ length: n }, (_, i) => {
    const data: ClvScoreEvent = {
      event_id: `C${i}@1700000000000@v1`, event_time: 1_700_000_000_000, customer_id: `C${i}`, model_version: 'v1', model_kind: 'bgnbd-gamma-gamma', clv_minor: 12_345 + i, p_alive: 0.8,
      expected_purchases: 1.5, expected_avg_value_minor: 2_500, horizon_days: 365, segment: 'high_value', action: 'upsell', currency: 'USD',
      recommended_categories: ['books'], recommendation_reason: 'why', recommended_min_unit_price_minor: 0,
      clv_lower_minor: 2_000, clv_upper_minor: 40_000, clv_interval_level: 0.8, sequence: 1,
    };
    return { id: data.event_id, topic: Topics.scores, data };
  });
  return buildRequests(events, events.map((_, i) => String(i)), 0, n)[0];
}

function policy(url: string, patch: Partial<DeliveryPolicy> = {}): DeliveryPolicy {
  return { url, secret, timeoutMs: 2_000, maxAttempts: 4, initialBackoffMs: 5, maxBackoffMs: 50, ...patch };
}

async function withReceiver(replies: Reply[], body: (url: string, r: Awaited<ReturnType<typeof startWebhookReceiver>>) => Promise<void>) {
  const receiver = await startWebhookReceiver(secret, (_, i) => replies[Math.min(i, replies.length - 1)]);
  try {
    await body(receiver.url, receiver);
  } finally {
    await receiver.close();
  }
}

test('webhook delivery: a 500 is retried with the same body and Idempotency-Key, each attempt freshly signed', async () => {
  await withReceiver([{ status: 500, body: 'oops' }, { status: 503 }, { status: 204 }], async (url, receiver) => {
    const req = request();
    const delays: number[] = [];
    const result = await deliverWebhook(req, policy(url), { onRetry: (_, __, ms) => delays.push(ms) });
    assert.deepEqual(result, { delivered: true, attempts: 3, status: 204 });
    assert.equal(receiver.requests.length, 3);
    for (const [i, r] of receiver.requests.entries()) {
      assert.equal(r.rawBody, req.body);
      assert.equal(r.idempotencyKey, req.idempotencyKey);
      assert.equal(r.headers['x-clv-delivery-attempt'], String(i + 1));
      assert.equal(r.headers['content-type'], 'application/json');
      assert.ok(r.signatureOk, `attempt ${i + 1} verifies`);
    }
    assert.deepEqual(receiver.requests[0].eventIds, req.eventIds);
    assert.equal(delays.length, 2);
    assert.ok(delays[0] >= 2 && delays[0] <= 5 && delays[1] >= 5 && delays[1] <= 10, `doubling, jittered: ${delays}`);
  });
});

test('webhook delivery: a 400 is final, not retried, and keeps the start of the response', async () => {
  await withReceiver([{ status: 400, body: '{"error":"unknown customer"}' }, { status: 200 }], async (url, receiver) => {
    const result = await deliverWebhook(request(), policy(url));
    assert.equal(receiver.requests.length, 1);
    assert.deepEqual(result, { delivered: false, attempts: 1, failure: { retriable: false, status: 400, reason: 'HTTP 400', retryAfterMs: null, responseSnippet: '{"error":"unknown customer"}' } });
  });
});

test('webhook delivery: redirects are not followed (a redirected POST may lose its body or its host)', async () => {
  await withReceiver([{ status: 302, headers: { location: 'https://elsewhere.example/' } }], async (url, receiver) => {
    const result = await deliverWebhook(request(), policy(url));
    assert.equal(receiver.requests.length, 1);
    assert.equal(result.delivered, false);
    assert.match(!result.delivered ? result.failure.reason : '', /HTTP 302 redirect to https:\/\/elsewhere\.example\/.*not followed/);
  });
});

test('webhook delivery: 429 honours Retry-After (seconds or HTTP date), capped by maxBackoffMs', async () => {
  await withReceiver([{ status: 429, headers: { 'retry-after': '2' } }, { status: 429, headers: { 'retry-after': '120' } }, { status: 200 }], async (url) => {
    const delays: number[] = [];
    const result = await deliverWebhook(request(), policy(url, { maxBackoffMs: 60_000 }), {
      sleep: async (ms) => void delays.push(ms), onRetry: (f) => assert.equal(f.status, 429),
    });
    assert.equal(result.delivered, true);
    assert.deepEqual(delays, [2_000, 60_000]);
  });
  assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.UTC(2015, 9, 21, 7, 27, 30)), 30_000);
  assert.equal(parseRetryAfter('soon', 0), null);
  assert.equal(parseRetryAfter(null, 0), null);
});

test('webhook delivery: a slow endpoint times out and is retried; the receiver drops the late duplicate by key', async () => {
  await withReceiver([{ status: 200, delayMs: 400 }, { status: 200 }], async (url, receiver) => {
    const req = request();
    const reasons: string[] = [];
    const started = Date.now();
    const result = await deliverWebhook(req, policy(url, { timeoutMs: 150 }), { onRetry: (f) => reasons.push(f.reason) });
    assert.deepEqual(result, { delivered: true, attempts: 2, status: 200 });
    assert.ok(Date.now() - started < 400, 'did not wait for the slow answer');
    assert.deepEqual(reasons, ['timed out after 150 ms']);
    await new Promise((r) => setTimeout(r, 400));
    assert.deepEqual(receiver.processed, req.eventIds, 'processed once');
    assert.equal(receiver.duplicates, 1);
  });
});

test('webhook delivery: network errors are retried until maxAttempts, then reported', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as { port: number }).port;
  await new Promise((r) => closed.close(r));
  const result = await deliverWebhook(request(), policy(`http://127.0.0.1:${port}/hook`, { maxAttempts: 3 }));
  assert.equal(result.delivered, false);
  assert.equal(result.attempts, 3);
  assert.match(!result.delivered ? result.failure.reason : '', /network error: .*ECONNREFUSED/);
  assert.equal(!result.delivered && result.failure.status, null);
});

test('webhook delivery: stopping abandons a request that is backing off, with a retriable error', async () => {
  await withReceiver([{ status: 503 }], async (url) => {
    const stop = new AbortController();
    const started = Date.now();
    const pending = deliverWebhook(request(), policy(url, { initialBackoffMs: 10_000, maxBackoffMs: 10_000 }), { onRetry: () => stop.abort() }, stop.signal);
    await assert.rejects(pending, (e: unknown) => e instanceof ClvError && e.retriable && /stopped/.test(e.message));
    assert.ok(Date.now() - started < 2_000);
  });
});
