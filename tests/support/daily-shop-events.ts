/**
 * A seeded shop's orders and captured payments, day by day, with a weekly cycle and some
 * redeliveries, for the anomaly watch's tests: days may be planted with a factor (3: three
 * times the usual orders; 0: a day with nothing).
 */
import { dateOfDayIndex, dayIndexOfDate, MS_PER_DAY } from '../../core/calendar.js';
import type { OrderEvent, PaymentEvent } from '../../core/events.js';
import { intBelow, logNormal, poisson } from '../../producers/synthetic/distributions.js';
import { createRng } from '../../producers/synthetic/prng.js';

const WEEKDAY = [1.25, 0.9, 0.9, 0.92, 0.95, 1.05, 1.3]; // Sunday first

export interface DailyShopOptions {
  seed: number;
  firstDate: string;
  days: number;
  ordersPerDay: number;
  /** YYYY-MM-DD → factor on that day's orders. */
  plant?: Readonly<Record<string, number>>;
}

/** Events by event time; the payment a few minutes after its order. */
export function dailyShopEvents(o: DailyShopOptions): Array<OrderEvent | PaymentEvent> {
  const rng = createRng(o.seed, 21);
  const first = dayIndexOfDate(o.firstDate);
  const events: Array<OrderEvent | PaymentEvent> = [];
  let seq = 0;
  for (let day = first; day < first + o.days; day++) {
    const factor = o.plant?.[dateOfDayIndex(day)] ?? 1;
    const n = Math.round(factor * poisson(rng, o.ordersPerDay * WEEKDAY[(day + 4) % 7]));
    for (let k = 0; k < n; k++) {
      const id = `O${o.seed}-${++seq}`;
      const at = day * MS_PER_DAY + intBelow(rng, 23 * 3_600_000);
      const amount = Math.round(100 * logNormal(rng, Math.log(40), 0.6));
      const customer = `C${intBelow(rng, 500)}`;
      const order: OrderEvent = { event_id: `${id}-placed`, event_time: at, type: 'ORDER_PLACED', customer_id: customer, order_id: id, amount_minor: amount, currency: 'USD',
        line_items: [{ sku: 's', category: 'books', quantity: 1, unit_price_minor: amount }] };
      const payment: PaymentEvent = { event_id: `${id}-captured`, event_time: at + 120_000, type: 'PAYMENT_CAPTURED', customer_id: customer, order_id: id, payment_id: `P${id}`, amount_minor: amount, currency: 'USD' };
      events.push(order, payment);
      if (rng() < 0.03) events.push({ ...payment }); // redelivered
    }
  }
  return events.sort((a, b) => a.event_time - b.event_time);
}
