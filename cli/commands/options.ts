/** Checks of command-line values: a bad flag is a ClvError naming the flag. */
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
