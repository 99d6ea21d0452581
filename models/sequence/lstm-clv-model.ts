/**
 * The global sequence model of customer value (ARCHITECTURE, Models: LSTM): one network for
 * all customers, from each customer's recent per-period history and RFM summary to the
 * zero-inflated lognormal distribution of their spend over the next H periods (Wang, Liu &
 * Miao 2019), whose mean p · exp(μ + σ²/2) is the prediction.
 *
 * `fitLstmClv(examples)` trains with Adam on the ZILN negative log-likelihood, early-stops
 * on a held-out validation share (keeping the best epoch's weights) and returns a
 * `FittedLstmClv` that predicts in bounded-memory chunks and saves to a JSON artifact.
 * Deterministic for a seed on a given backend: seeded initial weights, seeded split and
 * shuffles, no dropout.
 */
import * as tf from '@tensorflow/tfjs';
import { ClvError, ErrorCodes } from '../../core/errors.js';
import { decodeLstmClvArtifact, encodeLstmClvArtifact, type LstmClvArtifact } from './lstm-clv-artifact.js';
import { batchTensors, createWeights, initialWeights, lstmClvLogits, seededRandom, type LstmClvArchitecture, type LstmClvWeights } from './lstm-clv-network.js';
import { DEFAULT_LSTM_CLV_OPTIONS, resolveLstmClvOptions, type LstmClvEpoch, type LstmClvOptions, type LstmClvTrainingReport } from './lstm-clv-options.js';
import { STATIC_FEATURES, STEP_FEATURES, type SequenceExample, type SequenceFeatureOptions, type SequenceRow } from './sequence-features.js';
import { ensureTfBackend, type TfBackendLogger, type TfBackendName } from './tf-backend.js';
import { inverseSoftplus, zilnExpectedValue, zilnLoss } from './ziln-loss.js';

export type { LstmClvArtifact } from './lstm-clv-artifact.js';
export { DEFAULT_LSTM_CLV_OPTIONS, type LstmClvEpoch, type LstmClvOptions, type LstmClvTrainingReport } from './lstm-clv-options.js';

export interface FittedLstmClv {
  readonly features: Readonly<SequenceFeatureOptions>;
  readonly architecture: Readonly<LstmClvArchitecture>;
  readonly report: Readonly<LstmClvTrainingReport>;
  /** Backend this instance runs on (may differ from the one it was trained on). */
  readonly backend: TfBackendName;
  /** Expected spend over the horizon, currency units, ≥ 0, one per row. */
  predict(rows: readonly SequenceRow[]): Promise<Float64Array>;
  /**
   * The ZILN logits [ℓ, μ, s] of each row (3 per row, row-major): the whole predictive
   * distribution, of which `predict` is the mean. One tfjs forward pass per `predictChunkSize`
   * rows: evaluation predicts up to a million rows at once, where the backend's vectorised
   * kernels beat the plain-JavaScript forward pass the scoring kind uses
   * (lstm-clv-forward.ts; the two agree to float32 rounding, tests/sequence-lstm-clv-forward.test.ts).
   */
  predictLogits(rows: readonly SequenceRow[]): Promise<Float32Array>;
  save(): Promise<LstmClvArtifact>;
  /** Frees the weights; the instance is unusable afterwards. */
  dispose(): void;
}

/**
 * Trains the model. @throws ClvError INSUFFICIENT_DATA with fewer than 10 examples or no
 * positive target; RangeError on invalid options, rows or targets.
 */
