/**
 * BG/NBD log-likelihood (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way",
 * Marketing Science 24(2), eq. 6, in the log form of their §7 / Hardie's note 004) as a pure
 * function of the log-parameters θ = (ln r, ln α, ln a, ln b), with its analytic gradient.
 *
 * Per customer, ln L = A1 + A2 + ln(e^A3 + δ_{x>0} e^A4):
 *   A1 = ln Γ(r+x) − ln Γ(r) + r ln α
 *   A2 = ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x)
 *   A3 = −(r+x) ln(α+T)
 *   A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x)
 * The sum of exponentials uses the max trick, ln(e^A3 + e^A4) = M + ln(1 + e^(−|A3−A4|)),
 * as lifetimes does, so customers with x in the hundreds do not underflow.
 *
 * A1, A2 and their digamma derivatives depend on x only, so they are computed once per
 * distinct x (a few dozen) rather than per row; ln(α+T) and ln(α+t_x) (with their
 * reciprocals, for the gradient) once per distinct T and t_x: these are day counts over
 * the history, hundreds or a few thousand values, against up to a million rows. The row
 * loop is then one exp and one log1p for a repeat customer and a few multiply-adds for the
 * others. The value is the same to the last bit; the gradient multiplies by 1/(α+T)
 * where it divided, a difference of at most an ulp per term.
 * They are ratios Γ(y+x)/Γ(y) and differences ψ(y+x) − ψ(y), evaluated as such
 * (gamma-function.ts) so they keep their digits when a and b run off to 1e9.
 */

import { digammaDifference, logGammaRatio } from '../special-functions/gamma-function.js';
import { weightsOf, type RfmColumns } from '../rfm-columns.js';

/** RfmColumns plus the distinct-x index the likelihood uses; build once per fit. */
export interface BgNbdLikelihoodData extends RfmColumns {
  /** Row weights (ones when the columns had none). */
  readonly weight: Float64Array;
  /** Row → index into distinctX. */
  readonly xSlot: Int32Array;
  readonly distinctX: Float64Array;
  /** Total weight of the rows of each distinct x. */
  readonly slotWeight: Float64Array;
  /** Row → index into distinctT; row → index into distinctRecency. */
  readonly tSlot: Int32Array;
  readonly distinctT: Float64Array;
  readonly recencySlot: Int32Array;
  readonly distinctRecency: Float64Array;
}

/**
 * Indexes the distinct frequencies, T and t_x of `data` for {@link bgNbdNegativeLogLikelihood}.
 * @throws RangeError when column lengths differ or a weight is not positive.
 */
export function bgNbdLikelihoodData(data: RfmColumns): BgNbdLikelihoodData {
  const weight = weightsOf(data);
  const x = indexDistinct(data.frequency);
  const slotWeight = new Float64Array(x.distinct.length);
  for (let i = 0; i < weight.length; i++) slotWeight[x.slot[i]] += weight[i];
  const t = indexDistinct(data.T);
  const recency = indexDistinct(data.recency);
  return {
    ...data, weight, xSlot: x.slot, distinctX: x.distinct, slotWeight,
    tSlot: t.slot, distinctT: t.distinct, recencySlot: recency.slot, distinctRecency: recency.distinct,
  };
}

/** Each value's index into the column's distinct values (in order of first appearance). */
function indexDistinct(column: Float64Array): { slot: Int32Array; distinct: Float64Array } {
  const slots = new Map<number, number>();
  const slot = new Int32Array(column.length);
  const distinct: number[] = [];
  for (let i = 0; i < column.length; i++) {
    const v = column[i];
    let k = slots.get(v);
    if (k === undefined) {
      k = distinct.length;
      slots.set(v, k);
      distinct.push(v);
    }
    slot[i] = k;
  }
  return { slot, distinct: Float64Array.from(distinct) };
}

/** ln(α + v) and 1/(α + v) for each distinct value v. */
function logsAndReciprocals(alpha: number, distinct: Float64Array): { log: Float64Array; reciprocal: Float64Array } {
  const log = new Float64Array(distinct.length);
  const reciprocal = new Float64Array(distinct.length);
  for (let k = 0; k < distinct.length; k++) {
    log[k] = Math.log(alpha + distinct[k]);
    reciprocal[k] = 1 / (alpha + distinct[k]);
  }
  return { log, reciprocal };
}

