/**
 * Domain rules an event must meet after it has decoded. A violation is not retriable: the
 * event goes to the dead-letter topic with the reason, and the stream goes on.
 */
import { ErrorCodes, type ErrorCode } from './errors.js';
import type { OrderEvent, PaymentEvent } from './events.js';
import { idProblem } from './id-rule.js';

/**
 * The earliest event_time accepted, 1990-01-01T00:00:00Z, epoch ms. No online shop sold
 * before then (the web opened to the public in 1991; CDNOW, the oldest data set here, starts
 * in 1997), and the usual mistake it catches is a time sent in epoch seconds, which read as
 * milliseconds lands in January 1970 and would count as decades of customer history.
 */
export const EARLIEST_EVENT_TIME_MS = Date.UTC(1990, 0, 1);
const EARLIEST_DATE = new Date(EARLIEST_EVENT_TIME_MS).toISOString().slice(0, 10);

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
  return validateCommon(e, rules) ?? validateId('payment_id', e.payment_id);
}

function validateId(field: string, id: string): Violation | null {
  const problem = idProblem(id);
  return problem === null ? null : invalid(`${field} ${problem}`);
}

function validateCommon(e: OrderEvent | PaymentEvent, rules: ValidationRules): Violation | null {
  const badId = validateId('event_id', e.event_id) ?? validateId('customer_id', e.customer_id) ?? validateId('order_id', e.order_id);
  if (badId) return badId;
  if (e.amount_minor < 0) return invalid(`amount_minor is negative (${e.amount_minor}); refunds carry a positive amount`);
  if (!Number.isSafeInteger(e.event_time) || Math.abs(e.event_time) > 8.64e15) return invalid(`event_time ${e.event_time} is not a time`);
  if (e.event_time < EARLIEST_EVENT_TIME_MS) return invalid(`event_time ${new Date(e.event_time).toISOString()} is before ${EARLIEST_DATE}`);
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
