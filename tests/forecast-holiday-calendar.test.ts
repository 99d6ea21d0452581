import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dateOfDayIndex, dayIndexOfDate } from '../core/calendar.js';
import {
  holidayCalendar, holidayDays, holidayOccurrences, RETAIL_HOLIDAYS, TET_DATES, tetDate, VIETNAM_HOLIDAYS, type HolidayDefinition,
} from '../core/holidays/holiday-calendar.js';

const byName = (defs: readonly HolidayDefinition[], name: string): HolidayDefinition => {
  const h = defs.find((d) => d.name === name);
  assert.ok(h, `no holiday ${name}`);
  return h;
};
const datesOf = (h: HolidayDefinition, from: string, to: string): string[] =>
  holidayDays(h, dayIndexOfDate(from), dayIndexOfDate(to)).map(dateOfDayIndex);

test('Tết table spot checks: 2024-02-10, 2025-01-29, 2026-02-17', () => {
  assert.equal(tetDate(2024), '2024-02-10');
  assert.equal(tetDate(2025), '2025-01-29');
  assert.equal(tetDate(2026), '2026-02-17');
  assert.deepEqual(datesOf(byName(VIETNAM_HOLIDAYS, 'Tết'), '2024-01-01', '2026-12-31'), ['2024-02-10', '2025-01-29', '2026-02-17']);
});

test('Tết table covers every year 2015–2035 and nothing else', () => {
  assert.deepEqual(Object.keys(TET_DATES).map(Number), Array.from({ length: 21 }, (_, i) => 2015 + i));
  assert.throws(() => tetDate(2036), RangeError);
  assert.throws(() => tetDate(2014), RangeError);
});

/**
 * Julian day of new moon number k (k = 0 near 1900-01-01), the truncated series of Meeus,
 * "Astronomical Algorithms" ch. 49, as used by Hồ Ngọc Đức's Vietnamese lunar calendar.
 */
function newMoonJulianDay(k: number): number {
  const T = k / 1236.85;
  const T2 = T * T;
  const T3 = T2 * T;
  const dr = Math.PI / 180;
  const sin = (deg: number) => Math.sin(deg * dr);
  let jd = 2415020.75933 + 29.53058868 * k + 0.0001178 * T2 - 0.000000155 * T3 + 0.00033 * sin(166.56 + 132.87 * T - 0.009173 * T2);
  const M = 359.2242 + 29.10535608 * k - 0.0000333 * T2 - 0.00000347 * T3;
  const Mpr = 306.0253 + 385.81691806 * k + 0.0107306 * T2 + 0.00001236 * T3;
  const F = 21.2964 + 390.67050646 * k - 0.0016528 * T2 - 0.00000239 * T3;
  const c = (0.1734 - 0.000393 * T) * sin(M) + 0.0021 * sin(2 * M) - 0.4068 * sin(Mpr) + 0.0161 * sin(2 * Mpr) - 0.0004 * sin(3 * Mpr)
    + 0.0104 * sin(2 * F) - 0.0051 * sin(M + Mpr) - 0.0074 * sin(M - Mpr) + 0.0004 * sin(2 * F + M) - 0.0004 * sin(2 * F - M)
    - 0.0006 * sin(2 * F + Mpr) + 0.001 * sin(2 * F - Mpr) + 0.0005 * sin(2 * Mpr + M);
  const deltaT = -0.000278 + 0.000265 * T + 0.000262 * T2;
  jd += c - deltaT;
  return jd;
}

/** Day indices of the new moons between 2014 and 2036, as calendar days at UTC+hours. */
function newMoonDays(zoneHours: number): number[] {
  const days: number[] = [];
  for (let k = 1400; k < 1700; k++) days.push(Math.floor(newMoonJulianDay(k) + 0.5 + zoneHours / 24) - 2440588);
  return days;
}

test('every Tết date is the day of a new moon in Vietnam (UTC+7) between 21 January and 20 February (Meeus new-moon series)', () => {
  const moons = new Set(newMoonDays(7));
  for (const [year, date] of Object.entries(TET_DATES)) {
    const day = dayIndexOfDate(date);
    assert.ok(moons.has(day), `${date} is not a UTC+7 new-moon day`);
    assert.ok(date >= `${year}-01-21` && date <= `${year}-02-20`, `${date} outside 21 Jan–20 Feb`);
  }
});

