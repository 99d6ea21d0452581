/**
 * Exponential backoff with jitter for store writes: only errors that say they are
 * retriable (ClvError.retriable) are tried again; anything else, or the last attempt's
 * failure, is thrown to the caller unchanged.
 */
import { ClvError } from '../core/errors.js';

export interface RetryOptions {
  /** Attempts in all, the first included (≥ 1). */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryOptions: Readonly<RetryOptions> = { attempts: 6, initialDelayMs: 200, maxDelayMs: 5_000 };

export interface RetryHooks {
  sleep?: (ms: number) => Promise<void>;
  /** 0 ≤ random() < 1, for the jitter. */
  random?: () => number;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

export async function retryWithBackoff<T>(work: () => Promise<T>, options: RetryOptions, hooks: RetryHooks = {}): Promise<T> {
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = hooks.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const retriable = error instanceof ClvError && error.retriable;
      if (!retriable || attempt >= options.attempts) throw error;
      // Half fixed, half random: instances that failed together do not retry in lockstep.
      const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.round(ceiling * (0.5 + random() / 2));
      hooks.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs);
    }
  }
}
