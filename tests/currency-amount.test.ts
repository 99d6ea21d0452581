/** Exact decimal money (reconciliation/currency-amount.ts): text to minor units and back, by ISO 4217 minor unit. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMinor, minorUnitDigits, parseDecimalAmount } from '../reconciliation/currency-amount.js';

test('minor unit digits follow ISO 4217: USD 2, JPY and VND 0, KWD 3', () => {
  assert.deepEqual(['USD', 'EUR', 'JPY', 'VND', 'KWD'].map(minorUnitDigits), [2, 2, 0, 0, 3]);
});

test('parses decimals exactly, without floats: 0.29 is 29 cents, not 28.999…', () => {
  assert.deepEqual(parseDecimalAmount('0.29', 'USD'), { minor: 29 });
  assert.deepEqual(parseDecimalAmount('1234567.89', 'USD'), { minor: 123456789 });
  assert.deepEqual(parseDecimalAmount('-20', 'USD'), { minor: -2000 });
  assert.deepEqual(parseDecimalAmount('+7.5', 'USD'), { minor: 750 });
  assert.deepEqual(parseDecimalAmount('-0.00', 'USD'), { minor: 0 });
  assert.deepEqual(parseDecimalAmount('12000', 'VND'), { minor: 12000 });
  assert.deepEqual(parseDecimalAmount('1.234', 'KWD'), { minor: 1234 });
  assert.ok('error' in parseDecimalAmount('99999999999999999', 'USD'), 'beyond a safe integer of cents');
  for (const bad of ['', '.5', '5.', '1,00', '1 000', '0x10', 'NaN', '--1']) assert.ok('error' in parseDecimalAmount(bad, 'USD'), bad);
});

test('formats minor units back with the currency\'s digits', () => {
  assert.deepEqual([formatMinor(12345, 'USD'), formatMinor(-5, 'USD'), formatMinor(0, 'USD'), formatMinor(-2000, 'USD')], ['123.45', '-0.05', '0.00', '-20.00']);
  assert.deepEqual([formatMinor(12000, 'VND'), formatMinor(-1, 'JPY'), formatMinor(1234, 'KWD')], ['12000', '-1', '1.234']);
  for (const minor of [0, 1, -1, 99, 100, -123456789]) assert.deepEqual(parseDecimalAmount(formatMinor(minor, 'USD'), 'USD'), { minor }, `round trip ${minor}`);
});
