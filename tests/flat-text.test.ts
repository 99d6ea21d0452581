import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flatText } from '../adapters/in-memory/flat-text.js';

test('flatText: gives back the same text, whatever it would read as a number', () => {
  const rope = JSON.stringify([1, 'USD', [[2, 3, 4.5]], 'électronique', Array.from({ length: 40 }, (_, i) => i)]);
  for (const text of [rope, '', '123', '1e3', ' 0x1f ', 'NaN', 'Infinity', '😀'.repeat(20)]) {
    const flat = flatText(text);
    assert.equal(typeof flat, 'string');
    assert.equal(flat, text);
  }
});
