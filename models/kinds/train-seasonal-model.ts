/**
 * Training the seasonal kind (seasonal-bgnbd-gamma-gamma-model.ts): the shop's seasonal
 * intensity from its daily repeat purchases, then BG/NBD + Gamma-Gamma on every customer's
 * (x, t_x, T) in operational time, then segment thresholds from the CLVs the seasonal model
 * itself gives (as train-customer-value-model.ts does for the plain kind).
 */
import type { HolidayCalendar } from '../../core/holidays/holiday-calendar.js';
import type { ModelInput } from '../../core/repeat-purchase-summary.js';
import { OperationalClock, operationalInput } from '../seasonal/operational-time.js';
import { SeasonalIntensity } from '../seasonal/seasonal-intensity.js';
import { SeasonalBgNbdGammaGammaModel } from './seasonal-bgnbd-gamma-gamma-model.js';
import { establishedClvs, segmentThresholds, trainCustomerValueModel, type TrainingSettings } from './train-customer-value-model.js';

/** The shop's repeat purchase days per calendar day, firstDay … firstDay + counts.length − 1. */
export interface DailyRepeatPurchases {
  firstDay: number;
  counts: ArrayLike<number>;
}

/**
 * Repeat purchase days per day up to `cutDay`, from customers' purchase days (their first
 * day is a birth, not a repeat purchase).
 */
export function dailyRepeatPurchases(histories: Iterable<Iterable<readonly [number, number]>>, cutDay: number): DailyRepeatPurchases {
  let firstDay = Infinity;
  const byDay = new Map<number, number>();
  for (const history of histories) {
    let first = Infinity;
    for (const [day] of history) if (day < first) first = day;
    if (first < firstDay) firstDay = first;
    for (const [day] of history) if (day > first && day <= cutDay) byDay.set(day, (byDay.get(day) ?? 0) + 1);
  }
  if (!Number.isFinite(firstDay)) return { firstDay: cutDay, counts: [] };
  const counts = new Float64Array(Math.max(0, cutDay - firstDay + 1));
  for (const [day, n] of byDay) counts[day - firstDay] = n;
  return { firstDay, counts };
}

/**
 * `yearly: false` fits the intensity without its yearly cycle (the backtest's folds, when the
 * deployed model's cycle comes from more years than any fold has: model-backtest.ts).
 * @throws ClvError INSUFFICIENT_DATA when the history is too short for an intensity, or the data cannot identify BG/NBD.
 */
export async function trainSeasonalModel(inputs: readonly ModelInput[], repeats: DailyRepeatPurchases, s: TrainingSettings, holidays?: HolidayCalendar, options: { yearly?: boolean } = {}): Promise<SeasonalBgNbdGammaGammaModel> {
  const intensity = await SeasonalIntensity.fit(repeats.firstDay, repeats.counts, holidays, options);
  const clock = new OperationalClock(intensity, repeats.firstDay);
  const base = trainCustomerValueModel(inputs.map((x) => operationalInput(clock, x, s.periodDays)), s);
  const provisional = new SeasonalBgNbdGammaGammaModel(base, intensity, repeats.firstDay);
  return provisional.withThresholds(segmentThresholds(establishedClvs(provisional, inputs, s), s));
}
