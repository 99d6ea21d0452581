/**
 * Settings of the REST API, read once from environment variables, validated, frozen. Errors
 * are ClvError(INVALID_CONFIG) naming the setting. Only config/environment.ts passes the process environment here.
 *
 * Safe defaults: loopback only, authentication on. With no key configured every protected
 * route answers 401 until one is: the embedded demo adds a one-off key with
 * `withEphemeralKey` and prints it. CLV_API_AUTH=off is refused unless the host is loopback.
 */
import { readFileSync } from 'node:fs';
import { ApiScopes, createApiKey, parseApiKeyRecords, type ApiKeyRecord } from '../core/api-keys.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { bool, fail, num, value, type Env } from './env.js';
import { certificateAndKey, type CertificateAndKey } from './secret-files.js';

export interface ApiConfig {
  /** CLV_API_PORT (default 3000). */
  port: number;
  /** CLV_API_HOST (default 127.0.0.1). */
  host: string;
  /** CLV_API_AUTH: 'on' (default) or 'off' (loopback host only). */
  authEnabled: boolean;
  /** CLV_API_KEYS (`name:scope1+scope2:salt:sha256hex`, comma-separated) or CLV_API_KEYS_FILE (one per line). */
  apiKeys: readonly ApiKeyRecord[];
  /** CLV_JWT_SECRET (HS256, ≥ 32 characters), CLV_JWT_ISSUER, CLV_JWT_AUDIENCE; null: JWTs are refused. */
  jwt: { secret: string; issuer: string | null; audience: string | null } | null;
  /** CLV_API_CORS_ORIGINS: comma-separated origins allowed by CORS (default none: CORS off). */
  corsOrigins: readonly string[];
  /** CLV_API_RATE_LIMIT_PER_MINUTE: requests per minute per API key / JWT subject / client IP (default 600). */
  rateLimitPerMinute: number;
  /** CLV_API_MAX_BATCH_EVENTS: most events in one POST /v1/events (default 1000). */
  maxBatchEvents: number;
  /** CLV_API_BODY_LIMIT_BYTES: largest request body (default 2 MiB). */
  bodyLimitBytes: number;
  /** CLV_API_TRUST_PROXY: trust X-Forwarded-For for the client IP (default false). */
  trustProxy: boolean;
  /**
   * CLV_API_INDEX_REFRESH_MS: how stale segment sizes and pages may get in `clv serve`, which
   * sees no score writes and rebuilds its segment index from a scan of Redis (default 30 s).
   */
  indexRefreshMs: number;
  /** CLV_API_WORKERS: `clv serve` processes sharing the port (node:cluster); default 1. */
  workers: number;
  /**
   * CLV_API_PUBLISH_TIMEOUT_MS: longest POST /v1/events waits for the event log; then 503 with
   * Retry-After (default 5 s, well under the 10–30 s a client typically waits).
   */
  publishTimeoutMs: number;
  /** CLV_API_REQUEST_TIMEOUT_MS: longest a client may take to send a whole request (fastify requestTimeout; default 30 s). */
  requestTimeoutMs: number;
  /**
   * CLV_API_METRICS_PORT: `clv serve` also serves /metrics there, without credentials (keep the
   * port off the Ingress); null (default): /metrics only on the API port, with the metrics scope.
   */
  metricsPort: number | null;
  /**
   * CLV_API_CUSTOMER_CACHE_ENTRIES: GET /v1/customers/:id bodies kept per process, each built
   * once per score revision (≈ 2 KB each; default 10,000 ≈ 20 MB); 0: every GET builds its own.
   */
  customerCacheEntries: number;
  /** CLV_API_SLOW_REQUEST_MS: requests slower than this are logged at warn (default 1000; faster successes at debug). */
  slowRequestMs: number;
  /**
   * CLV_API_TLS_CERT_FILE / CLV_API_TLS_KEY_FILE: PEM certificate (chain) and its private key;
   * the API (and CLV_API_METRICS_PORT) then serves HTTPS only. null (default): plain HTTP, for a
   * loopback host or behind a TLS-terminating Ingress.
   */
  tls: CertificateAndKey | null;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function loadApiConfig(env: Env, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): Readonly<ApiConfig> {
  const host = value(env, 'CLV_API_HOST') ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:-]{1,253}$/.test(host)) fail('CLV_API_HOST', host, 'a host name or IP address');
  const auth = value(env, 'CLV_API_AUTH') ?? 'on';
  if (auth !== 'on' && auth !== 'off') fail('CLV_API_AUTH', auth, 'on or off');
  if (auth === 'off' && !LOOPBACK.has(host)) fail('CLV_API_AUTH', auth, `on: authentication may only be off on a loopback host, and CLV_API_HOST is ${host}`);
  return Object.freeze({
    port: num(env, 'CLV_API_PORT', 3000, { min: 0, max: 65_535, integer: true }),
    host,
    authEnabled: auth === 'on',
    apiKeys: Object.freeze(apiKeys(env, readFile)),
    jwt: jwt(env),
    corsOrigins: Object.freeze(corsOrigins(env)),
    rateLimitPerMinute: num(env, 'CLV_API_RATE_LIMIT_PER_MINUTE', 600, { min: 1, max: 10_000_000, integer: true }),
    maxBatchEvents: num(env, 'CLV_API_MAX_BATCH_EVENTS', 1000, { min: 1, max: 100_000, integer: true }),
    bodyLimitBytes: num(env, 'CLV_API_BODY_LIMIT_BYTES', 2 * 1024 * 1024, { min: 1024, max: 256 * 1024 * 1024, integer: true }),
    trustProxy: bool(env, 'CLV_API_TRUST_PROXY', false),
    indexRefreshMs: num(env, 'CLV_API_INDEX_REFRESH_MS', 30_000, { min: 100, max: 86_400_000, integer: true }),
    workers: num(env, 'CLV_API_WORKERS', 1, { min: 1, max: 64, integer: true }),
    customerCacheEntries: num(env, 'CLV_API_CUSTOMER_CACHE_ENTRIES', 10_000, { min: 0, max: 10_000_000, integer: true }),
    slowRequestMs: num(env, 'CLV_API_SLOW_REQUEST_MS', 1000, { min: 1, max: 3_600_000, integer: true }),
    metricsPort: value(env, 'CLV_API_METRICS_PORT') === null ? null : num(env, 'CLV_API_METRICS_PORT', 0, { min: 0, max: 65_535, integer: true }),
    publishTimeoutMs: num(env, 'CLV_API_PUBLISH_TIMEOUT_MS', 5000, { min: 10, max: 600_000, integer: true }),
    requestTimeoutMs: num(env, 'CLV_API_REQUEST_TIMEOUT_MS', 30_000, { min: 1000, max: 3_600_000, integer: true }),
    tls: certificateAndKey(env, 'CLV_API_TLS_CERT_FILE', 'CLV_API_TLS_KEY_FILE', readFile),
  });
}

