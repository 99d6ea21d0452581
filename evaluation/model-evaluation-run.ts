/**
 * `clv evaluate --model …`: fits the chosen models on the calibration period, predicts the
 * holdout, and — for `all`, `ensemble` and `champion` — chooses the champion by a
 * rolling-origin backtest that lies wholly inside the calibration period
 * (backtest-folds.ts, model-selection.ts), so nothing about the holdout reaches any fitted
 * number or any choice.
 *
 * The candidates are the models the stream can deploy (candidate-forecasts.ts:
 * DEPLOYABLE_MODELS) and their ensemble, a convex blend (models/ensemble/blend-weights.ts)
 * with weights fitted on the backtest folds' predictions pooled; the LSTM and Prophet are
 * evaluated on the holdout beside them. It is scored on each fold with weights fitted on the
 * other folds (leave one fold out), so it competes with the single models on the same
 * out-of-sample terms (model-backtest.ts); its time shape is its members' shapes in the
 * blend's proportions.
 */
import { ClvError, ErrorCodes } from '../core/errors.js';
import { applyBlend, type BlendWeights } from '../models/ensemble/blend-weights.js';
import type { BgNbdGammaGammaModel } from '../models/kinds/bgnbd-gamma-gamma-model.js';
import { ReturnGapSample, type OneTimeBuyerLapse } from '../core/one-time-buyer-lapse.js';
import { oneTimeBuyerLapseOf, type LapseConfig } from '../processors/features/one-time-buyer-lapse-as-of.js';
import { trainCustomerValueModel } from '../models/kinds/train-customer-value-model.js';
import { forecastCandidates, SINGLE_MODELS, type CandidateForecast, type CandidateOutcome, type CandidateSettings, type SingleModel } from './candidate-forecasts.js';
import { perCustomerWindowForecast, type PerCustomerWindowForecast } from './model-evaluation-per-customer.js';
import { windowMetricsJson, type WindowMetricsJson } from './model-evaluation-metrics.js';
import { evaluationWindow, type EvaluationWindow, type PurchaseDaysByCustomer, type WindowForecast } from './model-evaluation-window.js';
import type { Selection } from './model-selection.js';
import { blendShape, runBacktest, type Backtest, type BacktestReport } from './model-backtest.js';

import { EVALUATED_MODELS, type EvaluatedModel, type ModelChoice } from './evaluated-models.js';

export { EVALUATED_MODELS, type EvaluatedModel, type ModelChoice };

export interface ModelEvaluationSettings extends CandidateSettings {
  model: ModelChoice;
}

export interface ModelEvaluation {
  holdout: EvaluationWindow;
  /** BG/NBD + Gamma-Gamma on the calibration period (predictions.csv's RFM columns), null when it could not be fitted. */
  bgnbd: BgNbdGammaGammaModel | null;
  bgnbdForecast: PerCustomerWindowForecast | null;
  /** The models reported with holdout forecasts, in EVALUATED_MODELS order. */
  models: EvaluatedModel[];
  forecasts: Map<EvaluatedModel, WindowForecast>;
  metrics: Map<EvaluatedModel, WindowMetricsJson>;
  /** Per-model details for metrics.json; a model that could not be fitted has `failed`. */
  details: Map<EvaluatedModel, Record<string, unknown>>;
  /** What selection chose (null without a backtest), the reason and the backtest's table. */
  champion: EvaluatedModel | null;
  selection: Selection | null;
  backtest: BacktestReport | null;
  /** The model the top-level holdout and predicted_value report: the champion, or the model asked for. */
  headline: EvaluatedModel;
}

/** @throws ClvError INSUFFICIENT_DATA when the holdout has no customer or no model can be fitted. */
export async function runModelEvaluation(byCustomer: PurchaseDaysByCustomer, calibrationEndDay: number, holdoutEndDay: number, s: ModelEvaluationSettings): Promise<ModelEvaluation> {
  const { periodDays, minorPerUnit } = s.training;
  const holdout = evaluationWindow(byCustomer, calibrationEndDay, holdoutEndDay, periodDays, minorPerUnit);
  if (holdout.customerIds.length === 0) throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, 'no purchase on or before the calibration end');
  const selects = s.model === 'all' || s.model === 'ensemble' || s.model === 'champion';
  const backtest = selects ? await backtestOrNone(byCustomer, holdout, s) : null;
  const selection = backtest?.selection ?? null;
  const champion = (selection?.champion ?? null) as EvaluatedModel | null;

  const wanted: EvaluatedModel[] = s.model === 'all' ? [...EVALUATED_MODELS] : s.model === 'champion' ? [champion!] : [s.model];
  const weights = backtest?.weights ?? null;
  const singles = new Set<SingleModel>(wanted.filter((m): m is SingleModel => m !== 'ensemble'));
  if (wanted.includes('ensemble') && weights) for (const m of weights.models) singles.add(m as SingleModel);
  const outcomes = await forecastCandidates(holdout, SINGLE_MODELS.filter((m) => singles.has(m)), s);

  const forecasts = new Map<EvaluatedModel, WindowForecast>();
  const details = new Map<EvaluatedModel, Record<string, unknown>>();
  for (const [m, o] of outcomes) {
    if (!wanted.includes(m)) continue;
    if (o.ok) {
      forecasts.set(m, o.forecast);
      details.set(m, { ...o.forecast.details, wall_ms: o.wallMs });
    } else {
      details.set(m, { failed: o.reason, code: o.code, wall_ms: o.wallMs });
    }
  }
  if (wanted.includes('ensemble')) {
    const e = ensembleOnHoldout(weights, outcomes);
    if ('forecast' in e) forecasts.set('ensemble', e.forecast);
    details.set('ensemble', e.details);
  }
  const models = EVALUATED_MODELS.filter((m) => forecasts.has(m));
  if (models.length === 0) throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, `no model could be fitted: ${[...details].map(([m, d]) => `${m}: ${d.failed}`).join('; ')}`);
  const metrics = new Map<EvaluatedModel, WindowMetricsJson>();
  for (const m of models) {
    const f = forecasts.get(m) as CandidateForecast;
    metrics.set(m, windowMetricsJson(f, holdout, periodDays, f.expectedPurchases ?? null));
  }
  const bgnbd = bgnbdOf(holdout, s, oneTimeBuyerLapseOfDays(byCustomer, calibrationEndDay, s.training));
  const headline: EvaluatedModel = champion !== null && forecasts.has(champion) ? champion : models.includes(wanted[0]) ? wanted[0] : models[0];
  return { holdout, bgnbd: bgnbd?.model ?? null, bgnbdForecast: bgnbd?.forecast ?? null, models, forecasts, metrics, details, champion, selection, backtest: backtest?.report ?? null, headline };
}

