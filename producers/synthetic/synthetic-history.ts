/**
 * The project's synthetic order/payment history: a CDNOW-like customer base (BG/NBD +
 * Gamma-Gamma, with acquisition cohorts and seasonality) turned into the messages a broker
 * would deliver — duplicates, reordering, late and invalid input included — together with
 * the ground truth a correct pipeline must reproduce. Deterministic for a seed. Used by
 * `npm run demo`, the bench and the tests.
 */
import type { OrderEvent, PaymentEvent } from '../../core/events.js';
import { CATALOGUE, buildLineItems } from './catalogue.js';
import { cumulative, gamma } from './distributions.js';
import { addCountedOrder, type CustomerTruth, type GroundTruth, type TruthPurchase } from './ground-truth.js';
import { historyCalendar, instantAt } from './history-calendar.js';
import { orderLifecycle } from './order-lifecycle.js';
import { resolveSyntheticHistoryOptions, type SyntheticHistoryInput, type SyntheticHistoryOptions } from './options.js';
import { acquisitionWeights, drawCustomer, type PopulationModel } from './population.js';
import { createRng, RngStream } from './prng.js';
import { simulatePurchases } from './purchase-process.js';
import { dailySeasonality, intradayWarp } from './seasonality.js';
import { deliverWithNoise, type SemanticFlaw, type SyntheticMessage } from './stream-noise.js';

export type { SyntheticMessage, SyntheticEventMessage, SyntheticPoisonMessage, SemanticFlaw, CommerceTopic } from './stream-noise.js';
export { ORDERS_TOPIC, PAYMENTS_TOPIC, SEMANTIC_FLAWS } from './stream-noise.js';
export type { GroundTruth, CustomerTruth, TruthPurchase, PurchaseTotals } from './ground-truth.js';
export { purchasesBetween, totalPurchasesBetween } from './ground-truth.js';
export type { SyntheticHistoryInput, SyntheticHistoryOptions } from './options.js';
export { DEFAULT_SYNTHETIC_HISTORY_OPTIONS, FLAT_SEASONALITY, resolveSyntheticHistoryOptions } from './options.js';

export interface SyntheticHistoryStats {
  customers: number;
  orders: {
    placed: number;
    cancelled: number;
    captured: number;
    /** PAYMENT_FAILED events (each followed by a retry or a cancellation). */
    paymentFailures: number;
    latePayments: number;
    refundsFull: number;
    refundsPartial: number;
    /** Lifecycle events not emitted because they would fall after the end. */
    droppedAfterEnd: number;
  };
  /** Counted customer-days (truth.purchases.length). */
  purchaseDays: number;
  /** Distinct valid events. */
  validEvents: number;
  /** Extra deliveries of a valid event (same event_id). */
  duplicates: number;
  reordered: number;
  late: number;
  invalid: Record<SemanticFlaw, number>;
  poison: number;
  /** Invalid + poison messages: exactly what the dead-letter topic should receive. */
  deadLetters: number;
  /** messages.length = validEvents + duplicates + deadLetters. */
  messages: number;
}

export interface SyntheticHistory {
  options: Readonly<SyntheticHistoryOptions>;
  /** In delivery order. */
  messages: SyntheticMessage[];
  truth: GroundTruth;
  stats: SyntheticHistoryStats;
}

/**
 * The shop's calendar, seasonality and population model: what every customer is drawn from
 * (also used by bench/retrain-bench.ts, which draws customers without their events).
 */
export function syntheticPopulation(o: Pick<SyntheticHistoryOptions, 'start' | 'end' | 'timeZone' | 'seasonality' | 'bgnbd' | 'gammaGamma' | 'acquisition' | 'seed'>) {
  const calendar = historyCalendar(o.start, o.end, o.timeZone);
  const seasonal = dailySeasonality(calendar, o.seasonality);
  const seasonalMax = seasonal.reduce((m, x) => Math.max(m, x), 0);
  const warp = intradayWarp(o.seasonality.hourWeights);
  const model: PopulationModel = {
    bgnbd: o.bgnbd,
    gammaGamma: o.gammaGamma,
    acquisitionCum: cumulative(acquisitionWeights(calendar, seasonal, o.acquisition, createRng(o.seed, RngStream.acquisition))),
  };
  return { calendar, seasonal, seasonalMax, warp, model };
}

