/**
 * The rolling-origin backtest (backtest-folds.ts) that chooses the champion, for `clv
 * evaluate`, `clv train` and the training process alike: every candidate model fitted on
 * each fold's past and scored on its window; the ensemble — a convex blend of the models
 * whose per-customer predictions are their own — scored on each fold with weights fitted on
 * the other folds (leave one fold out), so it competes on the same out-of-sample terms; the
 * champion chosen by model-selection.ts.
 */
import { dateOfDayIndex } from '../core/calendar.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { applyBlend, fitBlendWeights, type BlendWeights } from '../models/ensemble/blend-weights.js';
import { holdoutMetrics } from '../models/metrics/holdout-metrics.js';
import { MIN_YEARLY_HISTORY_DAYS } from '../models/seasonal/seasonal-intensity.js';
import { backtestFolds, type BacktestFold } from './backtest-folds.js';
import { BLENDABLE_MODELS, DEPLOYABLE_MODELS, forecastCandidates, type CandidateForecast, type CandidateOutcome, type CandidateSettings, type SingleModel } from './candidate-forecasts.js';
import { windowMetricsJson, type WindowMetricsJson } from './model-evaluation-metrics.js';
import { evaluationWindow, type EvaluationWindow, type PurchaseDaysByCustomer, type WindowForecast } from './model-evaluation-window.js';
import { selectChampion, type FoldScore, type ModelBacktest, type Selection } from './model-selection.js';

export interface BacktestReport {
  folds: Array<{ calibration_end: string; window_end: string; customers: number }>;
  /** Model → per fold its holdout-style metrics, or why it could not be fitted. */
  models: Record<string, Array<WindowMetricsJson | { failed: string }>>;
  /** The ensemble's weights from all folds pooled (null when fewer than two models or folds allow one). */
  ensemble_weights: Record<string, number> | null;
}

export interface Backtest {
  report: BacktestReport;
  selection: Selection;
  weights: BlendWeights | null;
}

/**
 * Every model of `models` and their ensemble on each backtest fold inside [firstDay,
 * calibrationEndDay]; the champion by model-selection.ts.
 * @throws ClvError INSUFFICIENT_DATA when the calibration period is too short for a fold.
 */
export async function runBacktest(
  byCustomer: PurchaseDaysByCustomer, firstDay: number, calibrationEndDay: number, s: CandidateSettings, models: readonly SingleModel[] = DEPLOYABLE_MODELS,
): Promise<Backtest> {
  const { periodDays, minorPerUnit } = s.training;
  const folds = backtestFolds(firstDay, calibrationEndDay, periodDays);
  if (folds.length === 0) {
    throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, `the calibration period (${calibrationEndDay - firstDay + 1} days) is too short for a backtest fold: no model can be selected`);
  }
  const windows = folds.map((f: BacktestFold) => evaluationWindow(byCustomer, f.originDay, f.endDay, periodDays, minorPerUnit));
  const untested = seasonalCycleUntested(firstDay, calibrationEndDay, folds);
  // Where the folds cannot fit the cycle as it would be deployed, they test the rest of the seasonal model.
  const foldSettings: CandidateSettings = untested === null ? s : { ...s, seasonalYearly: false };
  const perFold: Array<Map<SingleModel, CandidateOutcome>> = [];
  for (const w of windows) perFold.push(await forecastCandidates(w, models, foldSettings));

  const report: BacktestReport = {
    folds: folds.map((f, k) => ({ calibration_end: dateOfDayIndex(f.originDay), window_end: dateOfDayIndex(f.endDay), customers: windows[k].customerIds.length })),
    models: {},
    ensemble_weights: null,
  };
  const backtests: ModelBacktest[] = [];
  for (const m of models) {
    report.models[m] = perFold.map((o, k) => (o.get(m)!.ok ? metricsOf(o.get(m)! as { forecast: CandidateForecast }, windows[k], periodDays) : { failed: (o.get(m) as { reason: string }).reason }));
    backtests.push({ model: m, folds: perFold.map((o, k) => scoreOf(o.get(m)!, windows[k])), ...(m === 'seasonal' && untested !== null ? { untested } : {}) });
  }
  // The ensemble: members that ran on every fold; each fold scored with weights from the others.
  const members = BLENDABLE_MODELS.filter((m) => models.includes(m) && perFold.every((o) => o.get(m)!.ok));
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

/**
 * Whether the folds cannot judge the seasonal model's yearly cycle as it would be deployed,
 * and what to say so: the calibration period has two years or more, so the deployed cycle is
 * estimated from two or more seasons, while the latest origin has less than two years before
 * it, so a fold could fit it from one season at most — a weaker estimate, easily a trend read
 * as a season, and not the one deployed. The folds then fit the seasonal model without its
 * yearly cycle and model-selection.ts asks only that they show no harm; the deployed cycle is
 * held back by its own shrinkage (seasonal-intensity.ts). With less than two years in the
 * calibration period, deployed and fold models alike have one season at most, and the folds
 * judge the cycle as they judge everything else. Null: nothing the folds cannot judge.
 */
export function seasonalCycleUntested(firstDay: number, calibrationEndDay: number, folds: readonly BacktestFold[]): string | null {
  const twoYears = 2 * MIN_YEARLY_HISTORY_DAYS;
  const latest = folds[0].originDay - firstDay + 1;
  if (calibrationEndDay - firstDay + 1 < twoYears || latest >= twoYears) return null;
  return `its yearly cycle as estimated from two or more years (${latest} days of history before the latest origin)`;
}

/** The blend's time profile: each member's daily shape carrying its weighted share of the total. */
export function blendShape(weights: BlendWeights, parts: readonly WindowForecast[]): Float64Array {
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
