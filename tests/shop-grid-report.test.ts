/**
 * The unseen-shop grid's pure parts (bench/accuracy/shop-grid-report.ts): the shops' dates and
 * the summary the README quotes — harms and gains by the accuracy issue's 2-point rule, and
 * the seed-to-seed noise of BG/NBD's error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gridShops, gridSummary, shopName, type GridResult } from '../bench/accuracy/shop-grid-report.js';

test('grid shops: calibration ends on the last day of the month, starts that many months before, a 365-day holdout', () => {
  const [dec, jun] = gridShops(['flat'], [30], [12, 6], [5]);
  assert.deepEqual(
    { start: dec.start, calibrationEnd: dec.calibrationEnd, holdoutEnd: dec.holdoutEnd, seed: dec.seed, season: dec.season },
    { start: '2022-07-01', calibrationEnd: '2024-12-31', holdoutEnd: '2025-12-31', seed: 5, season: 'flat' },
  );
  assert.deepEqual([jun.start, jun.calibrationEnd, jun.holdoutEnd], ['2022-01-01', '2024-06-30', '2025-06-30']);
  assert.equal(gridShops(['flat'], [24], [2], [1])[0].calibrationEnd, '2024-02-29'); // a leap year's February
  assert.equal(shopName(dec), 'flat/30m/end-12/seed-5');
});

test('grid shops: every combination once; a month outside 1–12 is an error', () => {
  const shops = gridShops(['a', 'b'], [20, 24], [3, 6, 9], [1, 2]);
  assert.equal(shops.length, 24);
  assert.equal(new Set(shops.map(shopName)).size, 24);
  assert.throws(() => gridShops(['a'], [20], [13], [1]), /end month must be 1–12/);
  assert.throws(() => gridShops(['a'], [0], [3], [1]), /calibration months/);
});

const result = (season: string, seed: number, champion: [string, number, number | null], bgnbd: [number, number | null]): GridResult => ({
  ...gridShops([season], [24], [12], [seed])[0], customers: 100, champion: champion[0],
  championFigures: { valueError: champion[1], spearman: champion[2] }, bgnbd: { valueError: bgnbd[0], spearman: bgnbd[1] },
});

test('grid summary: harms are > 2 points worse |value error| or 0.01 lower Spearman; gains > 2 points better', () => {
  const s = gridSummary([
    result('a', 1, ['seasonal', 0.01, 0.4], [0.15, 0.4]), // gain
    result('a', 2, ['seasonal', -0.049, 0.4], [0.03, 0.4]), // within 2 points: neither
    result('a', 3, ['seasonal', 0.06, 0.4], [-0.03, 0.4]), // harm: 6 vs 3
    result('b', 1, ['bgnbd', 0.02, 0.4], [0.02, 0.4]),
    result('b', 2, ['ensemble', 0.02, 0.385], [0.02, 0.4]), // harm: Spearman
  ]);
  assert.equal(s.shops, 5);
  assert.equal(s.gains, 1);
  assert.deepEqual(s.harms.map((h) => [h.shop, h.spearmanBelow]), [['a/24m/end-12/seed-3', false], ['b/24m/end-12/seed-2', true]]);
  assert.deepEqual(s.championCounts, { seasonal: 3, bgnbd: 1, ensemble: 1 });
  assert.deepEqual(s.withinTenPercent, { bgnbd: 4, champion: 5 });
  assert.ok(Math.abs(s.meanAbsValueError.bgnbd - (0.15 + 0.03 + 0.03 + 0.02 + 0.02) / 5) < 1e-12);
  assert.ok(Math.abs(s.meanAbsValueError.champion - (0.01 + 0.049 + 0.06 + 0.02 + 0.02) / 5) < 1e-12);
  const a = s.byEndMonth.find((c) => c.season === 'a')!;
  assert.equal(a.shops, 3);
  assert.ok(Math.abs(a.meanError.bgnbd - (0.15 + 0.03 - 0.03) / 3) < 1e-12);
  assert.ok(Math.abs(a.meanError.champion - (0.01 - 0.049 + 0.06) / 3) < 1e-12);
  assert.ok(Math.abs(a.meanAbsError.bgnbd - (0.15 + 0.03 + 0.03) / 3) < 1e-12);
  assert.deepEqual(s.byEndMonth.map((c) => [c.season, c.endMonth, c.shops]), [['a', 12, 3], ['b', 12, 2]]);
});

test('grid summary: the seed-to-seed sd is the median over cells with two or more seeds', () => {
  const s = gridSummary([
    result('a', 1, ['bgnbd', 0.1, null], [0.1, null]),
    result('a', 2, ['bgnbd', 0.3, 0], [0.3, 0]), // cell a: sd of 0.1, 0.3 = 0.1414…
    result('b', 1, ['bgnbd', 0, 0], [0, 0]),
    result('b', 2, ['bgnbd', 0, 0], [0, 0]),
    result('b', 3, ['bgnbd', 0.06, 0], [0.06, 0]), // cell b: sd of 0, 0, 0.06 = 0.03464…
    result('c', 1, ['bgnbd', 0.5, 0], [0.5, 0]), // one seed: no sd
  ]);
  assert.ok(Math.abs(s.medianSeedSdOfBgNbdError! - (Math.SQRT2 * 0.1 + Math.sqrt(0.0012)) / 2) < 1e-12);
  assert.equal(gridSummary([result('a', 1, ['bgnbd', 0, 0], [0, 0])]).medianSeedSdOfBgNbdError, null);
});
