import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dayIndexer, dayIndexOfDate } from '../core/calendar.js';
import { historyCalendar, instantAt } from '../producers/synthetic/history-calendar.js';

const HOUR = 3_600_000;

describe('synthetic history calendar', () => {
  for (const timeZone of ['UTC', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/Havana']) {
    it(`dayStartMs is the first ms of each local day per core dayIndexer (${timeZone})`, () => {
      const cal = historyCalendar('2024-01-01', '2025-01-31', timeZone);
      const dayOf = dayIndexer(timeZone);
      assert.equal(cal.days, dayIndexOfDate('2025-01-31') - dayIndexOfDate('2024-01-01') + 1);
      for (let i = 0; i <= cal.days; i++) {
        assert.equal(dayOf(cal.dayStartMs[i]), cal.startDay + i, `day ${i}`);
        assert.equal(dayOf(cal.dayStartMs[i] - 1), cal.startDay + i - 1, `day ${i} − 1 ms`);
      }
      assert.equal(cal.startMs, cal.dayStartMs[0]);
      assert.equal(cal.endMs, cal.dayStartMs[cal.days]);
    });
  }

  it('has 23- and 25-hour days at the New York DST changes of 2024', () => {
    const cal = historyCalendar('2024-03-10', '2024-11-03', 'America/New_York');
    assert.equal(cal.dayStartMs[1] - cal.dayStartMs[0], 23 * HOUR);
    assert.equal(cal.dayStartMs[cal.days] - cal.dayStartMs[cal.days - 1], 25 * HOUR);
  });

  it('instantAt always lands inside the requested local day, even at fraction → 1', () => {
    const cal = historyCalendar('2024-03-09', '2024-03-12', 'America/New_York');
    for (let d = 0; d < cal.days; d++) {
      for (const f of [0, 0.25, 0.5, 0.999999, 1 - Number.EPSILON]) assert.equal(cal.dayOf(instantAt(cal, d, f)), cal.startDay + d);
    }
  });

  it('rejects an end before the start', () => {
    assert.throws(() => historyCalendar('2024-01-02', '2024-01-01', 'UTC'), RangeError);
  });
});
