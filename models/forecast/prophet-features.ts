/**
 * The columns of Prophet's design matrix (Taylor & Letham 2018, §3.2–3.3):
 *  - seasonality of period P as a Fourier series, eq. (5): for n = 1…N, sin(2πnt/P) and
 *    cos(2πnt/P), t in days since 1970-01-01 (Prophet's own convention, so the phases match);
 *  - holidays as indicators, eq. (6): one column per (holiday, offset in its window).
 * A period longer than a day (a week) gets each column's sum over its days for holidays
 * (days of the week that are the holiday) and mean for Fourier terms, so a weekly series is
 * modelled as the roll-up of the daily one.
 *
 * Specs are plain data and stored with a fitted forecast, so future columns are rebuilt
 * exactly as the fitted ones were.
 */
import { holidayDays, type HolidayCalendar } from '../../core/holidays/holiday-calendar.js';

export type FeatureMode = 'additive' | 'multiplicative';

export type FeatureSpec =
  | {
      kind: 'fourier';
      /** Name of the seasonality ('yearly', 'weekly'). */
      seasonality: string;
      periodDays: number;
      /** n in eq. (5), ≥ 1. */
      harmonic: number;
      fn: 'sin' | 'cos';
      priorScale: number;
      mode: FeatureMode;
    }
  | {
      kind: 'holiday';
      holiday: string;
      /** Days after the holiday (negative: before it). */
      offset: number;
      priorScale: number;
      mode: FeatureMode;
    };

/** Fourier columns of one seasonality: sin and cos of harmonics 1…order, as Prophet orders them. */
export function seasonalitySpecs(name: string, periodDays: number, order: number, priorScale: number, mode: FeatureMode): FeatureSpec[] {
  const specs: FeatureSpec[] = [];
  for (let harmonic = 1; harmonic <= order; harmonic++) {
    for (const fn of ['sin', 'cos'] as const) specs.push({ kind: 'fourier', seasonality: name, periodDays, harmonic, fn, priorScale, mode });
  }
  return specs;
}

/** One column per (holiday, offset), offsets from lowerWindow to upperWindow. */
export function holidaySpecs(calendar: HolidayCalendar, defaultPriorScale: number, mode: FeatureMode): FeatureSpec[] {
  const specs: FeatureSpec[] = [];
  for (const h of calendar.holidays) {
    for (let offset = h.lowerWindow; offset <= h.upperWindow; offset++) {
      specs.push({ kind: 'holiday', holiday: h.name, offset, priorScale: h.priorScale ?? defaultPriorScale, mode });
    }
  }
  return specs;
}

/** Component a column belongs to: the seasonality's name, or 'holidays'. */
export function componentOf(spec: FeatureSpec): string {
  return spec.kind === 'fourier' ? spec.seasonality : 'holidays';
}

/**
 * The columns for periods starting at `starts` (day indices, ascending), each `periodLength`
 * days long. @throws RangeError for a holiday missing from the calendar.
 */
export function featureColumns(
  specs: readonly FeatureSpec[],
  starts: readonly number[],
  periodLength: number,
  calendar: HolidayCalendar,
): Float64Array[] {
  const first = starts.length === 0 ? 0 : starts[0];
  const last = starts.length === 0 ? 0 : starts[starts.length - 1] + periodLength - 1;
  const occurrences = new Map<string, Set<number>>();
  const daysOf = (name: string): Set<number> => {
    let set = occurrences.get(name);
    if (set === undefined) {
      const h = calendar.holidays.find((x) => x.name === name);
      if (h === undefined) throw new RangeError(`holiday "${name}" is not in the calendar`);
      // A window day inside the range may belong to an occurrence just outside it.
      occurrences.set(name, (set = new Set(holidayDays(h, first - h.upperWindow, last - h.lowerWindow))));
    }
    return set;
  };
  return specs.map((spec) => {
    const col = new Float64Array(starts.length);
    for (let i = 0; i < starts.length; i++) {
      let v = 0;
      for (let d = starts[i]; d < starts[i] + periodLength; d++) {
        if (spec.kind === 'holiday') v += daysOf(spec.holiday).has(d - spec.offset) ? 1 : 0;
        else {
          const angle = (2 * Math.PI * spec.harmonic * d) / spec.periodDays;
          v += (spec.fn === 'sin' ? Math.sin(angle) : Math.cos(angle)) / periodLength;
        }
      }
      col[i] = v;
    }
    return col;
  });
}

/** Whether a column carries any signal (an all-zero holiday column cannot be estimated). */
export function isInformative(column: ArrayLike<number>): boolean {
  for (let i = 0; i < column.length; i++) if (column[i] !== 0) return true;
  return false;
}
