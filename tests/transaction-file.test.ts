import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexer, dayIndexOfDate } from '../core/calendar.js';
import { ErrorCodes } from '../core/errors.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectTransactionFormat, parseCdnow, parseCsv, readTransactionFile } from '../producers/transaction-file.js';

const utc = dayIndexer('UTC');

test('reads CDNOW master (4 columns, header) and sample (5 columns) rows', () => {
  const master = parseCdnow(' customer_id  date number_of_cds  dollar_value\n 00001 19970101  1   11.77\n 00002 19970112  1   12.00\n', 'master', 100);
  assert.deepEqual(master.map((t) => [t.customerId, t.day, t.amountMinor, t.line]), [
    ['00001', dayIndexOfDate('1997-01-01'), 1177, 2],
    ['00002', dayIndexOfDate('1997-01-12'), 1200, 3],
  ]);
  const sample = parseCdnow(' 00004 0001 19970118  2   29.73\n', 'sample', 100);
  assert.deepEqual(sample.map((t) => [t.customerId, t.day, t.amountMinor]), [['00004', dayIndexOfDate('1997-01-18'), 2973]]);
});

test('reads generic CSV with dates or datetimes, and renamed columns', () => {
  const rows = parseCsv('id,when,total\nA,2024-03-01,10.5\nB,2024-03-02T23:30:00+07:00,"1,000"\n'.replace('"1,000"', '7'), 'f.csv', {
    format: 'csv', minorPerUnit: 100, dayOf: utc, columns: { customer: 'id', date: 'when', amount: 'total' },
  });
  assert.deepEqual(rows.map((t) => [t.customerId, t.day, t.amountMinor]), [
    ['A', dayIndexOfDate('2024-03-01'), 1050],
    ['B', dayIndexOfDate('2024-03-02'), 700],
  ]);
});

test('bad input names the line: missing column, unparsable date, negative amount', () => {
  const fails = (fn: () => unknown, pattern: RegExp) =>
    assert.throws(fn, (e: Error & { code?: string }) => e.code === ErrorCodes.INVALID_INPUT_FILE && pattern.test(e.message));
  const csv = (text: string) => () => parseCsv(text, 'in.csv', { format: 'csv', minorPerUnit: 100, dayOf: utc });
  fails(csv('customer_id,amount\nA,1\n'), /in\.csv:1: missing column "order_date"/);
  fails(csv('customer_id,order_date,amount\nA,2024-01-01,1\nB,yesterday,2\n'), /in\.csv:3: unparsable date "yesterday"/);
  fails(csv('customer_id,order_date,amount\nA,2024-01-01,-5\n'), /in\.csv:2: negative amount -5/);
  fails(csv('customer_id,order_date,amount\nA,2024-02-30,5\n'), /in\.csv:2: no such date/);
  fails(() => parseCdnow(' 00001 19970101  1   11.77\n 00002 1997011  1   12.00\n', 'cd.txt', 100), /cd\.txt:2: date "1997011" is not YYYYMMDD/);
  fails(() => parseCdnow(' 00001 19970101  1\n', 'cd.txt', 100), /cd\.txt:1: expected 4 or 5 columns/);
});

test('auto format: CDNOW master (header line first) and sample lines are CDNOW; a CSV header is CSV', () => {
  assert.equal(detectTransactionFormat(' customer_id  date number_of_cds  dollar_value\n 00001 19970101  1   11.77\n'), 'cdnow');
  assert.equal(detectTransactionFormat('\n 00004 0001 19970118  2   29.73\n'), 'cdnow');
  assert.equal(detectTransactionFormat('customer_id,order_date,amount\nA,2024-03-01,10.5\n'), 'csv');
  assert.equal(detectTransactionFormat('id;when;total\n'), 'csv');
});

test('a CSV read of a CDNOW file says to use --format cdnow', () => {
  assert.throws(
    () => parseCsv(' 00001 19970101  1   11.77\n', 'cd.txt', { format: 'csv', minorPerUnit: 100, dayOf: utc }),
    /cd\.txt:1: missing column "customer_id" .*--format cdnow/,
  );
});

test('a customer id with a control, format or lone-surrogate code point stops the replay naming the line (the rule of core/ids)', () => {
  const csv = (id: string) => () => parseCsv(`customer_id,order_date,amount\nA,2024-01-01,1\n${id},2024-01-02,2\n`, 'in.csv', { format: 'csv', minorPerUnit: 100, dayOf: utc });
  for (const [id, what] of [['B\u200bC', 'U\\+200B'], ['B\u0085', 'U\\+0085'], ['x'.repeat(129), 'longer than 128']] as const) {
    assert.throws(csv(id), (e: Error & { code?: string }) => e.code === ErrorCodes.INVALID_INPUT_FILE && new RegExp(`in\\.csv:3: customer id .*${what}`).test(e.message), what);
  }
  assert.equal(csv('客户/ü-1')().length, 2, 'other characters, "/" included, are fine');
  assert.throws(() => parseCdnow(' 0000\u200b1 19970101  1   11.77\n', 'cd.txt', 100), /cd\.txt:1: customer id holds U\+200B/);
  // Bytes that are not UTF-8 (a Latin-1 file, a cut multi-byte character) would all read as
  // U+FFFD, merging customers the way lone surrogates would: the file is refused instead.
  const dir = mkdtempSync(join(tmpdir(), 'clv-tx-'));
  const file = join(dir, 'latin1.csv');
  writeFileSync(file, Buffer.concat([Buffer.from('customer_id,order_date,amount\nA,2024-01-01,1\nRen'), Buffer.from([0xe9]), Buffer.from(',2024-01-02,2\n')]));
  assert.throws(() => readTransactionFile(file, { format: 'csv', minorPerUnit: 100, dayOf: utc }), (e: Error & { code?: string }) => e.code === ErrorCodes.INVALID_INPUT_FILE && /latin1\.csv:3: not UTF-8/.test(e.message));
  rmSync(dir, { recursive: true });
});
