/**
 * Non-negative least squares for a handful of columns: min ‖A w − y‖² subject to w ≥ 0
 * (Lawson & Hanson 1974, "Solving Least Squares Problems", ch. 23). The blend of an ensemble
 * has one column per model, so instead of Lawson–Hanson's active-set iterations we solve the
 * unconstrained problem on every subset of columns (the "passive set") and keep the feasible
 * solution with the smallest residual. That is exact: the NNLS optimum is the least-squares
 * solution on its own support, and every candidate is a feasible point. 2^k small solves on a
 * k × k Gram matrix, so the data are read once.
 */

/** The fitted weights and the residual sum of squares ‖A w − y‖². */
export interface NonnegativeLeastSquares {
  weights: number[];
  residualSumOfSquares: number;
}

/** Columns beyond this make the subset search slow (2^k solves); the blend has 2–4. */
export const MAX_NNLS_COLUMNS = 12;

/**
 * @param columns k predictors, each with one value per row (the same length as `target`).
 * @throws RangeError on no column, more than {@link MAX_NNLS_COLUMNS}, unequal lengths or a
 *   non-finite value.
 */
export function nonnegativeLeastSquares(columns: readonly ArrayLike<number>[], target: ArrayLike<number>): NonnegativeLeastSquares {
  const k = columns.length;
  if (k === 0 || k > MAX_NNLS_COLUMNS) throw new RangeError(`NNLS needs 1–${MAX_NNLS_COLUMNS} columns, got ${k}`);
  const n = target.length;
  for (const [j, c] of columns.entries()) if (c.length !== n) throw new RangeError(`column ${j} has ${c.length} values, target ${n}`);
  // Gram matrix G = AᵀA, b = Aᵀy and yᵀy: the residual of any w is yᵀy − 2wᵀb + wᵀGw.
  const gram = Array.from({ length: k }, () => new Float64Array(k));
  const b = new Float64Array(k);
  let yy = 0;
  for (let i = 0; i < n; i++) {
    const y = target[i];
    if (!Number.isFinite(y)) throw new RangeError(`target ${i} is not finite`);
    yy += y * y;
    for (let j = 0; j < k; j++) {
      const a = columns[j][i];
      if (!Number.isFinite(a)) throw new RangeError(`column ${j} value ${i} is not finite`);
      b[j] += a * y;
      for (let l = 0; l <= j; l++) gram[j][l] += a * columns[l][i];
    }
  }
  for (let j = 0; j < k; j++) for (let l = 0; l < j; l++) gram[l][j] = gram[j][l];

  let best: NonnegativeLeastSquares = { weights: new Array<number>(k).fill(0), residualSumOfSquares: yy };
  for (let mask = 1; mask < 1 << k; mask++) {
    const support = [...Array(k).keys()].filter((j) => mask & (1 << j));
    const solved = solveSymmetric(support.map((j) => support.map((l) => gram[j][l])), support.map((j) => b[j]));
    if (solved === null || solved.some((w) => w < 0)) continue;
    const w = new Array<number>(k).fill(0);
    support.forEach((j, s) => (w[j] = solved[s]));
    const rss = residual(gram, b, yy, w);
    if (rss < best.residualSumOfSquares) best = { weights: w, residualSumOfSquares: Math.max(0, rss) };
  }
  return best;
}

function residual(gram: Float64Array[], b: Float64Array, yy: number, w: number[]): number {
  let quad = 0;
  let lin = 0;
  for (let j = 0; j < w.length; j++) {
    lin += w[j] * b[j];
    for (let l = 0; l < w.length; l++) quad += w[j] * gram[j][l] * w[l];
  }
  return yy - 2 * lin + quad;
}

/** Gaussian elimination with partial pivoting; null when the matrix is (numerically) singular. */
function solveSymmetric(m: number[][], rhs: number[]): number[] | null {
  const n = rhs.length;
  const a = m.map((row, i) => [...row, rhs[i]]);
  const scale = Math.max(...m.map((row, i) => Math.abs(row[i])), 0);
  if (scale === 0) return null;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    // Collinear columns: leave this support to the smaller subsets that contain one of them.
    if (Math.abs(a[p][c]) <= 1e-12 * scale) return null;
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = c + 1; r < n; r++) {
      const f = a[r][c] / a[c][c];
      for (let j = c; j <= n; j++) a[r][j] -= f * a[c][j];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = a[r][n];
    for (let j = r + 1; j < n; j++) s -= a[r][j] * x[j];
    x[r] = s / a[r][r];
  }
  return x;
}
