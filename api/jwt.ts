/**
 * HS256 JSON Web Tokens (RFC 7519), verification only: the API accepts tokens an identity
 * provider issued with a shared secret. Only `alg: HS256` is accepted — never `none`, never
 * an algorithm the token picks — `exp` is required, `nbf`, `iss` and `aud` are checked when
 * configured or present. Scopes come from the OAuth 2.0 `scope` claim (space-separated,
 * RFC 8693 §4.2); unknown scopes are ignored.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isApiScope, type ApiScope } from '../core/api-keys.js';

export interface JwtSettings {
  secret: string;
  issuer: string | null;
  audience: string | null;
}

export interface JwtIdentity {
  /** A digest of `sub`, not the subject itself: subjects are often e-mail addresses. */
  subjectDigest: string;
  scopes: readonly ApiScope[];
}

const CLOCK_SKEW_S = 30;
const B64URL = /^[A-Za-z0-9_-]+$/;

/** The token's identity, or a reason it was refused (for logs, not for clients). */
export function verifyJwt(token: string, settings: JwtSettings, nowMs: number): JwtIdentity | { refused: string } {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => B64URL.test(p))) return { refused: 'not a compact JWS' };
  const [headerPart, payloadPart, signaturePart] = parts;
  const header = parseJson(headerPart);
  if (header === null || header.alg !== 'HS256') return { refused: 'algorithm is not HS256' };
  // The exact text, not the decoded bytes: base64url's last character carries padding bits
  // that decoders ignore, so decoding would let four spellings of one signature verify.
  const expected = Buffer.from(createHmac('sha256', settings.secret).update(`${headerPart}.${payloadPart}`).digest('base64url'));
  const given = Buffer.from(signaturePart);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { refused: 'bad signature' };
  const claims = parseJson(payloadPart);
  if (claims === null) return { refused: 'payload is not a JSON object' };
  const now = nowMs / 1000;
  if (typeof claims.exp !== 'number') return { refused: 'no exp claim' };
  if (now > claims.exp + CLOCK_SKEW_S) return { refused: 'expired' };
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || now < claims.nbf - CLOCK_SKEW_S)) return { refused: 'not yet valid' };
  if (settings.issuer !== null && claims.iss !== settings.issuer) return { refused: 'wrong issuer' };
  if (settings.audience !== null) {
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.includes(settings.audience)) return { refused: 'wrong audience' };
  }
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(isApiScope) : [];
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  return { subjectDigest: createHash('sha256').update(subject).digest('hex').slice(0, 16), scopes: [...new Set(scopes)] };
}

/** Signs claims with HS256: for tests and local tooling. */
export function signJwt(claims: Record<string, unknown>, secret: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

function parseJson(part: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
