/**
 * keepAlive on fake timers and a fake kafkajs heartbeat: it heartbeats while the work runs,
 * and gives the work up when a heartbeat fails or none is acknowledged before the deadline.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keepAlive, type KeepAliveOptions } from '../adapters/kafka/heartbeat-keep-alive.js';
import { ClvError } from '../core/errors.js';

/** A clock and one interval timer that the test advances by hand. */
function fakeTimers() {
  let nowMs = 0;
  let tick: (() => void) | null = null;
  const timers = {
    now: () => nowMs,
    setInterval: (fn: () => void) => ((tick = fn), 1),
    clearInterval: () => void (tick = null),
  } satisfies Partial<KeepAliveOptions>;
  const advance = async (ms: number) => {
    nowMs += ms;
    tick?.();
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  return { timers, advance, running: () => tick !== null };
}

test('keepAlive heartbeats every interval while the work runs, stops with it, and returns its result', async () => {
  const { timers, advance, running } = fakeTimers();
  let beats = 0;
  let finish!: (v: string) => void;
  const result = keepAlive(() => new Promise<string>((r) => (finish = r)), { heartbeat: async () => void beats++, intervalMs: 1_000, deadlineMs: 8_000, ...timers });
  for (let i = 0; i < 30; i++) await advance(1_000); // 30 s of work, three times a 10 s session timeout
  assert.equal(beats, 30);
  finish('delivered');
  assert.equal(await result, 'delivered');
  assert.equal(running(), false, 'no heartbeat after the work');
});

test('keepAlive: a failed heartbeat (rebalance, eviction) aborts the work and rejects with that error, even if the work ignores the signal', async () => {
  const { timers, advance, running } = fakeTimers();
  const evicted = Object.assign(new Error('The coordinator is not aware of this member'), { type: 'UNKNOWN_MEMBER_ID' });
  let beats = 0;
  let signal!: AbortSignal;
  const result = keepAlive((s) => ((signal = s), new Promise<never>(() => {})), {
    heartbeat: async () => { if (++beats === 3) throw evicted; }, intervalMs: 1_000, deadlineMs: 8_000, ...timers,
  });
  const outcome = result.then(() => null, (e: unknown) => e);
  await advance(1_000);
  await advance(1_000);
  assert.equal(signal.aborted, false);
  await advance(1_000);
  assert.equal(await outcome, evicted);
  assert.equal(signal.aborted, true);
  assert.equal(signal.reason, evicted);
  assert.equal(running(), false);
});

test('keepAlive: no heartbeat acknowledged before the deadline gives the work up with a retriable error', async () => {
  const { timers, advance } = fakeTimers();
  let signal!: AbortSignal;
  const result = keepAlive((s) => ((signal = s), new Promise<never>(() => {})), {
    heartbeat: () => new Promise<void>(() => {}), // the coordinator does not answer
    intervalMs: 1_000, deadlineMs: 4_000, ...timers,
  });
  const outcome = result.then(() => null, (e: unknown) => e);
  for (let i = 0; i < 4; i++) await advance(1_000);
  assert.equal(signal.aborted, false, 'within the deadline');
  await advance(1_000);
  const e = await outcome;
  assert.ok(e instanceof ClvError && e.retriable && /no heartbeat acknowledged for 5000 ms \(deadline 4000 ms\)/.test(e.message), String(e));
  assert.equal(signal.aborted, true);
});

test("keepAlive: the work's own failure is passed on unchanged", async () => {
  const { timers } = fakeTimers();
  const failure = new Error('dead-letter file not writable');
  await assert.rejects(keepAlive(async () => { throw failure; }, { heartbeat: async () => {}, intervalMs: 1_000, deadlineMs: 8_000, ...timers }), (e) => e === failure);
});
