import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dateOfDayIndex, dayIndexOfDate } from '../core/calendar.js';
import { backtestFolds } from '../evaluation/backtest-folds.js';

const folds = (first: string, end: string, periodDays = 7) =>
  backtestFolds(dayIndexOfDate(first), dayIndexOfDate(end), periodDays).map((f) => [dateOfDayIndex(f.originDay), dateOfDayIndex(f.endDay)]);

test('two years of calibration: three year-long windows ending at the calibration end and a quarter apart', () => {
  assert.deepEqual(folds('2022-01-01', '2023-12-31'), [['2022-12-31', '2023-12-31'], ['2022-10-01', '2023-10-01'], ['2022-07-02', '2023-07-02']]);
});

test('every window ends on or before the calibration end and has history before it', () => {
  for (const [first, end] of [['2019-01-01', '2023-12-31'], ['1997-01-01', '1997-09-30'], ['2023-01-01', '2024-06-30'], ['2022-07-01', '2024-06-30']]) {
    const f = backtestFolds(dayIndexOfDate(first), dayIndexOfDate(end), 7);
    assert.ok(f.length >= 1, `${first}..${end}`);
    for (const { originDay, endDay } of f) {
      assert.ok(endDay <= dayIndexOfDate(end) && originDay > dayIndexOfDate(first));
      assert.ok(endDay - originDay === 365 || (endDay - originDay) % 7 === 0, 'a year, or whole weeks');
    }
  }
});

test('CDNOW\'s nine months: windows of a third of the history, in weeks, half a window apart', () => {
  assert.deepEqual(folds('1997-01-01', '1997-09-30'), [['1997-07-01', '1997-09-30'], ['1997-05-20', '1997-08-19'], ['1997-04-08', '1997-07-08']]);
});

test('too short a history has no fold (selection then says so)', () => {
  assert.deepEqual(folds('2024-01-01', '2024-03-01'), []);
});