test('Tết 2030 follows the UTC+7 new moon (2 February), one day before Chinese New Year (UTC+8: 3 February)', () => {
  assert.equal(tetDate(2030), '2030-02-02');
  assert.ok(new Set(newMoonDays(8)).has(dayIndexOfDate('2030-02-03')));
  assert.ok(!new Set(newMoonDays(8)).has(dayIndexOfDate('2030-02-02')));
});

test('Vietnam: Reunification Day 30/4 and National Day 2/9 every year, with their windows', () => {
  assert.deepEqual(datesOf(byName(VIETNAM_HOLIDAYS, 'Reunification Day'), '2024-01-01', '2025-12-31'), ['2024-04-30', '2025-04-30']);
  assert.deepEqual(datesOf(byName(VIETNAM_HOLIDAYS, 'National Day'), '2024-01-01', '2025-12-31'), ['2024-09-02', '2025-09-02']);
  const tet = byName(VIETNAM_HOLIDAYS, 'Tết');
  assert.ok(tet.lowerWindow < 0 && tet.upperWindow > 0, 'Tết reaches into the run-up and the holiday days');
});

test('Black Friday is the day after US Thanksgiving (fourth Thursday of November); Cyber Monday is 3 days later', () => {
  const bf = byName(RETAIL_HOLIDAYS, 'Black Friday');
  const cm = byName(RETAIL_HOLIDAYS, 'Cyber Monday');
  // Thanksgiving: 2019-11-28, 2022-11-24, 2023-11-23, 2024-11-28, 2025-11-27.
  assert.deepEqual(datesOf(bf, '2019-01-01', '2019-12-31'), ['2019-11-29']);
  assert.deepEqual(datesOf(bf, '2022-01-01', '2025-12-31'), ['2022-11-25', '2023-11-24', '2024-11-29', '2025-11-28']);
  assert.deepEqual(datesOf(cm, '2022-01-01', '2025-12-31'), ['2022-11-28', '2023-11-27', '2024-12-02', '2025-12-01']);
});

test('retail days: Christmas 25/12, New Year 1/1, Singles\' Day 11/11', () => {
  assert.deepEqual(datesOf(byName(RETAIL_HOLIDAYS, 'Christmas'), '2024-01-01', '2024-12-31'), ['2024-12-25']);
  assert.deepEqual(datesOf(byName(RETAIL_HOLIDAYS, 'New Year'), '2024-01-01', '2025-12-31'), ['2024-01-01', '2025-01-01']);
  assert.deepEqual(datesOf(byName(RETAIL_HOLIDAYS, "Singles' Day"), '2024-01-01', '2024-12-31'), ['2024-11-11']);
});

test('rules: last weekday of a month (n = −1), Feb 29 only in leap years, ranges are inclusive', () => {
  const memorial: HolidayDefinition = { name: 'Memorial Day', rule: { nthWeekday: { month: 5, weekday: 1, n: -1 } }, lowerWindow: 0, upperWindow: 0 };
  assert.deepEqual(datesOf(memorial, '2024-01-01', '2025-12-31'), ['2024-05-27', '2025-05-26']);
  const leap: HolidayDefinition = { name: 'Leap', rule: { annual: { month: 2, day: 29 } }, lowerWindow: 0, upperWindow: 0 };
  assert.deepEqual(datesOf(leap, '2023-01-01', '2025-12-31'), ['2024-02-29']);
  assert.deepEqual(datesOf(byName(RETAIL_HOLIDAYS, 'Christmas'), '2024-12-25', '2024-12-25'), ['2024-12-25']);
});

test('holidayOccurrences lists every holiday of a calendar in day order', () => {
  const cal = holidayCalendar([...VIETNAM_HOLIDAYS, ...RETAIL_HOLIDAYS]);
  const got = holidayOccurrences(cal, dayIndexOfDate('2025-01-01'), dayIndexOfDate('2025-05-01'));
  assert.deepEqual(got.map((o) => `${o.date} ${o.name}`), ['2025-01-01 New Year', '2025-01-29 Tết', '2025-04-30 Reunification Day']);
});

test('a calendar rejects two holidays with the same name', () => {
  assert.throws(() => holidayCalendar([...RETAIL_HOLIDAYS, RETAIL_HOLIDAYS[0]]), /duplicate holiday name "Black Friday"/);
});
