/**
 * The inputs and target of the sequence model (ARCHITECTURE, Models: LSTM) for one customer
 * as of a day: the spend and purchase count of each of the last N periods, the RFM summary
 * that BG/NBD + Gamma-Gamma use, and — for training — the spend over the next H periods.
 * Pure and deterministic; input iteration order does not matter.
 *
 * Purchases are given as purchase days (day index → value of that day, minor units), the
 * unit of core/repeat-purchase-summary.ts: one day is one transaction, as in Fader, Hardie &
 * Lee (2005). The as-of day belongs to the history (as in toModelInput and the calibration
 * split); the target window is the H·periodDays days after it.
 */
import { summarizePurchaseDays, toModelInput, type RepeatPurchaseSummary } from '../../core/repeat-purchase-summary.js';

export interface SequenceFeatureOptions {
  /** Length of one period, days (7 = weeks, the unit of the BG/NBD papers). Integer ≥ 1. */
  periodDays: number;
  /** N: periods of history fed to the LSTM. Integer ≥ 1. */
  periods: number;
  /** H: periods after the as-of day that the target sums. Integer ≥ 1. */
  horizonPeriods: number;
  /** Minor units per currency unit (100 for cents); spend features and targets are in currency units. */
  minorPerUnit: number;
}

/** 26 weeks of history, a 52-week target, cents. */
export const DEFAULT_SEQUENCE_FEATURE_OPTIONS: Readonly<SequenceFeatureOptions> = Object.freeze({
  periodDays: 7,
  periods: 26,
  horizonPeriods: 52,
  minorPerUnit: 100,
});

/** Features per period: log1p(spend in currency units), purchase days in the period. */
export const STEP_FEATURES = 2;

/**
 * Static features, each log1p-scaled: x (repeat purchase days), t_x and T (periods), mean
 * repeat-day value (0 when x = 0), mean value of all purchase days. The last is not in
 * BG/NBD's summary; it carries the one spend figure a one-time buyer whose purchase fell
 * before the N-period window would otherwise lack.
 */
export const STATIC_FEATURES = 5;

/** What the model reads for one customer. */
export interface SequenceRow {
  /** periods × STEP_FEATURES values, oldest period first; the last period ends on the as-of day. */
  steps: Float32Array;
  /** STATIC_FEATURES values. */
  statics: Float32Array;
}

/** A row with its training target. */
export interface SequenceExample extends SequenceRow {
  /** Spend over the H periods after the as-of day, currency units, ≥ 0. */
  target: number;
}

type PurchaseDays = Iterable<readonly [day: number, valueMinor: number]>;

/**
 * How many days of purchases before the last purchase day the streaming features carry
 * (CustomerFeaturesEvent.recent_purchase_days): 26 weeks, the default window. A row as of any
 * day on or after the last purchase reads only days inside its N·periodDays window, so a
 * model whose window fits in these days gets from the features exactly the row it gets from
 * the full history (a model with a longer window cannot score from the stream: models/kinds
 * refuses to load it).
 */
export const RECENT_PURCHASE_WINDOW_DAYS = 182;

/**
 * The purchase days within RECENT_PURCHASE_WINDOW_DAYS up to the last one (days after
 * lastDay − 182), oldest first: the bounded history the features carry.
 */
export function recentPurchaseDays(days: PurchaseDays, lastDay: number): Array<[day: number, valueMinor: number]> {
  const out: Array<[number, number]> = [];
  for (const [day, value] of days) if (day > lastDay - RECENT_PURCHASE_WINDOW_DAYS && day <= lastDay) out.push([day, value]);
  return out.sort((a, b) => a[0] - b[0]);
}

/**
 * The model inputs as of `asOfDay` from the purchase days on or before it (later days are
 * ignored, so a full history may be passed). Null when the customer has no purchase day
 * on or before `asOfDay` — not yet a customer then.
 */
