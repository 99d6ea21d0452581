/** Where a command's `--input` file is: as given, or under CLV_DATA_DIR. */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ClvError, ErrorCodes } from '../core/errors.js';

/**
 * `input` itself when it exists; a relative path not found in the working directory is
 * looked up under `dataDir` (CLV_DATA_DIR), so `--input cdnow/CDNOW_master.txt` works from
 * anywhere once the data directory is set.
 * @throws ClvError INVALID_CONFIG naming both places looked at.
 */
export function resolveInputFile(input: string, dataDir: string | null): string {
  if (existsSync(input)) return input;
  if (dataDir !== null && !isAbsolute(input)) {
    const inData = join(dataDir, input);
    if (existsSync(inData)) return inData;
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `--input ${input}: no such file here or under CLV_DATA_DIR (${inData})`);
  }
  throw new ClvError(ErrorCodes.INVALID_CONFIG, `--input ${input}: no such file${dataDir === null && !isAbsolute(input) ? ' (set CLV_DATA_DIR to look for it under your data directory)' : ''}`);
}
