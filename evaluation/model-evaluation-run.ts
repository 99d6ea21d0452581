/**
 * `clv evaluate --model …`: fits the chosen models on the calibration period, predicts the
 * holdout, and — for the ensemble — fits the blend on a validation window that lies wholly
 * inside the calibration period, so nothing about the holdout reaches any fitted number.
 *
 * Ensemble (ARCHITECTURE, "Ensemble and evaluation"):
 * 1. inner cut = calibration end − validation length; BG/NBD + Gamma-Gamma and the LSTM are
 *    fitted on what was known at the inner cut and predict each customer's spend over the
 *    validation window (inner cut, calibration end];
 * 2. non-negative blend weights are fitted on those predictions against what the customers
 *    really spent in the validation window (models/ensemble/blend-weights.ts);
 * 3. the models refitted on the whole calibration period predict the holdout, and the
 *    weights blend them;
 * 4. the monthly shape of the blended total is the one that did best on the validation
 *    window (ensemble-period-shape.ts), Prophet's seasonal shape among the candidates.
 * Prophet is not a blend column: its per-customer figures are BG/NBD's shares rescaled, so
 * the column would be collinear with BG/NBD's and say nothing about customers.
 */
import { dateOfDayIndex } from '../core/calendar.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { applyBlend, fitBlendWeights, type BlendWeights } from '../models/ensemble/blend-weights.js';
import { reshape } from '../models/ensemble/period-allocation.js';
import type { TfBackendLogger } from '../models/sequence/tf-backend.js';
import type { BgNbdGammaGammaModel } from '../models/kinds/bgnbd-gamma-gamma-model.js';
import { chooseEnsembleShape, type ShapeChoice } from './ensemble-period-shape.js';
import { perCustomerWindowForecast, horizonStretch, type PerCustomerWindowForecast } from './model-evaluation-per-customer.js';
import { lstmWindowForecast, type LstmWindowEvaluation } from './model-evaluation-lstm.js';
import { windowMetricsJson, type WindowMetricsJson } from './model-evaluation-metrics.js';
import { prophetWindowForecast, type ProphetWindowForecast } from './model-evaluation-prophet.js';
import { evaluationWindow, type EvaluationWindow, type PurchaseDaysByCustomer, type WindowForecast } from './model-evaluation-window.js';
import { trainCustomerValueModel, type TrainingSettings } from '../models/kinds/train-customer-value-model.js';

export const EVALUATED_MODELS = ['bgnbd', 'prophet', 'lstm', 'ensemble'] as const;
export type EvaluatedModel = (typeof EVALUATED_MODELS)[number];
export type ModelChoice = EvaluatedModel | 'all';

export interface ModelEvaluationSettings {
  model: ModelChoice;
  training: TrainingSettings;
  /** Length of the ensemble's validation window and of the LSTM's label window, days (a whole number of periods). */
  validationDays: number;
  lstm: { maxEpochs: number; seed: number; logger?: TfBackendLogger };
}

export interface ModelEvaluation {
  holdout: EvaluationWindow;
  /** The BG/NBD + Gamma-Gamma fit on the calibration period: always made (the LSTM's horizon and Prophet's shares use it). */
  bgnbd: BgNbdGammaGammaModel;
  bgnbdForecast: PerCustomerWindowForecast;
  /** The models reported, in EVALUATED_MODELS order; the last is the headline (`predicted_value`). */
  models: EvaluatedModel[];
  forecasts: Map<EvaluatedModel, WindowForecast>;
  /** Holdout metrics per reported model. */
  metrics: Map<EvaluatedModel, WindowMetricsJson>;
  /** Per-model details for metrics.json (fit reports, weights, validation metrics, wall time). */
  details: Map<EvaluatedModel, Record<string, unknown>>;
}

/** The models a choice runs and reports. */
function modelsOf(choice: ModelChoice): EvaluatedModel[] {
  if (choice === 'all' || choice === 'ensemble') return [...EVALUATED_MODELS];
  return [choice];
}

