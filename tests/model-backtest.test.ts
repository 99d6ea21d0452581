import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backtestFolds } from '../evaluation/backtest-folds.js';
import { untestedPart } from '../evaluation/model-backtest.js';

test('the seasonal model\'s yearly cycle is untested when the calibration period has two years and no fold origin has', () => {
  const first = 10_000;
  const twoYears = first + 729;
  const folds = backtestFolds(first, twoYears, 7);
  assert.deepEqual(untestedPart('seasonal', first, twoYears, folds), { untested: 'its yearly cycle (730 days of history needed, 365 before the latest origin)' });
  assert.deepEqual(untestedPart('bgnbd', first, twoYears, folds), {}, 'BG/NBD has no part the folds cannot fit');
  // Less than two years in all: no yearly cycle anywhere, the folds test the model as deployed.
  const shorter = first + 600;
  assert.deepEqual(untestedPart('seasonal', first, shorter, backtestFolds(first, shorter, 7)), {});
  // Three years: the latest origin has two years before it.
  const threeYears = first + 3 * 365 - 1;
  assert.deepEqual(untestedPart('seasonal', first, threeYears, backtestFolds(first, threeYears, 7)), {});
});
