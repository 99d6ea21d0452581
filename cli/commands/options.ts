/** Checks of command-line values: a bad flag is a ClvError naming the flag. */
import { dayIndexOfDate, endOfDayMs } from '../../core/calendar.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';

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

/** A day index from a YYYY-MM-DD flag, or undefined when absent. */
export function dateFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  try {
    return dayIndexOfDate(value);
  } catch {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `${flag} must be a date YYYY-MM-DD, got "${value}"`);
  }
}

export function positiveNumber(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new ClvError(ErrorCodes.INVALID_CONFIG, `${flag} must be a positive number, got "${text}"`);
  return n;
}

/** End of the day named by a --as-of flag, or null when absent. */
export function asOfFlag(value: string | undefined, timeZone: string): number | null {
  if (value === undefined) return null;
  try {
    return endOfDayMs(dayIndexOfDate(value), timeZone);
  } catch {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `--as-of must be a date YYYY-MM-DD, got "${value}"`);
  }
}
