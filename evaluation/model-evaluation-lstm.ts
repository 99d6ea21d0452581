/**
 * The sequence model (models/sequence: an LSTM with the zero-inflated lognormal loss of
 * Wang, Liu & Miao 2019) over an evaluation window, trained on nothing after the cut.
 *
 * Label windows. A training example needs a target: the spend in the L periods after an
 * as-of day. To keep every target on or before the cut, the as-of days are cut − L·p,
 * cut − 2L·p, … (p = days per period; at most `maxOrigins` of them, none before the first
 * purchase in the data), and each customer with a purchase by an as-of day gives one example
 * per as-of day: inputs from the days up to it, target from the L periods after it. Several
 * origins give the network customers of many ages, as it meets at the cut. Then it predicts,
 * as of the cut, each customer's spend over the next L periods.
 *
 * A window longer than L (a 39-week holdout after a 39-week calibration cannot have a
 * 39-week label inside the calibration) is reached by stretching each prediction with the
 * customer's BG/NBD ratio E[X(window)] / E[X(L)] (model-evaluation-per-customer.ts: horizonStretch),
 * the one model here that says how purchases accumulate over a horizon. The LSTM has no
 * profile within its window either, so its monthly shape is BG/NBD's as well.
 */
import { fitLstmClv, type FittedLstmClv, type LstmClvTrainingReport } from '../models/sequence/lstm-clv-model.js';
import { sequenceExample, sequenceRow, type SequenceExample, type SequenceFeatureOptions } from '../models/sequence/sequence-features.js';
import type { TfBackendLogger } from '../models/sequence/tf-backend.js';
import type { EvaluationWindow, WindowForecast } from './model-evaluation-window.js';

export interface LstmEvaluationOptions {
  /** L: periods of the training label window. */
  labelPeriods: number;
  /** Days per period. */
  periodDays: number;
  /** N: periods of history the network reads (default 26). */
  historyPeriods?: number;
  /** Most as-of days to draw examples from (default 4). */
  maxOrigins?: number;
  maxEpochs: number;
  seed: number;
  minorPerUnit: number;
  logger?: TfBackendLogger;
}

export interface LstmWindowEvaluation {
  forecast: WindowForecast;
  report: LstmClvTrainingReport;
  /** The as-of days of the training examples (day indices, latest first). */
  origins: number[];
  examples: number;
}

/** The training examples of the window (targets end on or before the cut). */
export function lstmTrainingExamples(window: EvaluationWindow, o: LstmEvaluationOptions): { examples: SequenceExample[]; origins: number[] } {
  const features = featureOptions(o);
  const origins: number[] = [];
  for (let k = 1; k <= (o.maxOrigins ?? 4); k++) {
    const asOf = window.cutDay - k * o.labelPeriods * o.periodDays;
    if (asOf < window.firstDay) break;
    origins.push(asOf);
  }
  const examples: SequenceExample[] = [];
  for (const asOf of origins) {
    for (const history of window.histories) {
      const e = sequenceExample(history, asOf, features);
      if (e !== null) examples.push(e);
    }
  }
  return { examples, origins };
}

/**
 * Trains on the window's past and predicts each customer's spend over the window.
 * @param stretch per customer, window-horizon over label-horizon expectation (1s if equal).
 * @param dailyShape the time profile to report (the LSTM has none of its own).
 */
export async function lstmWindowForecast(window: EvaluationWindow, stretch: ArrayLike<number>, dailyShape: Float64Array, o: LstmEvaluationOptions): Promise<LstmWindowEvaluation> {
  const { model, examples, origins } = await fitWindowLstm(window, o);
  try {
    const values = await lstmWindowValues(model, window, stretch);
    return { forecast: { values, dailyShape }, report: model.report, origins, examples };
  } finally {
    model.dispose();
  }
}

/** The network trained on the window's past only (targets end on or before the cut); the caller disposes it. */
export async function fitWindowLstm(window: EvaluationWindow, o: LstmEvaluationOptions): Promise<{ model: FittedLstmClv; origins: number[]; examples: number }> {
  const { examples, origins } = lstmTrainingExamples(window, o);
  const model = await fitLstmClv(examples, { features: featureOptions(o), seed: o.seed, maxEpochs: o.maxEpochs, ...(o.logger ? { logger: o.logger } : {}) });
  return { model, origins, examples: examples.length };
}

/** Each window customer's spend over the window: the prediction as of the cut for the label window, times `stretch`. */
export async function lstmWindowValues(model: FittedLstmClv, window: EvaluationWindow, stretch: ArrayLike<number>): Promise<Float64Array> {
  const rows = window.histories.map((h) => sequenceRow(h, window.cutDay, model.features)!);
  const perLabel = await model.predict(rows);
  return Float64Array.from(perLabel, (v, i) => v * stretch[i]);
}

function featureOptions(o: LstmEvaluationOptions): SequenceFeatureOptions {
  return { periodDays: o.periodDays, periods: o.historyPeriods ?? 26, horizonPeriods: o.labelPeriods, minorPerUnit: o.minorPerUnit };
}
