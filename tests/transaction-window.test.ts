import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTransactionWindow, transactionDays } from '../app/transaction-window.js';
import { dayIndexOfDate } from '../core/calendar.js';
import { ErrorCodes } from '../core/errors.js';
import type { Transaction } from '../producers/transaction-file.js';

const purchase = (date: string): Transaction => ({ customerId: 'A', day: dayIndexOfDate(date), time: null, amountMinor: 100, line: 1 });
const file = [purchase('1997-03-01'), purchase('1997-01-01'), purchase('1998-06-30')];
const window = (calibrationEnd: string, holdoutEnd: string) => ({ calibrationEnd, holdoutEnd, calibrationEndDay: dayIndexOfDate(calibrationEnd), holdoutEndDay: dayIndexOfDate(holdoutEnd) });
const refused = (w: ReturnType<typeof window>, pattern: RegExp) =>
  assert.throws(() => checkTransactionWindow(file, w, 'shop.txt'), (e: Error & { code?: string }) => e.code === ErrorCodes.INVALID_CONFIG && pattern.test(e.message));

test('the first and last purchase days of a file, in any order', () => {
  assert.deepEqual(transactionDays(file, 'shop.txt'), { firstDay: dayIndexOfDate('1997-01-01'), lastDay: dayIndexOfDate('1998-06-30') });
  assert.throws(() => transactionDays([], 'empty.txt'), /--input empty.txt has no transactions/);
});

test('a window inside the data passes, up to the last transaction day itself', () => {
  checkTransactionWindow(file, window('1997-09-30', '1998-06-30'), 'shop.txt');
  checkTransactionWindow(file, window('1997-01-01', '1997-01-02'), 'shop.txt');
});

test('a holdout past the data, a calibration before it, or a holdout not after the calibration is refused with the allowed dates', () => {
  refused(window('1997-09-30', '1999-12-31'), /^--holdout-end 1999-12-31 is after the last transaction in shop\.txt \(1998-06-30\).*up to 1998-06-30$/);
  refused(window('1996-12-31', '1998-06-30'), /^--calibration-end 1996-12-31 is before the first purchase in shop\.txt \(1997-01-01\).*from 1997-01-01/);
  refused(window('1998-06-30', '1998-05-22'), /^--holdout-end 1998-05-22 must be after --calibration-end 1998-06-30$/);
});
