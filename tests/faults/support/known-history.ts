/**
 * The history the fault suite streams: CDNOW_sample (Fader, Hardie & Lee 2005) from
 * CLV_DATA_DIR/cdnow (default ../shared/data/cdnow) when it is there, else the project's
 * synthetic shop — which always exists, so the suite never has to skip. `source` says which.
 */
import { existsSync } from 'node:fs';
import { dayIndexer, instantOfLocalTime } from '../../../core/calendar.js';
import type { ProducerMessage } from '../../../producers/publish-messages.js';
import { generateSyntheticHistory } from '../../../producers/synthetic/synthetic-history.js';
import { transactionEvents } from '../../../producers/transaction-events.js';
import { readTransactionFile } from '../../../producers/transaction-file.js';
import { cdnowPath } from '../../support/cdnow.js';

export interface KnownHistory {
  /** What was streamed, for the report. */
  source: string;
  /** Order and payment messages, in the order they are published. */
  messages: ProducerMessage[];
  /**
   * The answer computed from the input alone, when the input gives one: each customer's
   * distinct purchase days and total value (minor units). CDNOW only (the synthetic shop
   * cancels, refunds and fails payments, so its answer is the fault-free run's).
   */
  fileAnswer: Map<string, { days: number; valueMinor: number }> | null;
}

export function knownHistory(): KnownHistory {
  const sample = cdnowPath('CDNOW_sample.txt');
  if (existsSync(sample)) {
    const transactions = readTransactionFile(sample, { format: 'cdnow', minorPerUnit: 100, dayOf: dayIndexer('UTC') });
    const noon = instantOfLocalTime('UTC');
    const messages = transactions
      .flatMap((t) => transactionEvents(t, { currency: 'USD', source: 'sample', timeOfDay: (d) => noon(d, 12) }))
      .sort((a, b) => a.value.event_time - b.value.event_time);
    const days = new Map<string, Map<number, number>>();
    for (const t of transactions) {
      const d = days.get(t.customerId) ?? new Map<number, number>();
      d.set(t.day, (d.get(t.day) ?? 0) + t.amountMinor);
      days.set(t.customerId, d);
    }
    const fileAnswer = new Map([...days].map(([id, d]) => [id, { days: d.size, valueMinor: [...d.values()].reduce((a, b) => a + b, 0) }]));
    return { source: `CDNOW_sample (${sample}: ${transactions.length} transactions, ${days.size} customers)`, messages, fileAnswer };
  }
  const customers = 2000;
  const shop = generateSyntheticHistory({ customers, seed: 13, start: '2023-01-01', end: '2024-06-30' });
  return { source: `the synthetic shop (${customers} customers, seed 13, 2023-01-01..2024-06-30; no CDNOW_sample at ${sample})`, messages: shop.messages, fileAnswer: null };
}
