/**
 * Options of the synthetic history: what the caller may set, the defaults, and one
 * validating resolver. Model parameters default to the CDNOW estimates of Fader, Hardie &
 * Lee (2005) and Fader & Hardie (2013) so that a model fitted to the demo data should land
 * near the published numbers.
 */
import { dayIndexer, dayIndexOfDate } from '../../core/calendar.js';

/** BG/NBD, periods of one week: λ ~ Gamma(shape r, rate alpha), p ~ Beta(a, b). */
export interface BgNbdParams { r: number; alpha: number; a: number; b: number }

/** Gamma-Gamma, in major currency units: ν ~ Gamma(shape q, rate gamma), z ~ Gamma(shape p, rate ν). */
export interface GammaGammaParams { p: number; q: number; gamma: number }

/** Multiplicative seasonal shape; normalised so each calendar year keeps the mean rate λ. */
export interface SeasonalityOptions {
  /** Relative purchase intensity per month, January first (12 values > 0). */
  monthWeights: readonly number[];
  /** Relative intensity per weekday, Sunday first (7 values > 0). */
  weekdayWeights: readonly number[];
  /** Relative intensity per local hour, 00:00 first (24 values ≥ 0); shapes time of day only. */
  hourWeights: readonly number[];
  /** Multiplier on Black Friday; Cyber Monday gets half the excess. 1 = no peak. */
  blackFridayBoost: number;
}

/** When new customers arrive (their first purchase). */
export interface AcquisitionOptions {
  /** Daily acquisition at the end of the history relative to its start (linear ramp; 1 = flat). */
  growth: number;
  /** σ of a log-normal multiplier drawn per calendar month: campaign months bring larger cohorts. */
  cohortVariation: number;
}

/** Per-order probabilities of what happens after ORDER_PLACED. */
export interface LifecycleRates {
  cancelRate: number;
  paymentFailureRate: number;
  /** Capture days (not minutes) after the order. */
  latePaymentRate: number;
  refundRate: number;
  /** Share of refunds that return the whole amount (the rest are partial). */
  fullRefundShare: number;
}

/** Per-event probabilities of delivery faults and injected invalid input. */
export interface NoiseRates {
  /** The same event (same event_id) delivered again. */
  duplicateRate: number;
  /** Delivered minutes to hours late, so that e.g. a payment overtakes its order. */
  reorderRate: number;
  /** Delivered days late. */
  lateRate: number;
  /** An extra, structurally valid but semantically invalid event per valid event. */
  invalidRate: number;
  /** An extra message of random bytes per valid event. */
  poisonRate: number;
}

export interface SyntheticHistoryOptions {
  customers: number;
  /** First local calendar day of the history, YYYY-MM-DD. */
  start: string;
  /** Last local calendar day, inclusive, YYYY-MM-DD. */
  end: string;
  seed: number;
  /** ISO 4217 code of the shop. */
  currency: string;
  /** IANA zone in which calendar days (and seasonality) are counted. */
  timeZone: string;
  /** Minor units per major unit (100 for USD, 1 for JPY); defaults from the currency. */
  minorPerMajor: number;
  bgnbd: BgNbdParams;
  gammaGamma: GammaGammaParams;
  seasonality: SeasonalityOptions;
  acquisition: AcquisitionOptions;
  lifecycle: LifecycleRates;
  noise: NoiseRates;
}

/** What a caller passes: every field optional, nested groups merged field by field. */
export type SyntheticHistoryInput = Partial<Omit<SyntheticHistoryOptions, 'bgnbd' | 'gammaGamma' | 'seasonality' | 'acquisition' | 'lifecycle' | 'noise'>> & {
  bgnbd?: Partial<BgNbdParams>;
  gammaGamma?: Partial<GammaGammaParams>;
  seasonality?: Partial<SeasonalityOptions>;
  acquisition?: Partial<AcquisitionOptions>;
  lifecycle?: Partial<LifecycleRates>;
  noise?: Partial<NoiseRates>;
};

/** Retail-like shape: Nov–Dec peak, weekend bump, evening traffic. */
export const DEFAULT_SEASONALITY: SeasonalityOptions = Object.freeze({
  monthWeights: Object.freeze([0.85, 0.8, 0.9, 0.92, 0.95, 0.92, 0.9, 0.95, 0.95, 1, 1.3, 1.55]),
  weekdayWeights: Object.freeze([1.25, 0.9, 0.9, 0.92, 0.95, 1.05, 1.3]),
  hourWeights: Object.freeze([0.3, 0.2, 0.15, 0.1, 0.1, 0.15, 0.3, 0.6, 0.9, 1, 1.1, 1.2, 1.3, 1.2, 1.1, 1.1, 1.2, 1.3, 1.5, 1.7, 1.8, 1.6, 1.1, 0.6]),
  blackFridayBoost: 3,
});

/** No seasonality at all: a homogeneous Poisson process, as in the plain BG/NBD story. */
export const FLAT_SEASONALITY: SeasonalityOptions = Object.freeze({
  monthWeights: Object.freeze(new Array<number>(12).fill(1)),
  weekdayWeights: Object.freeze(new Array<number>(7).fill(1)),
  hourWeights: Object.freeze(new Array<number>(24).fill(1)),
  blackFridayBoost: 1,
});

