/**
 * The read model's in-process index over the score store: each customer's segment, and per
 * segment a sorted id set (for pages); for scored customers their CLV (for the distribution)
 * and recommended action (for the action summary). About 200 bytes per customer.
 */
import type { Action } from '../core/action-policy.js';
import { Segments, type Segment } from '../core/segmentation.js';
import type { CustomerScoreState } from '../processors/scoring/customer-scorer.js';
import { SortedKeySet } from './sorted-key-set.js';

export interface ScoredEntry {
  clvMinor: number;
  action: Action;
}

export class SegmentIndex {
  readonly segmentOf = new Map<string, Segment | null>();
  readonly members = new Map<Segment, SortedKeySet>(Segments.map((s) => [s, new SortedKeySet()]));
  /** CLV (minor units) and action of each scored customer. */
  readonly scored = new Map<string, ScoredEntry>();
  /** The latest as-of time of the scores written (a re-score sweep moves it too), epoch ms. */
  watermarkMs = -Infinity;

  /** `action`: the score's recommended action (the policy's for the segment when the score has no recommendation). */
  set(customerId: string, state: CustomerScoreState, action: Action | null): void {
    const { segment } = state;
    this.watermarkMs = Math.max(this.watermarkMs, state.asOfMs ?? state.features.event_time);
    if (segment && action) this.scored.set(customerId, { clvMinor: state.clvMinor, action });
    else this.scored.delete(customerId);
    const before = this.segmentOf.get(customerId);
    if (before === segment) return;
    if (before) this.members.get(before)!.delete(customerId);
    if (segment) this.members.get(segment)!.add(customerId);
    this.segmentOf.set(customerId, segment);
  }

  /** An erased customer leaves every set. */
  delete(customerId: string): void {
    const before = this.segmentOf.get(customerId);
    if (before) this.members.get(before)!.delete(customerId);
    this.segmentOf.delete(customerId);
    this.scored.delete(customerId);
  }
}
