import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes } from '../core/errors.js';
import { validateOrderEvent, validatePaymentEvent } from '../core/event-validation.js';
import { day, payment, placed } from './support/commerce-events.js';

const rules = { currency: 'USD', maxFutureSkewMs: 60_000, now: () => day(100) };

test('a well-formed order and payment pass', () => {
  assert.equal(validateOrderEvent(placed('O1', 100, day(1)), rules), null);
  assert.equal(validatePaymentEvent(payment('PAYMENT_REFUNDED', 'O1', 100, day(2)), rules), null);
});

test('each broken rule gives its own code and a reason', () => {
  const cases = [
    [validateOrderEvent({ ...placed('O1', 100, day(1)), amount_minor: -1 }, rules), ErrorCodes.INVALID_EVENT, /negative/],
    [validateOrderEvent({ ...placed('O1', 100, day(1)), customer_id: '' }, rules), ErrorCodes.INVALID_EVENT, /customer_id is empty/],
    [validateOrderEvent({ ...placed('O1', 100, day(1)), currency: 'VND' }, rules), ErrorCodes.UNSUPPORTED_CURRENCY, /VND is not the shop currency USD/],
    [validateOrderEvent(placed('O1', 100, day(101)), rules), ErrorCodes.EVENT_FROM_FUTURE, /in the future/],
    [validateOrderEvent({ ...placed('O1', 100, day(1)), line_items: [{ sku: 's', category: 'c', quantity: 0, unit_price_minor: 1 }] }, rules), ErrorCodes.INVALID_EVENT, /quantity 0/],
    [validatePaymentEvent({ ...payment('PAYMENT_CAPTURED', 'O1', 100, day(1)), payment_id: '' }, rules), ErrorCodes.INVALID_EVENT, /payment_id/],
  ] as const;
  for (const [violation, code, reason] of cases) {
    assert.ok(violation, `expected a violation matching ${reason}`);
    assert.equal(violation.code, code);
    assert.match(violation.reason, reason);
  }
});

test('ids may not hold control, format or lone-surrogate code points, nor exceed 128 characters (one rule with the API and the replay)', () => {
  const base = placed('O1', 100, day(1));
  const bad: Array<[Partial<typeof base>, RegExp]> = [
    [{ customer_id: 'C1\u0000' }, /customer_id holds U\+0000 \(a control character\)/],
    [{ customer_id: 'C1\u200b' }, /customer_id holds U\+200B \(a format character\)/],
    [{ customer_id: 'C\u2067' }, /customer_id holds U\+2067/],
    [{ customer_id: '\ud800C1' }, /customer_id holds U\+D800 \(a lone surrogate\)/],
    [{ order_id: 'O\udfff' }, /order_id holds U\+DFFF/],
    [{ event_id: 'e\u{E0041}' }, /event_id holds U\+E0041/],
    [{ customer_id: 'c'.repeat(129) }, /customer_id is longer than 128 characters/],
  ];
  for (const [over, reason] of bad) {
    const v = validateOrderEvent({ ...base, ...over }, rules);
    assert.equal(v?.code, ErrorCodes.INVALID_EVENT, String(reason));
    assert.match(v!.reason, reason);
  }
  assert.match(validatePaymentEvent({ ...payment('PAYMENT_CAPTURED', 'O1', 100, day(1)), payment_id: 'p\u00ad' }, rules)!.reason, /payment_id holds U\+00AD/);
  for (const fine of ['客户-ü', 'A/B', '😀'.repeat(128), 'with space']) assert.equal(validateOrderEvent({ ...base, customer_id: fine }, rules), null, fine);
});

test('event_time before 1990-01-01 is refused: epoch seconds sent as milliseconds land in January 1970', () => {
  const seconds = Math.floor(day(1) / 1000);
  assert.match(validateOrderEvent(placed('O1', 100, seconds), rules)!.reason, /event_time 1970-01-.* is before 1990-01-01/);
  assert.match(validateOrderEvent(placed('O1', 100, Date.UTC(1989, 11, 31, 23, 59, 59, 999)), rules)!.reason, /before 1990-01-01/);
  assert.equal(validateOrderEvent(placed('O1', 100, Date.UTC(1990, 0, 1)), rules), null);
});
