/**
 * Query parameters that take a calendar date or an instant: `2025-06-30` is a day in the
 * shop's time zone (CLV_TIME_ZONE), `2025-06-30T12:00:00Z` an instant (RFC 3339, with its
 * offset). A date used as a start means the start of that day; as an end, its last
 * millisecond, so that `to=2025-06-30` includes the 30th.
 */
import { Type } from 'typebox';
import { dayIndexOfDate, instantOfLocalTime } from '../core/calendar.js';
import { ApiError } from './errors.js';

const FORM = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|z|[+-]\d{2}:\d{2}))?$/;

/**
 * The schema: a calendar date or an RFC 3339 date-time (the formats check that the day
 * exists), so that every value the schema admits has an answer.
 */
export function DateOrTime(description: string) {
  return Type.Union([Type.String({ format: 'date' }), Type.String({ format: 'date-time' })], {
    description: `${description}. A date (YYYY-MM-DD: that day in the shop's time zone) or a date-time with its offset (2025-06-30T12:00:00Z)`,
  });
}

/**
 * The instant a value means (`edge`: a date's first or last millisecond). The schema has
 * checked it already; the checks here keep the function safe on its own.
 * @throws ApiError BAD_REQUEST naming `field` for another form, or a date or time that does not exist (2025-02-30, 25:00).
 */
export function instantOf(value: string, field: string, timeZone: string, edge: 'start' | 'end'): number {
  if (!FORM.test(value)) {
    throw new ApiError('BAD_REQUEST', `querystring/${field} must be a date (2025-06-30) or a date-time with its offset (2025-06-30T12:00:00Z), got ${JSON.stringify(value)}`);
  }
  let day: number;
  try {
    day = dayIndexOfDate(value.slice(0, 10));
  } catch {
    throw new ApiError('BAD_REQUEST', `querystring/${field}: no such date ${value.slice(0, 10)}`);
  }
  if (value.length > 10) {
    const ms = Date.parse(value);
    if (!Number.isFinite(ms)) throw new ApiError('BAD_REQUEST', `querystring/${field}: no such time ${value}`);
    return ms;
  }
  const at = instantOfLocalTime(timeZone);
  return edge === 'start' ? at(day, 0) : at(day + 1, 0) - 1;
}
