/**
 * Event contracts. Each interface mirrors one Avro schema in `schemas/` field for field
 * (snake_case, as on the wire). Money is an integer count of the currency's minor unit
 * (cents for USD) so that no binary float ever carries an amount.
 */

/** Milliseconds since the Unix epoch, UTC. */
export type EpochMs = number;

/** Integer amount in the currency's minor unit (e.g. cents). */
export type MinorUnits = number;

export interface LineItem {
  sku: string;
  category: string;
  /** Units ordered, ≥ 1. */
  quantity: number;
  /** Price of one unit, minor units, ≥ 0. */
  unit_price_minor: MinorUnits;
}

export type OrderEventType = 'ORDER_PLACED' | 'ORDER_CANCELLED';

/** `commerce.orders.v1`, key = customer_id. */
export interface OrderEvent {
  event_id: string;
  event_time: EpochMs;
  type: OrderEventType;
  customer_id: string;
  order_id: string;
  /** Order total, minor units, ≥ 0. */
  amount_minor: MinorUnits;
  /** ISO 4217 code. */
  currency: string;
  line_items: LineItem[];
}

export type PaymentEventType = 'PAYMENT_CAPTURED' | 'PAYMENT_FAILED' | 'PAYMENT_REFUNDED';

/** `commerce.payments.v1`, key = customer_id. */
export interface PaymentEvent {
  event_id: string;
  event_time: EpochMs;
  type: PaymentEventType;
  customer_id: string;
  order_id: string;
  payment_id: string;
  /** Amount captured, failed or refunded; always a magnitude, minor units, ≥ 0. */
  amount_minor: MinorUnits;
  currency: string;
}

export type PurchaseStatus = 'ACTIVE' | 'VOIDED';

/**
 * `commerce.purchases.v1`, key = customer_id: the current state of one paid order.
 * A later revision of the same order supersedes earlier ones, so applying revisions in any
 * order, any number of times, converges on the same state (max revision wins).
 */
export interface PurchaseEvent {
  /** `${order_id}:${revision}`. */
  event_id: string;
  /** When the order was placed: purchases are dated by the order, not the payment. */
  event_time: EpochMs;
  customer_id: string;
  order_id: string;
  /** Increases by one with each change the joiner makes to this order. */
  revision: number;
  status: PurchaseStatus;
  /** Captured minus refunded, minor units, ≥ 0. */
  net_amount_minor: MinorUnits;
  currency: string;
  /** Distinct product categories in the order (for cross-sell), sorted. */
  categories: string[];
  /** The order's lines as placed (refunds are not apportioned to lines); [] from older producers. */
  line_items: PurchaseLineItem[];
}

/** One line of a purchase: the order line without its SKU. */
export interface PurchaseLineItem {
  category: string;
  /** Units, ≥ 1. */
  quantity: number;
  /** Price of one unit, minor units, ≥ 0. */
  unit_price_minor: MinorUnits;
}

/** What a customer bought in one category, over their active orders. */
export interface CategorySpend {
  category: string;
  /** Active orders with a line in this category. */
  orders: number;
  /** Units bought. */
  quantity: number;
  /** Σ quantity × unit price over those lines, minor units (before refunds). */
  spend_minor: MinorUnits;
}

/** `clv.features.v1` (compacted), key = customer_id: a customer's RFM as of `event_time`. */
export interface CustomerFeaturesEvent {
  event_id: string;
  /** As-of time (event-time watermark of the features processor). */
  event_time: EpochMs;
  customer_id: string;
  first_purchase_time: EpochMs;
  last_purchase_time: EpochMs;
  /** Distinct purchase days, the first included. */
  purchase_days: number;
  /** Distinct purchase days after the first (the papers' x). */
  repeat_purchase_days: number;
  /** Sum of the values of the repeat purchase days, minor units. */
  repeat_value_minor: MinorUnits;
  /** Sum of the values of all purchase days, minor units. */
  total_value_minor: MinorUnits;
  currency: string;
  /**
   * At most 16 categories, most ordered first (then spend, then name), derived from the
   * active orders; [] from older producers.
   */
  category_summary: CategorySpend[];
  /**
   * The purchase days of the last RECENT_PURCHASE_WINDOW_DAYS (182) days up to the last
   * purchase day, oldest first: the bounded per-period history a sequence model reads
   * (models/sequence/sequence-features.ts); [] from older producers.
   */
  recent_purchase_days?: PurchaseDay[];
}

/** One calendar day of a customer's active purchases. */
export interface PurchaseDay {
  /** Calendar day index (core/calendar.ts: days since 1970-01-01 in the shop's time zone). */
  day: number;
  /** Net value of the day's active orders, minor units. */
  value_minor: MinorUnits;
}

/** The recommendation fields shared by score and segment-change events. */
export interface RecommendationFields {
  /** Categories to promote (cross-sell: not yet bought, best lift first; upsell: the favourite); may be empty. */
  recommended_categories: string[];
  /** Why this action and these categories, for the marketer. */
  recommendation_reason: string;
  /** Upsell: lower bound of the next price tier, minor units; 0 for no price target. */
  recommended_min_unit_price_minor: MinorUnits;
}

