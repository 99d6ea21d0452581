/**
 * Bounded purchase histories: ten years of a loyal customer's orders (tests/support/long-purchase-history.ts)
 * folded by the features processor stay under a stated size, and everything read from the
 * history — the features event (hence the score), training's model inputs and holdout split
 * as of any day's end, the one-time-buyer return gaps, the sequence model's period spend, the
 * revenue series — is the same as from the unbounded history that keeps every order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import { dayIndexer, MS_PER_DAY } from '../core/calendar.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import type { PurchaseEvent } from '../core/events.js';
import { ReturnGapSample } from '../core/one-time-buyer-lapse.js';
import { emptySegmentRevenueTally, tallySegmentRevenue } from '../forecasting/segment-revenue-series.js';
import { rfmRuleModelFrom } from '../models/kinds/rfm-rule-model.js';
import { applyPurchase, periodSpend, type CustomerPurchaseHistory } from '../processors/features/customer-purchase-history.js';
import { featuresProcessor } from '../processors/features/features-processor.js';
import { addFirstTwoPurchaseDays } from '../processors/features/one-time-buyer-lapse-as-of.js';
import { scoringProcessor } from '../processors/scoring/scoring-processor.js';
import { revenueByHour } from '../read-model/read-model-series.js';
import { modelInputsAsOf } from '../training/model-inputs-as-of.js';
import { readTrainingData } from '../training/training-data.js';
import { loadConfig } from '../config/config.js';
import { defaultPolicy } from './support/embedded-pipeline.js';
import { LONG_HISTORY_FIRST_DAY, longPurchaseHistory } from './support/long-purchase-history.js';

const utc = dayIndexer('UTC');
/** The stated bound: ten years of purchases every third day fit in this much JSON (Redis stores the JSON plus a few bytes). */
const MAX_HISTORY_BYTES = 64 * 1024;

const long = longPurchaseHistory();
let folded: CustomerPurchaseHistory | undefined;
for (const p of long.purchases) folded = applyPurchase(folded, p, utc).history;
const bounded = folded as CustomerPurchaseHistory;
const unbounded = long.everyOrder;
const endOfDay = (day: number) => (day + 1) * MS_PER_DAY - 1;
const lastDay = utc(long.lastOrderMs);

test(`a ten-year history (${long.purchases.length} purchase events) stays under ${MAX_HISTORY_BYTES / 1024} KiB`, (t) => {
  const boundedBytes = Buffer.byteLength(JSON.stringify(bounded));
  const unboundedBytes = Buffer.byteLength(JSON.stringify(unbounded));
  t.diagnostic(`history JSON: ${boundedBytes} B kept, ${unboundedBytes} B with every order (${unbounded.orders.length} orders)`);
  assert.ok(boundedBytes <= MAX_HISTORY_BYTES, `${boundedBytes} B > ${MAX_HISTORY_BYTES} B`);
});

test('the features event (and so the score) is the same as from the history that keeps every order', () => {
  const features = featuresProcessor(utc);
  for (const asOfMs of [long.lastOrderMs, long.lastOrderMs + 400 * MS_PER_DAY]) {
    const fromBounded = features.afterBatch?.(new Map([[bounded.customerId, bounded]]), { watermarkMs: asOfMs });
    const fromEvery = features.afterBatch?.(new Map([[unbounded.customerId, unbounded]]), { watermarkMs: asOfMs });
    assert.deepEqual(fromBounded, fromEvery);
    const config = loadConfig({});
    const scoring = scoringProcessor({ current: () => rfmRuleModelFrom(config) }, { dayOf: utc, policy: defaultPolicy, hysteresis: 0.1, minorPerUnit: 100 });
    const score = (f: unknown) => scoring.apply(undefined, (f as Array<{ value: never }>)[0].value, { watermarkMs: asOfMs });
    assert.deepEqual(score(fromBounded), score(fromEvery));
  }
});

test("training reads the same model inputs, holdout split and return gaps as of any day's end", async () => {
  const store = (h: CustomerPurchaseHistory) => {
    const s = new InMemoryStateStore<CustomerPurchaseHistory>();
    void s.setMany(new Map([[h.customerId, h]]));
    return s;
  };
  for (const asOfDay of [lastDay, lastDay - 200, lastDay - 1_500, LONG_HISTORY_FIRST_DAY + 700]) {
    const asOfMs = endOfDay(asOfDay);
    assert.deepEqual(await readTrainingData(store(bounded), asOfMs, 365, utc), await readTrainingData(store(unbounded), asOfMs, 365, utc), `as of day ${asOfDay}`);
    assert.deepEqual(await modelInputsAsOf(store(bounded), asOfMs, 7, utc, 100), await modelInputsAsOf(store(unbounded), asOfMs, 7, utc, 100));
    const gaps = (h: CustomerPurchaseHistory) => {
      const sample = new ReturnGapSample();
      addFirstTwoPurchaseDays(sample, h, asOfMs);
      return sample;
    };
    assert.deepEqual(gaps(bounded), gaps(unbounded));
  }
});

test('period spend, segment revenue and revenue per day are the same', async () => {
  assert.deepEqual(periodSpend(bounded, lastDay, 30, 60), periodSpend(unbounded, lastDay, 30, 60));
  const tally = (h: CustomerPurchaseHistory) => {
    const t = emptySegmentRevenueTally(lastDay - 3 * 365, lastDay);
    tallySegmentRevenue(t, h, 'high_value');
    return t;
  };
  assert.deepEqual(tally(bounded), tally(unbounded));
  // Hours within an old day may differ (a compacted day is dated by its first order); days do not.
  const byDay = async (h: CustomerPurchaseHistory) => {
    const s = new InMemoryStateStore<CustomerPurchaseHistory>();
    await s.setMany(new Map([[h.customerId, h]]));
    const days = new Map<number, number>();
    for (const [hour, net] of await revenueByHour(s)) days.set(Math.floor(hour / 24), (days.get(Math.floor(hour / 24)) ?? 0) + net);
    return days;
  };
  assert.deepEqual(await byDay(bounded), await byDay(unbounded));
});

test('a revision of an order whose day is compacted is refused as late (dead-lettered by the runner); one inside the detail window applies', () => {
  const compacted = bounded.compacted;
  assert.ok(compacted !== null && compacted.beforeDay === lastDay - 400, 'days more than 400 before the latest order are compacted');
  const old = long.purchases.find((p) => utc(p.event_time) < compacted.beforeDay && p.revision === 1) as PurchaseEvent;
  const refund = { ...old, event_id: `${old.order_id}:9`, revision: 9, net_amount_minor: 1 };
  assert.throws(() => applyPurchase(bounded, refund, utc), (e: ClvError) => e.code === ErrorCodes.LATE_EVENT && e.message.includes(refund.event_id));
  const recent = bounded.orders[bounded.orders.length - 1];
  const latest = long.purchases.find((p) => p.order_id === recent.orderId) as PurchaseEvent;
  const { history, changed } = applyPurchase(bounded, { ...latest, event_id: `${latest.order_id}:9`, revision: 9, status: 'VOIDED', net_amount_minor: 0 }, utc);
  assert.ok(changed);
  assert.equal(history.orders.find((o) => o.orderId === recent.orderId)?.status, 'VOIDED');
});
