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
import { seededRandom } from '../models/sequence/lstm-clv-network.js';
import { fitLstmClv, type FittedLstmClv, type LstmClvTrainingReport } from '../models/sequence/lstm-clv-model.js';
import { sequenceExample, sequenceRow, type SequenceExample, type SequenceFeatureOptions } from '../models/sequence/sequence-features.js';
import type { TfBackendLogger } from '../models/sequence/tf-backend.js';
import { zilnExpectedValue, zilnQuantile, type ZilnLogits } from '../models/sequence/ziln-loss.js';
import { LSTM_INTERVAL_QUANTILES } from '../models/kinds/lstm-model.js';
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
  /**
   * Most training examples (default 16,384): beyond it a seeded random subset is kept. The
   * network has a few thousand weights; more examples mostly cost time (a backtest fits it
   * once per fold), and the subset is drawn evenly across origins and customers.
   */
  maxExamples?: number;
  maxEpochs: number;
  seed: number;
  minorPerUnit: number;
  logger?: TfBackendLogger;
}

export interface LstmWindowEvaluation {
  forecast: WindowForecast;
  /** Minor units per spend unit of the network's features and targets: the shop's mean purchase-day value. */
  spendUnitMinor: number;
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
  const candidates: Array<[history: Array<[number, number]>, asOf: number]> = [];
  for (const asOf of origins) for (const history of window.histories) if (history.length > 0 && history[0][0] <= asOf) candidates.push([history, asOf]);
  const kept = sample(candidates, o.maxExamples ?? DEFAULT_MAX_EXAMPLES, o.seed);
  const examples: SequenceExample[] = [];
  for (const [history, asOf] of kept) {
    const e = sequenceExample(history, asOf, features);
    if (e !== null) examples.push(e);
  }
  return { examples, origins };
}

/**
 * Trains on the window's past and predicts each customer's spend over the window.
 * @param stretch per customer, window-horizon over label-horizon expectation (1s if equal).
 * @param dailyShape the time profile to report (the LSTM has none of its own).
 */
export async function lstmWindowForecast(window: EvaluationWindow, stretch: ArrayLike<number>, dailyShape: Float64Array, o: LstmEvaluationOptions): Promise<LstmWindowEvaluation> {
  const spendUnitMinor = meanPurchaseDayValue(window);
  const scaled = { ...o, minorPerUnit: spendUnitMinor };
  const { model, examples, origins } = await fitWindowLstm(window, scaled);
  try {
    // Predictions come in spend units; back to currency units.
    const toCurrency = (v: number) => (v * spendUnitMinor) / o.minorPerUnit;
    const p = await lstmWindowPredictions(model, window, stretch);
    const intervals = { lower: p.lower.map(toCurrency), upper: p.upper.map(toCurrency), level: p.level };
    return { forecast: { values: p.values.map(toCurrency), dailyShape, intervals }, report: model.report, origins, examples, spendUnitMinor };
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
  return (await lstmWindowPredictions(model, window, stretch)).values;
}

/**
 * The spend predictions with their intervals, in spend units: the mean and the 10th and 90th
 * percentiles of each row's ZILN distribution over the label window (the interval the `lstm`
 * kind scores with, models/kinds/lstm-model.ts), all times `stretch`: exact for the label
 * window, an approximation beyond it, as the stretch scales the whole distribution.
 */
export async function lstmWindowPredictions(model: FittedLstmClv, window: EvaluationWindow, stretch: ArrayLike<number>) {
  const rows = window.histories.map((h) => sequenceRow(h, window.cutDay, model.features)!);
  const logits = await model.predictLogits(rows);
  const n = rows.length;
  const values = new Float64Array(n);
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const l: ZilnLogits = [logits[3 * i], logits[3 * i + 1], logits[3 * i + 2]];
    values[i] = zilnExpectedValue(l) * stretch[i];
    lower[i] = zilnQuantile(l, LSTM_INTERVAL_QUANTILES.lower) * stretch[i];
    upper[i] = zilnQuantile(l, LSTM_INTERVAL_QUANTILES.upper) * stretch[i];
  }
  return { values, lower, upper, level: LSTM_INTERVAL_QUANTILES.upper - LSTM_INTERVAL_QUANTILES.lower };
}

/**
 * The shop's mean purchase-day value before the cut, minor units: the unit of the network's
 * spend features and targets, so a VND shop and a USD shop (or a luxury and a grocery shop)
 * reach it on the same scale and one set of initial weights and learning rate suits both.
 */
export function meanPurchaseDayValue(window: EvaluationWindow): number {
  let total = 0;
  let days = 0;
  for (const h of window.histories) for (const [, v] of h) {
    total += v;
    days++;
  }
  return days > 0 && total > 0 ? total / days : 1;
}

const DEFAULT_MAX_EXAMPLES = 16_384;

/** At most `max` of `items`, a seeded random subset in their original order (all of them when fewer). */
function sample<T>(items: readonly T[], max: number, seed: number): T[] {
  if (items.length <= max) return [...items];
  // Partial Fisher–Yates over indices, seeded as the network's own initialiser is.
  const random = seededRandom(seed ^ 0x9e3779b9);
  const index = Int32Array.from(items, (_, i) => i);
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(random() * (index.length - i));
    [index[i], index[j]] = [index[j], index[i]];
  }
  return Array.from(index.subarray(0, max)).sort((a, b) => a - b).map((i) => items[i]);
}

function featureOptions(o: LstmEvaluationOptions): SequenceFeatureOptions {
  return { periodDays: o.periodDays, periods: o.historyPeriods ?? 26, horizonPeriods: o.labelPeriods, minorPerUnit: o.minorPerUnit };
}
