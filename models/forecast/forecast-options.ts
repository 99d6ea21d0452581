/**
 * Options of the revenue forecaster (prophet-forecaster.ts), their defaults and one
 * validating resolver. Defaults are Prophet's (Taylor & Letham 2018; the Python package's
 * documentation) unless a comment says otherwise.
 */
import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { ProphetFitter } from './augurs-prophet.js';
import type { HolidayCalendar } from '../../core/holidays/holiday-calendar.js';
import type { FeatureMode } from './prophet-features.js';

/** 'auto' (Prophet's rule), on/off, or the Fourier order. */
export type SeasonalitySetting = 'auto' | boolean | number;

/** Options of `fitRevenueForecast`; defaults are Prophet's. */
export interface RevenueForecastOptions {
  /** Holidays to model (default: none). */
  holidays?: HolidayCalendar;
  /** 'auto': order 10 when the last period starts ≥ 730 days after the first (see {@link seasonalityOrders}). */
  yearlySeasonality?: SeasonalitySetting;
  /** 'auto': order 3 for a daily series whose last day is ≥ 14 days after its first; never for a weekly series. */
  weeklySeasonality?: SeasonalitySetting;
  /** How seasonality and holidays combine with the trend (default 'additive'). */
  seasonalityMode?: FeatureMode;
  /** σ of the normal prior on Fourier coefficients (default 10). */
  seasonalityPriorScale?: number;
  /** σ of the normal prior on holiday effects unless a holiday sets its own (default 10). */
  holidaysPriorScale?: number;
  /** 'linear' (default, piecewise) or 'flat' (a constant level). */
  growth?: 'linear' | 'flat';
  /** Potential trend changepoints (default 25), spread over the first `changepointRange`. */
  nChangepoints?: number;
  /** Share of the history in which the trend may change, (0, 1] (default 0.8). */
  changepointRange?: number;
  /** τ, scale of the Laplace prior on trend changes (default 0.05): larger = a more flexible trend. */
  changepointPriorScale?: number;
  /** 'none' (default) or 'log': fit log(1 + value). */
  transform?: 'none' | 'log';
  /** Central probability of the interval (default 0.8). */
  intervalWidth?: number;
  /** Simulated paths per interval (default 1000; 0: no interval, lower = upper = yhat). */
  uncertaintySamples?: number;
  /** Seed of the interval simulation (default 1). */
  seed?: number;
  /** Default: augurs' WASM Prophet, loaded on first use. */
  fitter?: ProphetFitter;
}

/** Fourier order of a seasonality setting; `autoOn` is Prophet's data-length rule. */
export function fourierOrder(setting: SeasonalitySetting, auto: number, autoOn: boolean): number {
  if (setting === 'auto') return autoOn ? auto : 0;
  if (typeof setting === 'boolean') return setting ? auto : 0;
  return setting;
}

/**
 * Fourier orders of the yearly and weekly seasonality for a history of `periods` periods of
 * `periodLength` days. 'auto' is Prophet's rule (forecaster.py, set_auto_seasonalities): it
 * measures the history from its first to its last timestamp, so 730 daily values (e.g. all
 * of 2022 and 2023) do not get yearly seasonality and 731 do; checked against Python Prophet
 * in tests/forecast-prophet-reference.test.ts. Weekly seasonality is never fitted to a weekly
 * series: its Fourier terms average to 0 over each week.
 */
export function seasonalityOrders(
  o: Pick<ResolvedForecastOptions, 'yearlySeasonality' | 'weeklySeasonality'>,
  periods: number,
  periodLength: number,
): { yearly: number; weekly: number } {
  const spanDays = (periods - 1) * periodLength;
  return {
    yearly: fourierOrder(o.yearlySeasonality, 10, spanDays >= 730),
    weekly: periodLength < 7 ? fourierOrder(o.weeklySeasonality, 3, spanDays >= 14) : 0,
  };
}

/** Every option but the calendar and the fitter, defaults filled in. */
export type ResolvedForecastOptions = Required<Omit<RevenueForecastOptions, 'holidays' | 'fitter'>>;

/** @throws ClvError INVALID_CONFIG naming the bad option. */
export function resolveForecastOptions(options: RevenueForecastOptions): ResolvedForecastOptions {
  const o: ResolvedForecastOptions = {
    yearlySeasonality: 'auto', weeklySeasonality: 'auto', seasonalityMode: 'additive', seasonalityPriorScale: 10,
    holidaysPriorScale: 10, growth: 'linear', nChangepoints: 25, changepointRange: 0.8, changepointPriorScale: 0.05,
    transform: 'none', intervalWidth: 0.8, uncertaintySamples: 1000, seed: 1,
  };
  for (const [key, value] of Object.entries(options)) if (value !== undefined && key in o) (o as Record<string, unknown>)[key] = value;
  const bad = (what: string, v: unknown): never => {
    throw new ClvError(ErrorCodes.INVALID_CONFIG, `revenue forecast: ${what}, got ${JSON.stringify(v)}`);
  };
  for (const key of ['yearlySeasonality', 'weeklySeasonality'] as const) {
    const v = o[key];
    if (!(v === 'auto' || typeof v === 'boolean' || (Number.isInteger(v) && v >= 0 && v <= 50))) bad(`${key} must be 'auto', a boolean or a Fourier order 0–50`, v);
  }
  for (const key of ['seasonalityPriorScale', 'holidaysPriorScale', 'changepointPriorScale'] as const) {
    if (!(o[key] > 0 && Number.isFinite(o[key]))) bad(`${key} must be > 0`, o[key]);
  }
  if (!['additive', 'multiplicative'].includes(o.seasonalityMode)) bad("seasonalityMode must be 'additive' or 'multiplicative'", o.seasonalityMode);
  if (!['linear', 'flat'].includes(o.growth)) bad("growth must be 'linear' or 'flat'", o.growth);
  if (!['none', 'log'].includes(o.transform)) bad("transform must be 'none' or 'log'", o.transform);
  if (!(Number.isInteger(o.nChangepoints) && o.nChangepoints >= 0)) bad('nChangepoints must be an integer ≥ 0', o.nChangepoints);
  if (!(o.changepointRange > 0 && o.changepointRange <= 1)) bad('changepointRange must be in (0, 1]', o.changepointRange);
  if (!(o.intervalWidth > 0 && o.intervalWidth < 1)) bad('intervalWidth must be in (0, 1)', o.intervalWidth);
  if (!(Number.isInteger(o.uncertaintySamples) && o.uncertaintySamples >= 0)) bad('uncertaintySamples must be an integer ≥ 0', o.uncertaintySamples);
  if (!Number.isInteger(o.seed)) bad('seed must be an integer', o.seed);
  return o;
}