/**
 * The config plus a new key with every scope, valid for this process only: what the embedded
 * demo prints so that `curl -H "Authorization: Bearer $KEY"` works on a fresh machine.
 */
export function withEphemeralKey(config: Readonly<ApiConfig>, name = 'demo'): { config: Readonly<ApiConfig>; key: string } {
  const { key, record } = createApiKey(name, ApiScopes);
  const apiKeys = [...config.apiKeys.filter((r) => r.name !== name), record];
  return { config: Object.freeze({ ...config, apiKeys: Object.freeze(apiKeys) }), key };
}

function apiKeys(env: Env, readFile: (path: string) => string): ApiKeyRecord[] {
  const inline = value(env, 'CLV_API_KEYS');
  const file = value(env, 'CLV_API_KEYS_FILE');
  if (inline !== null && file !== null) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, 'invalid settings: set CLV_API_KEYS or CLV_API_KEYS_FILE, not both');
  }
  if (inline !== null) return parseApiKeyRecords(inline, 'CLV_API_KEYS');
  if (file === null) return [];
  let text: string;
  try {
    text = readFile(file);
  } catch (cause) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `invalid setting CLV_API_KEYS_FILE=${JSON.stringify(file)}: cannot read it (${(cause as Error).message})`, { cause });
  }
  return parseApiKeyRecords(text, `CLV_API_KEYS_FILE (${file})`);
}

function jwt(env: Env): ApiConfig['jwt'] {
  const secret = value(env, 'CLV_JWT_SECRET');
  const issuer = value(env, 'CLV_JWT_ISSUER');
  const audience = value(env, 'CLV_JWT_AUDIENCE');
  if (!secret) {
    if (issuer !== null || audience !== null) throw new ClvError(ErrorCodes.INVALID_CONFIG, 'invalid settings: CLV_JWT_ISSUER / CLV_JWT_AUDIENCE need CLV_JWT_SECRET');
    return null;
  }
  // The secret is never echoed: the message names the setting and the rule only.
  if (secret.length < 32) throw new ClvError(ErrorCodes.INVALID_CONFIG, 'invalid setting CLV_JWT_SECRET: expected at least 32 characters (an HS256 key)');
  return Object.freeze({ secret, issuer, audience });
}

function corsOrigins(env: Env): string[] {
  const raw = value(env, 'CLV_API_CORS_ORIGINS');
  if (raw === null) return [];
  const origins = raw.split(',').map((o) => o.trim()).filter((o) => o !== '');
  for (const o of origins) {
    if (o === '*') fail('CLV_API_CORS_ORIGINS', raw, 'explicit origins: * is not allowed with credentials');
    let url: URL;
    try {
      url = new URL(o);
    } catch {
      return fail('CLV_API_CORS_ORIGINS', raw, 'comma-separated origins such as https://crm.example.com');
    }
    if (!['http:', 'https:'].includes(url.protocol) || url.origin !== o) fail('CLV_API_CORS_ORIGINS', raw, `origins without path (e.g. ${url.origin})`);
  }
  return origins;
}
