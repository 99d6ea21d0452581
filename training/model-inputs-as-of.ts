/**
 * What training reads of what the stream has built: every customer's purchase history (the
 * feature store) summarised as of `asOfMs`. Histories keep each purchase day, so any past
 * calibration end can be reconstructed (exactly at a day's end; a compacted day counts whole
 * or not at all, see purchase-history-compaction.ts); refunds are applied as known now.
 */
import type { DayIndexer } from '../core/calendar.js';
import type { StateStore } from '../core/ports/state-store.js';
import { summarizePurchaseDays, toModelInput, type ModelInput } from '../core/repeat-purchase-summary.js';
import { forEachActivePurchase, type CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';

/** Customer ids and model inputs as of `asOfMs`: customers with a purchase by then. */
export async function modelInputsAsOf(
  histories: StateStore<CustomerPurchaseHistory>,
  asOfMs: number,
  periodDays: number,
  dayOf: DayIndexer,
  minorPerUnit: number,
): Promise<{ ids: string[]; inputs: ModelInput[] }> {
  const asOfDay = dayOf(asOfMs);
  const ids: string[] = [];
  const inputs: ModelInput[] = [];
  for await (const page of histories.scan(10_000)) {
    for (const [id, history] of page) {
      const days = new Map<number, number>();
      forEachActivePurchase(history, (day, time, net) => {
        if (time <= asOfMs) days.set(day, (days.get(day) ?? 0) + net);
      });
      const summary = summarizePurchaseDays(days);
      if (summary === null) continue;
      ids.push(id);
      inputs.push(toModelInput(summary, asOfDay, periodDays, minorPerUnit));
    }
  }
  return { ids, inputs };
}