export async function fitLstmClv(examples: readonly SequenceExample[], input: Partial<LstmClvOptions> = {}): Promise<FittedLstmClv> {
  const o = resolveLstmClvOptions(input);
  if (examples.length < 10) throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, `LSTM: ${examples.length} examples, need at least 10`);
  const targets = Float32Array.from(examples, (e, i) => {
    if (!(e.target >= 0 && e.target < Infinity)) throw new RangeError(`example ${i}: target must be finite and ≥ 0, got ${e.target}`);
    return e.target;
  });
  const choice = await ensureTfBackend(o.logger);
  const started = performance.now();
  const arch: LstmClvArchitecture = { periods: o.features.periods, stepFeatures: STEP_FEATURES, staticFeatures: STATIC_FEATURES, lstmUnits: o.lstmUnits, staticUnits: o.staticUnits, hiddenUnits: o.hiddenUnits };
  // A stream apart from the one initialWeights draws from the same seed.
  const random = seededRandom((o.seed ^ 0x5bd1e995) >>> 0);
  const order = shuffle(Int32Array.from(examples, (_, i) => i), random);
  const validationCount = Math.min(examples.length - 1, Math.max(1, Math.round(examples.length * o.validationFraction)));
  const validation = order.slice(0, validationCount);
  const train = order.slice(validationCount);
  const weights = createWeights(arch, initialWeights(arch, o.seed, marginalZilnLogits(targets, train)), true);
  // Named explicitly: by default a tfjs optimizer considers every trainable variable alive.
  const variables = [...weights.values()];
  const optimizer = tf.train.adam(o.learningRate);
  const history: LstmClvEpoch[] = [];
  let best: { epoch: number; values: Map<string, tf.Tensor> } | null = null;
  let bestLoss = Infinity;
  let stoppedBy: LstmClvTrainingReport['stoppedBy'] = 'max-epochs';
  try {
    for (let epoch = 1; epoch <= o.maxEpochs; epoch++) {
      const t0 = performance.now();
      shuffle(train, random);
      let sum = 0;
      for (let from = 0; from < train.length; from += o.batchSize) {
        const to = Math.min(train.length, from + o.batchSize);
        const cost = tf.tidy(() => {
          const x = batchTensors(arch, examples, train, from, to);
          const y = tf.tensor1d(targetsOf(targets, train, from, to));
          return optimizer.minimize(() => zilnLoss(y, lstmClvLogits(weights, x.steps, x.statics)), true, variables)!;
        });
        sum += (await cost.data())[0] * (to - from);
        cost.dispose();
      }
      const validationLoss = await meanLoss(weights, arch, examples, targets, validation, o.predictChunkSize);
      const report = { epoch, trainLoss: sum / train.length, validationLoss, ms: performance.now() - t0 };
      history.push(report);
      o.onEpoch?.(report);
      if (!Number.isFinite(report.trainLoss) || !Number.isFinite(validationLoss)) {
        stoppedBy = 'non-finite-loss';
        break;
      }
      if (validationLoss < bestLoss) {
        bestLoss = validationLoss;
        if (best) for (const t of best.values.values()) t.dispose();
        best = { epoch, values: new Map([...weights].map(([name, v]) => [name, tf.clone(v)])) };
      } else if (epoch - (best?.epoch ?? 0) >= o.patience) {
        stoppedBy = 'patience';
        break;
      }
    }
  } catch (err) {
    for (const t of [...variables, ...(best?.values.values() ?? [])]) t.dispose();
    throw err;
  } finally {
    optimizer.dispose();
  }
  if (!best) {
    for (const v of variables) v.dispose();
    throw new RangeError('LSTM: the loss was not finite in the first epoch; lower learningRate');
  }
  for (const [name, v] of weights) v.assign(best.values.get(name)!);
  for (const t of best.values.values()) t.dispose();
  const kept = history[best.epoch - 1];
  const report: LstmClvTrainingReport = {
    backend: choice.name,
    wasmBinary: choice.wasmBinary,
    trainingMs: performance.now() - started,
    epochs: history.length,
    bestEpoch: best.epoch,
    trainLoss: kept.trainLoss,
    validationLoss: kept.validationLoss,
    stoppedBy,
    trainExamples: train.length,
    validationExamples: validation.length,
    history,
  };
  return fitted(o.features, arch, weights, report, choice.name, o.predictChunkSize);
}

