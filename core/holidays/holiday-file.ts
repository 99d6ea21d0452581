/**
 * The user's holiday file (see config/holidays.example.json): which built-in sets to
 * include, which of their holidays to drop, and the shop's own holidays. Validated so that a
 * typo fails at start-up with an error naming the entry, not as a silently missing effect.
 *
 * {
 *   "include": ["vietnam", "retail"],          // optional, built-in set names
 *   "exclude": ["Singles' Day"],               // optional, names from the included sets
 *   "holidays": [                              // optional, the shop's own
 *     { "name": "Mid-Autumn", "dates": ["2024-09-17"], "lowerWindow": -3, "upperWindow": 0 },
 *     { "name": "Anniversary", "annual": { "month": 6, "day": 15 }, "lowerWindow": 0, "upperWindow": 2, "priorScale": 5 },
 *     { "name": "Mother's Day", "nthWeekday": { "month": 5, "weekday": 0, "n": 2 }, "lowerWindow": -2, "upperWindow": 0 }
 *   ]
 * }
 */
import { dayIndexOfDate } from '../calendar.js';
import { ClvError, ErrorCodes } from '../errors.js';
import { BUILT_IN_HOLIDAY_SETS, holidayCalendar, type HolidayCalendar, type HolidayDefinition, type HolidayRule } from './holiday-calendar.js';

/** Widest window a holiday may have on either side, days. */
export const MAX_HOLIDAY_WINDOW_DAYS = 60;

const TOP_KEYS = ['include', 'exclude', 'holidays'];
const ENTRY_KEYS = ['name', 'dates', 'annual', 'nthWeekday', 'lowerWindow', 'upperWindow', 'priorScale'];

/** Parses the text of a holiday file; `source` (e.g. its path) names it in errors. */
export function parseHolidayCalendarJson(text: string, source: string): HolidayCalendar {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `holiday file ${source}: not JSON (${(cause as Error).message})`, { cause });
  }
  return parseHolidayCalendar(doc, source);
}

/**
 * Validates a parsed holiday document.
 * @throws ClvError INVALID_CONFIG naming the file and the offending entry.
 */
export function parseHolidayCalendar(doc: unknown, source: string): HolidayCalendar {
  const fail = (where: string, why: string): never => {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `holiday file ${source}: ${where}: ${why}`);
  };
  if (!isObject(doc)) return fail('document', 'expected an object with "include", "exclude" and/or "holidays"');
  for (const key of Object.keys(doc)) if (!TOP_KEYS.includes(key)) fail(`"${key}"`, `unknown key (known: ${TOP_KEYS.join(', ')})`);

  const include = stringList(doc.include, '"include"', fail);
  const holidays: HolidayDefinition[] = [];
  for (const set of include) {
    const defs = BUILT_IN_HOLIDAY_SETS[set];
    if (defs === undefined) fail(`include "${set}"`, `unknown built-in set (known: ${Object.keys(BUILT_IN_HOLIDAY_SETS).join(', ')})`);
    holidays.push(...defs);
  }
  for (const name of stringList(doc.exclude, '"exclude"', fail)) {
    const i = holidays.findIndex((h) => h.name === name);
    if (i < 0) fail(`exclude "${name}"`, 'no such holiday in the included sets');
    holidays.splice(i, 1);
  }
  if (doc.holidays !== undefined && !Array.isArray(doc.holidays)) fail('"holidays"', 'must be an array');
  const own = (doc.holidays ?? []) as unknown[];
  own.forEach((entry, i) => {
    const label = isObject(entry) && typeof entry.name === 'string' ? `holidays[${i}] "${entry.name}"` : `holidays[${i}]`;
    const def = parseEntry(entry, (why) => fail(label, why));
    if (holidays.some((h) => h.name === def.name)) fail(label, 'duplicate name (already defined or included)');
    holidays.push(def);
  });
  return holidayCalendar(holidays);
}

