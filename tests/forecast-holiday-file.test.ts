import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dateOfDayIndex, dayIndexOfDate } from '../core/calendar.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { holidayDays, holidayOccurrences } from '../core/holidays/holiday-calendar.js';
import { parseHolidayCalendar, parseHolidayCalendarJson } from '../core/holidays/holiday-file.js';

const EXAMPLE = new URL('../config/holidays.example.json', import.meta.url);
const FIXTURES = JSON.parse(readFileSync(new URL('./fixtures/forecast-holiday-files.json', import.meta.url), 'utf8')) as {
  invalid: { why: string; doc: unknown; message: string }[];
};

test('config/holidays.example.json loads: Vietnam and retail sets minus the excluded day, plus the shop\'s own', () => {
  const cal = parseHolidayCalendarJson(readFileSync(EXAMPLE, 'utf8'), 'config/holidays.example.json');
  const names = cal.holidays.map((h) => h.name);
  for (const name of ['Tết', 'Reunification Day', 'National Day', 'Black Friday', 'Christmas', 'New Year', "Singles' Day", 'Mid-Autumn Festival', 'Shop anniversary sale']) {
    assert.ok(names.includes(name), `missing ${name}`);
  }
  assert.ok(!names.includes('Cyber Monday'), 'excluded');
  const anniversary = cal.holidays.find((h) => h.name === 'Shop anniversary sale');
  assert.equal(anniversary?.priorScale, 5);
  const mothers = cal.holidays.find((h) => h.name === "Mother's Day (US)");
  assert.ok(mothers);
  assert.deepEqual(holidayDays(mothers, dayIndexOfDate('2025-01-01'), dayIndexOfDate('2025-12-31')).map(dateOfDayIndex), ['2025-05-11']);
  const sept = holidayOccurrences(cal, dayIndexOfDate('2024-09-01'), dayIndexOfDate('2024-09-30'));
  assert.deepEqual(sept.map((o) => `${o.date} ${o.name}`), ['2024-09-02 National Day', '2024-09-17 Mid-Autumn Festival']);
});

test('an empty document is an empty calendar', () => {
  assert.deepEqual(parseHolidayCalendar({}, 'x').holidays, []);
});

for (const c of FIXTURES.invalid) {
  test(`custom holiday file rejected with INVALID_CONFIG naming the entry: ${c.why}`, () => {
    assert.throws(() => parseHolidayCalendar(c.doc, 'shop-holidays.json'), (e: unknown) => {
      assert.ok(e instanceof ClvError);
      assert.equal(e.code, ErrorCodes.INVALID_CONFIG);
      assert.ok(e.message.startsWith('holiday file shop-holidays.json: '), e.message);
      assert.ok(e.message.includes(c.message), `"${e.message}" lacks "${c.message}"`);
      return true;
    });
  });
}

test('a holiday file that is not JSON fails with INVALID_CONFIG naming the file', () => {
  assert.throws(() => parseHolidayCalendarJson('{ "holidays": [ }', 'shop-holidays.json'),
    (e: unknown) => e instanceof ClvError && e.code === ErrorCodes.INVALID_CONFIG && /holiday file shop-holidays\.json: not JSON/.test(e.message));
});

test('valid custom entries keep their rule, window and prior scale; dates are de-duplicated and sorted', () => {
  const cal = parseHolidayCalendar({
    holidays: [
      { name: 'Flash sale', dates: ['2024-07-07', '2024-03-03', '2024-07-07'], lowerWindow: -1, upperWindow: 1, priorScale: 2.5 },
      { name: 'Black Friday (EU)', nthWeekday: { month: 11, weekday: 4, n: -1, offsetDays: 1 }, lowerWindow: 0, upperWindow: 0 },
    ],
  }, 'inline');
  assert.deepEqual(cal.holidays[0], { name: 'Flash sale', rule: { dates: ['2024-03-03', '2024-07-07'] }, lowerWindow: -1, upperWindow: 1, priorScale: 2.5 });
  assert.deepEqual(holidayDays(cal.holidays[1], dayIndexOfDate('2024-01-01'), dayIndexOfDate('2024-12-31')).map(dateOfDayIndex), ['2024-11-29']);
});
