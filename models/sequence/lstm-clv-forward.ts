/**
 * Inference of the sequence CLV network (lstm-clv-network.ts) in plain JavaScript, one row at
 * a time: the same LSTM (Hochreiter & Schmidhuber 1997, with a forget gate), static dense
 * layer, merging layer and ZILN logits, computed in float64 from the float32 weights.
 *
 * Why not tfjs for inference: the network is tiny (16 units, 26 periods: about 33,000
 * multiply-adds a row), so a tfjs call costs its fixed overhead — about 10 ms a forward pass
 * on the wasm backend, whatever the batch — far more than the arithmetic. The stream scores a
 * few dozen customers per processor batch, so that overhead was the whole latency. Per row,
 * the result also no longer depends on which rows share a batch. Training still runs on tfjs,
 * which supplies the gradients.
 */
import { decodeLstmClvArtifact, type LstmClvArtifact } from './lstm-clv-artifact.js';
import type { LstmClvArchitecture } from './lstm-clv-network.js';
import type { SequenceRow } from './sequence-features.js';

const GATES = ['input', 'forget', 'cell', 'output'] as const;

export class LstmClvForward {
  private readonly periods: number;
  private readonly stepFeatures: number;
  private readonly staticFeatures: number;
  private readonly units: number;
  private readonly staticUnits: number;
  private readonly hiddenUnits: number;
  /** The four gates' kernels, transposed and stacked: [4·units, stepFeatures] (fuseGates). */
  private readonly kernel: Float64Array;
  /** [4·units, units], same layout. */
  private readonly recurrent: Float64Array;
  private readonly bias: Float64Array;
  private readonly staticKernel: Float64Array;
  private readonly staticBias: Float64Array;
  private readonly hiddenFromLstm: Float64Array;
  private readonly hiddenFromStatic: Float64Array;
  private readonly hiddenBias: Float64Array;
  private readonly outputKernel: Float64Array;
  private readonly outputBias: Float64Array;
  // Scratch, reused by every row: inference holds no state between rows.
  private readonly z: Float64Array;
  private readonly h: Float64Array;
  private readonly c: Float64Array;
  private readonly s: Float64Array;
  private readonly m: Float64Array;
  /**
   * The cell's hidden and cell state after periods 0 … t of an all-zero history, t < periods:
   * shared by every customer whose history starts later, so a row starts at its first
   * non-zero period. Computed by the same `step` as every row, so a row's logits are
   * bit for bit what the full recurrence gives.
   */
  private readonly zeroH: Float64Array;
  private readonly zeroC: Float64Array;

  /** @param values every weight of `weightShapes(architecture)`, already validated. */
  constructor(architecture: LstmClvArchitecture, values: ReadonlyMap<string, Float32Array>) {
    const a = architecture;
    const U = a.lstmUnits;
    this.periods = a.periods;
    this.stepFeatures = a.stepFeatures;
    this.staticFeatures = a.staticFeatures;
    this.units = U;
    this.staticUnits = a.staticUnits;
    this.hiddenUnits = a.hiddenUnits;
    const get = (name: string): Float32Array => {
      const v = values.get(name);
      if (!v) throw new RangeError(`weight ${name} missing`);
      return v;
    };
    this.kernel = fuseGates(a.stepFeatures, U, (g) => get(`lstm/${g}/kernel`));
    this.recurrent = fuseGates(U, U, (g) => get(`lstm/${g}/recurrent`));
    this.bias = fuseGates(1, U, (g) => get(`lstm/${g}/bias`));
    this.staticKernel = Float64Array.from(get('static/kernel'));
    this.staticBias = Float64Array.from(get('static/bias'));
    this.hiddenFromLstm = Float64Array.from(get('hidden/lstm_kernel'));
    this.hiddenFromStatic = Float64Array.from(get('hidden/static_kernel'));
    this.hiddenBias = Float64Array.from(get('hidden/bias'));
    this.outputKernel = Float64Array.from(get('output/kernel'));
    this.outputBias = Float64Array.from(get('output/bias'));
    this.z = new Float64Array(4 * U);
    this.h = new Float64Array(U);
    this.c = new Float64Array(U);
    this.s = new Float64Array(a.staticUnits);
    this.m = new Float64Array(a.hiddenUnits);
    this.zeroH = new Float64Array(a.periods * U);
    this.zeroC = new Float64Array(a.periods * U);
    const silent = new Float32Array(a.stepFeatures);
    this.h.fill(0);
    this.c.fill(0);
    for (let t = 0; t < a.periods; t++) {
      this.step(silent, 0, t > 0);
      this.zeroH.set(this.h, t * U);
      this.zeroC.set(this.c, t * U);
    }
  }

  /** The forward pass of a saved network. @throws TypeError when `artifact` is not a valid one. */
  static fromArtifact(artifact: LstmClvArtifact): LstmClvForward {
    const { artifact: a, values } = decodeLstmClvArtifact(artifact);
    return new LstmClvForward(a.architecture, values);
  }

