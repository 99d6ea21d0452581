/** Checks of command-line values: a bad flag is a ClvError naming the flag. */
import { dayIndexOfDate, endOfDayMs } from '../../core/calendar.js';
import { ClvError, ErrorCodes } from '../../core/errors.js';

export function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new ClvError(ErrorCodes.INVALID_CONFIG, `${flag} must be a positive integer, got "${text}"`);
  return n;
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
