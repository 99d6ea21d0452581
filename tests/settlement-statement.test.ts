/** The statement file format (reconciliation/settlement-statement.ts): what it accepts, and one clear line naming the line number for what it does not. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexOfDate } from '../core/calendar.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { parseSettlementStatement } from '../reconciliation/settlement-statement.js';

test('reads lines with or without a header, signed decimal amounts in minor units, blank lines skipped', () => {
  const text = 'reference,order_id,amount,currency,date\nP1,O1,123.45,USD,2024-06-03\n\nP1,O1,-20,USD,2024-06-12\r\nP2,"O,2",5000,JPY,2024-06-04\n';
  assert.deepEqual(parseSettlementStatement(text, 's.csv'), [
    { line: 2, reference: 'P1', orderId: 'O1', amountMinor: 12345, currency: 'USD', day: dayIndexOfDate('2024-06-03') },
    { line: 4, reference: 'P1', orderId: 'O1', amountMinor: -2000, currency: 'USD', day: dayIndexOfDate('2024-06-12') },
    { line: 5, reference: 'P2', orderId: 'O,2', amountMinor: 5000, currency: 'JPY', day: dayIndexOfDate('2024-06-04') },
  ]);
  assert.deepEqual(parseSettlementStatement('P1,O1,0.5,USD,2024-06-03', 's.csv').map((l) => [l.line, l.amountMinor]), [[1, 50]]);
  assert.deepEqual(parseSettlementStatement('\uFEFFREFERENCE,Order_Id,Amount,Currency,Date\n', 's.csv'), [], 'a header alone (any case, after a BOM): an empty statement');
  assert.deepEqual(parseSettlementStatement('', 's.csv'), []);
});

test('a bad line stops the whole file with its line number and what is wrong', () => {
  const header = 'reference,order_id,amount,currency,date\nP1,O1,1.00,USD,2024-06-03\n';
  const cases: Array<[string, RegExp]> = [
    ['P2,O2,1.00,USD', /s\.csv:3: expected 5 columns \(reference,order_id,amount,currency,date\), found 4/],
    [',O2,1.00,USD,2024-06-03', /s\.csv:3: reference is empty/],
    ['P2,,1.00,USD,2024-06-03', /s\.csv:3: order_id is empty/],
    ['P2,O2,1.00,usd,2024-06-03', /s\.csv:3: currency "usd" is not a three-letter ISO 4217 code/],
    ['P2,O2,1.005,USD,2024-06-03', /s\.csv:3: amount "1\.005" has 3 decimals; USD has 2/],
    ['P2,O2,12.5,JPY,2024-06-03', /s\.csv:3: amount "12\.5" has 1 decimals; JPY has 0/],
    ['P2,O2,"1,000.00",USD,2024-06-03', /s\.csv:3: amount "1,000\.00" is not a decimal number/],
    ['P2,O2,1e3,USD,2024-06-03', /s\.csv:3: amount "1e3" is not a decimal number/],
    ['P2,O2,0.00,USD,2024-06-03', /s\.csv:3: amount is 0/],
    ['P2,O2,1.00,USD,2024-02-30', /s\.csv:3: date "2024-02-30" is not a date YYYY-MM-DD/],
    ['P2,O2,1.00,USD,03/06/2024', /s\.csv:3: date "03\/06\/2024" is not a date/],
    ['P2,"O2,1.00,USD,2024-06-03', /s\.csv: Quote Not Closed/],
  ];
  for (const [bad, message] of cases) {
    assert.throws(() => parseSettlementStatement(header + bad + '\nP3,O3,1.00,USD,2024-06-03\n', 's.csv'),
      (e: unknown) => e instanceof ClvError && e.code === ErrorCodes.INVALID_INPUT_FILE && message.test(e.message), bad);
  }
  // A header is only a header on the first line.
  assert.throws(() => parseSettlementStatement(header + header, 's.csv'), /s\.csv:3: currency "currency" is not a three-letter ISO 4217 code/);
});