/** @throws ClvError INSUFFICIENT_DATA when a window has no customer or a model cannot be fitted. */
export async function runModelEvaluation(
  byCustomer: PurchaseDaysByCustomer,
  calibrationEndDay: number,
  holdoutEndDay: number,
  s: ModelEvaluationSettings,
): Promise<ModelEvaluation> {
  const { periodDays, minorPerUnit } = s.training;
  const models = modelsOf(s.model);
  const wants = (m: EvaluatedModel) => models.includes(m);
  const holdout = evaluationWindow(byCustomer, calibrationEndDay, holdoutEndDay, periodDays, minorPerUnit);
  if (holdout.customerIds.length === 0) throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, 'no purchase on or before the calibration end');
  const forecasts = new Map<EvaluatedModel, WindowForecast>();
  const details = new Map<EvaluatedModel, Record<string, unknown>>();
  const timed = async <T>(model: EvaluatedModel, work: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    const out = await work();
    details.set(model, { ...details.get(model), wall_ms: Math.round(performance.now() - t0) });
    return out;
  };

  const fitted = await timed('bgnbd', () => fitBgNbd(holdout, s.training));
  forecasts.set('bgnbd', fitted.forecast);
  if (wants('prophet')) {
    const p = await timed('prophet', () => prophetWindowForecast(holdout, fitted.forecast.values, minorPerUnit));
    forecasts.set('prophet', p);
    details.set('prophet', { ...details.get('prophet'), fit: p.diagnostics, transform: 'log', per_customer: 'BG/NBD shares scaled to the Prophet total' });
  }
  let lstm: LstmWindowEvaluation | null = null;
  if (wants('lstm')) {
    lstm = await timed('lstm', () => fitLstm(holdout, fitted.model, fitted.forecast, s));
    forecasts.set('lstm', lstm.forecast);
    details.set('lstm', { ...details.get('lstm'), ...lstmDetails(lstm, s) });
  }
  if (wants('ensemble')) {
    const ensemble = await timed('ensemble', () => fitEnsemble(byCustomer, holdout, fitted.forecast, forecasts, s));
    forecasts.set('ensemble', ensemble.forecast);
    details.set('ensemble', { ...details.get('ensemble'), ...ensemble.details });
  }
  const metrics = new Map<EvaluatedModel, WindowMetricsJson>();
  for (const m of models) metrics.set(m, windowMetricsJson(forecasts.get(m)!, holdout, periodDays, m === 'bgnbd' ? fitted.forecast.expectedPurchases : null));
  return { holdout, bgnbd: fitted.model, bgnbdForecast: fitted.forecast, models, forecasts, metrics, details };
}

function fitBgNbd(window: EvaluationWindow, training: TrainingSettings): { model: BgNbdGammaGammaModel; forecast: PerCustomerWindowForecast } {
  const model = trainCustomerValueModel(window.inputs, training);
  return { model, forecast: perCustomerWindowForecast(model, window) };
}

function fitLstm(window: EvaluationWindow, bgnbd: BgNbdGammaGammaModel, bgnbdForecast: PerCustomerWindowForecast, s: ModelEvaluationSettings): Promise<LstmWindowEvaluation> {
  const labelPeriods = s.validationDays / s.training.periodDays;
  return lstmWindowForecast(window, horizonStretch(bgnbd, window, labelPeriods), bgnbdForecast.dailyShape, {
    labelPeriods, periodDays: s.training.periodDays, maxEpochs: s.lstm.maxEpochs, seed: s.lstm.seed, minorPerUnit: s.training.minorPerUnit,
    ...(s.lstm.logger ? { logger: s.lstm.logger } : {}),
  });
}

