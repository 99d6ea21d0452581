import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { enUsNumberFormat } from '../api/en-us-number-format.js';

const formats: Array<[string, Intl.NumberFormatOptions]> = [
  ['number, ≤ 2 decimals', { maximumFractionDigits: 2 }],
  ['percent, ≤ 1 decimal', { style: 'percent', maximumFractionDigits: 1 }],
  ...['USD', 'EUR', 'GBP', 'VND', 'JPY', 'CHF', 'KWD', 'CAD'].map((c): [string, Intl.NumberFormatOptions] => [c, { style: 'currency', currency: c }]),
];

// Ties in the shortest decimal digits (x.xx5, x.x5), values around powers of ten and the
// grouping boundaries, tiny and huge values (exponent notation), and the odd ones.
const edges = [
  0, -0, 1, 0.5, 0.005, 0.015, 0.125, 1.005, 2.675, 0.045, 0.0005, 0.00049, 9.995, 99.995, 999.995, 999_999.995,
  0.9995, 0.99949, 1e-7, 123_456_789.125, 1e15, 1e21, 1.5e300, 12.345, 0.07, 0.0125, 0.155, -3.2, NaN, Infinity, -Infinity,
];

test('gives the same text as Intl.NumberFormat en-US on edge cases: ties, carries into a new digit, groups, exponents', () => {
  for (const [name, options] of formats) {
    const intl = new Intl.NumberFormat('en-US', options);
    const fast = enUsNumberFormat(options);
    for (const x of edges) assert.equal(fast.format(x), intl.format(x), `${name}: ${x}`);
  }
});

test('gives the same text as Intl.NumberFormat en-US on random doubles and on random two- and three-decimal ties', () => {
  for (const [, options] of formats) {
    const intl = new Intl.NumberFormat('en-US', options);
    const fast = enUsNumberFormat(options);
    fc.assert(fc.property(fc.double({ min: 0, max: 1e12, noNaN: true }), (x) => fast.format(x) === intl.format(x)), { numRuns: 3000 });
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.constantFrom(10, 100, 1000, 10_000), (n, scale) => {
      const x = (n + 0.5) / scale;
      return fast.format(x) === intl.format(x);
    }), { numRuns: 3000, examples: [[0, 100]] });
  }
});