/**
 * The CLV's predictive interval (models/clv/clv-predictive-interval.ts): the central
 * `clv_interval_level` mass of the model's distribution of the customer's discounted value
 * over the horizon. All three null when the model gives a point estimate only (and in
 * events written before intervals: the Avro defaults).
 */
export interface ClvIntervalFields {
  /** Lower end, minor units (often 0: a customer likely to buy nothing has an atom at 0). */
  clv_lower_minor: MinorUnits | null;
  /** Upper end, minor units. May be below clv_minor for a very skewed distribution. */
  clv_upper_minor: MinorUnits | null;
  /** Probability between the ends, e.g. 0.8 for the 10th to 90th percentile. */
  clv_interval_level: number | null;
}

/** `clv.scores.v1` (compacted), key = customer_id. */
export interface ClvScoreEvent extends RecommendationFields, ClvIntervalFields {
  event_id: string;
  /** Scored as of this event time. */
  event_time: EpochMs;
  customer_id: string;
  model_version: string;
  /** Kind of the model (models/kinds/): bgnbd-gamma-gamma, seasonal-bgnbd-gamma-gamma, ensemble, rfm-rules; '' in events written before kinds. */
  model_kind: string;
  /** Discounted CLV over the horizon, minor units. */
  clv_minor: MinorUnits;
  /** Probability that the customer is still active, 0..1. */
  p_alive: number;
  /** Expected number of purchase days over the horizon. */
  expected_purchases: number;
  /** Expected value of one future purchase, minor units. */
  expected_avg_value_minor: MinorUnits;
  horizon_days: number;
  /** '' when the score is withdrawn: the customer has no active order left (every order voided). */
  segment: string;
  action: string;
  currency: string;
  /**
   * The customer's score version: grows with every score published for them (by the scoring
   * processor and by re-scores), so the latest is the greatest — not the latest as-of, which
   * moves back when the customer's latest order is voided. 0 in events written before it.
   */
  sequence: number;
}

/** `clv.segment-changes.v1`, key = customer_id: published only when the segment changes. */
export interface SegmentChangedEvent extends RecommendationFields {
  event_id: string;
  event_time: EpochMs;
  customer_id: string;
  /** null the first time a customer is segmented. */
  previous_segment: string | null;
  segment: string;
  clv_minor: MinorUnits;
  action: string;
  reason: string;
  model_version: string;
}

/** `clv.dead-letter.v1`: an input that could not be processed, with why. */
export interface DeadLetterEvent {
  event_id: string;
  /** Wall-clock time it was dead-lettered. */
  event_time: EpochMs;
  source_topic: string;
  source_partition: number;
  source_offset: string;
  key: string | null;
  payload: Buffer;
  /** The decoded payload as JSON when it decoded but failed validation. */
  payload_json: string | null;
  error_code: string;
  reason: string;
}

/** What a commerce anomaly is measured on: per calendar day, orders placed and payments captured, by count and by value. */
export type CommerceMetric = 'orders' | 'order_value' | 'payments' | 'payment_value';

/**
 * `clv.anomalies.v1`, key = metric: a day whose order or payment volume or value is unusual
 * against the same weekday of the weeks before (anomalies/seasonal-anomaly-detector.ts).
 * About the shop, not a customer or segment. Judged on event time: the same history gives
 * the same events however fast it is replayed.
 */
export interface CommerceAnomalyEvent {
  /** `${metric}:${day}`: one event per metric and day, whichever run found it. */
  event_id: string;
  /** Start of the day in the shop's time zone. */
  event_time: EpochMs;
  /** The day, YYYY-MM-DD, in the shop's time zone (CLV_TIME_ZONE). */
  day: string;
  metric: CommerceMetric;
  direction: 'SPIKE' | 'DROP';
  /** The day's count, or its value in minor units. */
  value: number;
  /** The usual value: median of the same weekday over the weeks before (same unit as value). */
  baseline: number;
  /** The usual range: a value outside [lower, upper] is unusual (same unit). */
  lower: number;
  upper: number;
  /** Robust z-score on the log scale; beyond ± the detector's k is unusual. */
  score: number;
  /** Weeks of history the day was judged against. */
  history_weeks: number;
  /** ISO 4217 code of the values. */
  currency: string;
  /** The detector and its settings, e.g. "same-weekday log median ± 5·MAD, 8 weeks". */
  detector: string;
}

/**
 * `clv.erasures.v1`, key = customer_id: the audit record of one erasure (GDPR Art. 17, CCPA
 * §1798.105), published once every store has forgotten the customer (app/forget-customer.ts).
 * It keeps the id, and nothing else of the customer, so that the erasure can be proven and
 * applied again after a backup is restored.
 */
export interface CustomerErasedEvent {
  event_id: string;
  /** When the erasure completed, wall clock. */
  event_time: EpochMs;
  customer_id: string;
  /** Who asked: `cli:<user>` or `api:<key or token subject>`. */
  requested_by: string;
  /** Processor state entries deleted (purchase history, score, order ledgers). */
  state_keys_deleted: number;
  /** Compacted topics given a tombstone for the customer. */
  tombstoned_topics: string[];
  /** Analytics tables whose rows of the customer were deleted. */
  analytics_tables: string[];
}