/** Generates a history; `input` fields default to DEFAULT_SYNTHETIC_HISTORY_OPTIONS. */
export function generateSyntheticHistory(input: SyntheticHistoryInput = {}): SyntheticHistory {
  const o = resolveSyntheticHistoryOptions(input);
  const { calendar, seasonal, seasonalMax, warp, model } = syntheticPopulation(o);
  const { p, q, gamma: g } = o.gammaGamma;
  // Population mean order value p·γ/(q − 1); only scales how many lines an order has, so for
  // q ≤ 1 (infinite mean) the mean of ν stands in.
  const meanAmountMinor = ((p * g) / (q > 1 ? q - 1 : q)) * o.minorPerMajor;

  const events: Array<OrderEvent | PaymentEvent> = [];
  const customers: CustomerTruth[] = [];
  const orders = { placed: 0, cancelled: 0, captured: 0, paymentFailures: 0, latePayments: 0, refundsFull: 0, refundsPartial: 0, droppedAfterEnd: 0 };
  let orderSeq = 0;
  for (let i = 0; i < o.customers; i++) {
    // Own stream per customer: traits, purchase times and amounts do not depend on other
    // customers, on the lifecycle rates or on the noise rates.
    const rng = createRng(o.seed, RngStream.customer, i);
    const c = drawCustomer(rng, i, model);
    const timeline = simulatePurchases(rng, c.birthDayOffset + c.birthFraction, c.lambdaPerWeek, c.dropoutProbability, seasonal, seasonalMax, calendar.days);
    const amounts = timeline.positions.map(() => Math.max(1, Math.round(gamma(rng, p, c.spendNu) * o.minorPerMajor)));
    const orng = createRng(o.seed, RngStream.orders, i);
    const truth: CustomerTruth = {
      customerId: c.customerId, acquiredAtMs: 0, lambdaPerWeek: c.lambdaPerWeek, dropoutProbability: c.dropoutProbability,
      spendNu: c.spendNu, aliveAtEnd: timeline.aliveAtEnd, latentOrders: timeline.positions.length,
      favouriteCategory: CATALOGUE[c.favouriteCategory].name, purchases: [],
    };
    for (let j = 0; j < timeline.positions.length; j++) {
      const u = timeline.positions[j];
      const dayOffset = Math.floor(u);
      const placedAtMs = instantAt(calendar, dayOffset, warp(u - dayOffset));
      if (j === 0) truth.acquiredAtMs = placedAtMs;
      const amountMinor = amounts[j];
      const lineItems = buildLineItems(orng, amountMinor, meanAmountMinor, c.favouriteCategory);
      const outcome = orderLifecycle(orng, { customerId: c.customerId, orderSeq: ++orderSeq, placedAtMs, amountMinor, lineItems },
        o.lifecycle, o.currency, o.seed, calendar.endMs);
      for (const e of outcome.events) events.push(e);
      addCountedOrder(truth, calendar.startDay + dayOffset, outcome.countedMinor);
      orders.placed++;
      if (outcome.cancelled) orders.cancelled++;
      if (outcome.captured) orders.captured++;
      orders.paymentFailures += outcome.paymentFailures;
      if (outcome.latePayment) orders.latePayments++;
      if (outcome.refund === 'full') orders.refundsFull++;
      else if (outcome.refund === 'partial') orders.refundsPartial++;
      orders.droppedAfterEnd += outcome.droppedAfterEnd;
    }
    customers.push(truth);
  }

  const { messages, stats: noise } = deliverWithNoise(events, o.noise, createRng(o.seed, RngStream.noise),
    { seed: o.seed, currency: o.currency, endMs: calendar.endMs });
  const purchases: TruthPurchase[] = [];
  for (const c of customers) for (const pd of c.purchases) purchases.push(pd);
  const invalidTotal = Object.values(noise.invalid).reduce((s, n) => s + n, 0);
  return {
    options: o,
    messages,
    truth: {
      timeZone: o.timeZone, currency: o.currency, minorPerMajor: o.minorPerMajor,
      startDay: calendar.startDay, endDay: calendar.endDay, startMs: calendar.startMs, endMs: calendar.endMs,
      customers, byId: new Map(customers.map((c) => [c.customerId, c])), purchases,
    },
    stats: {
      customers: o.customers, orders, purchaseDays: purchases.length,
      validEvents: noise.validEvents, duplicates: noise.duplicates, reordered: noise.reordered, late: noise.late,
      invalid: noise.invalid, poison: noise.poison, deadLetters: invalidTotal + noise.poison, messages: messages.length,
    },
  };
}
