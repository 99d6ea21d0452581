/**
 * The two time series the in-memory read model keeps for the dashboard, both bounded.
 *
 * - SegmentHistory: segment sizes as event time advances. Snapshots are kept at least
 *   `spacingMs` apart, plus a live last one that follows every write, so the series always
 *   ends at the current sizes. When full, every other snapshot is dropped and the spacing
 *   doubles: the series keeps spanning the whole history at a coarser step, in O(capacity).
 * - revenueByHour: net revenue of active orders per UTC hour of the order time, from a scan
 *   of the purchase histories. Hours, not days: a period boundary of any time zone falls
 *   on an hour (the half-hour zones aside), so calendar periods (core/calendar-periods.ts)
 *   are summed exactly from them. A compacted day (older than a customer's detail window) is
 *   all in the hour of its first order: exact for periods of whole days in the shop's time zone.
 */
import type { PeriodRange, RevenueActuals, RevenueSpan, SegmentSnapshot } from '../core/ports/clv-read-model.js';
import type { StateStore } from '../core/ports/state-store.js';
import { forEachActivePurchase, type CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';

const MS_PER_HOUR = 3_600_000;

export class SegmentHistory {
  private closed: SegmentSnapshot[] = [];
  private live: SegmentSnapshot | null = null;

  constructor(private readonly capacity = 500, private spacingMs = MS_PER_HOUR) {
    if (capacity < 2) throw new RangeError('capacity must be at least 2');
  }

  record(snapshot: SegmentSnapshot): void {
    const last = this.closed.at(-1);
    if (last && snapshot.atMs < last.atMs + this.spacingMs) {
      // Event time has not moved: the sizes as of that time are still being filled in.
      if (snapshot.atMs === last.atMs) this.closed[this.closed.length - 1] = snapshot;
      else this.live = snapshot;
      return;
    }
    this.closed.push(snapshot);
    this.live = null;
    if (this.closed.length > this.capacity) {
      // Keep the newest and every other one before it.
      const keep = (this.closed.length - 1) % 2;
      this.closed = this.closed.filter((_, i) => i % 2 === keep);
      this.spacingMs *= 2;
    }
  }

  /** Oldest first; copies. */
  snapshots(): SegmentSnapshot[] {
    return this.live ? [...this.closed, this.live] : [...this.closed];
  }
}

/** Hour index (since the epoch, UTC) → net revenue of the active orders placed in it, minor units. */
export async function revenueByHour(histories: StateStore<CustomerPurchaseHistory>): Promise<Map<number, number>> {
  const hours = new Map<number, number>();
  for await (const page of histories.scan(10_000)) {
    for (const [, history] of page) {
      forEachActivePurchase(history, (_day, time, net) => {
        const h = Math.floor(time / MS_PER_HOUR);
        hours.set(h, (hours.get(h) ?? 0) + net);
      });
    }
  }
  return hours;
}

/** Sums hourly revenue into the periods of `range` (an hour in no period is left out). */
export function revenueOfPeriods(hours: ReadonlyMap<number, number>, range: PeriodRange): RevenueActuals {
  const b = range.boundariesMs;
  const sums = new Array<number>(Math.max(0, b.length - 1)).fill(0);
  let latest: number | null = null;
  for (const [h, net] of hours) {
    const at = h * MS_PER_HOUR;
    latest = latest === null ? at : Math.max(latest, at);
    if (sums.length === 0 || at < b[0] || at >= b.at(-1)!) continue;
    // The last boundary at or before `at`: periods are few (≤ a few thousand), hours many.
    let lo = 0;
    let hi = b.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (b[mid] <= at) lo = mid;
      else hi = mid;
    }
    sums[lo] += net;
  }
  return {
    points: sums.map((actualMinor, i) => ({ periodStartMs: b[i], actualMinor })),
    latestHourMs: latest,
  };
}

/** The first and the latest hour with an order; null without any. */
export function revenueSpanOf(hours: ReadonlyMap<number, number>): RevenueSpan | null {
  let first = Infinity;
  let latest = -Infinity;
  for (const h of hours.keys()) {
    first = Math.min(first, h);
    latest = Math.max(latest, h);
  }
  return hours.size === 0 ? null : { firstHourMs: first * MS_PER_HOUR, latestHourMs: latest * MS_PER_HOUR };
}
