/**
 * The ensemble's blend: customer value = Σ_m w_m · prediction_m with w_m ≥ 0, the weights
 * fitted by non-negative least squares on customer values over a validation window (stacked
 * regression, Breiman 1996, "Stacked Regressions", with his non-negativity constraint). No
 * intercept and no sum-to-one constraint: the weights also correct a shared bias in level,
 * such as BG/NBD's under-forecast of a base's total.
 */
import { nonnegativeLeastSquares } from './nonnegative-least-squares.js';

/** Fitted blend: one weight per model, in the order given. */
export interface BlendWeights {
  models: string[];
  weights: number[];
  /** Customers the weights were fitted on. */
  customers: number;
  /** √(mean squared error) of the blend on the fitting data, in the value unit. */
  rootMeanSquaredError: number;
}

/**
 * @param predictions model name → predicted value per customer (all the same length as `actual`).
 * @throws RangeError on no model, unequal lengths or non-finite values.
 */
export function fitBlendWeights(predictions: ReadonlyMap<string, ArrayLike<number>>, actual: ArrayLike<number>): BlendWeights {
  const models = [...predictions.keys()];
  const fit = nonnegativeLeastSquares(models.map((m) => predictions.get(m)!), actual);
  return { models, weights: fit.weights, customers: actual.length, rootMeanSquaredError: actual.length === 0 ? 0 : Math.sqrt(fit.residualSumOfSquares / actual.length) };
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
