/**
 * When a one-time buyer counts as at risk, then lost.
 *
 * BG/NBD cannot say: a customer drops out only right after a repeat purchase (Fader, Hardie
 * & Lee 2005, §3), so P(alive | x = 0) = 1 at any age, and a one-time buyer's silence is
 * read as a slow purchase rate, never as churn. The silence itself is informative, though:
 * the shop's own customers show how long a returning customer takes to come back. A one-time
 * buyer silent longer than most returners' first gap has probably gone.
 *
 * So the lapse is learned from the data at training time and stored with the model's
 * segment thresholds: at risk after the `AT_RISK_QUANTILE` of the gaps between first and
 * second purchase day, lost after the `LOST_QUANTILE`. Right censoring would bias the gaps
 * short (a customer acquired last week can only show a gap under a week), so only customers
 * acquired at least `window` days before the as-of count, and only gaps within that window:
 * every counted customer had the same `window` days to come back. The window is half the
 * history, at most two years.
 */
import { nearestRankQuantile } from './nearest-rank-quantile.js';

/** Days of silence after which a one-time buyer is at risk, then lost. */
export interface OneTimeBuyerLapse {
  atRiskDays: number;
  lostDays: number;
  /** Where the days come from: learned from return gaps, set in config, or the rules' default. */
  source: 'return-gaps' | 'config' | 'rules';
  /** Return gaps the learned days rest on (0 unless learned). */
  returnGaps: number;
}

export const AT_RISK_QUANTILE = 0.8;
export const LOST_QUANTILE = 0.95;
/** The gap the RFM rules expect a one-time buyer to come back within, days. */
export const ONE_TIME_BUYER_EXPECTED_GAP_DAYS = 90;
/** Fewer observed returns than this and the quantiles are noise: the rules' lapse is used. */
export const MIN_RETURN_GAPS = 30;
const MAX_WINDOW_DAYS = 730;

/**
 * The lapse of the RFM rules (models/kinds/rfm-rule-model.ts): p_alive = exp(−(s − g)/g)
 * after a silence s past the expected gap g, so p_alive falls below p at s = g (1 + ln(1/p)).
 */
export function rulesLapse(expectedGapDays: number, atRiskPAlive: number, lostPAlive: number): OneTimeBuyerLapse {
  const at = (p: number) => Math.round(expectedGapDays * (1 + Math.log(1 / Math.max(p, 1e-9))));
  const atRiskDays = at(atRiskPAlive);
  return { atRiskDays, lostDays: Math.max(atRiskDays + 1, at(lostPAlive)), source: 'rules', returnGaps: 0 };
}

/** Collects each customer's first and second purchase days, then learns the lapse. */
export class ReturnGapSample {
  private readonly firstDays: number[] = [];
  private readonly gaps: number[] = [];

  /** A customer's first purchase day and second purchase day (null for a one-time buyer). */
  add(firstDay: number, secondDay: number | null): void {
    this.firstDays.push(firstDay);
    this.gaps.push(secondDay === null ? Infinity : secondDay - firstDay);
  }

  /** The learned lapse as of `asOfDay`, or `fallback` with too few returns to learn from. */
  lapse(asOfDay: number, fallback: OneTimeBuyerLapse): OneTimeBuyerLapse {
    let earliest = Infinity;
    for (const d of this.firstDays) if (d < earliest) earliest = d;
    const window = Math.min(MAX_WINDOW_DAYS, Math.floor((asOfDay - earliest) / 2));
    if (!(window >= 1)) return fallback;
    const counted: number[] = [];
    for (let i = 0; i < this.firstDays.length; i++) {
      if (this.firstDays[i] <= asOfDay - window && this.gaps[i] <= window) counted.push(this.gaps[i]);
    }
    if (counted.length < MIN_RETURN_GAPS) return fallback;
    counted.sort((a, b) => a - b);
    const atRiskDays = Math.max(1, nearestRankQuantile(counted, AT_RISK_QUANTILE));
    const lostDays = Math.max(atRiskDays + 1, nearestRankQuantile(counted, LOST_QUANTILE));
    return { atRiskDays, lostDays, source: 'return-gaps', returnGaps: counted.length };
  }
}


/** CLV_ONE_TIME_BUYER_AT_RISK_DAYS / _LOST_DAYS: 0 leaves the day to be learned. */
export interface LapseOverrides {
  atRiskDays: number;
  lostDays: number;
}

/** The learned lapse with the configured days in its place; lost stays after at risk. */
export function withOverrides(learned: OneTimeBuyerLapse, o: LapseOverrides): OneTimeBuyerLapse {
  if (o.atRiskDays === 0 && o.lostDays === 0) return learned;
  const atRiskDays = o.atRiskDays || Math.min(learned.atRiskDays, o.lostDays - 1);
  const lostDays = o.lostDays || Math.max(learned.lostDays, atRiskDays + 1);
  return { atRiskDays, lostDays, source: 'config', returnGaps: learned.returnGaps };
}
