/**
 * `clv evaluate --model …`: fits the chosen models on the calibration period, predicts the
 * holdout, and — for `all`, `ensemble` and `champion` — chooses the champion by a
 * rolling-origin backtest that lies wholly inside the calibration period
 * (backtest-folds.ts, model-selection.ts), so nothing about the holdout reaches any fitted
 * number or any choice.
 *
 * The ensemble is a convex blend (models/ensemble/blend-weights.ts) of the models whose
 * per-customer predictions are their own (BG/NBD, seasonal, LSTM), its weights fitted on the
 * backtest folds' predictions pooled. It is scored on each fold with weights fitted on the
 * other folds (leave one fold out), so it competes with the single models on the same
 * out-of-sample terms; its time shape is its members' shapes in the blend's proportions.
 */
import { ClvError, ErrorCodes } from '../core/errors.js';
import { dateOfDayIndex } from '../core/calendar.js';
import { applyBlend, fitBlendWeights, type BlendWeights } from '../models/ensemble/blend-weights.js';
import { holdoutMetrics } from '../models/metrics/holdout-metrics.js';
import type { BgNbdGammaGammaModel } from '../models/kinds/bgnbd-gamma-gamma-model.js';
import { trainCustomerValueModel } from '../models/kinds/train-customer-value-model.js';
import { backtestFolds, type BacktestFold } from './backtest-folds.js';
import { BLENDABLE_MODELS, forecastCandidates, SINGLE_MODELS, type CandidateForecast, type CandidateOutcome, type CandidateSettings, type SingleModel } from './candidate-forecasts.js';
import { perCustomerWindowForecast, type PerCustomerWindowForecast } from './model-evaluation-per-customer.js';
import { windowMetricsJson, type WindowMetricsJson } from './model-evaluation-metrics.js';
import { evaluationWindow, type EvaluationWindow, type PurchaseDaysByCustomer, type WindowForecast } from './model-evaluation-window.js';
import { selectChampion, type FoldScore, type ModelBacktest, type Selection } from './model-selection.js';

export const EVALUATED_MODELS = [...SINGLE_MODELS, 'ensemble'] as const;
export type EvaluatedModel = (typeof EVALUATED_MODELS)[number];
export type ModelChoice = EvaluatedModel | 'all' | 'champion';

export interface ModelEvaluationSettings extends CandidateSettings {
  model: ModelChoice;
}

export interface BacktestReport {
  folds: Array<{ calibration_end: string; window_end: string; customers: number }>;
  /** Model → per fold its holdout-style metrics, or why it could not be fitted. */
  models: Record<string, Array<WindowMetricsJson | { failed: string }>>;
  /** The ensemble's weights from all folds pooled (null when fewer than two models or folds allow one). */
  ensemble_weights: Record<string, number> | null;
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
  const backtest = selects ? await runBacktest(byCustomer, holdout, s) : null;
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
  const bgnbd = bgnbdOf(holdout, s);
  const headline: EvaluatedModel = champion !== null && forecasts.has(champion) ? champion : models.includes(wanted[0]) ? wanted[0] : models[0];
  return { holdout, bgnbd: bgnbd?.model ?? null, bgnbdForecast: bgnbd?.forecast ?? null, models, forecasts, metrics, details, champion, selection, backtest: backtest?.report ?? null, headline };
}

/** BG/NBD on the calibration period for predictions.csv's columns (p_alive, expected purchases…). */
function bgnbdOf(holdout: EvaluationWindow, s: ModelEvaluationSettings): { model: BgNbdGammaGammaModel; forecast: PerCustomerWindowForecast } | null {
  try {
    const model = trainCustomerValueModel(holdout.inputs, s.training);
    return { model, forecast: perCustomerWindowForecast(model, holdout) };
  } catch (error) {
    if (error instanceof ClvError) return null;
    throw error;
  }
}

interface Backtest {
  report: BacktestReport;
  selection: Selection;
  weights: BlendWeights | null;
}

