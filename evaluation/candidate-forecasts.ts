/**
 * Every single model `clv evaluate` and the backtests compare, fitted on what an evaluation
 * window may see (purchases on or before its cut) and predicting each customer's spend in
 * the window after it:
 * - `bgnbd`: BG/NBD + Gamma-Gamma (Fader, Hardie & Lee 2005; Fader & Hardie 2013);
 * - `seasonal`: the same in operational time, the season warping the calendar
 *   (models/kinds/seasonal-bgnbd-gamma-gamma-model.ts);
 * - `prophet`: Prophet's forecast of the total, split by BG/NBD's shares (model-evaluation-prophet.ts);
 * - `lstm`: the sequence model with the ZILN loss (model-evaluation-lstm.ts).
 * A model that cannot be fitted on the data at hand (too short a history for the LSTM's label
 * windows, too few repeat buyers, no yearly cycle…) is an outcome, not an exception: the
 * others still run, and selection leaves it out.
 */
import { ClvError } from '../core/errors.js';
import type { HolidayCalendar } from '../core/holidays/holiday-calendar.js';
import type { TfBackendLogger } from '../models/sequence/tf-backend.js';
import { trainCustomerValueModel, type TrainingSettings } from '../models/kinds/train-customer-value-model.js';
import { dailyRepeatPurchases, trainSeasonalModel } from '../models/kinds/train-seasonal-model.js';
import { lstmWindowForecast } from './model-evaluation-lstm.js';
import { horizonStretch, perCustomerWindowForecast, type PerCustomerWindowForecast, type WindowValueModel } from './model-evaluation-per-customer.js';
import { prophetWindowForecast } from './model-evaluation-prophet.js';
import type { EvaluationWindow, WindowForecast } from './model-evaluation-window.js';

import { SINGLE_MODELS, type SingleModel } from './evaluated-models.js';

export { SINGLE_MODELS, type SingleModel };

/**
 * The models that can be the champion: those the streaming path can score every event with
 * (models/kinds/). The LSTM and Prophet are evaluated beside them on the holdout, but until
 * the scoring processor can run them they are not candidates: a champion the stream cannot
 * deploy would make `clv evaluate` and the scores CRM receives disagree.
 */
export const DEPLOYABLE_MODELS: readonly SingleModel[] = ['bgnbd', 'seasonal'];

/** What an ensemble blends: deployable models whose per-customer predictions are their own (Prophet's are BG/NBD's shares). */
export const BLENDABLE_MODELS: readonly SingleModel[] = DEPLOYABLE_MODELS;

export interface CandidateForecast extends WindowForecast {
  /** Expected purchase days per customer, for models that predict them. */
  expectedPurchases: Float64Array | null;
  /** Fit details for metrics.json. */
  details: Record<string, unknown>;
}

export type CandidateOutcome =
  | { ok: true; forecast: CandidateForecast; wallMs: number }
  | { ok: false; reason: string; code: string | null; wallMs: number };

export interface CandidateSettings {
  training: TrainingSettings;
  /** Holidays of the seasonal intensity and of Prophet. */
  holidays: HolidayCalendar;
  /** `maxLabelPeriods`: longest label window of the LSTM (default: as long as the window, where the history allows). */
  lstm: { maxEpochs: number; seed: number; maxLabelPeriods?: number; logger?: TfBackendLogger };
  /** false: the seasonal model without its yearly cycle (backtest folds, see model-backtest.ts). */
  seasonalYearly?: boolean;
}

