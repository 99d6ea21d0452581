import { test } from 'node:test';
import assert from 'node:assert/strict';
import { retryWithBackoff } from '../consumers/retry-with-backoff.js';
import { ClvError, ErrorCodes } from '../core/errors.js';

const transient = () => new ClvError(ErrorCodes.DEPENDENCY_FAILED, 'timeout', { retriable: true });

test('retry with backoff: retriable errors are retried with doubling, capped, jittered delays', async () => {
  const delays: number[] = [];
  let calls = 0;
  const result = await retryWithBackoff(async () => (++calls < 5 ? Promise.reject(transient()) : 'ok'),
    { attempts: 6, initialDelayMs: 100, maxDelayMs: 300 }, { sleep: async (ms) => void delays.push(ms), random: () => 1 - Number.EPSILON });
  assert.equal(result, 'ok');
  assert.deepEqual(delays, [100, 200, 300, 300]);
  const low: number[] = [];
  await assert.rejects(retryWithBackoff(() => Promise.reject(transient()), { attempts: 3, initialDelayMs: 100, maxDelayMs: 300 },
    { sleep: async (ms) => void low.push(ms), random: () => 0 }), /timeout/);
  assert.deepEqual(low, [50, 100], 'half the delay is fixed; the last failure is thrown');
});

test('retry with backoff: errors that are not retriable are thrown at once', async () => {
  let calls = 0;
  const fatal = new ClvError(ErrorCodes.DEPENDENCY_FAILED, 'syntax error', { retriable: false });
  await assert.rejects(retryWithBackoff(async () => { calls++; throw fatal; }, { attempts: 5, initialDelayMs: 1, maxDelayMs: 1 }), fatal);
  await assert.rejects(retryWithBackoff(async () => { calls++; throw new TypeError('bug'); }, { attempts: 5, initialDelayMs: 1, maxDelayMs: 1 }), TypeError);
  assert.equal(calls, 2);
});
