import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexOfDate } from '../core/calendar.js';
import { holidayCalendar, type HolidayDefinition } from '../core/holidays/holiday-calendar.js';
import { componentOf, featureColumns, holidaySpecs, isInformative, seasonalitySpecs } from '../models/forecast/prophet-features.js';

const d = dayIndexOfDate;
const sale: HolidayDefinition = { name: 'Sale', rule: { dates: ['2024-03-10', '2024-03-20'] }, lowerWindow: -1, upperWindow: 1, priorScale: 3 };
const calendar = holidayCalendar([sale]);

test('Fourier columns follow Prophet: sin, cos of 2πnt/P for n = 1…N, t in days since 1970-01-01', () => {
  const specs = seasonalitySpecs('yearly', 365.25, 2, 10, 'additive');
  assert.deepEqual(specs.map((s) => (s.kind === 'fourier' ? `${s.fn}${s.harmonic}` : '')), ['sin1', 'cos1', 'sin2', 'cos2']);
  const day = d('2024-06-01');
  const cols = featureColumns(specs, [day], 1, calendar);
  const angle = (2 * Math.PI * day) / 365.25;
  assert.deepEqual(cols.map((c) => c[0]), [Math.sin(angle), Math.cos(angle), Math.sin(2 * angle), Math.cos(2 * angle)]);
  assert.equal(componentOf(specs[0]), 'yearly');
});

test('holiday columns: one per offset in the window, 1 on the day holiday + offset, with the holiday\'s prior scale', () => {
  const specs = holidaySpecs(calendar, 10, 'multiplicative');
  assert.deepEqual(specs.map((s) => (s.kind === 'holiday' ? [s.offset, s.priorScale, s.mode] : null)), [[-1, 3, 'multiplicative'], [0, 3, 'multiplicative'], [1, 3, 'multiplicative']]);
  const days = Array.from({ length: 14 }, (_, i) => d('2024-03-08') + i); // 8 … 21 March
  const cols = featureColumns(specs, days, 1, calendar);
  const onDays = (c: Float64Array) => days.filter((_, i) => c[i] === 1).map((x) => x - d('2024-03-01') + 1);
  assert.deepEqual(cols.map(onDays), [[9, 19], [10, 20], [11, 21]]);
  assert.equal(componentOf(specs[0]), 'holidays');
});

test('a window day inside the range counts even when its holiday falls just outside it', () => {
  const cols = featureColumns(holidaySpecs(calendar, 10, 'additive'), [d('2024-03-21')], 1, calendar);
  assert.deepEqual(cols.map((c) => c[0]), [0, 0, 1]);
});

test('weekly periods: holiday columns count the week\'s matching days, Fourier columns average its days', () => {
  const week = d('2024-03-04'); // Monday 4 … Sunday 10 March, then 11 … 17 March
  const h = featureColumns(holidaySpecs(calendar, 10, 'additive'), [week, week + 7], 7, calendar);
  assert.deepEqual(h.map((c) => [...c]), [[1, 0], [1, 0], [0, 1]]); // the 9th, the 10th, the 11th
  const twice = holidayCalendar([{ name: 'Twice', rule: { dates: ['2024-03-05', '2024-03-07'] }, lowerWindow: 0, upperWindow: 0 }]);
  assert.deepEqual([...featureColumns(holidaySpecs(twice, 10, 'additive'), [week], 7, twice)[0]], [2]);
  const [sin] = featureColumns(seasonalitySpecs('yearly', 365.25, 1, 10, 'additive'), [week], 7, calendar);
  let mean = 0;
  for (let x = week; x < week + 7; x++) mean += Math.sin((2 * Math.PI * x) / 365.25) / 7;
  assert.ok(Math.abs(sin[0] - mean) < 1e-15);
  assert.ok(Math.abs(featureColumns(seasonalitySpecs('weekly', 7, 3, 10, 'additive'), [week], 7, calendar)[0][0]) < 1e-12, 'weekly terms vanish over a week');
});

test('isInformative spots an all-zero column (a holiday the history never saw)', () => {
  assert.equal(isInformative(new Float64Array(5)), false);
  assert.equal(isInformative(Float64Array.of(0, 0, 1)), true);
  assert.throws(() => featureColumns([{ kind: 'holiday', holiday: 'Nope', offset: 0, priorScale: 1, mode: 'additive' }], [0], 1, calendar), /"Nope" is not in the calendar/);
});