/** Fits `models` on the window's past and predicts the window; BG/NBD is fitted whenever a model leans on it. */
export async function forecastCandidates(window: EvaluationWindow, models: readonly SingleModel[], s: CandidateSettings): Promise<Map<SingleModel, CandidateOutcome>> {
  const out = new Map<SingleModel, CandidateOutcome>();
  const needsBgNbd = models.some((m) => m === 'bgnbd' || m === 'prophet' || m === 'lstm');
  let bgnbd: { model: WindowValueModel; forecast: PerCustomerWindowForecast } | null = null;
  if (needsBgNbd) {
    const outcome = await attempt(() => {
      const model = trainCustomerValueModel(window.inputs, s.training);
      const forecast = perCustomerWindowForecast(model, window);
      bgnbd = { model, forecast };
      return { ...forecast, expectedPurchases: forecast.expectedPurchases, details: model.metricsJson() };
    });
    if (models.includes('bgnbd')) out.set('bgnbd', outcome);
  }
  const base = bgnbd as { model: WindowValueModel; forecast: PerCustomerWindowForecast } | null;
  for (const m of models) {
    if (m === 'bgnbd') continue;
    if (m !== 'seasonal' && base === null) {
      out.set(m, { ok: false, reason: `${m} leans on BG/NBD, which could not be fitted`, code: null, wallMs: 0 });
      continue;
    }
    out.set(m, await attempt(() => fitOne(m, window, base!, s)));
  }
  return out;
}

async function fitOne(m: SingleModel, window: EvaluationWindow, bgnbd: { model: WindowValueModel; forecast: PerCustomerWindowForecast }, s: CandidateSettings): Promise<CandidateForecast> {
  const { periodDays, minorPerUnit } = s.training;
  switch (m) {
    case 'seasonal': {
      const model = await trainSeasonalModel(window.inputs, dailyRepeatPurchases(window.histories, window.cutDay), s.training, s.holidays, { yearly: s.seasonalYearly });
      const forecast = perCustomerWindowForecast(model, window);
      return { ...forecast, details: model.metricsJson() };
    }
    case 'prophet': {
      const p = await prophetWindowForecast(window, bgnbd.forecast.values, minorPerUnit, s.holidays);
      return { values: p.values, dailyShape: p.dailyShape, expectedPurchases: null, details: { fit: p.diagnostics, transform: 'log', per_customer: 'BG/NBD shares scaled to the Prophet total' } };
    }
    case 'lstm': {
      const labelPeriods = Math.min(lstmLabelPeriods(window, periodDays), s.lstm.maxLabelPeriods ?? Infinity);
      const l = await lstmWindowForecast(window, horizonStretch(bgnbd.model, window, labelPeriods), bgnbd.forecast.dailyShape, {
        labelPeriods, periodDays, maxEpochs: s.lstm.maxEpochs, seed: s.lstm.seed, minorPerUnit, ...(s.lstm.logger ? { logger: s.lstm.logger } : {}),
      });
      return {
        ...l.forecast, expectedPurchases: null,
        details: {
          label_periods: labelPeriods, training_origins: l.origins.length, training_examples: l.examples, spend_unit_minor: l.spendUnitMinor,
          horizon: labelPeriods * periodDays === window.endDay - window.cutDay ? 'LSTM spend over the window' : 'LSTM spend over the label window × BG/NBD E[X(window)]/E[X(label)] per customer',
          training: { backend: l.report.backend, epochs: l.report.epochs, best_epoch: l.report.bestEpoch, stopped_by: l.report.stoppedBy, validation_loss: l.report.validationLoss, training_ms: Math.round(l.report.trainingMs) },
        },
      };
    }
    default:
      throw new RangeError(`not a single model: ${m}`);
  }
}

/**
 * The LSTM's label window, periods: the window's own length where the history allows two
 * label origins before the cut (so the network learns the horizon it is asked about), else
 * the longest that allows two, at least four periods (the LSTM then reports INSUFFICIENT_DATA
 * when not even that fits).
 */
export function lstmLabelPeriods(window: EvaluationWindow, periodDays: number): number {
  const windowPeriods = Math.round((window.endDay - window.cutDay) / periodDays);
  const twoOrigins = Math.floor((window.cutDay - window.firstDay) / 2 / periodDays);
  return Math.max(4, Math.min(windowPeriods, twoOrigins));
}

async function attempt(fit: () => CandidateForecast | Promise<CandidateForecast>): Promise<CandidateOutcome> {
  const t0 = performance.now();
  try {
    const forecast = await fit();
    return { ok: true, forecast, wallMs: Math.round(performance.now() - t0) };
  } catch (error) {
    if (!(error instanceof ClvError) && !(error instanceof RangeError)) throw error;
    return { ok: false, reason: error.message, code: error instanceof ClvError ? error.code : null, wallMs: Math.round(performance.now() - t0) };
  }
}
