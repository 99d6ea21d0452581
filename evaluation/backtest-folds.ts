/**
 * Rolling-origin backtest folds (Tashman 2000, "Out-of-sample tests of forecasting accuracy",
 * IJF 16): several cut days inside the calibration period, each followed by a window the
 * models are scored on, all ending on or before the calibration end, so selection never sees
 * the holdout.
 *
 * Windows are a whole year where the history allows (two years or more: a year to fit on, a
 * year to score), so no single season decides; otherwise a third of the history, so a fold
 * still has twice its window to fit on at the first origin. Origins step back by a quarter of
 * a year-long window (half of a shorter one), at most `maxFolds` of them, each keeping at
 * least one window of history before it.
 */

export interface BacktestFold {
  /** Last day the models may see. */
  originDay: number;
  /** Last day of the scored window (inclusive): origin + window days. */
  endDay: number;
}

const YEAR_DAYS = 365;
/** Shortest window worth scoring: four weeks. */
const MIN_WINDOW_DAYS = 28;

/**
 * @param firstDay first purchase day in the data.
 * @param calibrationEndDay last calibration day (inclusive).
 * @param periodDays windows are whole periods (7: weeks).
 * @returns folds, latest origin first; empty when the history is too short for one.
 */
export function backtestFolds(firstDay: number, calibrationEndDay: number, periodDays: number, maxFolds = 3): BacktestFold[] {
  const span = calibrationEndDay - firstDay;
  const windowDays = span >= 2 * YEAR_DAYS ? YEAR_DAYS : Math.floor(span / 3 / periodDays) * periodDays;
  if (windowDays < MIN_WINDOW_DAYS) return [];
  const step = windowDays === YEAR_DAYS ? 13 * 7 : Math.max(periodDays, Math.floor(windowDays / 2 / periodDays) * periodDays);
  const folds: BacktestFold[] = [];
  for (let k = 0; k < maxFolds; k++) {
    const originDay = calibrationEndDay - windowDays - k * step;
    if (originDay - firstDay < windowDays) break;
    folds.push({ originDay, endDay: originDay + windowDays });
  }
  return folds;
}
