/**
 * Keeps a kafkajs group member alive during long work inside `eachBatch` (BatchControl.keepAlive).
 *
 * kafkajs heartbeats only from its fetch loop (between batches, and when a handler calls
 * `heartbeat()`), not from a timer: a handler that waits longer than the session timeout —
 * a webhook retried with backoff against a receiver answering 5xx — is evicted, its commit
 * refused, and the same batch comes back on every cycle. Here a timer calls `heartbeat` every
 * `intervalMs` while the work runs. The work is given up (its signal aborted, the promise
 * rejected) when a heartbeat fails — the group is rebalancing or has dropped the member, and
 * the partition is someone else's to process — or when none has been acknowledged for
 * `deadlineMs` (shorter than the session timeout: past it the member may already be evicted,
 * and finishing the work would only end in a refused commit).
 *
 * Pure over `heartbeat` and the timer functions: unit-tested with fakes.
 */
import { ClvError, ErrorCodes } from '../../core/errors.js';

export interface KeepAliveOptions {
  /** kafkajs's `heartbeat()` of the batch payload: rejects when the member lost its partitions. */
  heartbeat: () => Promise<void>;
  /** Heartbeat period, ms. */
  intervalMs: number;
  /** Longest time without an acknowledged heartbeat before the work is given up, ms. */
  deadlineMs: number;
  now?: () => number;
  setInterval?: (tick: () => void, ms: number) => unknown;
  clearInterval?: (timer: unknown) => void;
}

export async function keepAlive<T>(work: (signal: AbortSignal) => Promise<T>, options: KeepAliveOptions): Promise<T> {
  const { heartbeat, intervalMs, deadlineMs, now = Date.now } = options;
  const every = options.setInterval ?? ((tick, ms) => setInterval(tick, ms));
  const stop = options.clearInterval ?? ((timer) => clearInterval(timer as NodeJS.Timeout));
  const controller = new AbortController();
  let giveUp!: (reason: unknown) => void;
  const lost = new Promise<never>((_, reject) => (giveUp = reject));
  // A rejection nobody awaits yet (the work won the race) must not be reported as unhandled.
  lost.catch(() => undefined);
  const fail = (reason: unknown) => {
    if (controller.signal.aborted) return;
    controller.abort(reason);
    giveUp(reason);
  };
  let acknowledgedAt = now();
  let inFlight = false;
  const timer = every(() => {
    if (now() - acknowledgedAt > deadlineMs) {
      fail(new ClvError(ErrorCodes.DEPENDENCY_FAILED, `no heartbeat acknowledged for ${now() - acknowledgedAt} ms (deadline ${deadlineMs} ms): the group may have dropped this member, so its work is given up`, { retriable: true }));
      return;
    }
    if (inFlight) return;
    inFlight = true;
    heartbeat().then(
      () => void (acknowledgedAt = now()),
      (error: unknown) => fail(error),
    ).finally(() => (inFlight = false));
  }, intervalMs);
  try {
    return await Promise.race([work(controller.signal), lost]);
  } finally {
    stop(timer);
  }
}
