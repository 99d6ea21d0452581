/**
 * What a correct pipeline must conclude from a synthetic history, per customer: the
 * purchase days and their values (an order counts iff placed, captured and not cancelled;
 * its value is captured − refunded; a full refund removes it; all of a customer's purchases
 * on one local calendar day form one transaction, as in Fader, Hardie & Lee 2005) — plus the
 * latent traits that produced them, so a demo can score holdout accuracy and a test can
 * check the model story.
 */

/** One customer-day with counted value. */
export interface TruthPurchase {
  customerId: string;
  /** Day index (core/calendar.ts `dayIndexer` in the history's time zone) of the orders. */
  day: number;
  /** Sum of the day's counted orders, minor units, > 0. */
  valueMinor: number;
}

export interface CustomerTruth {
  customerId: string;
  /** When the first order was placed (epoch ms); it may itself not count (cancelled). */
  acquiredAtMs: number;
  /** Latent BG/NBD purchase rate, per week. */
  lambdaPerWeek: number;
  /** Latent probability of dropping out after each repeat purchase. */
  dropoutProbability: number;
  /** Latent Gamma-Gamma rate ν; mean transaction value p/ν major units. */
  spendNu: number;
  /** Still active when the history ends. */
  aliveAtEnd: boolean;
  /** Orders the purchase process produced, before cancellations, refunds and day merging. */
  latentOrders: number;
  favouriteCategory: string;
  /** Counted purchase days, ascending by day. */
  purchases: TruthPurchase[];
}

export interface GroundTruth {
  timeZone: string;
  currency: string;
  minorPerMajor: number;
  /** Day index of the first day of the history. */
  startDay: number;
  /** Day index of the last day, inclusive. */
  endDay: number;
  /** First instant of the history, epoch ms. */
  startMs: number;
  /** First instant after the history (exclusive), epoch ms: the natural "as of" for scoring. */
  endMs: number;
  /** In population order: customers[i].customerId is C(i+1). */
  customers: CustomerTruth[];
  byId: ReadonlyMap<string, CustomerTruth>;
  /** All counted customer-days, by customer then day. */
  purchases: TruthPurchase[];
}

/** Adds an order's counted value to its customer-day, merging with an existing day. */
export function addCountedOrder(customer: CustomerTruth, day: number, valueMinor: number): void {
  if (valueMinor <= 0) return;
  const list = customer.purchases;
  // Orders arrive in time order, so the day is almost always the last one or a new last one.
  let i = list.length;
  while (i > 0 && list[i - 1].day > day) i--;
  if (i > 0 && list[i - 1].day === day) list[i - 1].valueMinor += valueMinor;
  else list.splice(i, 0, { customerId: customer.customerId, day, valueMinor });
}

export interface PurchaseTotals {
  /** Distinct counted purchase days. */
  purchaseDays: number;
  valueMinor: number;
}

/** A customer's counted purchase days and value with fromDay ≤ day < toDay. */
export function purchasesBetween(customer: CustomerTruth, fromDay: number, toDay: number): PurchaseTotals {
  let purchaseDays = 0;
  let valueMinor = 0;
  for (const p of customer.purchases) {
    if (p.day >= fromDay && p.day < toDay) {
      purchaseDays++;
      valueMinor += p.valueMinor;
    }
  }
  return { purchaseDays, valueMinor };
}

/** All customers' counted purchase days and value with fromDay ≤ day < toDay. */
export function totalPurchasesBetween(truth: GroundTruth, fromDay: number, toDay: number): PurchaseTotals {
  let purchaseDays = 0;
  let valueMinor = 0;
  for (const p of truth.purchases) {
    if (p.day >= fromDay && p.day < toDay) {
      purchaseDays++;
      valueMinor += p.valueMinor;
    }
  }
  return { purchaseDays, valueMinor };
}