function lstmDetails(l: LstmWindowEvaluation, s: ModelEvaluationSettings) {
  return {
    label_periods: s.validationDays / s.training.periodDays,
    training_origins: l.origins.length,
    training_examples: l.examples,
    horizon: 'LSTM spend over the label window × BG/NBD E[X(holdout)]/E[X(label)] per customer',
    training: { backend: l.report.backend, epochs: l.report.epochs, best_epoch: l.report.bestEpoch, stopped_by: l.report.stoppedBy, validation_loss: l.report.validationLoss, training_ms: Math.round(l.report.trainingMs) },
  };
}

async function fitEnsemble(
  byCustomer: PurchaseDaysByCustomer,
  holdout: EvaluationWindow,
  bgnbdForecast: PerCustomerWindowForecast,
  outer: Map<EvaluatedModel, WindowForecast>,
  s: ModelEvaluationSettings,
): Promise<{ forecast: WindowForecast; details: Record<string, unknown> }> {
  const { periodDays, minorPerUnit } = s.training;
  const innerCut = holdout.cutDay - s.validationDays;
  if (innerCut < holdout.firstDay) {
    throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, `the validation window (${s.validationDays} days) reaches back before the first purchase`);
  }
  const validation = evaluationWindow(byCustomer, innerCut, holdout.cutDay, periodDays, minorPerUnit);
  const inner = fitBgNbd(validation, s.training);
  const innerLstm = await fitLstm(validation, inner.model, inner.forecast, s);
  const innerProphet: ProphetWindowForecast = await prophetWindowForecast(validation, inner.forecast.values, minorPerUnit);
  const innerPredictions = new Map<string, Float64Array>([['bgnbd', inner.forecast.values], ['lstm', innerLstm.forecast.values]]);
  const blend: BlendWeights = fitBlendWeights(innerPredictions, validation.actualValue);
  const innerBlend = applyBlend(blend, innerPredictions);
  const innerShapes = shapeCandidates(inner.forecast, innerProphet);
  const shape: ShapeChoice = chooseEnsembleShape(innerShapes, sum(innerBlend), validation);

  const outerProphet = outer.get('prophet') as ProphetWindowForecast;
  const values = applyBlend(blend, new Map([['bgnbd', outer.get('bgnbd')!.values], ['lstm', outer.get('lstm')!.values]]));
  const dailyShape = shapeCandidates(bgnbdForecast, outerProphet).find((c) => c.name === shape.chosen)!.dailyShape;
  const validationMetrics = (f: WindowForecast, purchases: Float64Array | null = null) => windowMetricsJson(f, validation, periodDays, purchases);
  return {
    forecast: { values, dailyShape },
    details: {
      validation: {
        inner_calibration_end: dateOfDayIndex(innerCut),
        customers: validation.customerIds.length,
        weights: Object.fromEntries(blend.models.map((m, j) => [m, blend.weights[j]])),
        rmse_value: blend.rootMeanSquaredError,
        period_shape: shape.chosen,
        period_shape_mape: shape.mape,
        bgnbd: validationMetrics(inner.forecast, inner.forecast.expectedPurchases),
        lstm: validationMetrics(innerLstm.forecast),
        ensemble: validationMetrics({ values: innerBlend, dailyShape: innerShapes.find((c) => c.name === shape.chosen)!.dailyShape }),
      },
    },
  };
}

/** The time shapes the ensemble may use (see ensemble-period-shape.ts). */
function shapeCandidates(bgnbd: PerCustomerWindowForecast, prophet: ProphetWindowForecast) {
  return [
    { name: 'bgnbd', dailyShape: bgnbd.dailyShape },
    { name: 'bgnbd×prophet-season', dailyShape: reshape(bgnbd.dailyShape, prophet.seasonalFactor) },
    { name: 'prophet', dailyShape: prophet.daily },
  ];
}

function sum(v: ArrayLike<number>): number {
  let t = 0;
  for (let i = 0; i < v.length; i++) t += v[i];
  return t;
}
