/**
 * Fitting BG/NBD (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way",
 * Marketing Science 24(2)) by maximum likelihood, and the fitted model. As in augurs, the
 * fitted model is its own type: only `fitBgNbd` or `FittedBgNbd.fromJSON` make one.
 *
 * The optimiser works on θ = (ln r, ln α, ln a, ln b), so every parameter stays positive,
 * and minimises the mean negative log-likelihood plus lifetimes' optional L2 penalty
 * penalizerCoef · (r² + α² + a² + b²) — the same objective as lifetimes' BetaGeoFitter —
 * within {@link BGNBD_PARAM_BOUNDS}.
 */

import { ClvError, ErrorCodes } from '../../core/errors.js';
import {
  conditionalExpectedPurchases,
  expectedPurchases,
  probabilityAlive,
  type BgNbdParams,
} from './bgnbd-expectation.js';
import { bgNbdLikelihoodData, bgNbdNegativeLogLikelihood } from './bgnbd-likelihood.js';
import { minimize } from '../optimize/minimize.js';
import { totalWeight, type RfmColumns } from '../rfm-columns.js';

export type { BgNbdParams } from './bgnbd-expectation.js';

/**
 * Range of the fitted parameters. When the data do not identify a process — no dropout
 * (BG/NBD → NBD: a, b → ∞ with a/(a+b) → 0, or a → 0) or no heterogeneity in purchase rates
 * (r, α → ∞) — the likelihood keeps rising towards a limit and the optimum runs away; it is
 * stopped at these bounds, where the model is that limit to within ~1e-9 and everything
 * derived from it (bgnbd-expectation.ts, customer-lifetime-value.ts) is accurate.
 */
export const BGNBD_PARAM_BOUNDS: Readonly<Record<keyof BgNbdParams, readonly [number, number]>> = Object.freeze({
  r: [1e-4, 1e4],
  alpha: [1e-4, 1e4],
  a: [1e-4, 1e9],
  b: [1e-4, 1e9],
});
const PARAM_KEYS = ['r', 'alpha', 'a', 'b'] as const;
const LOG_LOWER = PARAM_KEYS.map((k) => Math.log(BGNBD_PARAM_BOUNDS[k][0]));
const LOG_UPPER = PARAM_KEYS.map((k) => Math.log(BGNBD_PARAM_BOUNDS[k][1]));
/** Weight of the quadratic wall on ln-parameters beyond the bounds (the mean NLL is O(1–10)). */
const WALL = 1;

/** Options of {@link fitBgNbd}. */
export interface BgNbdFitOptions {
  /** L2 penalty on the parameters, as lifetimes' penalizer_coef (default 0: plain ML). */
  penalizerCoef?: number;
  /** Starting points (natural scale); default: three spread over plausible shapes. */
  starts?: readonly BgNbdParams[];
}

/** How the fit went. */
export interface FitDiagnostics {
  /** True when the optimiser met its stopping test. */
  converged: boolean;
  iterations: number;
  evaluations: number;
  /** Customers (total weight) the model was fitted on. */
  customers: number;
}

/** Serialised form of a fitted BG/NBD model. */
export interface BgNbdJson {
  model: 'bg-nbd';
  version: 1;
  params: BgNbdParams;
  logLikelihood: number;
  diagnostics: FitDiagnostics;
}

/**
 * Fits BG/NBD to (x, t_x, T) columns (weights allowed; see rfmColumns).
 * @throws ClvError INSUFFICIENT_DATA when there are no customers or no repeat purchases
 *   (then a and b cannot be identified).
 */
