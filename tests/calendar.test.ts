import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dateOfDayIndex, dayIndexer, dayIndexOfDate, instantOfLocalTime } from '../core/calendar.js';

test('day index follows the zone, including across a DST change', () => {
  const ny = dayIndexer('America/New_York');
  // 2024-03-10 03:30 UTC is still March 9 in New York (EST, UTC-5).
  assert.equal(dateOfDayIndex(ny(Date.UTC(2024, 2, 10, 3, 30))), '2024-03-09');
  // After the switch to EDT (UTC-4), 2024-03-11 04:30 UTC is 00:30 on March 11 (in EST it would be March 10).
  assert.equal(dateOfDayIndex(ny(Date.UTC(2024, 2, 11, 4, 30))), '2024-03-11');
  assert.equal(dateOfDayIndex(dayIndexer('Asia/Ho_Chi_Minh')(Date.UTC(2024, 0, 1, 17, 0))), '2024-01-02');
  assert.equal(dateOfDayIndex(dayIndexer('UTC')(Date.UTC(2024, 0, 1, 23, 59))), '2024-01-01');
});

test('local noon lands on the same calendar day in every zone', () => {
  for (const zone of ['UTC', 'America/New_York', 'Asia/Ho_Chi_Minh', 'Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
    const noon = instantOfLocalTime(zone);
    const dayOf = dayIndexer(zone);
    for (const date of ['2024-01-01', '2024-03-10', '2024-11-03', '1997-09-30']) {
      assert.equal(dateOfDayIndex(dayOf(noon(dayIndexOfDate(date), 12))), date, `${zone} ${date}`);
    }
  }
});

test('dayIndexOfDate rejects impossible dates', () => {
  assert.equal(dayIndexOfDate('1970-01-02'), 1);
  assert.throws(() => dayIndexOfDate('2023-02-29'), /no such date/);
  assert.throws(() => dayIndexOfDate('2023/02/01'), /not a YYYY-MM-DD/);
});

test('dayIndexOfDate: years before 100 are those years, not the 1900s', () => {
  assert.equal(dayIndexOfDate('0050-01-01'), Math.floor(Date.parse('0050-01-01T00:00:00Z') / 86_400_000));
  assert.equal(dateOfDayIndex(dayIndexOfDate('0001-03-01')), '0001-03-01');
});
