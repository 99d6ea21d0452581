/**
 * One webhook request, POSTed until it succeeds or is given up: exponential backoff with jitter
 * (same shape as retry-with-backoff.ts) on network errors, timeouts, 5xx and 429; Retry-After
 * is honoured up to `maxBackoffMs`. Other 4xx and 3xx are final: a redirected POST could lose
 * its body or reach a host the secret was not meant for, so redirects are not followed.
 *
 * Every attempt is signed afresh (a new `t=`) so that a retry an hour later still passes the
 * receiver's replay window; the body and Idempotency-Key stay the same.
 */
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { WebhookEndpoint } from '../../config/webhook-config.js';
import { eventIdsHeader, type WebhookRequest } from './webhook-batch.js';
import { SIGNATURE_HEADER, signatureHeader } from './webhook-signature.js';

export const USER_AGENT = 'clv-stream-webhooks/1';

/** Bytes of a failed response's body kept for the dead-letter record. */
const RESPONSE_SNIPPET_BYTES = 1_024;

export type DeliveryPolicy = Pick<WebhookEndpoint, 'url' | 'secret' | 'timeoutMs' | 'maxAttempts' | 'initialBackoffMs' | 'maxBackoffMs'>;

export interface AttemptFailure {
  /** Worth another attempt (network error, timeout, 5xx, 429). */
  retriable: boolean;
  /** HTTP status, or null when no response came. */
  status: number | null;
  reason: string;
  /** From Retry-After, ms from now. */
  retryAfterMs: number | null;
  /** The first KiB of the response body. */
  responseSnippet: string | null;
}

export type DeliveryResult =
  | { delivered: true; attempts: number; status: number }
  | { delivered: false; attempts: number; failure: AttemptFailure };

export interface DeliveryHooks {
  /** Resolves after `ms`, or rejects when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  /** 0 ≤ random() < 1, for the jitter. */
  random?: () => number;
  /** Wall clock, ms: the signature's timestamp and HTTP-date Retry-After. */
  nowMs?: () => number;
  fetch?: typeof fetch;
  onRetry?: (failure: AttemptFailure, attempt: number, delayMs: number) => void;
}

/**
 * Delivers `request` to `policy.url`. Resolves with the outcome; rejects only when `stop`
 * aborts (with a retriable ClvError), so the caller does not commit.
 */
export async function deliverWebhook(request: WebhookRequest, policy: DeliveryPolicy, hooks: DeliveryHooks = {}, stop?: AbortSignal): Promise<DeliveryResult> {
  const sleep = hooks.sleep ?? abortableSleep;
  const random = hooks.random ?? Math.random;
  const nowMs = hooks.nowMs ?? Date.now;
  const ids = eventIdsHeader(request.eventIds);
  for (let attempt = 1; ; attempt++) {
    throwIfStopped(stop);
    const result = await attemptOnce(request, ids, attempt, policy, hooks.fetch ?? fetch, nowMs, stop);
    if (result.ok) return { delivered: true, attempts: attempt, status: result.status };
    const { failure } = result;
    if (!failure.retriable || attempt >= policy.maxAttempts) return { delivered: false, attempts: attempt, failure };
    // Half fixed, half random: endpoints that failed together do not retry in lockstep.
    const ceiling = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** (attempt - 1));
    const backoffMs = Math.round(ceiling * (0.5 + random() / 2));
    const delayMs = Math.min(policy.maxBackoffMs, Math.max(backoffMs, failure.retryAfterMs ?? 0));
    hooks.onRetry?.(failure, attempt, delayMs);
    try {
      await sleep(delayMs, stop);
    } catch {
      throwIfStopped(stop);
    }
  }
}

type AttemptResult = { ok: true; status: number } | { ok: false; failure: AttemptFailure };

async function attemptOnce(
  request: WebhookRequest, ids: string, attempt: number, policy: DeliveryPolicy, fetchFn: typeof fetch, nowMs: () => number, stop: AbortSignal | undefined,
): Promise<AttemptResult> {
  // One controller for timeout and stop, with a timer cleared on completion: AbortSignal.timeout
  // leaves a timer per request pending for timeoutMs, and AbortSignal.any keeps a listener on
  // `stop` per request; at hundreds of requests a second both add up.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, policy.timeoutMs);
  const onStop = () => controller.abort();
  stop?.addEventListener('abort', onStop, { once: true });
  let response: Response;
  let text: string;
  try {
    response = await fetchFn(policy.url, {
      method: 'POST',
      redirect: 'manual',
      signal: controller.signal,
      body: request.body,
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        [SIGNATURE_HEADER]: signatureHeader(policy.secret, request.body, Math.floor(nowMs() / 1000)),
        'idempotency-key': request.idempotencyKey,
        'x-clv-event-ids': ids,
        'x-clv-delivery-attempt': String(attempt),
      },
    });
    // Read the body under the same timeout: it frees the connection for keep-alive, and a
    // receiver that stalls after the status line has not acknowledged anything.
    text = await response.text();
  } catch (error) {
    throwIfStopped(stop);
    const reason = timedOut ? `timed out after ${policy.timeoutMs} ms` : `network error: ${describe(error)}`;
    return { ok: false, failure: { retriable: true, status: null, reason, retryAfterMs: null, responseSnippet: null } };
  } finally {
    clearTimeout(timer);
    stop?.removeEventListener('abort', onStop);
  }
  const status = response.status;
  if (status >= 200 && status < 300) return { ok: true, status };
  const responseSnippet = Buffer.from(text).subarray(0, RESPONSE_SNIPPET_BYTES).toString('utf8');
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), nowMs());
    return { ok: false, failure: { retriable: true, status, reason: `HTTP ${status}`, retryAfterMs, responseSnippet } };
  }
  const location = status >= 300 && status < 400 ? response.headers.get('location') : null;
  const reason = location ? `HTTP ${status} redirect to ${location}: redirects are not followed, configure the final URL` : `HTTP ${status}`;
  return { ok: false, failure: { retriable: false, status, reason, retryAfterMs: null, responseSnippet } };
}

/** Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in ms from `nowMs`; null if absent or invalid. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

function describe(error: unknown): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `${e.message} (${cause})` : String(e?.message ?? error);
}

function throwIfStopped(stop: AbortSignal | undefined): void {
  if (stop?.aborted) throw new ClvError(ErrorCodes.DEPENDENCY_FAILED, 'webhook delivery stopped before the request was acknowledged', { retriable: true });
}

function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
