import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SortedKeySet } from '../read-model/sorted-key-set.js';

/** Reference: a plain sorted array of the distinct keys. */
function reference(ops: Array<['add' | 'delete', string]>): string[] {
  const set = new Set<string>();
  for (const [op, k] of ops) op === 'add' ? set.add(k) : set.delete(k);
  return [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

test('matches a sorted array under any sequence of adds and deletes (blocks split and empty)', () => {
  const key = fc.integer({ min: 0, max: 5000 }).map((n) => `C${String(n).padStart(5, '0')}`);
  fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom('add' as const, 'add' as const, 'delete' as const), key), { maxLength: 6000 }), (ops) => {
    const set = new SortedKeySet();
    for (const [op, k] of ops) op === 'add' ? set.add(k) : set.delete(k);
    const expected = reference(ops);
    assert.equal(set.size, expected.length);
    assert.deepEqual(set.after(null, Infinity), expected);
  }), { numRuns: 30 });
});

test('after(x, k) pages through every key exactly once, whether x is a member or not', () => {
  fc.assert(fc.property(fc.uniqueArray(fc.string({ maxLength: 6 }), { maxLength: 3000 }), fc.integer({ min: 1, max: 50 }), fc.string({ maxLength: 6 }), (keys, k, probe) => {
    const set = new SortedKeySet();
    for (const key of keys) set.add(key);
    const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const walked: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = set.after(after, k);
      walked.push(...page);
      if (page.length < k) break;
      after = page[page.length - 1];
    }
    assert.deepEqual(walked, sorted);
    assert.deepEqual(set.after(probe, 5), sorted.filter((s) => s > probe).slice(0, 5));
  }), { numRuns: 50 });
});

test('add and delete report whether the set changed', () => {
  const set = new SortedKeySet();
  assert.equal(set.add('b'), true);
  assert.equal(set.add('b'), false);
  assert.equal(set.delete('a'), false);
  assert.equal(set.delete('b'), true);
  assert.equal(set.delete('b'), false);
  assert.deepEqual(set.after(null, 10), []);
});
