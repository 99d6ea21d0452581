import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LineItem } from '../core/events.js';
import type { LifecycleRates } from '../producers/synthetic/options.js';
import { eventIdOf, orderIdOf, orderLifecycle, paymentIdOf, type OrderPlan } from '../producers/synthetic/order-lifecycle.js';
import { createRng } from '../producers/synthetic/prng.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const NONE: LifecycleRates = { cancelRate: 0, paymentFailureRate: 0, latePaymentRate: 0, refundRate: 0, fullRefundShare: 0 };
const lines: LineItem[] = [{ sku: 'BOOK-0001', category: 'books', quantity: 1, unit_price_minor: 2_500 }];
const plan = (orderSeq: number): OrderPlan => ({ customerId: 'C000001', orderSeq, placedAtMs: Date.UTC(2024, 0, 10, 12), amountMinor: 2_500, lineItems: lines });
const FAR = Date.UTC(2030, 0, 1);
const run = (rates: Partial<LifecycleRates>, seq = 1, endMs = FAR, seed = 1) => orderLifecycle(createRng(seed, 3, seq), plan(seq), { ...NONE, ...rates }, 'USD', 7, endMs);

describe('synthetic order lifecycle', () => {
  it('a plain order is placed, then captured minutes later, and counts its full amount', () => {
    for (let seq = 1; seq <= 200; seq++) {
      const o = run({}, seq);
      assert.deepEqual(o.events.map((e) => e.type), ['ORDER_PLACED', 'PAYMENT_CAPTURED']);
      const lag = o.events[1].event_time - o.events[0].event_time;
      assert.ok(lag > 0 && lag < 60 * MINUTE, `capture lag ${lag}`);
      assert.equal(o.countedMinor, 2_500);
      assert.ok(o.captured && !o.cancelled);
    }
  });

  it('a cancelled order is never captured and does not count', () => {
    for (let seq = 1; seq <= 200; seq++) {
      const o = run({ cancelRate: 1 }, seq);
      assert.ok(o.events.some((e) => e.type === 'ORDER_CANCELLED'));
      assert.ok(!o.events.some((e) => e.type === 'PAYMENT_CAPTURED'));
      assert.equal(o.countedMinor, 0);
    }
  });

  it('a failed payment is followed by a retried capture with a new payment id', () => {
    const o = run({ paymentFailureRate: 1 });
    assert.deepEqual(o.events.map((e) => e.type), ['ORDER_PLACED', 'PAYMENT_FAILED', 'PAYMENT_CAPTURED']);
    const [, failed, captured] = o.events;
    assert.ok('payment_id' in failed && 'payment_id' in captured);
    assert.notEqual(failed.payment_id, captured.payment_id);
    assert.equal(o.paymentFailures, 1);
    assert.equal(o.countedMinor, 2_500);
  });

  it('a late payment is captured one to five days after the order', () => {
    const o = run({ latePaymentRate: 1 });
    const lag = o.events[1].event_time - o.events[0].event_time;
    assert.ok(lag >= DAY && lag <= 5 * DAY + 60 * MINUTE, `lag ${lag / DAY} days`);
    assert.ok(o.latePayment);
  });

  it('a full refund removes the purchase; a partial one nets captured − refunded', () => {
    const full = run({ refundRate: 1, fullRefundShare: 1 });
    assert.equal(full.refund, 'full');
    assert.equal(full.countedMinor, 0);
    for (let seq = 1; seq <= 200; seq++) {
      const partial = run({ refundRate: 1, fullRefundShare: 0 }, seq);
      const refund = partial.events.find((e) => e.type === 'PAYMENT_REFUNDED');
      assert.ok(refund && refund.amount_minor > 0 && refund.amount_minor < 2_500);
      assert.ok(refund.event_time - partial.events[1].event_time >= 2 * DAY);
      assert.equal(partial.countedMinor, 2_500 - refund.amount_minor);
    }
  });

  it('events after the end of the history are not emitted, and the count follows what is emitted', () => {
    const placed = plan(1).placedAtMs;
    const noCapture = run({ latePaymentRate: 1 }, 1, placed + 60 * MINUTE);
    assert.deepEqual(noCapture.events.map((e) => e.type), ['ORDER_PLACED']);
    assert.equal(noCapture.countedMinor, 0);
    assert.equal(noCapture.droppedAfterEnd, 1);
    const noRefund = run({ refundRate: 1, fullRefundShare: 1 }, 1, placed + DAY);
    assert.equal(noRefund.countedMinor, 2_500);
    assert.equal(noRefund.refund, 'none');
  });

  it('ids are deterministic and unique per event, and the events are in event-time order', () => {
    const o = run({ paymentFailureRate: 1, refundRate: 1 }, 42);
    assert.deepEqual(o, run({ paymentFailureRate: 1, refundRate: 1 }, 42));
    assert.equal(new Set(o.events.map((e) => e.event_id)).size, o.events.length);
    assert.equal(o.events[0].event_id, eventIdOf(7, 42, 1));
    assert.equal(orderIdOf(42), 'O00000042');
    assert.equal(paymentIdOf(42, 2), 'P00000042-2');
    for (const e of o.events) assert.equal(e.order_id, 'O00000042');
    for (let i = 1; i < o.events.length; i++) assert.ok(o.events[i].event_time >= o.events[i - 1].event_time);
  });
});