export function fitBgNbd(data: RfmColumns, options: BgNbdFitOptions = {}): FittedBgNbd {
  const penalizer = options.penalizerCoef ?? 0;
  if (!(penalizer >= 0)) throw new RangeError(`penalizerCoef must be ≥ 0, got ${penalizer}`);
  const prepared = bgNbdLikelihoodData(data);
  const customers = totalWeight(prepared);
  if (!(customers > 0)) throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, 'BG/NBD: no customers to fit on');
  let repeat = 0;
  let sumX = 0;
  let sumT = 0;
  for (let i = 0; i < prepared.weight.length; i++) {
    const w = prepared.weight[i];
    if (prepared.frequency[i] > 0) repeat += w;
    sumX += w * prepared.frequency[i];
    sumT += w * prepared.T[i];
  }
  if (repeat === 0) throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, 'BG/NBD: no customer has a repeat purchase');

  const objective = (theta: Float64Array, gradient: Float64Array | null): number => {
    const value = bgNbdNegativeLogLikelihood(theta, prepared, gradient) / customers;
    let penalty = 0;
    let wall = 0;
    for (let j = 0; j < 4; j++) {
      const p = Math.exp(theta[j]);
      penalty += p * p;
      // Zero inside the bounds, so interior optima are untouched; outside, a wall that stops
      // a runaway along a flat ridge (the result is then clamped onto the bound).
      const beyond = theta[j] > LOG_UPPER[j] ? theta[j] - LOG_UPPER[j] : theta[j] < LOG_LOWER[j] ? theta[j] - LOG_LOWER[j] : 0;
      wall += beyond * beyond;
      if (gradient) gradient[j] = gradient[j] / customers + 2 * penalizer * p * p + 2 * WALL * beyond;
    }
    return value + penalizer * penalty + WALL * wall;
  };
  // Expected repeat purchases per period are about r/α, so α ≈ r · mean T / mean x.
  const rate = Math.max(sumX, 1e-3 * customers) / Math.max(sumT, 1e-9);
  const starts = (options.starts ?? [
    { r: 1, alpha: 1 / rate, a: 1, b: 1 },
    { r: 0.25, alpha: 0.25 / rate, a: 0.5, b: 2.5 },
    { r: 3, alpha: 3 / rate, a: 2, b: 0.5 },
  ]).map((p) => [Math.log(p.r), Math.log(p.alpha), Math.log(p.a), Math.log(p.b)]);
  const result = minimize(objective, starts);
  const theta = result.x.map((v, j) => Math.min(LOG_UPPER[j], Math.max(LOG_LOWER[j], v)));
  const params: BgNbdParams = {
    r: Math.exp(theta[0]),
    alpha: Math.exp(theta[1]),
    a: Math.exp(theta[2]),
    b: Math.exp(theta[3]),
  };
  const logLikelihood = -bgNbdNegativeLogLikelihood(theta, prepared);
  return new FittedBgNbd(params, logLikelihood, {
    converged: result.converged,
    iterations: result.iterations,
    evaluations: result.evaluations,
    customers,
  });
}

/** A fitted BG/NBD model. Time arguments are in the periods the model was fitted in. */
export class FittedBgNbd {
  readonly params: Readonly<BgNbdParams>;
  /** Log-likelihood of the calibration data at `params` (without the penalty). */
  readonly logLikelihood: number;
  readonly diagnostics: Readonly<FitDiagnostics>;

  /** @throws RangeError unless r, α, a, b are finite and > 0. */
  constructor(params: BgNbdParams, logLikelihood: number, diagnostics: FitDiagnostics) {
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      const v = params[key];
      if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new RangeError(`BG/NBD parameter ${key} must be finite and > 0, got ${v}`);
    }
    this.params = Object.freeze({ r: params.r, alpha: params.alpha, a: params.a, b: params.b });
    this.logLikelihood = logLikelihood;
    this.diagnostics = Object.freeze({ ...diagnostics });
  }

  /** Probability that a customer with history (x, t_x, T) is still alive at T, in [0, 1]. */
  probabilityAlive(x: number, tx: number, T: number): number {
    checkHistory(x, tx, T);
    return probabilityAlive(this.params, x, tx, T);
  }

  /** Expected repeat purchases in the next t periods given (x, t_x, T): FHL 2005 eq. 10. */
  conditionalExpectedPurchases(t: number, x: number, tx: number, T: number): number {
    checkHistory(x, tx, T);
    checkHorizon(t);
    return conditionalExpectedPurchases(this.params, t, x, tx, T);
  }

  /** Expected repeat purchases in the first t periods of a new customer: FHL 2005 eq. 9. */
  expectedPurchases(t: number): number {
    checkHorizon(t);
    return expectedPurchases(this.params, t);
  }

  toJSON(): BgNbdJson {
    return { model: 'bg-nbd', version: 1, params: { ...this.params }, logLikelihood: this.logLikelihood, diagnostics: { ...this.diagnostics } };
  }

  /** @throws TypeError when `json` is not a version-1 BG/NBD model; RangeError on bad params. */
  static fromJSON(json: unknown): FittedBgNbd {
    const j = json as Partial<BgNbdJson> | null;
    if (j === null || typeof j !== 'object' || j.model !== 'bg-nbd' || j.version !== 1 || typeof j.params !== 'object' || j.params === null) {
      throw new TypeError('not a version-1 BG/NBD model');
    }
    const d = (j.diagnostics ?? {}) as Partial<FitDiagnostics>;
    return new FittedBgNbd(j.params, Number(j.logLikelihood), {
      converged: d.converged === true,
      iterations: Number(d.iterations ?? 0),
      evaluations: Number(d.evaluations ?? 0),
      customers: Number(d.customers ?? 0),
    });
  }
}

function checkHistory(x: number, tx: number, T: number): void {
  if (!(Number.isFinite(x) && Number.isFinite(tx) && Number.isFinite(T) && x >= 0 && tx >= 0 && tx <= T)) {
    throw new RangeError(`impossible history (x, t_x, T) = (${x}, ${tx}, ${T})`);
  }
}

function checkHorizon(t: number): void {
  if (!(Number.isFinite(t) && t >= 0)) throw new RangeError(`horizon must be finite and ≥ 0, got ${t}`);
}
