/**
 * Settings and training report of the sequence CLV model (models/sequence/lstm-clv-model.ts).
 * Defaults are sized for CDNOW-scale data on 2 cores with the wasm backend: a 16-unit LSTM
 * trains on 23,570 customers in about 1–2 minutes.
 */
import { DEFAULT_SEQUENCE_FEATURE_OPTIONS, validateSequenceFeatureOptions, type SequenceFeatureOptions } from './sequence-features.js';
import type { TfBackendLogger, TfBackendName, WasmBinary } from './tf-backend.js';

export interface LstmClvOptions {
  /** How the examples were built; saved with the model so scoring builds rows the same way. */
  features: SequenceFeatureOptions;
  /** Seeds the initial weights, the validation split and the epoch shuffles (low 32 bits). */
  seed: number;
  lstmUnits: number;
  staticUnits: number;
  hiddenUnits: number;
  /** Adam step size. */
  learningRate: number;
  /** Examples per gradient step. */
  batchSize: number;
  maxEpochs: number;
  /** Epochs without a better validation loss before training stops. */
  patience: number;
  /** Share of examples held out for early stopping, in (0, 1). */
  validationFraction: number;
  /** Rows per forward pass in predict and validation: bounds tensor memory. */
  predictChunkSize: number;
  /** Receives the backend line (default: stderr). */
  logger?: TfBackendLogger;
  onEpoch?: (epoch: LstmClvEpoch) => void;
}

export const DEFAULT_LSTM_CLV_OPTIONS: Readonly<Omit<LstmClvOptions, 'logger' | 'onEpoch'>> = Object.freeze({
  features: DEFAULT_SEQUENCE_FEATURE_OPTIONS,
  seed: 1,
  lstmUnits: 16,
  staticUnits: 16,
  hiddenUnits: 16,
  learningRate: 0.005,
  batchSize: 512,
  maxEpochs: 40,
  patience: 3,
  validationFraction: 0.1,
  predictChunkSize: 4096,
});

/** Mean ZILN negative log-likelihood per example after one epoch. */
export interface LstmClvEpoch {
  epoch: number;
  trainLoss: number;
  validationLoss: number;
  ms: number;
}

export interface LstmClvTrainingReport {
  backend: TfBackendName;
  wasmBinary: WasmBinary | null;
  trainingMs: number;
  epochs: number;
  /** The epoch whose weights were kept (lowest validation loss). */
  bestEpoch: number;
  trainLoss: number;
  validationLoss: number;
  stoppedBy: 'patience' | 'max-epochs' | 'non-finite-loss';
  trainExamples: number;
  validationExamples: number;
  history: LstmClvEpoch[];
}

/** Defaults filled in and every setting checked. @throws RangeError naming the first bad one. */
export function resolveLstmClvOptions(input: Partial<LstmClvOptions>): LstmClvOptions {
  const o: LstmClvOptions = { ...DEFAULT_LSTM_CLV_OPTIONS, ...input };
  validateSequenceFeatureOptions(o.features);
  for (const key of ['lstmUnits', 'staticUnits', 'hiddenUnits', 'batchSize', 'maxEpochs', 'patience', 'predictChunkSize'] as const) {
    if (!(Number.isInteger(o[key]) && o[key] >= 1)) throw new RangeError(`${key} must be an integer ≥ 1, got ${o[key]}`);
  }
  if (!Number.isSafeInteger(o.seed)) throw new RangeError(`seed must be a safe integer, got ${o.seed}`);
  if (!(o.learningRate > 0 && o.learningRate < Infinity)) throw new RangeError(`learningRate must be finite and > 0, got ${o.learningRate}`);
  if (!(o.validationFraction > 0 && o.validationFraction < 1)) throw new RangeError(`validationFraction must be in (0, 1), got ${o.validationFraction}`);
  return o;
}
