/**
 * The saved form of a fitted sequence CLV model: plain JSON (feature options, network
 * sizes, training report, and each weight as little-endian float32 in base64), so a model
 * registry can store it next to the BG/NBD parameters. Decoding validates everything
 * before any tensor is made.
 */
import { validateSequenceFeatureOptions, type SequenceFeatureOptions } from './sequence-features.js';
import { weightShapes, type LstmClvArchitecture } from './lstm-clv-network.js';
import type { LstmClvTrainingReport } from './lstm-clv-options.js';

export const LSTM_CLV_ARTIFACT_FORMAT = 'clv-stream/lstm-clv';

export interface LstmClvArtifact {
  format: typeof LSTM_CLV_ARTIFACT_FORMAT;
  version: 1;
  features: SequenceFeatureOptions;
  architecture: LstmClvArchitecture;
  /** In the network's weight order; `base64` holds shape-product float32 values, little-endian. */
  weights: { name: string; shape: number[]; base64: string }[];
  report: LstmClvTrainingReport;
}

/** Builds the artifact from weight values (the order of `weightShapes` is kept). */
export function encodeLstmClvArtifact(
  features: SequenceFeatureOptions,
  architecture: LstmClvArchitecture,
  values: ReadonlyMap<string, Float32Array>,
  report: LstmClvTrainingReport,
): LstmClvArtifact {
  const weights = weightShapes(architecture).map(([name, shape]) => {
    const v = values.get(name);
    if (!v) throw new RangeError(`weight ${name} missing`);
    const bytes = new DataView(new ArrayBuffer(v.length * 4));
    for (let i = 0; i < v.length; i++) bytes.setFloat32(i * 4, v[i], true);
    return { name, shape, base64: Buffer.from(bytes.buffer).toString('base64') };
  });
  return {
    format: LSTM_CLV_ARTIFACT_FORMAT,
    version: 1,
    features: { ...features },
    architecture: { ...architecture },
    weights,
    report: structuredClone(report),
  };
}

/**
 * Checks an artifact (e.g. parsed from JSON) and returns its weight values.
 * @throws TypeError when it is not a version-1 LSTM CLV artifact or a weight is malformed.
 */
export function decodeLstmClvArtifact(input: unknown): { artifact: LstmClvArtifact; values: Map<string, Float32Array> } {
  const a = input as Partial<LstmClvArtifact> | null;
  if (a === null || typeof a !== 'object' || a.format !== LSTM_CLV_ARTIFACT_FORMAT || a.version !== 1) {
    throw new TypeError(`not a version-1 ${LSTM_CLV_ARTIFACT_FORMAT} artifact`);
  }
  if (!a.features || !a.architecture || !Array.isArray(a.weights) || !a.report) throw new TypeError('LSTM artifact: features, architecture, weights and report are required');
  try {
    validateSequenceFeatureOptions(a.features);
  } catch (err) {
    throw new TypeError(`LSTM artifact: ${(err as Error).message}`);
  }
  const arch = a.architecture;
  for (const key of ['periods', 'stepFeatures', 'staticFeatures', 'lstmUnits', 'staticUnits', 'hiddenUnits'] as const) {
    if (!(Number.isInteger(arch[key]) && arch[key] >= 1)) throw new TypeError(`LSTM artifact: architecture.${key} must be an integer ≥ 1, got ${arch[key]}`);
  }
  if (arch.periods !== a.features.periods) throw new TypeError(`LSTM artifact: ${arch.periods} network periods but ${a.features.periods} feature periods`);
  const given = new Map(a.weights.map((w) => [w.name, w]));
  const values = new Map<string, Float32Array>();
  for (const [name, shape] of weightShapes(arch)) {
    const w = given.get(name);
    if (!w || typeof w.base64 !== 'string' || !Array.isArray(w.shape) || w.shape.join() !== shape.join()) {
      throw new TypeError(`LSTM artifact: weight ${name} missing or not of shape [${shape.join(', ')}]`);
    }
    const bytes = Buffer.from(w.base64, 'base64');
    const size = shape.reduce((n, d) => n * d, 1);
    if (bytes.length !== size * 4) throw new TypeError(`LSTM artifact: weight ${name} has ${bytes.length} bytes, expected ${size * 4}`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const v = new Float32Array(size);
    for (let i = 0; i < size; i++) v[i] = view.getFloat32(i * 4, true);
    if (!v.every(Number.isFinite)) throw new TypeError(`LSTM artifact: weight ${name} has a non-finite value`);
    values.set(name, v);
  }
  return { artifact: a as LstmClvArtifact, values };
}
