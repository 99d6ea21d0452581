/**
 * Whether the segments meant something: for the customers in each segment at the calibration
 * end, the share who bought again in the holdout and what they spent on average. A working
 * segmentation orders them: high value spends most, at-risk customers come back less than the
 * value segments, lost ones least (one-time buyers get there by silence, core/one-time-buyer-lapse.ts).
 * Pure: (segments, what each customer did in the holdout) → one row per segment.
 */
import { Segments, type Segment } from '../core/segmentation.js';

export interface SegmentHoldoutOutcome {
  segment: Segment;
  customers: number;
  /** Share of the segment's customers with a purchase day in the holdout. */
  returnedShare: number;
  /** Mean holdout value per customer of the segment, minor units. */
  meanValueMinor: number;
}

export function segmentHoldoutOutcomes(
  segments: ReadonlyMap<string, Segment | null>,
  holdout: (customerId: string) => { purchaseDays: number; valueMinor: number },
): SegmentHoldoutOutcome[] {
  const tally = new Map<Segment, { customers: number; returned: number; valueMinor: number }>();
  for (const [id, segment] of segments) {
    if (segment === null) continue;
    const t = tally.get(segment) ?? { customers: 0, returned: 0, valueMinor: 0 };
    const h = holdout(id);
    t.customers++;
    if (h.purchaseDays > 0) t.returned++;
    t.valueMinor += h.valueMinor;
    tally.set(segment, t);
  }
  return Segments.filter((s) => tally.has(s)).map((segment) => {
    const t = tally.get(segment)!;
    return { segment, customers: t.customers, returnedShare: t.returned / t.customers, meanValueMinor: t.valueMinor / t.customers };
  });
}
