/**
 * Rolling-origin backtest folds (Tashman 2000, "Out-of-sample tests of forecasting accuracy",
 * IJF 16): several cut days inside the calibration period, each followed by a window the
 * models are scored on, all ending on or before the calibration end, so selection never sees
 * the holdout.
 *
 * Windows are a whole year where the history allows (two years or more: a year to fit on, a
 * year to score), so no single season decides; otherwise a third of the history, so a fold
 * still has twice its window to fit on at the first origin. Origins step back by a quarter of
 * a year-long window (half of a shorter one), at most `maxFolds` of them; a fold keeps at
 * least half a year of history before a year-long window (one window before a shorter one),
 * so the earlier folds fit on less than the calibration period has — as a young shop would.
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
  const days = calibrationEndDay - firstDay + 1;
  const yearLong = days >= 2 * YEAR_DAYS;
  const windowDays = yearLong ? YEAR_DAYS : Math.floor(days / 3 / periodDays) * periodDays;
  if (windowDays < MIN_WINDOW_DAYS) return [];
  const step = yearLong ? 13 * 7 : Math.max(periodDays, Math.floor(windowDays / 2 / periodDays) * periodDays);
  const minHistory = yearLong ? Math.ceil(YEAR_DAYS / 2) : windowDays;
  const folds: BacktestFold[] = [];
  for (let k = 0; k < maxFolds; k++) {
    const originDay = calibrationEndDay - windowDays - k * step;
    if (originDay - firstDay + 1 < minHistory) break;
    folds.push({ originDay, endDay: originDay + windowDays });
  }
  return folds;
}
