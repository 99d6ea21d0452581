/**
 * Fitting the Gamma-Gamma spend model (Fader & Hardie 2013, "The Gamma-Gamma Model of
 * Monetary Value"; Fader, Hardie & Lee 2005b, "RFM and CLV", JMR 42(4)) by maximum
 * likelihood, and the fitted model. Transaction values are gamma(p, ν) around a customer's
 * mean, ν ~ gamma(q, γ) across customers; so the population mean spend is pγ/(q−1).
 *
 * Fit only on repeat customers with a positive mean repeat value (see spendColumns): the
 * papers' convention, under which CDNOW gives p = 6.25, q = 3.74, γ = 15.44.
 */

import { ClvError, ErrorCodes } from '../../core/errors.js';
import type { FitDiagnostics } from '../bgnbd/bgnbd.js';
import { gammaGammaNegativeLogLikelihood } from './gamma-gamma-likelihood.js';
import { minimize } from '../optimize/minimize.js';
import { totalWeight, weightsOf, type SpendColumns } from '../rfm-columns.js';

/** Gamma-Gamma parameters. */
export interface GammaGammaParams {
  /** Shape of a transaction's value around the customer mean (> 0). */
  readonly p: number;
  /** Shape of the across-customer gamma of ν (> 1 for a finite mean spend). */
  readonly q: number;
  /** Scale of that gamma, currency units (> 0). */
  readonly gamma: number;
}

/** Options of {@link fitGammaGamma}. */
export interface GammaGammaFitOptions {
  /** L2 penalty on the parameters, as lifetimes' penalizer_coef (default 0). */
  penalizerCoef?: number;
}

/** Serialised form of a fitted Gamma-Gamma model. */
export interface GammaGammaJson {
  model: 'gamma-gamma';
  version: 1;
  params: GammaGammaParams;
  logLikelihood: number;
  diagnostics: FitDiagnostics;
}

/**
 * Fits Gamma-Gamma to (x, m̄_x) columns.
 * @throws ClvError INSUFFICIENT_DATA with no repeat customer, or when the fit gives q ≤ 1
 *   (an infinite mean spend: such data cannot support a CLV).
 */
export function fitGammaGamma(data: SpendColumns, options: GammaGammaFitOptions = {}): FittedGammaGamma {
  const penalizer = options.penalizerCoef ?? 0;
  if (!(penalizer >= 0)) throw new RangeError(`penalizerCoef must be ≥ 0, got ${penalizer}`);
  data = { ...data, weight: weightsOf(data) };
  const customers = totalWeight(data);
  if (!(customers > 0)) throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, 'Gamma-Gamma: no repeat customer with a positive spend');
  let sumM = 0;
  for (let i = 0; i < data.frequency.length; i++) {
    const m = data.monetaryValue[i];
    if (!(data.frequency[i] > 0 && m > 0 && m < Infinity)) throw new RangeError(`row ${i}: Gamma-Gamma needs x > 0 and a finite mean value > 0`);
    sumM += (data.weight as Float64Array)[i] * m;
  }
  const meanM = sumM / customers;
  const objective = (theta: Float64Array, gradient: Float64Array | null): number => {
    const value = gammaGammaNegativeLogLikelihood(theta, data, gradient) / customers;
    let penalty = 0;
    for (let j = 0; j < 3; j++) {
      const v = Math.exp(theta[j]);
      penalty += v * v;
      if (gradient) gradient[j] = gradient[j] / customers + 2 * penalizer * v * v;
    }
    return value + penalizer * penalty;
  };
  // pγ/(q−1) is the population mean: start from shapes with that mean equal to the data's.
  const starts = [
    [1, 2],
    [5, 4],
    [0.5, 10],
  ].map(([p, q]) => [Math.log(p), Math.log(q), Math.log((meanM * (q - 1)) / p)]);
  const result = minimize(objective, starts);
  const params = { p: Math.exp(result.x[0]), q: Math.exp(result.x[1]), gamma: Math.exp(result.x[2]) };
  if (!(params.q > 1)) {
    throw new ClvError(ErrorCodes.INSUFFICIENT_DATA, `Gamma-Gamma: fitted q = ${params.q} ≤ 1 means an infinite mean spend`);
  }
  return new FittedGammaGamma(params, -gammaGammaNegativeLogLikelihood(result.x, data), {
    converged: result.converged,
    iterations: result.iterations,
    evaluations: result.evaluations,
    customers,
  });
}

/** A fitted Gamma-Gamma model. Values in the currency units it was fitted on. */
export class FittedGammaGamma {
  readonly params: Readonly<GammaGammaParams>;
  /** Log-likelihood of the fitting data at `params` (without the penalty). */
  readonly logLikelihood: number;
  readonly diagnostics: Readonly<FitDiagnostics>;

  /** @throws RangeError unless p, γ are finite and > 0 and q is finite and > 1. */
  constructor(params: GammaGammaParams, logLikelihood: number, diagnostics: FitDiagnostics) {
    for (const key of ['p', 'q', 'gamma'] as const) {
      const v = params[key];
      if (!(typeof v === 'number' && Number.isFinite(v) && v > (key === 'q' ? 1 : 0))) {
        throw new RangeError(`Gamma-Gamma parameter ${key} must be finite and > ${key === 'q' ? 1 : 0}, got ${v}`);
      }
    }
    this.params = Object.freeze({ p: params.p, q: params.q, gamma: params.gamma });
    this.logLikelihood = logLikelihood;
    this.diagnostics = Object.freeze({ ...diagnostics });
  }

  /** Population mean value of a transaction, E(Z) = pγ/(q−1), currency units. */
  get populationMeanValue(): number {
    const { p, q, gamma } = this.params;
    return (p * gamma) / (q - 1);
  }

  /**
   * E(Z | x, m̄_x) = p(γ + x m̄_x)/(px + q − 1), Fader & Hardie 2013 eq. 5: a weighted mean of
   * the population mean and the customer's own mean. For x = 0 it is the population mean.
   * @param x repeat transactions; @param mx their mean value (ignored when x = 0).
   */
  conditionalExpectedAverageValue(x: number, mx: number): number {
    if (!(Number.isFinite(x) && x >= 0 && Number.isFinite(mx) && mx >= 0)) {
      throw new RangeError(`impossible (x, mean value) = (${x}, ${mx})`);
    }
    const { p, q, gamma } = this.params;
    return x === 0 ? this.populationMeanValue : (p * (gamma + x * mx)) / (p * x + q - 1);
  }

  toJSON(): GammaGammaJson {
    return { model: 'gamma-gamma', version: 1, params: { ...this.params }, logLikelihood: this.logLikelihood, diagnostics: { ...this.diagnostics } };
  }

  /** @throws TypeError when `json` is not a version-1 Gamma-Gamma model; RangeError on bad params. */
  static fromJSON(json: unknown): FittedGammaGamma {
    const j = json as Partial<GammaGammaJson> | null;
    if (j === null || typeof j !== 'object' || j.model !== 'gamma-gamma' || j.version !== 1 || typeof j.params !== 'object' || j.params === null) {
      throw new TypeError('not a version-1 Gamma-Gamma model');
    }
    const d = (j.diagnostics ?? {}) as Partial<FitDiagnostics>;
    return new FittedGammaGamma(j.params, Number(j.logLikelihood), {
      converged: d.converged === true,
      iterations: Number(d.iterations ?? 0),
      evaluations: Number(d.evaluations ?? 0),
      customers: Number(d.customers ?? 0),
    });
  }
}
