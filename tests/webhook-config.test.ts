import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWebhookConfig, parseWebhookConfig, webhookDefaults } from '../config/webhook-config.js';
import { ErrorCodes } from '../core/errors.js';
import { readFixture } from './support/fixtures.js';

const fixtureFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'webhooks.json');
const crmSecret = 'c'.repeat(48);
const env = { CLV_WEBHOOK_SECRET_CRM: crmSecret };
const valid = () => readFixture<{ endpoints: Array<Record<string, unknown>> }>('webhooks.json');

/** A fresh directory, removed when the file's tests end. */
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function rejects(doc: unknown, pattern: RegExp, e: Record<string, string> = env): void {
  assert.throws(() => parseWebhookConfig(doc, e, 'test.json'), (err: Error & { code?: string }) => {
    assert.equal(err.code, ErrorCodes.INVALID_CONFIG);
    assert.match(err.message, pattern);
    return true;
  });
}

test('webhook config: the documented example loads, with secrets from env and defaults filled in', async () => {
  const config = loadWebhookConfig({ ...env, CLV_WEBHOOKS_FILE: fixtureFile });
  assert.ok(config);
  assert.equal(config.deadLetterDir, '/var/lib/clv/webhooks-dead-letter');
  const [crm, loader] = config.endpoints;
  assert.deepEqual({ ...crm, filter: { ...crm.filter } }, {
    name: 'crm', url: 'https://crm.example.com/hooks/clv', secret: crmSecret, topics: ['clv.segment-changes.v1'],
    filter: { segments: ['at_risk', 'lost'], actions: null }, timeoutMs: 5000, maxAttempts: 6,
    maxBatchEvents: webhookDefaults.maxBatchEvents, initialBackoffMs: webhookDefaults.initialBackoffMs, maxBackoffMs: webhookDefaults.maxBackoffMs, fromBeginning: false,
  });
  assert.equal(loader.filter, null);
  assert.equal(loader.maxBatchEvents, 500);
  assert.equal(loader.fromBeginning, true);
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.endpoints) && Object.isFrozen(crm));
});

test('webhook config: off when CLV_WEBHOOKS_FILE is unset; unreadable or non-JSON files name the file', async () => {
  assert.equal(loadWebhookConfig({}), null);
  assert.throws(() => loadWebhookConfig({ CLV_WEBHOOKS_FILE: '/nonexistent/hooks.json' }), /CLV_WEBHOOKS_FILE="\/nonexistent\/hooks.json": cannot read/);
  const dir = await tempDir('clv-webhook-config-');
  await writeFile(path.join(dir, 'bad.json'), '{ "endpoints": [ ');
  assert.throws(() => loadWebhookConfig({ CLV_WEBHOOKS_FILE: path.join(dir, 'bad.json') }), (e: Error & { code?: string }) => e.code === ErrorCodes.INVALID_CONFIG && /bad\.json: not JSON/.test(e.message));
});

test('webhook config: each problem names its entry and field', () => {
  const withCrm = (patch: Record<string, unknown>) => {
    const doc = valid();
    Object.assign(doc.endpoints[0], patch);
    return doc;
  };
  rejects({}, /endpoints: expected a non-empty array/);
  rejects([], /expected an object with "endpoints"/);
  rejects(withCrm({ url: 'ftp://crm.example.com' }), /endpoints\[0\] "crm"\.url: expected an http: or https: URL, got ftp:/);
  rejects(withCrm({ url: 'not a url' }), /endpoints\[0\] "crm"\.url: expected an http\(s\) URL/);
  rejects(withCrm({ url: 'https://user:pw@crm.example.com/' }), /"crm"\.url: must not contain credentials/);
  rejects(withCrm({ topics: ['clv.features.v1'] }), /"crm"\.topics: unknown topic "clv.features.v1" \(known: clv.segment-changes.v1, clv.scores.v1\)/);
  rejects(withCrm({ topics: [] }), /"crm"\.topics: expected a non-empty array/);
  rejects(withCrm({ filter: { segments: ['vip'] } }), /"crm"\.filter\.segments: unknown value "vip" \(known: new, high_value/);
  rejects(withCrm({ filter: { actions: ['spam'] } }), /"crm"\.filter\.actions: unknown value "spam"/);
  rejects(withCrm({ filter: { segment: ['lost'] } }), /"crm"\.filter\.segment: unknown setting/);
  rejects(withCrm({ timeoutMs: 0 }), /"crm"\.timeoutMs: expected an integer ≥ 100/);
  rejects(withCrm({ maxAttempts: 2.5 }), /"crm"\.maxAttempts: expected an integer/);
  rejects(withCrm({ maxBatchEvents: 5000 }), /"crm"\.maxBatchEvents: expected an integer ≥ 1 and ≤ 1000/);
  rejects(withCrm({ initialBackoffMs: 500, maxBackoffMs: 100 }), /"crm"\.maxBackoffMs: must be ≥ initialBackoffMs \(500\)/);
  rejects(withCrm({ retries: 3 }), /"crm"\.retries: unknown setting/);
  rejects(withCrm({ name: 'crm/../../etc' }), /endpoints\[0\] "crm\/..\/..\/etc"\.name: expected 1–64 letters/);
  const twice = valid();
  twice.endpoints[1].name = 'CRM';
  rejects(twice, /endpoints\[1\] "CRM": name: duplicates endpoints\[0\]/);
  rejects({ endpoints: ['x'] }, /endpoints\[0\]: expected an object/);
});

test('webhook config: secrets must be 32+ characters, from the file or env:VAR, and are never echoed', () => {
  const doc = valid();
  doc.endpoints[1].secret = 'short-secret-123';
  rejects(doc, /endpoints\[1\] "warehouse-loader"\.secret: has 16 characters; at least 32/);
  assert.throws(() => parseWebhookConfig(doc, env, 'test.json'), (e: Error) => !e.message.includes('short-secret-123'));
  rejects(valid(), /"crm"\.secret: environment variable CLV_WEBHOOK_SECRET_CRM is not set/, {});
  rejects(valid(), /"crm"\.secret: environment variable CLV_WEBHOOK_SECRET_CRM holds 5 characters/, { CLV_WEBHOOK_SECRET_CRM: 'hello' });
  const badVar = valid();
  badVar.endpoints[0].secret = 'env:$HOME';
  rejects(badVar, /"crm"\.secret: "env:" must be followed by an environment variable name/);
});

test('webhook config: every problem is reported at once', () => {
  const doc = valid();
  Object.assign(doc.endpoints[0], { url: 'ftp://x', timeoutMs: -1 });
  doc.endpoints[1].topics = ['nope'];
  assert.throws(() => parseWebhookConfig(doc, env, 'test.json'), (e: Error) =>
    /"crm"\.url/.test(e.message) && /"crm"\.timeoutMs/.test(e.message) && /"warehouse-loader"\.topics/.test(e.message));
});
