/**
 * What `clv` exits with, so that scripts can tell "fix the command" from "try again later":
 * 0 done; 2 a usage error (a flag, argument, setting or input file is wrong: the same command
 * will fail the same way); 1 a failure while running (a service down or failing, not enough
 * data to train, `clv status` finding something down, a bug).
 */
import { CommanderError } from 'commander';
import { ClvError, ErrorCodes, type ErrorCode } from '../core/errors.js';

export const ExitCodes = { ok: 0, runtime: 1, usage: 2 } as const;

/** ClvError codes that mean the command as typed cannot run. */
const USAGE_ERROR_CODES: ReadonlySet<ErrorCode> = new Set([ErrorCodes.INVALID_CONFIG, ErrorCodes.INVALID_INPUT_FILE, ErrorCodes.INVALID_POLICY]);

export function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) {
    // --help and --version end commander's parse with exit code 0.
    return error.exitCode === 0 ? ExitCodes.ok : ExitCodes.usage;
  }
  if (error instanceof ClvError && USAGE_ERROR_CODES.has(error.code)) return ExitCodes.usage;
  return ExitCodes.runtime;
}
