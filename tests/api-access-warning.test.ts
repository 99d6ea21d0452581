import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { apiAccessWarning } from '../app/api-access-warning.js';
import { loadApiConfig, withEphemeralKey } from '../config/api-config.js';
import { freePort } from './integration/support/free-port.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

test('warns when authentication is on and no key or JWT secret is configured; silent otherwise', () => {
  assert.match(apiAccessWarning(loadApiConfig({})) ?? '', /no API key configured.*401.*clv keys create/);
  assert.equal(apiAccessWarning(withEphemeralKey(loadApiConfig({})).config), null);
  assert.equal(apiAccessWarning(loadApiConfig({ CLV_JWT_SECRET: 'x'.repeat(32) })), null);
  assert.equal(apiAccessWarning(loadApiConfig({ CLV_API_AUTH: 'off' })), null);
});

test('clv serve with no key says so at start (here its worker then stops: no schema registry on that port)', async () => {
  const closed = await freePort();
  const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(root, 'cli', 'clv.ts'), 'serve'], {
    cwd: root,
    env: { ...process.env, CLV_API_KEYS: '', CLV_API_KEYS_FILE: '', CLV_JWT_SECRET: '', CLV_API_AUTH: 'on', CLV_API_PORT: '0', CLV_LOG_LEVEL: 'info', CLV_SCHEMA_REGISTRY_URL: `http://127.0.0.1:${closed}/apis/ccompat/v7` },
    timeout: 120_000,
  }).then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => e);
  assert.equal(r.code, 1, 'the worker could not start: a runtime failure');
  assert.match(r.stderr, /"level":40.*no API key configured/);
  assert.match(r.stderr.trimEnd().split('\n').at(-1) ?? '', /^clv: schema registry not reachable/);
});
