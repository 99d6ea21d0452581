/**
 * The sequence model (models/sequence: LSTM with the ZILN loss) trained by a training run and
 * kept with its version: fitted on the feature store's histories up to the calibration end
 * exactly as `clv evaluate` fits it (model-evaluation-lstm.ts — examples as of the
 * calibration end minus one label window and earlier, labels ending by the calibration end,
 * so it never sees the holdout), then judged on the same holdout and the same customers as
 * the BG/NBD + Gamma-Gamma challenger.
 *
 * The artifact kept here is that calibration fit, the one the metrics describe. The model that
 * can score — the `lstm` kind, refitted on everything with its BG/NBD companion — is registered
 * as a version of its own by training-lstm-kind.ts, and scores only once promoted by hand.
 */
import { dateOfDayIndex } from '../core/calendar.js';
import type { StateStore } from '../core/ports/state-store.js';
import { holdoutMetrics } from '../models/metrics/holdout-metrics.js';
import type { FittedLstmClv, LstmClvArtifact } from '../models/sequence/lstm-clv-model.js';
import type { TfBackendLogger } from '../models/sequence/tf-backend.js';
import { forEachActivePurchase, type CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';
import type { WindowValueModel } from '../evaluation/model-evaluation-per-customer.js';
import { horizonStretch } from '../evaluation/model-evaluation-per-customer.js';
import { fitWindowLstm, lstmWindowValues, meanPurchaseDayValue, type LstmEvaluationOptions } from '../evaluation/model-evaluation-lstm.js';
import { evaluationWindow, type EvaluationWindow } from '../evaluation/model-evaluation-window.js';
import type { TrainingData } from './training-data.js';

/** The registry attachment name of a version's LSTM artifact (load it with loadLstmClv). */
export const LSTM_ATTACHMENT = 'lstm';

export interface TrainingLstmSettings {
  maxEpochs: number;
  seed: number;
  /** Minor units per currency unit (the challenger's inputs use the same). */
  minorPerUnit: number;
  /** Most as-of days to draw examples from (default 4, as in `clv evaluate`). */
  maxOrigins?: number;
  logger?: TfBackendLogger;
}

/** What the run records of its LSTM (JSON: registered details and the model run's metrics). */
export interface TrainingLstmRecord {
  /** The tensorflow.js backend it trained on, and the wasm binary when that backend is wasm. */
  backend: string;
  wasm_binary: string | null;
  /** Holdout figures under the same names as the BG/NBD challenger's. */
  holdout: ReturnType<typeof valueSummary>;
  options: {
    features: FittedLstmClv['features'];
    architecture: FittedLstmClv['architecture'];
    label_periods: number;
    max_epochs: number;
    seed: number;
    max_origins: number;
    /** As-of days of the training examples, ISO dates, latest first. */
    origins: string[];
    examples: number;
    horizon: string;
  };
  training: { ms: number; epochs: number; best_epoch: number; stopped_by: string; train_loss: number; validation_loss: number };
}

export interface TrainingLstm {
  /** The fitted network; the caller disposes it. */
  model: FittedLstmClv;
  /** The holdout window it was judged on: the challenger's customers, sorted by id. */
  window: EvaluationWindow;
  record: TrainingLstmRecord;
}

/** Fits and judges the LSTM. @throws ClvError INSUFFICIENT_DATA with too few examples; RangeError from the model. */
export async function trainingLstm(
  histories: StateStore<CustomerPurchaseHistory>,
  data: TrainingData,
  challenger: WindowValueModel,
  s: TrainingLstmSettings,
): Promise<TrainingLstm> {
  const periodDays = challenger.periodDays;
  const { minorPerUnit } = s;
  const window = evaluationWindow(await purchaseDaysAsSplit(histories, data), data.calibrationEndDay, data.asOfDay, periodDays, minorPerUnit);
  // The label window is the holdout in whole periods; what is left over is reached by
  // stretching with the challenger's E[X(holdout)] / E[X(label)], as `clv evaluate` does.
  const labelPeriods = Math.max(1, Math.floor((data.asOfDay - data.calibrationEndDay) / periodDays));
  // Spend in units of the shop's mean purchase-day value, as `clv evaluate` and the lstm kind
  // scale it (model-evaluation-lstm.ts), so every shop reaches the network on one scale.
  const spendUnitMinor = meanPurchaseDayValue(window);
  const o: LstmEvaluationOptions = { labelPeriods, periodDays, maxEpochs: s.maxEpochs, seed: s.seed, minorPerUnit: spendUnitMinor, ...(s.maxOrigins ? { maxOrigins: s.maxOrigins } : {}), ...(s.logger ? { logger: s.logger } : {}) };
  const { model, origins, examples } = await fitWindowLstm(window, o);
  try {
    const predicted = (await lstmWindowValues(model, window, horizonStretch(challenger, window, labelPeriods))).map((v) => (v * spendUnitMinor) / minorPerUnit);
    const r = model.report;
    const record: TrainingLstmRecord = {
      backend: r.backend,
      wasm_binary: r.wasmBinary,
      holdout: valueSummary(predicted, window.actualValue, (window.endDay - window.cutDay) / periodDays),
      options: {
        features: model.features,
        architecture: model.architecture,
        label_periods: labelPeriods,
        max_epochs: s.maxEpochs,
        seed: s.seed,
        max_origins: s.maxOrigins ?? 4,
        origins: origins.map(dateOfDayIndex),
        examples,
        horizon: 'LSTM spend over the label window × BG/NBD E[X(holdout)]/E[X(label)] per customer',
      },
      training: { ms: r.trainingMs, epochs: r.epochs, best_epoch: r.bestEpoch, stopped_by: r.stoppedBy, train_loss: r.trainLoss, validation_loss: r.validationLoss },
    };
    return { model, window, record };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * The LSTM of a training run ready to keep, or why there is none: a failing LSTM is reported,
 * never thrown, so that it cannot cost the run its BG/NBD model.
 */
export async function trainingLstmRun(
  histories: StateStore<CustomerPurchaseHistory>,
  data: TrainingData,
  challenger: WindowValueModel,
  s: TrainingLstmSettings,
): Promise<{ artifact: LstmClvArtifact; record: TrainingLstmRecord } | { error: string }> {
  try {
    const { model, record } = await trainingLstm(histories, data, challenger, s);
    try {
      return { artifact: await model.save(), record };
    } finally {
      model.dispose();
    }
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * Purchase days (day → net value, minor units) of each customer split as training-data.ts
 * splits them, by time: orders after the as-of are left out, and an order on the calibration
 * end's day but after the calibration end (a mid-day as-of, as the scheduler uses) moves to
 * the next day, the holdout, where BG/NBD counts it. The window's customers and actual values
 * are then exactly the challenger's.
 */
async function purchaseDaysAsSplit(histories: StateStore<CustomerPurchaseHistory>, data: TrainingData): Promise<Map<string, Map<number, number>>> {
  const out = new Map<string, Map<number, number>>();
  for await (const page of histories.scan(10_000)) {
    for (const [id, history] of page) {
      const days = new Map<number, number>();
      forEachActivePurchase(history, (day, time, net) => {
        if (time > data.asOfMs) return;
        const at = time > data.calibrationEndMs && day <= data.calibrationEndDay ? data.calibrationEndDay + 1 : day;
        days.set(at, (days.get(at) ?? 0) + net);
      });
      if (days.size > 0) out.set(id, days);
    }
  }
  return out;
}

function valueSummary(predicted: Float64Array, actual: Float64Array, periods: number) {
  const m = holdoutMetrics(predicted, actual);
  return {
    customers: m.customers,
    periods,
    mae_value: m.meanAbsoluteError,
    rmse_value: m.rootMeanSquaredError,
    value_error: m.aggregateRelativeError,
    spearman_value: m.spearman,
    gini_value: m.normalizedGini,
    top_decile_capture: m.topDecileCapture,
    decile_mape: m.decileMape,
    predicted_value_total: m.predictedTotal,
    actual_value_total: m.actualTotal,
  };
}