/**
 * The backtest, or — when the calibration period is too short for a fold — BG/NBD + Gamma-
 * Gamma as the champion, saying why: one model that cannot be judged does not sink the rest.
 */
async function backtestOrNone(byCustomer: PurchaseDaysByCustomer, holdout: EvaluationWindow, s: ModelEvaluationSettings): Promise<Pick<Backtest, 'selection' | 'weights'> & { report: BacktestReport | null }> {
  try {
    return await runBacktest(byCustomer, holdout.firstDay, holdout.cutDay, s);
  } catch (error) {
    if (!(error instanceof ClvError) || error.code !== ErrorCodes.INSUFFICIENT_DATA) throw error;
    return { report: null, weights: null, selection: { champion: 'bgnbd', reason: `BG/NBD + Gamma-Gamma by default: ${error.message}`, table: [] } };
  }
}

/** BG/NBD on the calibration period for predictions.csv's columns (p_alive, expected purchases…). */
/**
 * The one-time-buyer lapse training would store with the model, from the same purchase days:
 * predictions.csv segments customers as the stream does (a one-time buyer silent past it is at
 * risk, then lost), not by BG/NBD's probability alive alone, which stays 1 for them.
 */
function oneTimeBuyerLapseOfDays(byCustomer: PurchaseDaysByCustomer, calibrationEndDay: number, config: Readonly<LapseConfig>): OneTimeBuyerLapse {
  const sample = new ReturnGapSample();
  for (const days of byCustomer.values()) {
    let first = Infinity;
    let second = Infinity;
    for (const day of days.keys()) {
      if (day > calibrationEndDay) continue;
      if (day < first) [first, second] = [day, first];
      else if (day < second && day !== first) second = day;
    }
    if (first !== Infinity) sample.add(first, second === Infinity ? null : second);
  }
  return oneTimeBuyerLapseOf(sample, calibrationEndDay, config);
}

function bgnbdOf(holdout: EvaluationWindow, s: ModelEvaluationSettings, lapse: OneTimeBuyerLapse): { model: BgNbdGammaGammaModel; forecast: PerCustomerWindowForecast } | null {
  try {
    const model = trainCustomerValueModel(holdout.inputs, s.training).withOneTimeBuyerLapse(lapse);
    return { model, forecast: perCustomerWindowForecast(model, holdout) };
  } catch (error) {
    if (error instanceof ClvError) return null;
    throw error;
  }
}

function ensembleOnHoldout(weights: BlendWeights | null, outcomes: Map<SingleModel, CandidateOutcome>): { forecast: CandidateForecast; details: Record<string, unknown> } | { details: Record<string, unknown> } {
  if (weights === null) return { details: { failed: 'no blend: the backtest could not fit one (see backtest)' } };
  const failed = weights.models.filter((m) => !outcomes.get(m as SingleModel)?.ok);
  if (failed.length > 0) return { details: { failed: `members could not be fitted on the calibration period: ${failed.join(', ')}` } };
  const parts = weights.models.map((m) => (outcomes.get(m as SingleModel) as { forecast: CandidateForecast }).forecast);
  const values = applyBlend(weights, new Map(weights.models.map((m, j) => [m, parts[j].values])));
  // The interval: members' bounds in the blend's proportions (comonotone, as models/kinds/ensemble-model.ts).
  const intervals = parts.every((p) => p.intervals)
    ? { lower: applyBlend(weights, new Map(weights.models.map((m, j) => [m, parts[j].intervals!.lower]))), upper: applyBlend(weights, new Map(weights.models.map((m, j) => [m, parts[j].intervals!.upper]))), level: parts[0].intervals!.level }
    : null;
  return {
    forecast: { values, dailyShape: blendShape(weights, parts), expectedPurchases: null, intervals, details: {} },
    details: { weights: Object.fromEntries(weights.models.map((m, j) => [m, weights.weights[j]])), weights_from: 'backtest folds pooled (convex: non-negative, summing to 1)' },
  };
}

