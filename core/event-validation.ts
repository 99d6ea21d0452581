/**
 * Domain rules an event must meet after it has decoded. A violation is not retriable: the
 * event goes to the dead-letter topic with the reason, and the stream goes on.
 */
import { ErrorCodes, type ErrorCode } from './errors.js';
import type { OrderEvent, PaymentEvent } from './events.js';

export interface ValidationRules {
  /** The shop's ISO 4217 currency; CLV is computed in it. */
  currency: string;
  /** How far past the wall clock an event_time may be, ms. */
  maxFutureSkewMs: number;
  /** Wall clock, epoch ms. */
  now: () => number;
}

export interface Violation {
  code: ErrorCode;
  reason: string;
}

export function validateOrderEvent(e: OrderEvent, rules: ValidationRules): Violation | null {
  return validateCommon(e, rules) ?? validateLineItems(e);
}

export function validatePaymentEvent(e: PaymentEvent, rules: ValidationRules): Violation | null {
  return validateCommon(e, rules) ?? (e.payment_id === '' ? invalid('payment_id is empty') : null);
}

function validateCommon(e: OrderEvent | PaymentEvent, rules: ValidationRules): Violation | null {
  if (e.event_id === '') return invalid('event_id is empty');
  if (e.customer_id === '') return invalid('customer_id is empty');
  if (e.order_id === '') return invalid('order_id is empty');
  if (e.amount_minor < 0) return invalid(`amount_minor is negative (${e.amount_minor}); refunds carry a positive amount`);
  if (e.event_time <= 0) return invalid(`event_time ${e.event_time} is not a time`);
  if (e.event_time > rules.now() + rules.maxFutureSkewMs) {
    return { code: ErrorCodes.EVENT_FROM_FUTURE, reason: `event_time ${new Date(e.event_time).toISOString()} is in the future` };
  }
  if (e.currency !== rules.currency) {
    return { code: ErrorCodes.UNSUPPORTED_CURRENCY, reason: `currency ${e.currency} is not the shop currency ${rules.currency}` };
  }
  return null;
}

function validateLineItems(e: OrderEvent): Violation | null {
  for (const item of e.line_items) {
    if (item.quantity < 1) return invalid(`line item ${item.sku} has quantity ${item.quantity}`);
    if (item.unit_price_minor < 0) return invalid(`line item ${item.sku} has a negative unit price`);
  }
  return null;
}

function invalid(reason: string): Violation {
  return { code: ErrorCodes.INVALID_EVENT, reason };
}
