/**
 * The ensemble's blend: customer value = Σ_m w_m · prediction_m with w_m ≥ 0 and Σ w_m = 1,
 * the weights minimising the squared error of customer values (stacked regression, Breiman
 * 1996, "Stacked Regressions", with his non-negativity constraint, plus a sum-to-one
 * constraint). Convex weights make the blend a compromise between the models and never a
 * level correction: a correction of the total learned from one window — one season of one
 * shop — is a bet on that window (issue 11: weights 1.32 + 0 on a holiday quarter gave +49%
 * on the next year).
 *
 * The minimiser of ‖Xw − y‖² on the simplex is found exactly: for every non-empty subset S
 * of models, the equality-constrained least squares on S (Lagrange: the normal equations
 * bordered by the constraint row) is solved, and the best solution whose weights are all ≥ 0
 * is kept. The problem is convex, so its minimiser is the equality-constrained solution on
 * its own support; with a handful of models the 2^M − 1 subsets cost nothing.
 */

/** Fitted blend: one weight per model, in the order given. */
export interface BlendWeights {
  models: string[];
  weights: number[];
  /** Customers the weights were fitted on. */
  customers: number;
  /** √(mean squared error) of the blend on the fitting data, in the value unit. */
  rootMeanSquaredError: number;
}

/** Most models a blend takes (2^12 subsets). */
const MAX_MODELS = 12;

/**
 * @param predictions model name → predicted value per customer (all the same length as `actual`).
 * @throws RangeError on no model, too many, unequal lengths or non-finite values.
 */
export function fitBlendWeights(predictions: ReadonlyMap<string, ArrayLike<number>>, actual: ArrayLike<number>): BlendWeights {
  const models = [...predictions.keys()];
  const m = models.length;
  if (m === 0 || m > MAX_MODELS) throw new RangeError(`a blend takes 1 to ${MAX_MODELS} models, got ${m}`);
  const columns = models.map((name) => predictions.get(name)!);
  const n = actual.length;
  for (const [j, c] of columns.entries()) {
    if (c.length !== n) throw new RangeError(`model ${models[j]} has ${c.length} values, expected ${n}`);
    for (let i = 0; i < n; i++) if (!Number.isFinite(c[i])) throw new RangeError(`model ${models[j]}: non-finite prediction at ${i}`);
  }
  for (let i = 0; i < n; i++) if (!Number.isFinite(actual[i])) throw new RangeError(`non-finite actual value at ${i}`);
  // Gram matrix G = XᵀX and b = Xᵀy: all a subset needs.
  const G = Array.from({ length: m }, () => new Float64Array(m));
  const b = new Float64Array(m);
  let yy = 0;
  for (let i = 0; i < n; i++) {
    const y = actual[i];
    yy += y * y;
    for (let j = 0; j < m; j++) {
      const xj = columns[j][i];
      b[j] += xj * y;
      for (let k = j; k < m; k++) G[j][k] += xj * columns[k][i];
    }
  }
  for (let j = 0; j < m; j++) for (let k = 0; k < j; k++) G[j][k] = G[k][j];
  let best: { weights: number[]; sse: number } | null = null;
  for (let mask = 1; mask < 1 << m; mask++) {
    const support = models.map((_, j) => j).filter((j) => mask & (1 << j));
    const w = constrainedLeastSquares(G, b, support);
    if (w === null || w.some((v) => v < -1e-12)) continue;
    const weights = new Array<number>(m).fill(0);
    support.forEach((j, i) => (weights[j] = Math.max(0, w[i])));
    const total = weights.reduce((s, v) => s + v, 0);
    for (let j = 0; j < m; j++) weights[j] /= total;
    const sse = sumOfSquares(G, b, yy, weights);
    if (best === null || sse < best.sse - 1e-12 * Math.max(1, best.sse)) best = { weights, sse };
  }
  // A single model is always feasible (weight 1), so best is set.
  const { weights, sse } = best!;
  return { models, weights, customers: n, rootMeanSquaredError: n === 0 ? 0 : Math.sqrt(Math.max(0, sse) / n) };
}

/** Σ_m w_m · prediction_m per customer. @throws RangeError when a blended model is missing or lengths differ. */
export function applyBlend(blend: Pick<BlendWeights, 'models' | 'weights'>, predictions: ReadonlyMap<string, ArrayLike<number>>): Float64Array {
  const columns = blend.models.map((m) => {
    const c = predictions.get(m);
    if (c === undefined) throw new RangeError(`no predictions for blended model "${m}"`);
    return c;
  });
  const n = columns[0]?.length ?? 0;
  for (const [j, c] of columns.entries()) if (c.length !== n) throw new RangeError(`model ${blend.models[j]} has ${c.length} values, expected ${n}`);
  const out = new Float64Array(n);
  columns.forEach((c, j) => {
    for (let i = 0; i < n; i++) out[i] += blend.weights[j] * c[i];
  });
  return out;
}

/**
 * argmin ‖X_S w − y‖² subject to Σ w = 1, from the bordered normal equations
 * [G_S 1; 1ᵀ 0] [w; λ] = [b_S; 1]; null when singular.
 */
function constrainedLeastSquares(G: Float64Array[], b: Float64Array, support: readonly number[]): number[] | null {
  const k = support.length;
  const size = k + 1;
  const A = Array.from({ length: size }, (_, r) => {
    const row = new Float64Array(size + 1);
    if (r < k) {
      support.forEach((j, c) => (row[c] = G[support[r]][j]));
      row[k] = 1;
      row[size] = b[support[r]];
    } else {
      for (let c = 0; c < k; c++) row[c] = 1;
      row[size] = 1;
    }
    return row;
  });
  // Gaussian elimination with partial pivoting.
  for (let col = 0; col < size; col++) {
    let pivot = col;
    for (let r = col + 1; r < size; r++) if (Math.abs(A[r][col]) > Math.abs(A[pivot][col])) pivot = r;
    const scale = Math.max(...A.map((row) => Math.abs(row[col])));
    if (Math.abs(A[pivot][col]) <= 1e-12 * (scale || 1)) return null;
    [A[col], A[pivot]] = [A[pivot], A[col]];
    for (let r = 0; r < size; r++) {
      if (r === col) continue;
      const f = A[r][col] / A[col][col];
      if (f !== 0) for (let c = col; c <= size; c++) A[r][c] -= f * A[col][c];
    }
  }
  return Array.from({ length: k }, (_, i) => A[i][size] / A[i][i]);
}

/** ‖Xw − y‖² = wᵀGw − 2wᵀb + yᵀy. */
function sumOfSquares(G: Float64Array[], b: Float64Array, yy: number, w: readonly number[]): number {
  let s = yy;
  for (let j = 0; j < w.length; j++) {
    if (w[j] === 0) continue;
    s -= 2 * w[j] * b[j];
    for (let k = 0; k < w.length; k++) s += w[j] * w[k] * G[j][k];
  }
  return s;
}
