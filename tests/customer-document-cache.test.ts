import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { CustomerDocumentCache } from '../api/customer-document-cache.js';

test('gives back a body only for the revision it was built from, and drops a stale one', () => {
  const cache = new CustomerDocumentCache(10);
  cache.set('C1', 'rev-1', '{"a":1}');
  assert.equal(cache.get('C1', 'rev-1'), '{"a":1}');
  assert.equal(cache.get('C1', 'rev-2'), undefined);
  assert.equal(cache.size, 0);
  assert.equal(cache.get('C2', 'rev-1'), undefined);
});

test('revisions compare by identity: an equal-looking object of another read is another revision', () => {
  const cache = new CustomerDocumentCache(10);
  const state = { clvMinor: 1 };
  cache.set('C1', state, 'body');
  assert.equal(cache.get('C1', state), 'body');
  assert.equal(cache.get('C1', { clvMinor: 1 }), undefined);
});

test('holds at most maxEntries, evicting the least recently used', () => {
  const cache = new CustomerDocumentCache(2);
  cache.set('C1', 1, 'b1');
  cache.set('C2', 2, 'b2');
  assert.equal(cache.get('C1', 1), 'b1'); // C1 now the most recent
  cache.set('C3', 3, 'b3');
  assert.equal(cache.size, 2);
  assert.equal(cache.get('C2', 2), undefined);
  assert.equal(cache.get('C1', 1), 'b1');
  assert.equal(cache.get('C3', 3), 'b3');
});

test('delete forgets a customer; a size that is not a positive integer is refused', () => {
  const cache = new CustomerDocumentCache(1);
  cache.set('C1', 1, 'b1');
  cache.delete('C1');
  assert.equal(cache.get('C1', 1), undefined);
  assert.throws(() => new CustomerDocumentCache(0), RangeError);
  assert.throws(() => new CustomerDocumentCache(1.5), RangeError);
});

test('the gzip of a kept body is made once and goes with the body', () => {
  const cache = new CustomerDocumentCache(10);
  const body = JSON.stringify({ customer_id: 'C1', clv: { value_minor: 4837 }, padding: 'x'.repeat(2000) });
  cache.set('C1', 'rev-1', body);
  const gzip = cache.gzipOf('C1', body)!;
  assert.equal(gunzipSync(gzip).toString(), body);
  assert.ok(gzip.length < Buffer.byteLength(body));
  assert.equal(cache.gzipOf('C1', body), gzip, 'compressed once: the same buffer again');
  // Not for a body other than the one kept, nor for a customer with none kept.
  assert.equal(cache.gzipOf('C1', '{"other":1}'), undefined);
  assert.equal(cache.gzipOf('C2', body), undefined);
  // A new revision's body gets its own gzip, never the old one.
  const next = body.replace('4837', '9999');
  cache.set('C1', 'rev-2', next);
  assert.equal(gunzipSync(cache.gzipOf('C1', next)!).toString(), next);
});