/**
 * −Σ weight · ln L(r, α, a, b | x, t_x, T) at θ = (ln r, ln α, ln a, ln b). When `gradient`
 * is given, it receives ∂/∂θ of that value (chain rule: ∂/∂ln p = p ∂/∂p).
 */
export function bgNbdNegativeLogLikelihood(logParams: ArrayLike<number>, data: BgNbdLikelihoodData, gradient: Float64Array | null = null): number {
  const r = Math.exp(logParams[0]);
  const alpha = Math.exp(logParams[1]);
  const a = Math.exp(logParams[2]);
  const b = Math.exp(logParams[3]);
  const slots = data.distinctX.length;
  // Per distinct x: A1 + A2, and ln a − ln(b+x−1) of A4.
  const base = new Float64Array(slots);
  const logA4Constant = new Float64Array(slots);
  const lnAlpha = Math.log(alpha);
  let dR = 0;
  let dAlpha = 0;
  let dA = 0;
  let dB = 0;
  for (let k = 0; k < slots; k++) {
    const x = data.distinctX[k];
    // A1 + A2 as ratios ln Γ(y+x) − ln Γ(y): differences of ln Γ at a + b ~ 1e9 (a runaway
    // fit) would leave ~1e-6 of noise, more than the optimiser's tolerance.
    base[k] = logGammaRatio(r, x) + r * lnAlpha + logGammaRatio(b, x) - logGammaRatio(a + b, x);
    logA4Constant[k] = x > 0 ? Math.log(a) - Math.log(b + x - 1) : 0;
    if (gradient) {
      const w = data.slotWeight[k];
      const psiABX = digammaDifference(a + b, x); // ψ(a+b+x) − ψ(a+b)
      dR += w * (digammaDifference(r, x) + lnAlpha);
      dAlpha += (w * r) / alpha;
      dA -= w * psiABX;
      dB += w * (digammaDifference(b, x) - psiABX);
    }
  }

  const { frequency, weight, xSlot, tSlot, recencySlot } = data;
  const atT = logsAndReciprocals(alpha, data.distinctT);
  const atRecency = logsAndReciprocals(alpha, data.distinctRecency);
  const logT = atT.log;
  const inverseT = atT.reciprocal;
  const logRecency = atRecency.log;
  const inverseRecency = atRecency.reciprocal;
  let ll = 0;
  for (let i = 0; i < frequency.length; i++) {
    const x = frequency[i];
    const w = weight[i];
    const k = xSlot[i];
    const rx = r + x;
    const lnAlphaT = logT[tSlot[i]];
    const a3 = -rx * lnAlphaT;
    if (x === 0) {
      ll += w * (base[k] + a3);
      if (gradient) {
        dR -= w * lnAlphaT;
        dAlpha -= w * rx * inverseT[tSlot[i]];
      }
      continue;
    }
    const lnAlphaTx = logRecency[recencySlot[i]];
    const a4 = logA4Constant[k] - rx * lnAlphaTx;
    // Max trick: ln(e^a3 + e^a4) = max + ln(1 + e^−|a3−a4|).
    const gap = a3 - a4;
    const tail = Math.exp(-Math.abs(gap));
    ll += w * (base[k] + Math.max(a3, a4) + Math.log1p(tail));
    if (gradient) {
      // Weights of the two terms in the log-sum-exp: π4 = e^a4 / (e^a3 + e^a4).
      const p4 = gap > 0 ? tail / (1 + tail) : 1 / (1 + tail);
      const p3 = gap > 0 ? 1 / (1 + tail) : tail / (1 + tail);
      dR -= w * (p3 * lnAlphaT + p4 * lnAlphaTx);
      dAlpha -= w * rx * (p3 * inverseT[tSlot[i]] + p4 * inverseRecency[recencySlot[i]]);
      dA += (w * p4) / a;
      dB -= (w * p4) / (b + x - 1);
    }
  }
  if (gradient) {
    gradient[0] = -r * dR;
    gradient[1] = -alpha * dAlpha;
    gradient[2] = -a * dA;
    gradient[3] = -b * dB;
  }
  return -ll;
}