/** Every single model and the ensemble on each fold; the champion by model-selection.ts. */
async function runBacktest(byCustomer: PurchaseDaysByCustomer, holdout: EvaluationWindow, s: ModelEvaluationSettings): Promise<Backtest> {
  const { periodDays, minorPerUnit } = s.training;
  const folds = backtestFolds(holdout.firstDay, holdout.cutDay, periodDays);
  if (folds.length === 0) {
    throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, `the calibration period (${holdout.cutDay - holdout.firstDay} days) is too short for a backtest fold: no model can be selected`);
  }
  const windows = folds.map((f: BacktestFold) => evaluationWindow(byCustomer, f.originDay, f.endDay, periodDays, minorPerUnit));
  const perFold: Array<Map<SingleModel, CandidateOutcome>> = [];
  for (const w of windows) perFold.push(await forecastCandidates(w, SINGLE_MODELS, s));

  const report: BacktestReport = {
    folds: folds.map((f, k) => ({ calibration_end: dateOfDayIndex(f.originDay), window_end: dateOfDayIndex(f.endDay), customers: windows[k].customerIds.length })),
    models: {},
    ensemble_weights: null,
  };
  const backtests: ModelBacktest[] = [];
  for (const m of SINGLE_MODELS) {
    report.models[m] = perFold.map((o, k) => (o.get(m)!.ok ? metricsOf(o.get(m)! as { forecast: CandidateForecast }, windows[k], periodDays) : { failed: (o.get(m) as { reason: string }).reason }));
    backtests.push({ model: m, folds: perFold.map((o, k) => scoreOf(o.get(m)!, windows[k])) });
  }
  // The ensemble: members that ran on every fold; each fold scored with weights from the others.
  const members = BLENDABLE_MODELS.filter((m) => perFold.every((o) => o.get(m)!.ok));
  const column = (k: number, m: SingleModel) => (perFold[k].get(m) as { forecast: CandidateForecast }).forecast.values;
  let weights: BlendWeights | null = null;
  if (members.length >= 2 && folds.length >= 2) {
    const pooled = (ks: number[]) => fitBlendWeights(
      new Map(members.map((m) => [m, concat(ks.map((k) => column(k, m)))])),
      concat(ks.map((k) => windows[k].actualValue)),
    );
    weights = pooled(folds.map((_, k) => k));
    report.ensemble_weights = Object.fromEntries(weights.models.map((m, j) => [m, weights!.weights[j]]));
    const ensembleFolds = folds.map((_, k) => {
      const w = pooled(folds.map((_, j) => j).filter((j) => j !== k));
      const values = applyBlend(w, new Map(members.map((m) => [m, column(k, m)])));
      return { values, weights: w };
    });
    report.models.ensemble = ensembleFolds.map((e, k) => ({ ...windowMetricsJson({ values: e.values, dailyShape: blendShape(e.weights, members.map((m) => (perFold[k].get(m) as { forecast: CandidateForecast }).forecast)) }, windows[k], periodDays), weights: Object.fromEntries(e.weights.models.map((m, j) => [m, e.weights.weights[j]])) }));
    backtests.push({ model: 'ensemble', folds: ensembleFolds.map((e, k) => score(e.values, windows[k])) });
  } else {
    const why = members.length < 2 ? `needs two models that ran on every fold (${members.join(', ') || 'none'} did)` : 'needs two backtest folds (weights are fitted on the others)';
    report.models.ensemble = folds.map(() => ({ failed: why }));
    backtests.push({ model: 'ensemble', folds: folds.map(() => null) });
  }
  return { report, selection: selectChampion(backtests), weights };
}

function ensembleOnHoldout(weights: BlendWeights | null, outcomes: Map<SingleModel, CandidateOutcome>): { forecast: CandidateForecast; details: Record<string, unknown> } | { details: Record<string, unknown> } {
  if (weights === null) return { details: { failed: 'no blend: the backtest could not fit one (see backtest.models.ensemble)' } };
  const failed = weights.models.filter((m) => !outcomes.get(m as SingleModel)?.ok);
  if (failed.length > 0) return { details: { failed: `members could not be fitted on the calibration period: ${failed.join(', ')}` } };
  const parts = weights.models.map((m) => (outcomes.get(m as SingleModel) as { forecast: CandidateForecast }).forecast);
  const values = applyBlend(weights, new Map(weights.models.map((m, j) => [m, parts[j].values])));
  return {
    forecast: { values, dailyShape: blendShape(weights, parts), expectedPurchases: null, details: {} },
    details: { weights: Object.fromEntries(weights.models.map((m, j) => [m, weights.weights[j]])), weights_from: 'backtest folds pooled (convex: non-negative, summing to 1)' },
  };
}

/** The blend's time profile: each member's daily shape carrying its weighted share of the total. */
function blendShape(weights: BlendWeights, parts: readonly WindowForecast[]): Float64Array {
  const days = parts[0].dailyShape.length;
  const out = new Float64Array(days);
  parts.forEach((p, j) => {
    const total = sum(p.values) * weights.weights[j];
    const shapeSum = sum(p.dailyShape);
    if (total > 0 && shapeSum > 0) for (let d = 0; d < days; d++) out[d] += (total * p.dailyShape[d]) / shapeSum;
  });
  return out;
}

function metricsOf(o: { forecast: CandidateForecast }, window: EvaluationWindow, periodDays: number): WindowMetricsJson {
  return windowMetricsJson(o.forecast, window, periodDays, o.forecast.expectedPurchases ?? null);
}

function scoreOf(o: CandidateOutcome, window: EvaluationWindow): FoldScore | null {
  return o.ok ? score(o.forecast.values, window) : null;
}

/** A fold's score; null when the window has no spend to measure against. */
function score(values: Float64Array, window: EvaluationWindow): FoldScore | null {
  const h = holdoutMetrics(values, window.actualValue);
  if (h.aggregateRelativeError === null || h.meanAbsoluteError === null) return null;
  return { valueError: h.aggregateRelativeError, spearman: h.spearman, mae: h.meanAbsoluteError };
}

function concat(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function sum(v: ArrayLike<number>): number {
  let t = 0;
  for (let i = 0; i < v.length; i++) t += v[i];
  return t;
}
