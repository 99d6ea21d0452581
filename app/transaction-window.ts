/**
 * Whether a file's transactions cover the calibration and holdout periods asked for
 * (`clv evaluate`, `clv demo --input`). Outside the data a result would be silently wrong:
 * days after the last transaction would count as days nobody bought (a holdout ending in 1999
 * on data that ends in 1998 "under-buys" by a year), and a calibration period before the
 * first purchase has no customers. So such dates are refused, naming the flag and the
 * dates the file allows.
 */
import { dateOfDayIndex } from '../core/calendar.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import type { Transaction } from '../producers/transaction-file.js';

export interface TransactionWindow {
  /** As given (YYYY-MM-DD), for messages, and as day indices. */
  calibrationEnd: string;
  holdoutEnd: string;
  calibrationEndDay: number;
  holdoutEndDay: number;
}

/** First and last purchase day of the file. @throws ClvError INVALID_INPUT_FILE when it has no transactions. */
export function transactionDays(transactions: readonly Transaction[], source: string): { firstDay: number; lastDay: number } {
  if (transactions.length === 0) throw new ClvError(ErrorCodes.INVALID_INPUT_FILE, `--input ${source} has no transactions`);
  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (const t of transactions) {
    if (t.day < firstDay) firstDay = t.day;
    if (t.day > lastDay) lastDay = t.day;
  }
  return { firstDay, lastDay };
}

/** @throws ClvError INVALID_CONFIG naming the flag whose date the data does not cover. */
export function checkTransactionWindow(transactions: readonly Transaction[], w: TransactionWindow, source: string): void {
  if (w.holdoutEndDay <= w.calibrationEndDay) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `--holdout-end ${w.holdoutEnd} must be after --calibration-end ${w.calibrationEnd}`);
  }
  const { firstDay, lastDay } = transactionDays(transactions, source);
  const [first, last] = [dateOfDayIndex(firstDay), dateOfDayIndex(lastDay)];
  if (w.calibrationEndDay < firstDay) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG,
      `--calibration-end ${w.calibrationEnd} is before the first purchase in ${source} (${first}): no customer would be in the calibration period; use a date from ${first} to before ${last}`);
  }
  if (w.holdoutEndDay > lastDay) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG,
      `--holdout-end ${w.holdoutEnd} is after the last transaction in ${source} (${last}): the days after it would count as days without purchases; use a date up to ${last}`);
  }
}
