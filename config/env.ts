/**
 * Reading one environment variable: trimmed, empty means unset, and a value that does not
 * parse stops start-up with ClvError(INVALID_CONFIG) naming the variable and what it accepts.
 * Every loader in config/ reads through these, so every message has the same shape:
 * `invalid setting NAME="value": expected …`.
 */
import { ClvError, ErrorCodes } from '../core/errors.js';
import { redactSecrets } from '../core/redact-secrets.js';

/** The environment as the loaders see it: only config/environment.ts passes the process environment. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The variable's trimmed value, or null when unset or blank. */
export function value(env: Env, name: string): string | null {
  const raw = env[name]?.trim();
  return raw ? raw : null;
}

export function fail(name: string, raw: string, expected: string): never {
  throw new ClvError(ErrorCodes.INVALID_CONFIG, `invalid setting ${name}=${JSON.stringify(withoutPassword(raw))}: expected ${expected}`);
}

/** A URL's password never reaches a message or a log line (even when the URL does not parse). */
export function withoutPassword(raw: string): string {
  return redactSecrets(raw);
}

/** A string checked by `check`, which returns what would be accepted, or null when the value is fine. */
export function str(env: Env, name: string, fallback: string, check: (v: string) => string | null = () => null): string {
  const raw = value(env, name);
  if (raw === null) return fallback;
  const problem = check(raw);
  return problem ? fail(name, raw, problem) : raw;
}

export interface NumberRange {
  min?: number;
  max?: number;
  integer?: boolean;
}

export function num(env: Env, name: string, fallback: number, range: NumberRange): number {
  const raw = value(env, name);
  if (raw === null) return fallback;
  const v = Number(raw);
  const expected = `${range.integer ? 'an integer' : 'a number'}${range.min !== undefined ? ` ≥ ${range.min}` : ''}${range.max !== undefined ? ` and ≤ ${range.max}` : ''}`;
  if (!Number.isFinite(v) || (range.integer && !Number.isInteger(v))) fail(name, raw, expected);
  if ((range.min !== undefined && v < range.min) || (range.max !== undefined && v > range.max)) fail(name, raw, expected);
  return v;
}

/** true/false (also 1/0). */
export function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = value(env, name);
  if (raw === null) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  return fail(name, raw, 'true or false');
}

export function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = value(env, name);
  if (raw === null) return fallback;
  return (allowed as readonly string[]).includes(raw) ? (raw as T) : fail(name, raw, `one of ${allowed.join(', ')}`);
}

/** A check for {@link str}: a URL with one of `protocols` (e.g. 'redis:'). */
export function url(protocols: readonly string[]): (v: string) => string | null {
  return (v) => {
    try {
      return protocols.includes(new URL(v).protocol) ? null : `a URL starting with ${protocols.map((p) => p + '//').join(' or ')}`;
    } catch {
      return 'a URL';
    }
  };
}
