/**
 * The encoding @fastify/compress would choose, as the customer route works it out to send a
 * kept gzip itself; and the Vary value it adds. (That the route's answers equal the plugin's
 * for each of these headers is checked end to end in api-customer-documents.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compressionEncodingOf, varyWithAcceptEncoding } from '../api/response-compression.js';

test('response compression: the encoding negotiated from Accept-Encoding in the server\'s order of preference', () => {
  const of = (acceptEncoding?: string, more: Record<string, string> = {}) => compressionEncodingOf({ ...(acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }), ...more });
  assert.equal(of(undefined), null);
  assert.equal(of('gzip'), 'gzip');
  assert.equal(of('gzip, deflate, br'), 'gzip');
  assert.equal(of('br, gzip'), 'gzip');
  assert.equal(of('br'), 'br');
  assert.equal(of('deflate'), 'deflate');
  assert.equal(of('gzip;q=0.5, br;q=1'), 'br');
  assert.equal(of('gzip;q=0, deflate'), 'deflate');
  assert.equal(of('identity'), null);
  assert.equal(of('compress'), null);
  // No preference and the old alias both mean gzip; the header is read case-blind.
  assert.equal(of('*'), 'gzip');
  assert.equal(of('x-gzip'), 'gzip');
  assert.equal(of('GZIP'), 'gzip');
  // The plugin's opt-out header wins over any Accept-Encoding.
  assert.equal(of('gzip', { 'x-no-compression': '1' }), null);
});

test('response compression: Vary gains accept-encoding once, after what it named', () => {
  assert.equal(varyWithAcceptEncoding(undefined), 'accept-encoding');
  assert.equal(varyWithAcceptEncoding('Origin'), 'Origin, accept-encoding');
  assert.equal(varyWithAcceptEncoding(['Origin', 'Authorization']), 'Origin, Authorization, accept-encoding');
  assert.equal(varyWithAcceptEncoding('Origin, accept-encoding'), 'Origin, accept-encoding');
});
