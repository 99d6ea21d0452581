import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calendarPeriods } from '../core/calendar-periods.js';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (s: string) => Date.parse(s);

test('period starts in UTC: midnight, the ISO week\'s Monday, the 1st of the month', () => {
  const t = at('2025-06-18T15:42:00Z'); // a Wednesday
  assert.equal(iso(calendarPeriods('day', 'UTC').startOf(t)), '2025-06-18T00:00:00.000Z');
  assert.equal(iso(calendarPeriods('week', 'UTC').startOf(t)), '2025-06-16T00:00:00.000Z');
  assert.equal(iso(calendarPeriods('month', 'UTC').startOf(t)), '2025-06-01T00:00:00.000Z');
  // A Monday and a Sunday stay in their own week; days before 1970 work too.
  assert.equal(iso(calendarPeriods('week', 'UTC').startOf(at('2025-06-16T00:00:00Z'))), '2025-06-16T00:00:00.000Z');
  assert.equal(iso(calendarPeriods('week', 'UTC').startOf(at('2025-06-22T23:59:59Z'))), '2025-06-16T00:00:00.000Z');
  assert.equal(iso(calendarPeriods('week', 'UTC').startOf(at('1969-12-31T12:00:00Z'))), '1969-12-29T00:00:00.000Z');
});

test('months have their calendar lengths, a leap February included', () => {
  const b = calendarPeriods('month', 'UTC').boundaries(at('2024-01-01T00:00:00Z'), { count: 3 });
  assert.deepEqual(b.map(iso), ['2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z']);
  // From the 31st: the last day of shorter months, never a day spilling into the next month.
  const from31 = calendarPeriods('month', 'UTC').boundaries(at('2025-01-31T00:00:00Z'), { count: 2 });
  assert.deepEqual(from31.map(iso), ['2025-01-31T00:00:00.000Z', '2025-02-28T00:00:00.000Z', '2025-03-31T00:00:00.000Z']);
});

test('boundaries run until the last period holds untilMs', () => {
  const weeks = calendarPeriods('week', 'UTC');
  const b = weeks.boundaries(at('2025-06-02T00:00:00Z'), { untilMs: at('2025-06-16T00:00:00Z') });
  assert.deepEqual(b.map(iso), ['2025-06-02T00:00:00.000Z', '2025-06-09T00:00:00.000Z', '2025-06-16T00:00:00.000Z', '2025-06-23T00:00:00.000Z']);
  assert.deepEqual(weeks.boundaries(at('2025-06-02T00:00:00Z'), { untilMs: at('2025-06-01T00:00:00Z') }).length, 1, 'no period');
});

test('in a DST zone a day is 23 or 25 hours and every boundary is local midnight', () => {
  const days = calendarPeriods('day', 'Europe/Berlin');
  const from = days.startOf(at('2025-03-29T12:00:00Z'));
  assert.equal(iso(from), '2025-03-28T23:00:00.000Z'); // midnight CET
  const b = days.boundaries(from, { count: 2 });
  assert.deepEqual(b.map(iso), ['2025-03-28T23:00:00.000Z', '2025-03-29T23:00:00.000Z', '2025-03-30T22:00:00.000Z']); // then CEST
  assert.equal(b[2] - b[1], 23 * 3_600_000);
  const months = calendarPeriods('month', 'America/New_York');
  assert.equal(iso(months.startOf(at('2025-11-15T12:00:00Z'))), '2025-11-01T04:00:00.000Z');
  assert.deepEqual(months.boundaries(at('2025-11-01T04:00:00Z'), { count: 1 }).map(iso), ['2025-11-01T04:00:00.000Z', '2025-12-01T05:00:00.000Z']);
});

test('a start that is not a period start keeps its local time of day', () => {
  const b = calendarPeriods('day', 'UTC').boundaries(at('2025-06-01T06:00:00Z'), { count: 2 });
  assert.deepEqual(b.map(iso), ['2025-06-01T06:00:00.000Z', '2025-06-02T06:00:00.000Z', '2025-06-03T06:00:00.000Z']);
});