  /** Logits [ℓ, μ, s] of each row, 3 per row, row-major. @throws RangeError on a mis-sized row. */
  logits(rows: readonly SequenceRow[]): Float32Array {
    const out = new Float32Array(rows.length * 3);
    for (let i = 0; i < rows.length; i++) this.rowLogits(rows[i], i, out);
    return out;
  }

  private rowLogits(row: SequenceRow, index: number, out: Float32Array): void {
    const { periods: N, stepFeatures: F, staticFeatures: S, units: U, h, c } = this;
    if (row.steps.length !== N * F || row.statics.length !== S) {
      throw new RangeError(`row ${index} has ${row.steps.length} step and ${row.statics.length} static values; the model expects ${N * F} and ${S}`);
    }
    let first = 0;
    while (first < N * F && row.steps[first] === 0) first++;
    first = Math.floor(first / F);
    if (first === 0) {
      h.fill(0);
      c.fill(0);
    } else {
      h.set(this.zeroH.subarray((first - 1) * U, first * U));
      c.set(this.zeroC.subarray((first - 1) * U, first * U));
    }
    for (let t = first; t < N; t++) this.step(row.steps, t * F, t > 0);
    const { s, m, staticKernel, staticBias, hiddenFromLstm, hiddenFromStatic, hiddenBias, outputKernel, outputBias, staticUnits: SU, hiddenUnits: HU } = this;
    denseRelu(row.statics, S, staticKernel, staticBias, SU, s);
    m.set(hiddenBias);
    accumulate(h, U, hiddenFromLstm, HU, m);
    accumulate(s, SU, hiddenFromStatic, HU, m);
    for (let k = 0; k < HU; k++) if (m[k] < 0) m[k] = 0;
    for (let o = 0; o < 3; o++) {
      let v = outputBias[o];
      for (let k = 0; k < HU; k++) v += m[k] * outputKernel[k * 3 + o];
      out[index * 3 + o] = v;
    }
  }

  /**
   * One period: the gates from `steps[at … at + stepFeatures)` and the hidden state, then h
   * and c updated in place. Each gate pre-activation is one dot product kept in a register
   * (kernels stored gate-major, transposed): bias, inputs, then the hidden units four at a time.
   */
  private step(steps: Float32Array, at: number, recurrent: boolean): void {
    const { stepFeatures: F, units: U, z, h, c, kernel, bias } = this;
    const G = 4 * U;
    const r = this.recurrent;
    for (let g = 0; g < G; g++) {
      let v = bias[g];
      const k = g * F;
      for (let f = 0; f < F; f++) v += steps[at + f] * kernel[k + f];
      if (recurrent) {
        const o = g * U;
        let j = 0;
        // Four products per addition to v: independent multiplies the CPU overlaps.
        for (; j + 3 < U; j += 4) v += h[j] * r[o + j] + h[j + 1] * r[o + j + 1] + (h[j + 2] * r[o + j + 2] + h[j + 3] * r[o + j + 3]);
        for (; j < U; j++) v += h[j] * r[o + j];
      }
      z[g] = v;
    }
    for (let u = 0; u < U; u++) {
      const input = sigmoid(z[u]);
      const forget = sigmoid(z[U + u]);
      const candidate = tanh(z[2 * U + u]);
      const output = sigmoid(z[3 * U + u]);
      const cell = forget * c[u] + input * candidate;
      c[u] = cell;
      h[u] = output * tanh(cell);
    }
  }
}

/** The four gates' [rows, units] matrices as one gate-major [4·units, rows] matrix: row g·units + u holds unit u of gate g. */
function fuseGates(rows: number, units: number, weight: (gate: (typeof GATES)[number]) => Float32Array): Float64Array {
  const fused = new Float64Array(4 * units * rows);
  GATES.forEach((gate, g) => {
    const w = weight(gate);
    for (let u = 0; u < units; u++) {
      for (let r = 0; r < rows; r++) fused[(g * units + u) * rows + r] = w[r * units + u];
    }
  });
  return fused;
}

/** out = relu(x · kernel + bias), x of width `width`, out of width `units`. */
function denseRelu(x: ArrayLike<number>, width: number, kernel: Float64Array, bias: Float64Array, units: number, out: Float64Array): void {
  out.set(bias);
  accumulate(x, width, kernel, units, out);
  for (let k = 0; k < units; k++) if (out[k] < 0) out[k] = 0;
}

/** out += x · kernel, kernel row-major [width, units]. */
function accumulate(x: ArrayLike<number>, width: number, kernel: Float64Array, units: number, out: Float64Array): void {
  for (let j = 0; j < width; j++) {
    const xj = x[j];
    if (xj === 0) continue;
    const r = j * units;
    for (let k = 0; k < units; k++) out[k] += xj * kernel[r + k];
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * tanh(x) = 1 − 2 / (1 + e^(2x)): exact in real arithmetic, within ~1e-16 absolute in float64
 * (far inside the float32 the network was trained in), and one exp where Math.tanh cost
 * about twice as much here. ±1 at the extremes, where e^(2x) overflows or vanishes.
 */
function tanh(x: number): number {
  return 1 - 2 / (1 + Math.exp(2 * x));
}
