/** Checks of command-line values: a bad flag is a ClvError naming the flag and what it takes. */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { dayIndexOfDate, endOfDayMs } from '../../core/calendar.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { TransactionFormatChoices, type TransactionFormatChoice } from '../../producers/transaction-file.js';

export function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new ClvError(ErrorCodes.INVALID_CONFIG, `${flag} must be a positive integer, got "${text}"`);
  return n;
}

export function nonNegativeInt(text: string, flag: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new ClvError(ErrorCodes.INVALID_CONFIG, `${flag} must be a whole number ≥ 0, got "${text}"`);
  return n;
}

/** A day index from an optional YYYY-MM-DD flag, or undefined when absent. */
export function optionalDateFlag(value: string | undefined, flag: string): number | undefined {
  return value === undefined ? undefined : dateFlag(value, flag);
}

export function positiveNumber(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new ClvError(ErrorCodes.INVALID_CONFIG, `${flag} must be a positive number, got "${text}"`);
  return n;
}

/** The day index of a YYYY-MM-DD flag. */
export function dateFlag(value: string, flag: string): number {
  try {
    return dayIndexOfDate(value);
  } catch {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `${flag} must be a date YYYY-MM-DD, got "${value}"`);
  }
}

/** End of the day named by a --as-of flag, or null when absent. */
export function asOfFlag(value: string | undefined, timeZone: string): number | null {
  if (value === undefined) return null;
  return endOfDayMs(dateFlag(value, '--as-of'), timeZone);
}

/** A --format value: auto (detect), cdnow or csv. */
export function formatFlag(value: string): TransactionFormatChoice {
  if (!(TransactionFormatChoices as readonly string[]).includes(value)) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `--format must be one of ${TransactionFormatChoices.join(', ')}, got "${value}"`);
  }
  return value as TransactionFormatChoice;
}

/**
 * An output directory flag, checked before any work is done: an existing directory, or a
 * path whose nearest existing ancestor is a writable directory (it is created at the end).
 */
export function outputDirectoryFlag(dir: string, flag: string): string {
  const wanted = resolve(dir);
  let nearest = wanted;
  while (!existsSync(nearest) && dirname(nearest) !== nearest) nearest = dirname(nearest);
  if (!statSync(nearest).isDirectory()) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, nearest === wanted
      ? `${flag} ${dir} is a file, not a directory: name a directory (created if missing)`
      : `${flag} ${dir}: ${nearest} is a file, so no directory can be made under it`);
  }
  try {
    accessSync(nearest, constants.W_OK);
  } catch {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `${flag} ${dir}: ${nearest} is not writable`);
  }
  return dir;
}
