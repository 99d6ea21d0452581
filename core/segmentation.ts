/**
 * Customer segments. Each segment is a box in (probability alive, CLV); the boxes tile the
 * plane, so every customer has exactly one. Thresholds come from training (CLV quantiles)
 * and are stored with the model version, so segments do not move between retrains.
 *
 * One-time buyers also lapse with silence alone (core/one-time-buyer-lapse.ts): BG/NBD keeps
 * their probability alive at 1, so without this a customer who bought once and never came
 * back would never leave the value segments.
 *
 * Hysteresis: a customer keeps the current segment while inside that segment's box widened
 * by `margin` (relative to each bound), so a score wobbling around a threshold does not
 * flap between segments.
 */

export const Segments = ['new', 'high_value', 'medium_value', 'low_value', 'at_risk', 'lost'] as const;
export type Segment = (typeof Segments)[number];

export interface SegmentThresholds {
  /** CLV at or above which a customer is high value (the training-time 80th percentile), minor units. */
  highClvMinor: number;
  /** CLV at or above which a customer is medium value (the training-time 50th percentile), minor units. */
  mediumClvMinor: number;
  /** Probability alive below which a customer is at risk. */
  atRiskPAlive: number;
  /** Probability alive below which a customer is considered lost. */
  lostPAlive: number;
  /** A one-time buyer whose first purchase is at most this many days old is new. */
  newCustomerDays: number;
  /**
   * A one-time buyer silent this many days since the purchase is at risk, and lost after
   * `oneTimeBuyerLostDays`; null for no lapse (the RFM rules, whose p_alive already falls
   * with a one-time buyer's silence).
   */
  oneTimeBuyerAtRiskDays: number | null;
  oneTimeBuyerLostDays: number | null;
}

export interface SegmentInput {
  clvMinor: number;
  pAlive: number;
  purchaseDays: number;
  /** Days since the first purchase, as of scoring. */
  ageDays: number;
}

interface Box {
  pAlive: [number, number];
  clv: [number, number];
}

function boxes(t: SegmentThresholds): Record<Exclude<Segment, 'new'>, Box> {
  return {
    lost: { pAlive: [-Infinity, t.lostPAlive], clv: [-Infinity, Infinity] },
    at_risk: { pAlive: [t.lostPAlive, t.atRiskPAlive], clv: [-Infinity, Infinity] },
    high_value: { pAlive: [t.atRiskPAlive, Infinity], clv: [t.highClvMinor, Infinity] },
    medium_value: { pAlive: [t.atRiskPAlive, Infinity], clv: [t.mediumClvMinor, t.highClvMinor] },
    low_value: { pAlive: [t.atRiskPAlive, Infinity], clv: [-Infinity, t.mediumClvMinor] },
  };
}

function isNew(s: SegmentInput, t: SegmentThresholds): boolean {
  return s.purchaseDays <= 1 && s.ageDays <= t.newCustomerDays;
}

function inBox(s: SegmentInput, box: Box, margin: number): boolean {
  return within(s.pAlive, box.pAlive, margin) && within(s.clvMinor, box.clv, margin);
}

/** lo ≤ v < hi, with both bounds moved outward by `margin` × |bound|. */
function within(v: number, [lo, hi]: [number, number], margin: number): boolean {
  const low = Number.isFinite(lo) ? lo - margin * Math.abs(lo) : lo;
  const high = Number.isFinite(hi) ? hi + margin * Math.abs(hi) : hi;
  return v >= low && v < high;
}

/**
 * The customer's segment. With `current` given, stays there while the customer is within
 * the margin of the current segment's box.
 */
export function assignSegment(s: SegmentInput, t: SegmentThresholds, current: Segment | null = null, margin = 0): Segment {
  if (isNew(s, t)) return 'new';
  const segment = modelSegment(s, t, current, margin);
  const lapse = oneTimeBuyerLapse(s, t);
  // The model's 'lost' is never softened to a lapse's 'at_risk'.
  return lapse === null || segment === 'lost' ? segment : lapse;
}

function modelSegment(s: SegmentInput, t: SegmentThresholds, current: Segment | null, margin: number): Segment {
  const all = boxes(t);
  if (current !== null && current !== 'new' && inBox(s, all[current], margin)) return current;
  for (const name of ['lost', 'at_risk', 'high_value', 'medium_value', 'low_value'] as const) {
    if (inBox(s, all[name], 0)) return name;
  }
  return 'low_value'; // unreachable: the boxes tile the plane (NaN excepted)
}

/**
 * 'lost' or 'at_risk' for a one-time buyer silent past the lapse, else null. No hysteresis:
 * a one-time buyer's silence only grows until the next purchase, which ends the lapse.
 */
export function oneTimeBuyerLapse(s: SegmentInput, t: SegmentThresholds): 'lost' | 'at_risk' | null {
  if (s.purchaseDays > 1) return null;
  if (t.oneTimeBuyerLostDays != null && s.ageDays >= t.oneTimeBuyerLostDays) return 'lost';
  if (t.oneTimeBuyerAtRiskDays != null && s.ageDays >= t.oneTimeBuyerAtRiskDays) return 'at_risk';
  return null;
}