export function sequenceRow(days: PurchaseDays, asOfDay: number, options: Readonly<SequenceFeatureOptions> = DEFAULT_SEQUENCE_FEATURE_OPTIONS): SequenceRow | null {
  validateSequenceFeatureOptions(options);
  const past: [number, number][] = [];
  for (const [day, value] of days) if (day <= asOfDay) past.push([day, value]);
  const summary = summarizePurchaseDays(past);
  return summary === null ? null : sequenceRowOf(summary, past, asOfDay, options);
}

/**
 * The same row from a repeat-purchase summary and the purchase days of the window only (any
 * days outside (asOfDay − N·periodDays, asOfDay] are ignored): how scoring builds it from the
 * streaming features, whose history is bounded (RECENT_PURCHASE_WINDOW_DAYS). `sequenceRow`
 * goes through here, so training, evaluation and the stream build rows by one function.
 * `summary` must describe the purchase days on or before `asOfDay`.
 */
export function sequenceRowOf(summary: Readonly<RepeatPurchaseSummary>, windowDays: PurchaseDays, asOfDay: number, options: Readonly<SequenceFeatureOptions> = DEFAULT_SEQUENCE_FEATURE_OPTIONS): SequenceRow {
  validateSequenceFeatureOptions(options);
  const { periodDays, periods, minorPerUnit } = options;
  const steps = new Float32Array(periods * STEP_FEATURES);
  // Sums of integer minor units: exact in float64 whatever the order the days come in.
  const spend = new Float64Array(periods);
  for (const [day, value] of windowDays) {
    if (day > asOfDay) continue;
    const back = Math.floor((asOfDay - day) / periodDays);
    if (back < periods) {
      const period = periods - 1 - back;
      spend[period] += value;
      steps[period * STEP_FEATURES + 1] += 1;
    }
  }
  for (let p = 0; p < periods; p++) steps[p * STEP_FEATURES] = Math.log1p(Math.max(0, spend[p]) / minorPerUnit);
  const m = toModelInput(summary, asOfDay, periodDays, minorPerUnit);
  const meanDayValue = summary.totalValueMinor / summary.purchaseDays / minorPerUnit;
  const statics = Float32Array.from([m.frequency, m.recency, m.T, m.monetaryValue, meanDayValue], (v) => Math.log1p(Math.max(0, v)));
  return { steps, statics };
}

/**
 * Spend over the H periods after `asOfDay` — days asOfDay+1 … asOfDay + H·periodDays,
 * inclusive — in currency units. Negative days (net refunds) count, but the sum is floored
 * at 0: the ZILN loss needs a non-negative target.
 */
export function futureSpend(days: PurchaseDays, asOfDay: number, options: Readonly<SequenceFeatureOptions> = DEFAULT_SEQUENCE_FEATURE_OPTIONS): number {
  validateSequenceFeatureOptions(options);
  const end = asOfDay + options.horizonPeriods * options.periodDays;
  let minor = 0;
  for (const [day, value] of days) if (day > asOfDay && day <= end) minor += value;
  return Math.max(0, minor) / options.minorPerUnit;
}

/** A training example: inputs as of `asOfDay` and the spend after it, from one full history. */
export function sequenceExample(days: PurchaseDays, asOfDay: number, options: Readonly<SequenceFeatureOptions> = DEFAULT_SEQUENCE_FEATURE_OPTIONS): SequenceExample | null {
  const list = Array.isArray(days) ? (days as readonly (readonly [number, number])[]) : [...days];
  const row = sequenceRow(list, asOfDay, options);
  return row === null ? null : { ...row, target: futureSpend(list, asOfDay, options) };
}

/** @throws RangeError naming the first option out of range. */
export function validateSequenceFeatureOptions(o: Readonly<SequenceFeatureOptions>): void {
  for (const key of ['periodDays', 'periods', 'horizonPeriods'] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1) throw new RangeError(`${key} must be an integer ≥ 1, got ${o[key]}`);
  }
  if (!(o.minorPerUnit > 0) || !Number.isFinite(o.minorPerUnit)) throw new RangeError(`minorPerUnit must be > 0, got ${o.minorPerUnit}`);
}
