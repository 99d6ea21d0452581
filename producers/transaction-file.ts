/**
 * Reads transaction files: CDNOW (whitespace separated: customer id, [sample id,] YYYYMMDD,
 * number of CDs, dollar value) or generic CSV (customer_id, order_date, amount by default),
 * told apart by their first lines when the format is `auto` (the CLI's default).
 * Every line is checked before anything is returned, so a bad file fails whole, naming the
 * line, and no caller ever works on half a file.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { dayIndexOfDate, type DayIndexer } from '../core/calendar.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { idProblem } from '../core/id-rule.js';

export interface Transaction {
  customerId: string;
  /** Calendar day index of the purchase. */
  day: number;
  /** Purchase instant, epoch ms: the given datetime, or null for a date-only file. */
  time: number | null;
  amountMinor: number;
  /** 1-based line in the file, for messages. */
  line: number;
}

export interface CsvColumns {
  customer: string;
  date: string;
  amount: string;
}

export const defaultCsvColumns: CsvColumns = { customer: 'customer_id', date: 'order_date', amount: 'amount' };

export type TransactionFormat = 'cdnow' | 'csv';

/** What `--format` takes: a format, or `auto` to tell from the file's first lines. */
export type TransactionFormatChoice = TransactionFormat | 'auto';

export const TransactionFormatChoices: readonly TransactionFormatChoice[] = ['auto', 'cdnow', 'csv'];

export interface ReadOptions {
  format: TransactionFormatChoice;
  minorPerUnit: number;
  /** Day of a datetime (CSV files with times); date-only values need no zone. */
  dayOf: DayIndexer;
  columns?: CsvColumns;
}

export interface TransactionFile {
  /** The format read: as asked, or the one detected for `auto`. */
  format: TransactionFormat;
  detected: boolean;
  transactions: Transaction[];
}

export function readTransactionFile(path: string, options: ReadOptions): Transaction[] {
  return readTransactions(path, options).transactions;
}

