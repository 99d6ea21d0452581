/**
 * The shop's seasonal intensity: a yearly cycle from one whole year of history, unless the
 * caller leaves it out; weekly and holidays from eight weeks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexOfDate } from '../core/calendar.js';
import { MIN_YEARLY_HISTORY_DAYS, SeasonalIntensity } from '../models/seasonal/seasonal-intensity.js';

const FIRST = dayIndexOfDate('2022-01-01');

/** Daily repeat purchases around 40 a day, 1.8× in the second half of December, with a seeded ±10% noise. */
function counts(days: number): Float64Array {
  let seed = 12345;
  const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.2;
  return Float64Array.from({ length: days }, (_, i) => {
    const dayOfYear = (i % 365);
    return Math.round(40 * (dayOfYear >= 349 ? 1.8 : 1) * (1 + noise()));
  });
}

test('a year of history gives a yearly cycle that peaks where the history does; a day less, or yearly: false, gives none', async () => {
  assert.equal(MIN_YEARLY_HISTORY_DAYS, 365);
  const withCycle = await SeasonalIntensity.fit(FIRST, counts(730));
  assert.equal(withCycle.yearly, true);
  const [december] = withCycle.factors([dayIndexOfDate('2024-12-24')]);
  const [june] = withCycle.factors([dayIndexOfDate('2024-06-15')]);
  assert.ok(december > 1.3 * june, `24 Dec ${december.toFixed(2)} vs 15 Jun ${june.toFixed(2)}`);
  assert.equal((await SeasonalIntensity.fit(FIRST, counts(365))).yearly, true);
  assert.equal((await SeasonalIntensity.fit(FIRST, counts(364))).yearly, false);

  const left = await SeasonalIntensity.fit(FIRST, counts(730), undefined, { yearly: false });
  assert.equal(left.yearly, false);
  const [d2] = left.factors([dayIndexOfDate('2024-12-24')]);
  const [j2] = left.factors([dayIndexOfDate('2024-06-15')]);
  assert.ok(Math.abs(d2 / j2 - 1) < 0.15, `without a yearly cycle the two days differ by their weekdays only: ${d2.toFixed(2)} vs ${j2.toFixed(2)}`);
});
