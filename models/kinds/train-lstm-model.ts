/**
 * Trains the `lstm` scoring kind (lstm-model.ts) on customers' purchase days up to an as-of:
 * the BG/NBD + Gamma-Gamma companion on their model inputs, the network on examples drawn as
 * `clv evaluate` draws them (evaluation/model-evaluation-lstm.ts): as-of origins asOf − k·L
 * days (k = 1 … maxOrigins, none before the first purchase), inputs from the days up to each
 * origin, target the spend in the L days after it, so every target ends by the as-of. L is
 * the CLV horizon where the history holds two such windows, else half the history; spend is
 * in units of the shop's mean purchase-day value, so every shop reaches the network on one
 * scale. Segment thresholds come from this model's own CLVs, as every kind's do.
 */
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { summarizePurchaseDays, type ModelInput } from '../../core/repeat-purchase-summary.js';
import type { ScoringInput } from '../../core/customer-value-model.js';
import { fitLstmClv, type LstmClvArtifact } from '../sequence/lstm-clv-model.js';
import { seededRandom } from '../sequence/lstm-clv-network.js';
import { RECENT_PURCHASE_WINDOW_DAYS, recentPurchaseDays, sequenceExample, type SequenceExample, type SequenceFeatureOptions } from '../sequence/sequence-features.js';
import type { TfBackendLogger } from '../sequence/tf-backend.js';
import type { BgNbdGammaGammaModel } from './bgnbd-gamma-gamma-model.js';
import { LstmModel } from './lstm-model.js';
import { segmentThresholds, trainCustomerValueModel, type TrainingSettings } from './train-customer-value-model.js';

export interface LstmTrainingData {
  /** The as-of (a calendar day index): nothing after it is read. */
  asOfDay: number;
  /** Per customer: model inputs as of `asOfDay` and purchase days ([day, net minor units]) up to it. */
  customers: ReadonlyArray<{ input: ModelInput; days: ReadonlyArray<readonly [number, number]> }>;
}

export interface LstmTrainingOptions {
  maxEpochs: number;
  seed: number;
  /** Most as-of origins to draw examples from (default 4). */
  maxOrigins?: number;
  /** Most training examples (default 16,384; a seeded subset beyond it). */
  maxExamples?: number;
  /** Periods of history the network reads (default 26, at most what the features carry). */
  historyPeriods?: number;
  /** The companion when the caller has fitted it already on the same inputs. */
  base?: BgNbdGammaGammaModel;
  /**
   * A network fitted already (a training run's, judged on its holdout): deployed as it is,
   * with this companion and thresholds from its own CLVs as of `asOfDay`, instead of a fit.
   */
  network?: LstmClvArtifact;
  logger?: TfBackendLogger;
}

const DAYS_PER_MONTH = 365.25 / 12;

/** @throws ClvError INSUFFICIENT_DATA when the history is too short or too thin for the network. */
export async function trainLstmModel(data: LstmTrainingData, s: TrainingSettings, o: LstmTrainingOptions): Promise<LstmModel> {
  const base = o.base ?? trainCustomerValueModel(data.customers.map((c) => c.input), s);
  const network = o.network ?? (await fitNetwork(data, s, o));
  const provisional = new LstmModel(s.version, network, s.minorPerUnit, base, segmentThresholds([], s));
  try {
    return provisional.withThresholds(segmentThresholds(await establishedLstmClvs(provisional, data, s), s));
  } finally {
    await provisional.dispose();
  }
}

/** The network fitted on examples as of origins up to the as-of (see the module comment). */
async function fitNetwork(data: LstmTrainingData, s: TrainingSettings, o: LstmTrainingOptions): Promise<LstmClvArtifact> {
  const p = s.periodDays;
  let firstDay = Infinity;
  let total = 0;
  let days = 0;
  for (const c of data.customers) for (const [day, value] of c.days) {
    if (day > data.asOfDay) continue;
    if (day < firstDay) firstDay = day;
    total += value;
    days++;
  }
  const horizonPeriods = Math.round((s.horizonMonths * DAYS_PER_MONTH) / p);
  const labelPeriods = Math.min(horizonPeriods, Math.floor((data.asOfDay - firstDay) / (2 * p)));
  if (!(labelPeriods >= 1)) throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, `LSTM: ${data.asOfDay - firstDay} days of history, need at least ${2 * p}`);
  const periods = Math.min(o.historyPeriods ?? 26, Math.floor(RECENT_PURCHASE_WINDOW_DAYS / p));
  const features: SequenceFeatureOptions = { periodDays: p, periods, horizonPeriods: labelPeriods, minorPerUnit: total > 0 ? total / days : 1 };

  const origins: number[] = [];
  for (let k = 1; k <= (o.maxOrigins ?? 4); k++) {
    const origin = data.asOfDay - k * labelPeriods * p;
    if (origin < firstDay) break;
    origins.push(origin);
  }
  const candidates: Array<[number, number]> = [];
  data.customers.forEach((c, i) => {
    for (const origin of origins) if (c.days.some(([day]) => day <= origin)) candidates.push([i, origin]);
  });
  const examples: SequenceExample[] = [];
  for (const [i, origin] of sample(candidates, o.maxExamples ?? 16_384, o.seed)) {
    const e = sequenceExample(data.customers[i].days.filter(([day]) => day <= data.asOfDay), origin, features);
    if (e !== null) examples.push(e);
  }
  const fitted = await fitLstmClv(examples, { features, seed: o.seed, maxEpochs: o.maxEpochs, ...(o.logger ? { logger: o.logger } : {}) });
  try {
    return await fitted.save();
  } finally {
    fitted.dispose();
  }
}

/**
 * The CLVs (minor units, ascending) of the established customers as `model` values them,
 * scored from the bounded history the stream carries: what the value thresholds are quantiles
 * of (train-customer-value-model.ts: establishedClvs, in batches).
 */
export async function establishedLstmClvs(model: LstmModel, data: LstmTrainingData, s: TrainingSettings): Promise<number[]> {
  const inputs: ScoringInput[] = [];
  for (const c of data.customers) {
    const isNew = c.input.frequency === 0 && c.input.T * s.periodDays <= s.newCustomerDays;
    if (isNew) continue;
    const past = c.days.filter(([day]) => day <= data.asOfDay);
    const summary = summarizePurchaseDays(past);
    if (summary !== null) inputs.push({ input: c.input, summary, recentDays: recentPurchaseDays(past, summary.lastDay) });
  }
  const predictions = await model.predictBatch(inputs);
  return predictions.map((p) => Math.round(p.clv * s.minorPerUnit)).sort((a, b) => a - b);
}

/** At most `max` of `items`, a seeded random subset in their original order (all of them when fewer). */
function sample<T>(items: readonly T[], max: number, seed: number): T[] {
  if (items.length <= max) return [...items];
  const random = seededRandom(seed);
  const index = Int32Array.from(items, (_, i) => i);
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(random() * (index.length - i));
    const t = index[i];
    index[i] = index[j];
    index[j] = t;
  }
  return [...index.subarray(0, max)].sort((a, b) => a - b).map((i) => items[i]);
}
