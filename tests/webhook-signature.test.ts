import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeSignature, signatureHeader, verifyWebhookSignature } from '../consumers/webhooks/webhook-signature.js';
import { readFixture } from './support/fixtures.js';

interface Vector { secret: string; timestamp: number; body: string; v1: string }
const vector = readFixture<Vector>('webhook-signature.json');
const secret = vector.secret;

test('webhook signature: matches an HMAC-SHA256 computed with Python hmac', () => {
  assert.equal(computeSignature(vector.secret, vector.body, vector.timestamp), vector.v1);
  assert.equal(signatureHeader(vector.secret, Buffer.from(vector.body), vector.timestamp), `t=${vector.timestamp},v1=${vector.v1}`);
});

test('webhook signature: a signed body verifies within the replay window', () => {
  const header = signatureHeader(secret, vector.body, 1_000);
  assert.deepEqual(verifyWebhookSignature(header, vector.body, secret, { nowSec: 1_000 }), { ok: true, timestampSec: 1_000 });
  assert.deepEqual(verifyWebhookSignature(header, Buffer.from(vector.body), secret, { nowSec: 1_299 }), { ok: true, timestampSec: 1_000 });
});

test('webhook signature: a tampered body, another secret or a forged timestamp fail', () => {
  const header = signatureHeader(secret, vector.body, 1_000);
  const fail = (h: string | undefined, body: string, s: string | string[] = secret) => verifyWebhookSignature(h, body, s, { nowSec: 1_000 });
  assert.deepEqual(fail(header, vector.body.replace('high_value', 'low_value')), { ok: false, reason: 'signature_mismatch' });
  assert.deepEqual(fail(header, vector.body + ' '), { ok: false, reason: 'signature_mismatch' }, 'any byte counts: verify the raw body');
  assert.deepEqual(fail(header, vector.body, 'x'.repeat(40)), { ok: false, reason: 'signature_mismatch' });
  assert.deepEqual(fail(header.replace('t=1000', 't=1001'), vector.body), { ok: false, reason: 'signature_mismatch' }, 't is signed');
  assert.deepEqual(fail(undefined, vector.body), { ok: false, reason: 'missing_header' });
  assert.deepEqual(fail('sha256=abc', vector.body), { ok: false, reason: 'malformed_header' });
  assert.deepEqual(fail('t=1000', vector.body), { ok: false, reason: 'malformed_header' });
});

test('webhook signature: timestamps older or newer than the tolerance are replays', () => {
  const header = signatureHeader(secret, vector.body, 1_000);
  assert.deepEqual(verifyWebhookSignature(header, vector.body, secret, { nowSec: 1_301 }), { ok: false, reason: 'timestamp_outside_tolerance' });
  assert.deepEqual(verifyWebhookSignature(header, vector.body, secret, { nowSec: 699 }), { ok: false, reason: 'timestamp_outside_tolerance' });
  assert.equal(verifyWebhookSignature(header, vector.body, secret, { nowSec: 1_301, toleranceSec: 600 }).ok, true);
});

test('webhook signature: rotating secrets, several v1 entries and unknown schemes', () => {
  const old = 'o'.repeat(32);
  const header = `t=1000,v1=${'0'.repeat(64)},v0=ignored,v1=${computeSignature(secret, vector.body, 1_000)}`;
  assert.equal(verifyWebhookSignature(header, vector.body, [old, secret], { nowSec: 1_000 }).ok, true);
  assert.equal(verifyWebhookSignature(signatureHeader(old, vector.body, 1_000), vector.body, [old, secret], { nowSec: 1_000 }).ok, true);
});
