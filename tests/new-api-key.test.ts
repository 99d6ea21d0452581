import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { newApiKey, newApiKeyText } from '../app/new-api-key.js';
import { loadApiConfig } from '../config/api-config.js';
import { ApiKeyVerifier, parseApiKeyRecords } from '../core/api-keys.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

test('the printed record verifies the printed key, with the scopes asked for', () => {
  const created = newApiKey(loadApiConfig({}), 'crm-sync', ['read', 'ingest']);
  const verifier = new ApiKeyVerifier(parseApiKeyRecords(created.record, 'CLV_API_KEYS'));
  assert.deepEqual(verifier.verify(created.key), { name: 'crm-sync', scopes: ['read', 'ingest'] });
  assert.ok(!created.record.includes(created.key.slice(-43)), 'the record holds no secret');
  const text = newApiKeyText(created);
  assert.ok(text.includes(created.key) && text.includes(created.record) && text.includes('CLV_API_KEYS_FILE'));
});

test('a name already configured is refused: two records of one name would stop clv serve', () => {
  const existing = newApiKey(loadApiConfig({}), 'dashboard', ['read']);
  const api = loadApiConfig({ CLV_API_KEYS: existing.record });
  assert.throws(() => newApiKey(api, 'dashboard', ['read']), /--name dashboard: a key of that name is already configured/);
  assert.throws(() => newApiKey(api, 'has space', ['read']), /--name: API key name "has space"/);
});

test('clv keys create prints a key once and the record clv serve accepts (CLV_API_KEYS)', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(root, 'cli', 'clv.ts'), 'keys', 'create', '--name', 'ops', '--scopes', 'read,admin', '--json'], { cwd: root });
  const created = JSON.parse(stdout) as { name: string; scopes: string[]; key: string; record: string };
  assert.deepEqual(created.scopes, ['read', 'admin']);
  const api = loadApiConfig({ CLV_API_KEYS: created.record });
  assert.deepEqual(new ApiKeyVerifier(api.apiKeys).verify(created.key), { name: 'ops', scopes: ['read', 'admin'] });
});
