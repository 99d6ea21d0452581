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
