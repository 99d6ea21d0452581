import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadApiConfig, withEphemeralKey } from '../config/api-config.js';
import { ApiKeyVerifier, createApiKey, formatApiKeyRecord } from '../core/api-keys.js';
import { ClvError, ErrorCodes } from '../core/errors.js';

test('defaults: loopback, port 3000, auth on with no key, CORS off', () => {
  const c = loadApiConfig({});
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.port, 3000);
  assert.equal(c.authEnabled, true);
  assert.deepEqual(c.apiKeys, []);
  assert.deepEqual(c.corsOrigins, []);
  assert.equal(c.jwt, null);
  assert.equal(c.workers, 1);
  assert.ok(Object.isFrozen(c));
});

test('reads keys inline or from a file, JWT settings, CORS origins and limits', () => {
  const { record } = createApiKey('crm', ['read']);
  const entry = formatApiKeyRecord(record);
  const c = loadApiConfig({
    CLV_API_PORT: '8080', CLV_API_HOST: '0.0.0.0', CLV_API_KEYS: entry, CLV_JWT_SECRET: 'x'.repeat(32), CLV_JWT_ISSUER: 'idp',
    CLV_API_CORS_ORIGINS: 'https://crm.example.com, http://localhost:5173', CLV_API_RATE_LIMIT_PER_MINUTE: '60', CLV_API_MAX_BATCH_EVENTS: '10',
    CLV_API_INDEX_REFRESH_MS: '5000', CLV_API_WORKERS: '2',
  });
  assert.equal(c.port, 8080);
  assert.deepEqual(c.apiKeys, [record]);
  assert.deepEqual(c.jwt, { secret: 'x'.repeat(32), issuer: 'idp', audience: null });
  assert.deepEqual(c.corsOrigins, ['https://crm.example.com', 'http://localhost:5173']);
  assert.equal(c.rateLimitPerMinute, 60);
  assert.equal(c.maxBatchEvents, 10);
  assert.equal(c.indexRefreshMs, 5000);
  assert.equal(c.workers, 2);
  const fromFile = loadApiConfig({ CLV_API_KEYS_FILE: '/etc/clv/keys' }, (path) => (path === '/etc/clv/keys' ? `# comment\n${entry}\n` : ''));
  assert.deepEqual(fromFile.apiKeys, [record]);
});

test('bad settings fail with INVALID_CONFIG naming the setting', () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ CLV_API_PORT: 'http' }, /CLV_API_PORT/],
    [{ CLV_API_PORT: '70000' }, /CLV_API_PORT/],
    [{ CLV_API_HOST: 'a host' }, /CLV_API_HOST/],
    [{ CLV_API_AUTH: 'maybe' }, /CLV_API_AUTH/],
    [{ CLV_API_AUTH: 'off', CLV_API_HOST: '0.0.0.0' }, /CLV_API_AUTH.*loopback/],
    [{ CLV_API_KEYS: 'crm:read' }, /CLV_API_KEYS/],
    [{ CLV_API_KEYS: 'a:read:b:c', CLV_API_KEYS_FILE: '/x' }, /not both/],
    [{ CLV_API_KEYS_FILE: '/nonexistent/keys' }, /CLV_API_KEYS_FILE.*cannot read/],
    [{ CLV_JWT_SECRET: 'short' }, /CLV_JWT_SECRET/],
    [{ CLV_JWT_ISSUER: 'idp' }, /CLV_JWT_SECRET/],
    [{ CLV_API_CORS_ORIGINS: '*' }, /CLV_API_CORS_ORIGINS/],
    [{ CLV_API_CORS_ORIGINS: 'https://crm.example.com/path' }, /CLV_API_CORS_ORIGINS/],
    [{ CLV_API_RATE_LIMIT_PER_MINUTE: '0' }, /CLV_API_RATE_LIMIT_PER_MINUTE/],
    [{ CLV_API_TRUST_PROXY: 'yes' }, /CLV_API_TRUST_PROXY/],
    [{ CLV_API_INDEX_REFRESH_MS: '10' }, /CLV_API_INDEX_REFRESH_MS/],
    [{ CLV_API_WORKERS: '0' }, /CLV_API_WORKERS/],
  ];
  for (const [env, why] of cases) {
    assert.throws(() => loadApiConfig(env), (e: unknown) => e instanceof ClvError && e.code === ErrorCodes.INVALID_CONFIG && why.test(e.message), JSON.stringify(env));
  }
});

test('the JWT secret is never echoed in an error', () => {
  assert.throws(() => loadApiConfig({ CLV_JWT_SECRET: 'hunter2' }), (e: Error) => !e.message.includes('hunter2'));
});

test('auth may be off on loopback only', () => {
  assert.equal(loadApiConfig({ CLV_API_AUTH: 'off' }).authEnabled, false);
  assert.equal(loadApiConfig({ CLV_API_AUTH: 'off', CLV_API_HOST: '::1' }).authEnabled, false);
});

test('withEphemeralKey adds one key with every scope that verifies, leaving the other keys', () => {
  const { record } = createApiKey('crm', ['read']);
  const base = { ...loadApiConfig({}), apiKeys: [record] };
  const { config, key } = withEphemeralKey(base);
  assert.equal(config.apiKeys.length, 2);
  assert.deepEqual(new ApiKeyVerifier(config.apiKeys).verify(key)?.scopes, ['read', 'ingest', 'admin', 'metrics']);
});