/** The demo's history: 20,000 customers over 2.5 years, CDNOW-like behaviour. */
export const DEFAULT_SYNTHETIC_HISTORY_OPTIONS: Readonly<SyntheticHistoryOptions> = Object.freeze({
  customers: 20_000,
  start: '2023-01-01',
  end: '2025-06-30',
  seed: 1,
  currency: 'USD',
  timeZone: 'UTC',
  minorPerMajor: 100,
  // Fader, Hardie & Lee (2005), CDNOW sample in weeks.
  bgnbd: Object.freeze({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }),
  // Fader & Hardie (2013), "The Gamma-Gamma model of monetary value", CDNOW in dollars.
  gammaGamma: Object.freeze({ p: 6.25, q: 3.74, gamma: 15.44 }),
  seasonality: DEFAULT_SEASONALITY,
  acquisition: Object.freeze({ growth: 2, cohortVariation: 0.35 }),
  lifecycle: Object.freeze({ cancelRate: 0.02, paymentFailureRate: 0.03, latePaymentRate: 0.02, refundRate: 0.05, fullRefundShare: 0.5 }),
  noise: Object.freeze({ duplicateRate: 0.01, reorderRate: 0.02, lateRate: 0.005, invalidRate: 0.001, poisonRate: 0.0005 }),
});

/** 10^(fraction digits) of an ISO 4217 currency, as Intl knows it (USD 100, JPY 1, KWD 1000). */
export function minorPerMajorOf(currency: string): number {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return 10 ** digits;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new RangeError(`synthetic history: ${what}`);
}

function checkWeights(name: string, w: readonly number[], length: number, allowZero: boolean): void {
  check(w.length === length && w.every((x) => Number.isFinite(x) && (allowZero ? x >= 0 : x > 0)) && w.some((x) => x > 0),
    `seasonality.${name} needs ${length} finite ${allowZero ? 'non-negative' : 'positive'} numbers`);
}

/** Merges input over the defaults, validates everything, and returns a frozen copy. */
export function resolveSyntheticHistoryOptions(input: SyntheticHistoryInput = {}): Readonly<SyntheticHistoryOptions> {
  const d = DEFAULT_SYNTHETIC_HISTORY_OPTIONS;
  const currency = input.currency ?? d.currency;
  check(/^[A-Z]{3}$/.test(currency), `currency must be an ISO 4217 code, got ${JSON.stringify(currency)}`);
  const o: SyntheticHistoryOptions = {
    customers: input.customers ?? d.customers,
    start: input.start ?? d.start,
    end: input.end ?? d.end,
    seed: input.seed ?? d.seed,
    currency,
    timeZone: input.timeZone ?? d.timeZone,
    minorPerMajor: input.minorPerMajor ?? minorPerMajorOf(currency),
    bgnbd: Object.freeze({ ...d.bgnbd, ...input.bgnbd }),
    gammaGamma: Object.freeze({ ...d.gammaGamma, ...input.gammaGamma }),
    seasonality: Object.freeze({ ...d.seasonality, ...input.seasonality }),
    acquisition: Object.freeze({ ...d.acquisition, ...input.acquisition }),
    lifecycle: Object.freeze({ ...d.lifecycle, ...input.lifecycle }),
    noise: Object.freeze({ ...d.noise, ...input.noise }),
  };
  check(Number.isInteger(o.customers) && o.customers >= 1, `customers must be a positive integer, got ${o.customers}`);
  check(Number.isSafeInteger(o.seed), `seed must be a safe integer, got ${o.seed}`);
  check(dayIndexOfDate(o.start) <= dayIndexOfDate(o.end), `start ${o.start} is after end ${o.end}`);
  dayIndexer(o.timeZone); // throws a RangeError naming the zone when it is not IANA
  check(Number.isInteger(o.minorPerMajor) && o.minorPerMajor >= 1, `minorPerMajor must be a positive integer, got ${o.minorPerMajor}`);
  for (const [group, values] of [['bgnbd', o.bgnbd], ['gammaGamma', o.gammaGamma]] as const) {
    for (const [k, v] of Object.entries(values)) check(Number.isFinite(v) && v > 0, `${group}.${k} must be > 0, got ${v}`);
  }
  checkWeights('monthWeights', o.seasonality.monthWeights, 12, false);
  checkWeights('weekdayWeights', o.seasonality.weekdayWeights, 7, false);
  checkWeights('hourWeights', o.seasonality.hourWeights, 24, true);
  check(Number.isFinite(o.seasonality.blackFridayBoost) && o.seasonality.blackFridayBoost > 0, 'seasonality.blackFridayBoost must be > 0');
  check(Number.isFinite(o.acquisition.growth) && o.acquisition.growth > 0, 'acquisition.growth must be > 0');
  check(Number.isFinite(o.acquisition.cohortVariation) && o.acquisition.cohortVariation >= 0, 'acquisition.cohortVariation must be ≥ 0');
  for (const [group, values] of [['lifecycle', o.lifecycle], ['noise', o.noise]] as const) {
    for (const [k, v] of Object.entries(values)) check(Number.isFinite(v) && v >= 0 && v <= 1, `${group}.${k} must be in [0, 1], got ${v}`);
  }
  return Object.freeze(o);
}
