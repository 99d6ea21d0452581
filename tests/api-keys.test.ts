import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ApiKeyVerifier, createApiKey, formatApiKeyRecord, parseApiKeyRecords } from '../core/api-keys.js';
import { ClvError, ErrorCodes } from '../core/errors.js';

test('a created key verifies to its name and scopes; the record holds no secret', () => {
  const { key, record } = createApiKey('crm', ['read', 'ingest']);
  assert.match(key, /^clv_crm_[A-Za-z0-9_-]{43}$/);
  const secret = key.slice('clv_crm_'.length);
  assert.ok(!formatApiKeyRecord(record).includes(secret));
  assert.deepEqual(new ApiKeyVerifier([record]).verify(key), { name: 'crm', scopes: ['read', 'ingest'] });
});

test('the stored hash is SHA-256 of salt bytes then secret', () => {
  const { key, record } = createApiKey('crm', ['read']);
  const secret = key.slice('clv_crm_'.length);
  const expected = createHash('sha256').update(Buffer.from(record.salt, 'hex')).update(secret).digest('hex');
  assert.equal(record.hash, expected);
});

test('wrong secrets, unknown names and malformed keys do not verify', () => {
  const { key, record } = createApiKey('crm', ['read']);
  const verifier = new ApiKeyVerifier([record]);
  const flipped = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
  for (const bad of [flipped, key.replace('clv_crm_', 'clv_other_'), key.slice(0, -2), 'clv_crm', '', 'Bearer ' + key, key + 'x']) {
    assert.equal(verifier.verify(bad), null, bad);
  }
});

test('records round-trip through the CLV_API_KEYS format, with comments and blank lines', () => {
  const a = createApiKey('crm', ['read']);
  const b = createApiKey('shop-ingest', ['ingest', 'admin']);
  const text = `# keys\n${formatApiKeyRecord(a.record)}\n\n${formatApiKeyRecord(b.record)}\n`;
  const parsed = parseApiKeyRecords(text, 'CLV_API_KEYS_FILE');
  assert.deepEqual(parsed, [a.record, b.record]);
  assert.deepEqual(parseApiKeyRecords(`${formatApiKeyRecord(a.record)},${formatApiKeyRecord(b.record)}`, 'CLV_API_KEYS'), [a.record, b.record]);
  const verifier = new ApiKeyVerifier(parsed);
  assert.equal(verifier.verify(b.key)?.name, 'shop-ingest');
});

test('malformed records fail with INVALID_CONFIG naming the setting and entry, never echoing a hash', () => {
  const good = formatApiKeyRecord(createApiKey('crm', ['read']).record);
  const [name, , salt, hash] = good.split(':');
  const cases: Array<[string, RegExp]> = [
    [`${name}:read:${salt}`, /entry 1: has 3 fields/],
    [`bad_name:read:${salt}:${hash}`, /name must be/],
    [`${name}:write:${salt}:${hash}`, /unknown scope "write"/],
    [`${name}::${salt}:${hash}`, /has no scope/],
    [`${name}:read:xyz:${hash}`, /salt must be/],
    [`${name}:read:${salt}:${hash.slice(1)}`, /hash must be/],
    [`${good}\n${good}`, /entry 2: the name "crm" is used twice/],
  ];
  for (const [text, why] of cases) {
    assert.throws(() => parseApiKeyRecords(text, 'CLV_API_KEYS'), (e: unknown) => {
      assert.ok(e instanceof ClvError && e.code === ErrorCodes.INVALID_CONFIG);
      assert.match(e.message, /^invalid setting CLV_API_KEYS: /);
      assert.match(e.message, why);
      assert.ok(!e.message.includes(hash.slice(0, 16)), 'the message must not echo the hash');
      return true;
    });
  }
});

test('createApiKey refuses names that would not parse back and keys without scopes', () => {
  assert.throws(() => createApiKey('has_underscore', ['read']), /name/);
  assert.throws(() => createApiKey('crm', []), /at least one scope/);
});
