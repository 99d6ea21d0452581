/**
 * Stripe-style request signing: `X-Clv-Signature: t=<unix seconds>,v1=<hex>` where the hex is
 * HMAC-SHA256(secret, "<t>.<raw body>"). Signing the timestamp with the body lets a receiver
 * reject a captured request replayed later (the replay window), and HMAC over the raw bytes
 * means the receiver must verify before parsing: re-serialised JSON would not match.
 *
 * `verifyWebhookSignature` is what receivers written in TypeScript can import; docs/webhooks.md
 * has the same check in Node without this package and in Python.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Clv-Signature';

/** Default replay window: Stripe's five minutes. */
export const DEFAULT_TOLERANCE_SEC = 300;

/** The hex HMAC-SHA256 of "<timestampSec>.<body>". */
export function computeSignature(secret: string, body: string | Buffer, timestampSec: number): string {
  return createHmac('sha256', secret).update(`${timestampSec}.`).update(body).digest('hex');
}

/** The X-Clv-Signature value for `body` sent at `timestampSec` (integer Unix seconds). */
export function signatureHeader(secret: string, body: string | Buffer, timestampSec: number): string {
  return `t=${timestampSec},v1=${computeSignature(secret, body, timestampSec)}`;
}

export interface VerifyOptions {
  /** Largest |now − t| accepted, seconds (default 300). */
  toleranceSec?: number;
  /** The receiver's clock, Unix seconds (default: now). */
  nowSec?: number;
}

export type VerifyResult =
  | { ok: true; timestampSec: number }
  | { ok: false; reason: 'missing_header' | 'malformed_header' | 'timestamp_outside_tolerance' | 'signature_mismatch' };

/**
 * Checks an X-Clv-Signature header against the raw request body. Accepts any of several
 * secrets (while rotating one) and any of several v1 entries. Comparison is constant-time.
 */
export function verifyWebhookSignature(
  header: string | null | undefined,
  rawBody: string | Buffer,
  secrets: string | readonly string[],
  options: VerifyOptions = {},
): VerifyResult {
  if (!header) return { ok: false, reason: 'missing_header' };
  let timestampSec: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestampSec = Number(value);
    // Unknown schemes (a future v2) are ignored, as Stripe does.
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestampSec === null || signatures.length === 0) return { ok: false, reason: 'malformed_header' };
  const nowSec = options.nowSec ?? Math.floor(Date.now() / 1000);
  if (Math.abs(nowSec - timestampSec) > (options.toleranceSec ?? DEFAULT_TOLERANCE_SEC)) return { ok: false, reason: 'timestamp_outside_tolerance' };
  for (const secret of typeof secrets === 'string' ? [secrets] : secrets) {
    const expected = Buffer.from(computeSignature(secret, rawBody, timestampSec), 'hex');
    if (signatures.some((s) => timingSafeEqual(s, expected))) return { ok: true, timestampSec };
  }
  return { ok: false, reason: 'signature_mismatch' };
}
