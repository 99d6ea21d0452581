/**
 * The heterogeneous customer base: when each customer is acquired and their latent traits.
 * Following the BG/NBD story (Fader, Hardie & Lee 2005, §3) each customer has a purchase rate
 * λ ~ Gamma(r, α) and a dropout probability p ~ Beta(a, b); following Gamma-Gamma (Fader &
 * Hardie 2013, eq. 1–2) a spend scale ν ~ Gamma(q, γ), so that each transaction's value is
 * z ~ Gamma(p, ν) with mean p/ν. Traits are drawn from the customer's own random stream.
 */
import { MS_PER_DAY } from '../../core/calendar.js';
import { CATEGORY_POPULARITY } from './catalogue.js';
import { cumulative, beta, gamma, logNormal, pickCumulative } from './distributions.js';
import type { HistoryCalendar } from './history-calendar.js';
import type { AcquisitionOptions, BgNbdParams, GammaGammaParams } from './options.js';
import type { Rng } from './prng.js';

export interface LatentCustomer {
  /** 0-based position in the population. */
  index: number;
  /** `C000123` (index + 1, at least six digits). */
  customerId: string;
  /** Local day (0 = first day of the history) of the first purchase. */
  birthDayOffset: number;
  /** Uniform position within that day, [0, 1); the caller shapes it into a time of day. */
  birthFraction: number;
  /** Purchase rate, per week. */
  lambdaPerWeek: number;
  /** Probability of becoming inactive after each repeat purchase. */
  dropoutProbability: number;
  /** Gamma-Gamma rate ν: transaction values are Gamma(p, ν) in major units. */
  spendNu: number;
  /** Index into CATALOGUE of the category this customer buys most. */
  favouriteCategory: number;
}

export function customerIdOf(index: number): string {
  return `C${String(index + 1).padStart(6, '0')}`;
}

/**
 * Relative number of first purchases per day: the seasonal shape (shoppers arrive when
 * shopping peaks) × a linear growth ramp × one log-normal cohort multiplier per calendar
 * month (mean 1), which makes some monthly cohorts visibly larger, as campaigns do.
 */
export function acquisitionWeights(calendar: HistoryCalendar, seasonal: Float64Array, o: AcquisitionOptions, rng: Rng): Float64Array {
  const weights = new Float64Array(calendar.days);
  const sigma = o.cohortVariation;
  let month = -1;
  let boost = 1;
  for (let i = 0; i < calendar.days; i++) {
    const date = new Date((calendar.startDay + i) * MS_PER_DAY);
    const m = date.getUTCFullYear() * 12 + date.getUTCMonth();
    if (m !== month) {
      month = m;
      boost = logNormal(rng, (-sigma * sigma) / 2, sigma);
    }
    const ramp = calendar.days > 1 ? 1 + ((o.growth - 1) * i) / (calendar.days - 1) : 1;
    weights[i] = seasonal[i] * ramp * boost;
  }
  return weights;
}

export interface PopulationModel {
  bgnbd: BgNbdParams;
  gammaGamma: GammaGammaParams;
  /** Running sums of `acquisitionWeights`. */
  acquisitionCum: Float64Array;
}

const categoryCum = cumulative(CATEGORY_POPULARITY);

/**
 * Draws customer `index`'s traits from `rng` (its own stream). Draw order is fixed: birth,
 * λ, p, ν, favourite — the caller continues with the same stream for the purchase times.
 */
export function drawCustomer(rng: Rng, index: number, m: PopulationModel): LatentCustomer {
  const birthDayOffset = pickCumulative(rng, m.acquisitionCum);
  const birthFraction = rng();
  return {
    index,
    customerId: customerIdOf(index),
    birthDayOffset,
    birthFraction,
    lambdaPerWeek: gamma(rng, m.bgnbd.r, m.bgnbd.alpha),
    dropoutProbability: beta(rng, m.bgnbd.a, m.bgnbd.b),
    spendNu: gamma(rng, m.gammaGamma.q, m.gammaGamma.gamma),
    favouriteCategory: pickCumulative(rng, categoryCum),
  };
}

