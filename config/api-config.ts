/**
 * Settings of the REST API, read once from environment variables, validated, frozen. Errors
 * are ClvError(INVALID_CONFIG) naming the setting. Only the CLI passes `process.env` here.
 *
 * Safe defaults: loopback only, authentication on. With no key configured every protected
 * route answers 401 until one is: the embedded demo adds a one-off key with
 * `withEphemeralKey` and prints it. CLV_API_AUTH=off is refused unless the host is loopback.
 */
import { readFileSync } from 'node:fs';
import { ApiScopes, createApiKey, parseApiKeyRecords, type ApiKeyRecord } from '../core/api-keys.js';
import { ClvError, ErrorCodes } from '../core/errors.js';

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
  /** CLV_API_SLOW_REQUEST_MS: requests slower than this are logged at warn (default 1000; faster successes at debug). */
  slowRequestMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function loadApiConfig(env: Env, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): Readonly<ApiConfig> {
  const host = value(env, 'CLV_API_HOST') ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:-]{1,253}$/.test(host)) fail('CLV_API_HOST', host, 'a host name or IP address');
  const auth = value(env, 'CLV_API_AUTH') ?? 'on';
  if (auth !== 'on' && auth !== 'off') fail('CLV_API_AUTH', auth, 'on or off');
  if (auth === 'off' && !LOOPBACK.has(host)) fail('CLV_API_AUTH', auth, `on: authentication may only be off on a loopback host, and CLV_API_HOST is ${host}`);
  return Object.freeze({
    port: int(env, 'CLV_API_PORT', 3000, 0, 65_535),
    host,
    authEnabled: auth === 'on',
    apiKeys: Object.freeze(apiKeys(env, readFile)),
    jwt: jwt(env),
    corsOrigins: Object.freeze(corsOrigins(env)),
    rateLimitPerMinute: int(env, 'CLV_API_RATE_LIMIT_PER_MINUTE', 600, 1, 10_000_000),
    maxBatchEvents: int(env, 'CLV_API_MAX_BATCH_EVENTS', 1000, 1, 100_000),
    bodyLimitBytes: int(env, 'CLV_API_BODY_LIMIT_BYTES', 2 * 1024 * 1024, 1024, 256 * 1024 * 1024),
    trustProxy: bool(env, 'CLV_API_TRUST_PROXY', false),
    indexRefreshMs: int(env, 'CLV_API_INDEX_REFRESH_MS', 30_000, 100, 86_400_000),
    workers: int(env, 'CLV_API_WORKERS', 1, 1, 64),
    slowRequestMs: int(env, 'CLV_API_SLOW_REQUEST_MS', 1000, 1, 3_600_000),
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

function value(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  return raw ? raw : null;
}

function fail(name: string, raw: string, expected: string): never {
  throw new ClvError(ErrorCodes.INVALID_CONFIG, `invalid setting ${name}=${JSON.stringify(raw)}: expected ${expected}`);
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = value(env, name);
  if (raw === null) return fallback;
  const v = Number(raw);
  return Number.isInteger(v) && v >= min && v <= max ? v : fail(name, raw, `an integer ≥ ${min} and ≤ ${max}`);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = value(env, name);
  if (raw === null) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  return fail(name, raw, 'true or false');
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
  const secret = env.CLV_JWT_SECRET?.trim();
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