/** The file's transactions, with the format they were read in. */
export function readTransactions(path: string, options: ReadOptions): TransactionFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new ClvError(ErrorCodes.INVALID_INPUT_FILE, `cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  const text = utf8Text(bytes, path);
  const detected = options.format === 'auto';
  const format = detected ? detectTransactionFormat(text) : (options.format as TransactionFormat);
  const transactions = format === 'cdnow' ? parseCdnow(text, path, options.minorPerUnit) : parseCsv(text, path, options);
  return { format, detected, transactions };
}

/** A CDNOW line: customer id, [sample id,] YYYYMMDD, number of CDs, dollars, blank-separated. */
const CDNOW_LINE = /^\s*\S+(\s+\S+)?\s+\d{8}\s+\d+\s+\d+(\.\d+)?\s*$/;

/**
 * `cdnow` when one of the first two non-blank lines (the first may be CDNOW's header) is a
 * CDNOW line; otherwise `csv`, whose first line is a header.
 */
export function detectTransactionFormat(text: string): TransactionFormat {
  const lines = text.split(/\r?\n/, 50).filter((l) => l.trim() !== '').slice(0, 2);
  return lines.some((l) => CDNOW_LINE.test(l)) ? 'cdnow' : 'csv';
}

/**
 * The file as text, refusing bytes that are not UTF-8: a lenient decoder turns every bad
 * sequence into U+FFFD, so `Ren\xE9` and `Ren\xE8` (a Latin-1 file) would become one customer.
 */
function utf8Text(bytes: Buffer, path: string): string {
  const text = bytes.toString('utf8');
  if (!text.includes('\uFFFD') || Buffer.byteLength(text) === bytes.length && Buffer.from(text).equals(bytes)) return text;
  let line = 1;
  for (let start = 0; start <= bytes.length; line++) {
    const end = bytes.indexOf(0x0a, start) < 0 ? bytes.length : bytes.indexOf(0x0a, start);
    const chunk = bytes.subarray(start, end);
    if (!Buffer.from(chunk.toString('utf8')).equals(chunk)) break;
    start = end + 1;
  }
  throw new ClvError(ErrorCodes.INVALID_INPUT_FILE, `${path}:${line}: not UTF-8 text; convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)`);
}

export function parseCdnow(text: string, source: string, minorPerUnit: number): Transaction[] {
  const out: Transaction[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const fields = lines[i].trim().split(/\s+/);
    if (fields[0] === '' || (i === 0 && !/^\d/.test(fields[0]))) continue; // blank line or header
    const fail = (why: string): never => {
      throw new ClvError(ErrorCodes.INVALID_INPUT_FILE, `${source}:${i + 1}: ${why}: ${lines[i].trim()}`);
    };
    if (fields.length !== 4 && fields.length !== 5) fail(`expected 4 or 5 columns, found ${fields.length}`);
    // The sample file has the sample id second; the customer id of the master file is first in both.
    const [customerId, yyyymmdd, , dollars] = fields.length === 5 ? [fields[0], fields[2], fields[3], fields[4]] : fields;
    const problem = idProblem(customerId);
    if (problem) fail(`customer id ${problem}`);
    const m = /^(\d{4})(\d{2})(\d{2})$/.exec(yyyymmdd);
    if (!m) fail(`date "${yyyymmdd}" is not YYYYMMDD`);
    out.push({ customerId, day: day(`${m![1]}-${m![2]}-${m![3]}`, fail), time: null, amountMinor: amount(dollars, minorPerUnit, fail), line: i + 1 });
  }
  return out;
}

export function parseCsv(text: string, source: string, options: ReadOptions): Transaction[] {
  const columns = options.columns ?? defaultCsvColumns;
  let rows: string[][];
  try {
    rows = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: false });
  } catch (cause) {
    throw new ClvError(ErrorCodes.INVALID_INPUT_FILE, `${source}: ${(cause as Error).message}`, { cause });
  }
  const header = rows[0] ?? [];
  const index = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) {
      const hint = detectTransactionFormat(text) === 'cdnow'
        ? 'this is a CDNOW file: use --format cdnow, or leave --format out to detect it'
        : `expected a header naming the columns ${[columns.customer, columns.date, columns.amount].join(', ')}`;
      throw new ClvError(ErrorCodes.INVALID_INPUT_FILE, `${source}:1: missing column "${name}" (header: ${header.join(',')}); ${hint}`);
    }
    return i;
  };
  const [ci, di, ai] = [index(columns.customer), index(columns.date), index(columns.amount)];
  const out: Transaction[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    const fail = (why: string): never => {
      throw new ClvError(ErrorCodes.INVALID_INPUT_FILE, `${source}:${r + 1}: ${why}: ${row.join(',')}`);
    };
    const customerId = row[ci];
    const problem = idProblem(customerId ?? '');
    if (problem) fail(`customer id ${problem}`);
    const raw = row[di];
    let dayIndex: number;
    let time: number | null = null;
    if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
      dayIndex = day(raw, fail);
    } else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(raw)) {
      // A datetime without an offset is taken as UTC.
      const iso = raw.replace(' ', 'T');
      time = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
      if (Number.isNaN(time)) fail(`unparsable date "${raw}"`);
      dayIndex = options.dayOf(time);
    } else {
      dayIndex = fail(`unparsable date "${raw}" (expected YYYY-MM-DD or an ISO datetime)`);
    }
    out.push({ customerId, day: dayIndex, time, amountMinor: amount(row[ai], options.minorPerUnit, fail), line: r + 1 });
  }
  return out;
}

function day(isoDate: string, fail: (why: string) => never): number {
  try {
    return dayIndexOfDate(isoDate);
  } catch {
    return fail(`no such date ${isoDate}`);
  }
}

function amount(text: string, minorPerUnit: number, fail: (why: string) => never): number {
  if (!/^-?\d+(\.\d+)?$/.test(text ?? '')) fail(`amount "${text}" is not a number`);
  const value = Math.round(Number(text) * minorPerUnit);
  if (value < 0) fail(`negative amount ${text}`);
  return value;
}
