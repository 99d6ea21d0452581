/**
 * Where the demo's events come from: the project's synthetic generator (default) or a real
 * transaction file replayed as order + payment events. Either way the demo also gets what
 * actually happened in the holdout window, to score the predictions against.
 */
import { dayIndexOfDate, instantOfLocalTime } from '../../core/calendar.js';
import type { ProducerMessage } from '../../producers/publish-messages.js';
import { transactionEvents } from '../../producers/transaction-events.js';
import type { Transaction } from '../../producers/transaction-file.js';
import { generateSyntheticHistory, purchasesBetween } from '../../producers/synthetic/synthetic-history.js';

export interface DemoMessage extends ProducerMessage {
  deliveredAtMs: number;
}

export interface ActualPurchases {
  purchaseDays: number;
  valueMinor: number;
}

export interface DemoHistory {
  description: string;
  /** In delivery order. */
  messages: DemoMessage[];
  /** Last day of the calibration period (inclusive), day index. */
  calibrationEndDay: number;
  /** Last day of the holdout period (inclusive), day index. */
  holdoutEndDay: number;
  /** What a customer really bought on days in (fromDay, toDay]. */
  actual(customerId: string, fromDay: number, toDay: number): ActualPurchases;
  /** Invalid messages the generator injected (null for a file). */
  injectedDeadLetters: number | null;
}

export function syntheticDemoHistory(o: { customers: number; seed: number; currency: string; timeZone: string; minorPerUnit: number }): DemoHistory {
  const h = generateSyntheticHistory({
    customers: o.customers, seed: o.seed, currency: o.currency, timeZone: o.timeZone, minorPerMajor: o.minorPerUnit,
    start: '2023-01-01', end: '2025-06-30',
  });
  return {
    description: `synthetic history: ${o.customers.toLocaleString('en-US')} customers, 2023-01-01 to 2025-06-30, seed ${o.seed}`,
    messages: h.messages.map((m) => ('poison' in m ? { topic: m.topic, key: m.key, poison: m.poison, deliveredAtMs: m.deliveredAtMs } : m)),
    calibrationEndDay: dayIndexOfDate('2024-06-30'),
    holdoutEndDay: dayIndexOfDate('2025-06-30'),
    actual(customerId, fromDay, toDay) {
      const c = h.truth.byId.get(customerId);
      return c ? purchasesBetween(c, fromDay + 1, toDay + 1) : { purchaseDays: 0, valueMinor: 0 };
    },
    injectedDeadLetters: h.stats.deadLetters,
  };
}

export function fileDemoHistory(
  transactions: Transaction[],
  o: { source: string; currency: string; timeZone: string; calibrationEnd: string; holdoutEnd: string },
): DemoHistory {
  const noon = instantOfLocalTime(o.timeZone);
  const messages: DemoMessage[] = [];
  const days = new Map<string, Map<number, number>>();
  for (const t of transactions) {
    for (const m of transactionEvents(t, { currency: o.currency, source: o.source, timeOfDay: (d) => noon(d, 12) })) {
      messages.push({ ...m, deliveredAtMs: m.value.event_time });
    }
    let perDay = days.get(t.customerId);
    if (!perDay) days.set(t.customerId, (perDay = new Map()));
    perDay.set(t.day, (perDay.get(t.day) ?? 0) + t.amountMinor);
  }
  // A file is replayed in time order, as the shop would have emitted it.
  messages.sort((a, b) => a.deliveredAtMs - b.deliveredAtMs);
  return {
    description: `${o.source}: ${transactions.length.toLocaleString('en-US')} transactions of ${days.size.toLocaleString('en-US')} customers`,
    messages,
    calibrationEndDay: dayIndexOfDate(o.calibrationEnd),
    holdoutEndDay: dayIndexOfDate(o.holdoutEnd),
    actual(customerId, fromDay, toDay) {
      let purchaseDays = 0;
      let valueMinor = 0;
      for (const [day, value] of days.get(customerId) ?? []) {
        if (day > fromDay && day <= toDay) {
          purchaseDays++;
          valueMinor += value;
        }
      }
      return { purchaseDays, valueMinor };
    },
    injectedDeadLetters: null,
  };
}