function parseEntry(entry: unknown, fail: (why: string) => never): HolidayDefinition {
  if (!isObject(entry)) return fail('expected an object');
  for (const key of Object.keys(entry)) if (!ENTRY_KEYS.includes(key)) fail(`unknown key "${key}" (known: ${ENTRY_KEYS.join(', ')})`);
  const { name, lowerWindow, upperWindow, priorScale } = entry;
  if (typeof name !== 'string' || name.trim() === '') fail('"name" must be a non-empty string');
  if (!Number.isInteger(lowerWindow) || (lowerWindow as number) > 0 || (lowerWindow as number) < -MAX_HOLIDAY_WINDOW_DAYS) {
    fail(`"lowerWindow" must be an integer in [−${MAX_HOLIDAY_WINDOW_DAYS}, 0], got ${JSON.stringify(lowerWindow)}`);
  }
  if (!Number.isInteger(upperWindow) || (upperWindow as number) < 0 || (upperWindow as number) > MAX_HOLIDAY_WINDOW_DAYS) {
    fail(`"upperWindow" must be an integer in [0, ${MAX_HOLIDAY_WINDOW_DAYS}], got ${JSON.stringify(upperWindow)}`);
  }
  if (priorScale !== undefined && !(typeof priorScale === 'number' && priorScale > 0 && Number.isFinite(priorScale))) {
    fail(`"priorScale" must be a positive number, got ${JSON.stringify(priorScale)}`);
  }
  const def: HolidayDefinition = {
    name: name as string, rule: parseRule(entry, fail), lowerWindow: lowerWindow as number, upperWindow: upperWindow as number,
  };
  if (priorScale !== undefined) def.priorScale = priorScale as number;
  return def;
}

function parseRule(entry: Record<string, unknown>, fail: (why: string) => never): HolidayRule {
  const kinds = ['dates', 'annual', 'nthWeekday'].filter((k) => entry[k] !== undefined);
  if (kinds.length !== 1) fail(`needs exactly one of "dates", "annual", "nthWeekday" (got ${kinds.length === 0 ? 'none' : kinds.join(', ')})`);
  if (entry.dates !== undefined) {
    const dates = entry.dates;
    if (!Array.isArray(dates) || dates.length === 0) return fail('"dates" must be a non-empty array of "YYYY-MM-DD"');
    for (const d of dates) {
      try {
        if (typeof d !== 'string') throw new RangeError('not a string');
        dayIndexOfDate(d);
      } catch {
        fail(`"dates" holds ${JSON.stringify(d)}, not a YYYY-MM-DD date`);
      }
    }
    return { dates: [...new Set(dates as string[])].sort() };
  }
  if (entry.annual !== undefined) {
    const a = entry.annual;
    if (!isObject(a)) return fail('"annual" must be {"month", "day"}');
    const month = integerIn(a.month, 1, 12, '"annual.month"', fail);
    const daysInMonth = new Date(Date.UTC(2024, month, 0)).getUTCDate(); // 2024: Feb 29 allowed
    return { annual: { month, day: integerIn(a.day, 1, daysInMonth, '"annual.day"', fail) } };
  }
  const r = entry.nthWeekday;
  if (!isObject(r)) return fail('"nthWeekday" must be {"month", "weekday", "n", "offsetDays"?}');
  const n = integerIn(r.n, -5, 5, '"nthWeekday.n"', fail);
  if (n === 0) fail('"nthWeekday.n" must be 1–5, or −1…−5 counting from the end of the month');
  return {
    nthWeekday: {
      month: integerIn(r.month, 1, 12, '"nthWeekday.month"', fail),
      weekday: integerIn(r.weekday, 0, 6, '"nthWeekday.weekday" (0 = Sunday)', fail),
      n,
      offsetDays: r.offsetDays === undefined ? 0 : integerIn(r.offsetDays, -31, 31, '"nthWeekday.offsetDays"', fail),
    },
  };
}

function integerIn(value: unknown, lo: number, hi: number, what: string, fail: (why: string) => never): number {
  if (!Number.isInteger(value) || (value as number) < lo || (value as number) > hi) fail(`${what} must be an integer in [${lo}, ${hi}], got ${JSON.stringify(value)}`);
  return value as number;
}

function stringList(value: unknown, what: string, fail: (where: string, why: string) => never): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return fail(what, 'must be an array of strings');
  return value as string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
