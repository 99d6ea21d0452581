/**
 * What the state codecs share: a state is stored as a JSON array read by position (no field
 * names), and a value that is not what a codec wrote fails with a message naming the state
 * type, the field and what was found — not a TypeError somewhere in a processor later.
 */
import { STATE_FORMAT } from '../state-format.js';

/** Epoch ms in one UTC day: a day index times this is that day's first instant in UTC. */
export const MS_PER_UTC_DAY = 86_400_000;

/** The fields of a positional state, type-checked as they are read. */
export class PositionalFields {
  private constructor(
    private readonly values: readonly unknown[],
    private readonly what: string,
  ) {}

  /**
   * Parses `text` as the JSON array of `length` fields a codec of `what` wrote.
   * @throws Error naming `what` and the state format when it is not one.
   */
  static parse(text: string, what: string, length: number): PositionalFields {
    let values: unknown;
    try {
      values = JSON.parse(text);
    } catch (error) {
      throw new Error(`not ${what} of state format ${STATE_FORMAT}: not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    return PositionalFields.of(values, what, length);
  }

  /** A nested positional record (e.g. an order inside a history). */
  static of(values: unknown, what: string, length: number): PositionalFields {
    if (!Array.isArray(values)) {
      throw new Error(`not ${what} of state format ${STATE_FORMAT}: expected a JSON array of ${length} fields, got ${values === null ? 'null' : typeof values}`);
    }
    if (values.length !== length) throw new Error(`not ${what} of state format ${STATE_FORMAT}: expected ${length} fields, got ${values.length}`);
    return new PositionalFields(values, what);
  }

  raw(i: number): unknown {
    return this.values[i];
  }

  number(i: number, name: string): number {
    const v = this.values[i];
    if (typeof v !== 'number') throw this.wrong(i, name, 'a number');
    return v;
  }

  numberOrNull(i: number, name: string): number | null {
    const v = this.values[i];
    if (v !== null && typeof v !== 'number') throw this.wrong(i, name, 'a number or null');
    return v;
  }

  string(i: number, name: string): string {
    const v = this.values[i];
    if (typeof v !== 'string') throw this.wrong(i, name, 'a string');
    return v;
  }

  stringOrNull(i: number, name: string): string | null {
    const v = this.values[i];
    if (v !== null && typeof v !== 'string') throw this.wrong(i, name, 'a string or null');
    return v;
  }

  strings(i: number, name: string): string[] {
    const v = this.array(i, name);
    for (const s of v) if (typeof s !== 'string') throw this.wrong(i, name, 'an array of strings');
    return v as string[];
  }

  /** An array whose length is a multiple of `stride` (records flattened into one array). */
  array(i: number, name: string, stride = 1): unknown[] {
    const v = this.values[i];
    if (!Array.isArray(v) || v.length % stride !== 0) throw this.wrong(i, name, stride === 1 ? 'an array' : `an array of ${stride}-field records`);
    return v;
  }

  wrong(i: number, name: string, expected: string): Error {
    return new Error(`not ${this.what} of state format ${STATE_FORMAT}: field ${i} (${name}) should be ${expected}, got ${JSON.stringify(this.values[i])?.slice(0, 60)}`);
  }
}

/** `t - base` for a time that must be finite (a non-finite one would not survive JSON). */
export function since(t: number, base: number, name: string): number {
  if (!Number.isFinite(t)) throw new Error(`cannot encode ${name} ${t}: not a finite time`);
  return t - base;
}

/** 1 for ACTIVE, 0 for VOIDED. */
export function statusCode(status: 'ACTIVE' | 'VOIDED'): 0 | 1 {
  if (status === 'ACTIVE') return 1;
  if (status === 'VOIDED') return 0;
  throw new Error(`cannot encode purchase status ${JSON.stringify(status)}`);
}

export function statusOf(fields: PositionalFields, i: number, name: string): 'ACTIVE' | 'VOIDED' {
  const v = fields.raw(i);
  if (v === 1) return 'ACTIVE';
  if (v === 0) return 'VOIDED';
  throw fields.wrong(i, name, '1 (ACTIVE) or 0 (VOIDED)');
}

/** The distinct values of `values`, sorted: what a list of categories derived from lines looks like. */
export function distinctSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/**
 * Whether `categories` is `distinctSorted` of the `count` line categories `lineCategory(i)`,
 * without building it (encoding runs for every state written): strictly increasing (as
 * `sort()` orders strings), every line's category listed and every listed one some line's.
 */
export function areLineCategories(categories: readonly string[], count: number, lineCategory: (i: number) => string): boolean {
  for (let i = 1; i < categories.length; i++) if (!(categories[i - 1] < categories[i])) return false;
  if (categories.length > count) return false;
  for (let i = 0; i < count; i++) if (!categories.includes(lineCategory(i))) return false;
  outer: for (const c of categories) {
    for (let i = 0; i < count; i++) if (lineCategory(i) === c) continue outer;
    return false;
  }
  return true;
}

export function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