/** Rebuilds a saved model. @throws TypeError when `artifact` is not a valid artifact. */
export async function loadLstmClv(artifact: unknown, options: { predictChunkSize?: number; logger?: TfBackendLogger } = {}): Promise<FittedLstmClv> {
  const { artifact: a, values } = decodeLstmClvArtifact(artifact);
  const chunk = options.predictChunkSize ?? DEFAULT_LSTM_CLV_OPTIONS.predictChunkSize;
  if (!(Number.isInteger(chunk) && chunk >= 1)) throw new RangeError(`predictChunkSize must be an integer ≥ 1, got ${chunk}`);
  const choice = await ensureTfBackend(options.logger);
  return fitted(a.features, a.architecture, createWeights(a.architecture, values, false), a.report, choice.name, chunk);
}

function fitted(features: SequenceFeatureOptions, architecture: LstmClvArchitecture, weights: LstmClvWeights, report: LstmClvTrainingReport, backend: TfBackendName, chunk: number): FittedLstmClv {
  return {
    features: Object.freeze({ ...features }),
    architecture: Object.freeze({ ...architecture }),
    report,
    backend,
    async predict(rows) {
      const v = await this.predictLogits(rows);
      const out = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) out[i] = zilnExpectedValue([v[3 * i], v[3 * i + 1], v[3 * i + 2]]);
      return out;
    },
    async predictLogits(rows) {
      const out = new Float32Array(rows.length * 3);
      const all = Int32Array.from(rows, (_, i) => i);
      for (let from = 0; from < rows.length; from += chunk) {
        const to = Math.min(rows.length, from + chunk);
        const logits = tf.tidy(() => {
          const x = batchTensors(architecture, rows, all, from, to);
          return lstmClvLogits(weights, x.steps, x.statics);
        });
        out.set(await logits.data(), from * 3);
        logits.dispose();
      }
      return out;
    },
    async save() {
      const values = new Map<string, Float32Array>();
      for (const [name, v] of weights) values.set(name, (await v.data()) as Float32Array);
      return encodeLstmClvArtifact(features, architecture, values, report);
    },
    dispose() {
      for (const v of weights.values()) v.dispose();
    },
  };
}

async function meanLoss(weights: LstmClvWeights, arch: LstmClvArchitecture, rows: readonly SequenceRow[], targets: Float32Array, indices: Int32Array, chunk: number): Promise<number> {
  let sum = 0;
  for (let from = 0; from < indices.length; from += chunk) {
    const to = Math.min(indices.length, from + chunk);
    const loss = tf.tidy(() => {
      const x = batchTensors(arch, rows, indices, from, to);
      return zilnLoss(tf.tensor1d(targetsOf(targets, indices, from, to)), lstmClvLogits(weights, x.steps, x.statics));
    });
    sum += (await loss.data())[0] * (to - from);
    loss.dispose();
  }
  return sum / indices.length;
}

/**
 * The ZILN logits that best fit the training targets with no features: logit of the share
 * of positive targets, mean and (inverse-softplus) standard deviation of their logs. The
 * output bias starts there, so early epochs learn structure rather than the overall level.
 */
function marginalZilnLogits(targets: Float32Array, train: Int32Array): [number, number, number] {
  let positive = 0;
  let sum = 0;
  let sumSq = 0;
  for (const i of train) {
    if (targets[i] > 0) {
      const l = Math.log(targets[i]);
      positive++;
      sum += l;
      sumSq += l * l;
    }
  }
  if (positive === 0) throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, 'LSTM: no training example has a positive target');
  const share = Math.min(Math.max(positive / train.length, 1e-4), 1 - 1e-4);
  const mean = sum / positive;
  const sd = Math.max(Math.sqrt(Math.max(sumSq / positive - mean * mean, 0)), 0.1);
  return [Math.log(share / (1 - share)), mean, inverseSoftplus(sd)];
}

function targetsOf(targets: Float32Array, indices: Int32Array, from: number, to: number): Float32Array {
  const y = new Float32Array(to - from);
  for (let i = from; i < to; i++) y[i - from] = targets[indices[i]];
  return y;
}

/** Fisher–Yates in place with the seeded generator. */
function shuffle(a: Int32Array, random: () => number): Int32Array {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}
