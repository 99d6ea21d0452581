/**
 * The settlement statement `clv reconcile --statements FILE` reads: what the payment provider
 * or bank says it settled, one line per settled capture or refund (format in
 * docs/reconciliation.md).
 *
 *   reference,order_id,amount,currency,date
 *   P00000042-1,O00000042,123.45,USD,2024-06-03
 *   P00000042-1,O00000042,-20.00,USD,2024-06-12
 *
 * Every line is checked before anything is returned: a bad file fails whole with one line
 * naming the file, the line number and the field, and nothing is reconciled against half a
 * file.
 */
import { parse } from 'csv-parse/sync';
import { dayIndexOfDate } from '../core/calendar.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { parseDecimalAmount } from './currency-amount.js';

/** The columns, in this order; a first line naming exactly these is a header. */
export const STATEMENT_COLUMNS = ['reference', 'order_id', 'amount', 'currency', 'date'] as const;

export interface StatementLine {
  /** 1-based line in the file, for messages and the report. */
  line: number;
  /** The provider's reference of the payment: the stream's `payment_id`. */
  reference: string;
  orderId: string;
  /** Signed minor units: positive for a settled capture, negative for a settled refund; never 0. */
  amountMinor: number;
  /** ISO 4217 code. */
  currency: string;
  /** Settlement date as a day index (core/calendar.ts). */
  day: number;
}

/**
 * The lines of a statement's text. `source` names the file in messages.
 * @throws ClvError INVALID_INPUT_FILE `source:line: …` on the first bad line.
 */
export function parseSettlementStatement(text: string, source: string): StatementLine[] {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // Both line ends named: left to guess, csv-parse miscounts lines after a mixed one.
    const parsed: unknown = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: true, info: true, bom: true, record_delimiter: ['\r\n', '\n'] });
    // `info: true` wraps each record with where it ended, which csv-parse's types do not model.
    records = parsed as typeof records;
  } catch (cause) {
    throw new ClvError(ErrorCodes.INVALID_INPUT_FILE, `${source}: ${(cause as Error).message}`, { cause });
  }
  const lines: StatementLine[] = [];
  records.forEach(({ record, info }, i) => {
    const line = info.lines;
    const fail = (why: string): never => {
      throw new ClvError(ErrorCodes.INVALID_INPUT_FILE, `${source}:${line}: ${why}`);
    };
    if (i === 0 && isHeader(record)) return;
    if (record.length !== STATEMENT_COLUMNS.length) {
      fail(`expected ${STATEMENT_COLUMNS.length} columns (${STATEMENT_COLUMNS.join(',')}), found ${record.length}`);
    }
    const [reference, orderId, amount, currency, date] = record;
    if (reference === '') fail('reference is empty');
    if (orderId === '') fail('order_id is empty');
    if (!/^[A-Z]{3}$/.test(currency)) fail(`currency "${currency}" is not a three-letter ISO 4217 code`);
    const parsed = parseDecimalAmount(amount, currency);
    if ('error' in parsed) return fail(parsed.error);
    if (parsed.minor === 0) fail('amount is 0: a line settles a capture (positive) or a refund (negative)');
    let day: number;
    try {
      day = dayIndexOfDate(date);
    } catch {
      return fail(`date "${date}" is not a date YYYY-MM-DD`);
    }
    lines.push({ line, reference, orderId, amountMinor: parsed.minor, currency, day });
  });
  return lines;
}

function isHeader(record: readonly string[]): boolean {
  return record.length === STATEMENT_COLUMNS.length && record.every((v, i) => v.toLowerCase() === STATEMENT_COLUMNS[i]);
}
