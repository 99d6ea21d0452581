import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compositeKey, compositeKeyParts } from '../core/composite-key.js';

test('composite keys: distinct part lists never share a key, and the parts come back', () => {
  assert.notEqual(compositeKey('A/B', 'C'), compositeKey('A', 'B/C'));
  assert.equal(compositeKey('A/B', 'C'), 'A%2FB/C');
  assert.equal(compositeKey('A', 'B/C'), 'A/B%2FC');
  assert.equal(compositeKey('C42', 'O-7'), 'C42/O-7', 'ordinary ids are kept as they are');
  fc.assert(fc.property(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 4 }), fc.array(fc.string(), { minLength: 1, maxLength: 4 }), (a, b) => {
    assert.deepEqual(compositeKeyParts(compositeKey(...a)), a);
    if (JSON.stringify(a) !== JSON.stringify(b)) assert.notEqual(compositeKey(...a), compositeKey(...b));
  }), { numRuns: 2000 });
});
