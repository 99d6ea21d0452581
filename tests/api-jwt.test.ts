import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { signJwt, verifyJwt, type JwtSettings } from '../api/jwt.js';

const secret = 'a-test-secret-that-is-long-enough-for-hs256';
const settings: JwtSettings = { secret, issuer: null, audience: null };
const now = Date.UTC(2025, 0, 1);
const exp = now / 1000 + 3600;

test('a valid HS256 token yields its known scopes and a digest of the subject, not the subject', () => {
  const result = verifyJwt(signJwt({ sub: 'alice@example.com', scope: 'read ingest openid', exp }, secret), settings, now);
  assert.ok(!('refused' in result));
  assert.deepEqual(result.scopes, ['read', 'ingest']);
  assert.match(result.subjectDigest, /^[0-9a-f]{16}$/);
  assert.ok(!JSON.stringify(result).includes('alice'));
});

test('refuses bad signatures, other algorithms, alg none, expiry, nbf, missing exp, wrong issuer and audience', () => {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const token = signJwt({ sub: 's', scope: 'read', exp }, secret);
  const [h, p] = token.split('.');
  const hs512 = `${b64({ alg: 'HS512', typ: 'JWT' })}.${p}.${createHmac('sha512', secret).update(`${b64({ alg: 'HS512', typ: 'JWT' })}.${p}`).digest('base64url')}`;
  const cases: Array<[string, string, typeof settings]> = [
    [signJwt({ sub: 's', exp }, 'another-secret-that-is-long-enough-000'), 'bad signature', settings],
    [`${b64({ alg: 'none' })}.${p}.`, 'not a compact JWS', settings],
    [`${b64({ alg: 'none' })}.${p}.x`, 'algorithm is not HS256', settings],
    [hs512, 'algorithm is not HS256', settings],
    [`${h}.${p}`, 'not a compact JWS', settings],
    [signJwt({ sub: 's', exp: now / 1000 - 31 }, secret), 'expired', settings],
    [signJwt({ sub: 's', exp, nbf: now / 1000 + 60 }, secret), 'not yet valid', settings],
    [signJwt({ sub: 's' }, secret), 'no exp claim', settings],
    [signJwt({ sub: 's', exp, iss: 'other' }, secret), 'wrong issuer', { ...settings, issuer: 'idp' }],
    [signJwt({ sub: 's', exp, aud: ['x'] }, secret), 'wrong audience', { ...settings, audience: 'clv' }],
  ];
  for (const [t, reason, s] of cases) assert.deepEqual(verifyJwt(t, s, now), { refused: reason }, reason);
});

test('accepts the configured issuer and an audience list containing ours, within 30 s of clock skew', () => {
  const t = signJwt({ sub: 's', scope: 'admin', exp: now / 1000 - 10, iss: 'idp', aud: ['other', 'clv'] }, secret);
  const result = verifyJwt(t, { secret, issuer: 'idp', audience: 'clv' }, now);
  assert.ok(!('refused' in result) && result.scopes[0] === 'admin');
});

test('signatures are compared canonically: the other encodings of the last base64url character are refused', () => {
  // 32 bytes of HMAC take 43 base64url characters, the last carrying 2 bits of padding: four
  // characters decode to the same bytes, but only the canonical one is the signature.
  const token = signJwt({ sub: 's', scope: 'read', exp }, secret);
  const [h, p, s] = token.split('.');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(s.at(-1)!);
  const twins = [0, 1, 2, 3].map((low) => alphabet[(last & ~3) | low]).filter((c) => c !== s.at(-1));
  assert.equal(twins.length, 3);
  for (const twin of twins) {
    const forged = `${h}.${p}.${s.slice(0, -1)}${twin}`;
    assert.deepEqual(Buffer.from(forged.split('.')[2], 'base64url'), Buffer.from(s, 'base64url'), 'decodes to the same bytes');
    assert.deepEqual(verifyJwt(forged, settings, now), { refused: 'bad signature' }, twin);
  }
  assert.ok(!('refused' in verifyJwt(token, settings, now)));
  assert.deepEqual(verifyJwt(`${token}A`, settings, now), { refused: 'bad signature' });
});
