/** Reads a JSON fixture from tests/fixtures (generated files; each names its generator). */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as T;
}

/** |actual − expected| ≤ tolerance · |expected| (absolute tolerance when expected is 0). */
export function relativeError(actual: number, expected: number): number {
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}
