/**
 * GET /v1/customers/:id (scope read): a customer's CLV with its interval, P(alive), expected
 * purchases and spend, segment, recommended action with its suggested categories, RFM features, model version, and how the
 * number was reached. 404 API_CUSTOMER_NOT_FOUND for an id the pipeline has no purchase of.
 *
 * DELETE /v1/customers/:id (scope admin): erases the customer (GDPR/CCPA, app/forget-customer.ts)
 * and answers with the audit record; idempotent, so an unknown id is erased too (nothing to delete).
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { CustomerErasedEvent } from '../../core/events.js';
import type { ClvExplanation, ClvReadModel, CustomerView } from '../../core/ports/clv-read-model.js';
import { CustomerDocumentCache } from '../customer-document-cache.js';
import { explanationText } from '../customer-explanation.js';
import { ApiError } from '../errors.js';
import { Nullable } from '../nullable-schema.js';
import { COMPRESSION_THRESHOLD_BYTES, compressionEncodingOf, varyWithAcceptEncoding } from '../response-compression.js';
import { errorResponses } from '../plugins/errors.js';

const Time = Type.String({ format: 'date-time' });

export const CustomerIdParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\u0000-\\u001f\\u007f]+$', description: 'customer_id as in the events' }),
});

const Features = Type.Object({
  as_of: Time,
  first_purchase_time: Time,
  last_purchase_time: Time,
  purchase_days: Type.Integer({ description: 'Distinct purchase days, the first included' }),
  repeat_purchase_days: Type.Integer({ description: 'Distinct purchase days after the first (x)' }),
  repeat_value_minor: Type.Integer(),
  total_value_minor: Type.Integer(),
});

const Details = Type.Object({
  model_kind: Type.String(),
  as_of: Time,
  period_days: Type.Number({ description: 'Days per model period' }),
  inputs: Type.Object({
    x: Type.Integer({ description: 'Repeat purchase days' }),
    t_x: Type.Number({ description: 'Last purchase after the first, model periods' }),
    T: Type.Number({ description: 'Age since the first purchase, model periods' }),
    monetary_value: Type.Number({ description: 'Mean repeat purchase value, currency units' }),
  }),
  p_alive: Type.Number(),
  expected_purchases: Type.Number({ description: 'Over the horizon, undiscounted' }),
  expected_avg_value: Type.Number({ description: 'Per purchase, currency units' }),
  expected_spend: Type.Number({ description: 'expected_purchases × expected_avg_value, undiscounted, currency units' }),
  horizon_days: Type.Integer(),
  monthly_discount_rate: Nullable(Type.Number()),
  clv: Type.Number({ description: 'Discounted, currency units' }),
  parts: Nullable(Type.Array(Type.Object({
    model: Type.String(), kind: Type.String(), weight: Type.Number(), clv: Type.Number({ description: "The member's own CLV, currency units" }),
  }), { description: "An ensemble's members: the CLV is their weighted sum; null for a single model" })),
  matches_score: Type.Boolean({ description: 'Whether this recomputation reproduces the stored score' }),
});

export const CustomerResponse = Type.Object({
  customer_id: Type.String(),
  currency: Type.String(),
  scored: Type.Boolean({ description: 'false until a model has scored the customer' }),
  model_version: Nullable(Type.String()),
  clv: Nullable(Type.Object({
    value_minor: Type.Integer({ description: 'Discounted CLV over the horizon, minor units' }),
    horizon_days: Type.Integer(),
    interval: Nullable(Type.Object({
      lower_minor: Type.Integer(), upper_minor: Type.Integer(), level: Type.Number({ description: 'Probability between the ends: 0.8 for the 10th to 90th percentile' }),
    }, { description: "Central range of the model's distribution of the discounted value (not a confidence interval of value_minor, which is its mean)" })),
    interval_note: Nullable(Type.String()),
  })),
  p_alive: Nullable(Type.Number()),
  expected_purchases: Nullable(Type.Number({ description: 'Over the horizon, undiscounted' })),
  expected_spend: Nullable(Type.Object({ per_purchase_minor: Type.Integer(), over_horizon_minor: Type.Integer({ description: 'Undiscounted' }) })),
  segment: Nullable(Type.String()),
  action: Nullable(Type.Object({ action: Type.String(), reason: Type.String({ description: "The segment's reason in the action policy (the recommendation's when it overrode the segment's action)" }) })),
  recommendation: Nullable(Type.Object({
    categories: Type.Array(Type.String(), { description: 'Categories to promote: cross-sell (not yet bought, best lift first), upsell (the favourite), win-back (the favourites)' }),
    reason: Type.String({ description: 'Why this action and these categories' }),
    min_unit_price_minor: Type.Integer({ description: 'Upsell: lower bound of the next price tier, minor units; 0 for no price target' }),
  }, { description: 'null until scored' })),
  features: Features,
  explanation: Type.Object({ text: Type.String(), details: Nullable(Details) }),
});

const iso = (ms: number) => new Date(ms).toISOString();

function details(e: ClvExplanation) {
  return {
    model_kind: e.modelKind,
    as_of: iso(e.asOfMs),
    period_days: e.periodDays,
    inputs: { x: e.frequency, t_x: e.recency, T: e.T, monetary_value: e.monetaryValue },
    p_alive: e.pAlive,
    expected_purchases: e.expectedPurchases,
    expected_avg_value: e.expectedAvgValue,
    expected_spend: e.expectedSpend,
    horizon_days: e.horizonDays,
    monthly_discount_rate: e.monthlyDiscountRate,
    clv: e.clv,
    parts: e.parts && e.parts.map((p) => ({ model: p.name, kind: p.kind, weight: p.weight, clv: p.clv })),
    matches_score: e.matchesScore,
  };
}

/** The response body of one customer; exported for the tests' expectations. */
export function customerBody(c: CustomerView, minorPerUnit: number) {
  const f = c.features;
  const s = c.score;
  const e = s?.explanation ?? null;
  const minor = (units: number) => Math.round(units * minorPerUnit);
  return {
    customer_id: c.customerId,
    currency: c.currency,
    scored: s !== null,
    model_version: s?.modelVersion ?? null,
    clv: s === null ? null : {
      value_minor: s.clvMinor,
      horizon_days: s.horizonDays,
      interval: s.interval && { lower_minor: s.interval.lowerMinor, upper_minor: s.interval.upperMinor, level: s.interval.level },
      interval_note: s.interval ? null : 'No interval: the model that produced this score gives a point estimate only, or the score predates intervals.',
    },
    p_alive: e?.pAlive ?? null,
    expected_purchases: e?.expectedPurchases ?? null,
    expected_spend: e && { per_purchase_minor: minor(e.expectedAvgValue), over_horizon_minor: minor(e.expectedSpend) },
    segment: s?.segment ?? null,
    action: s && { action: s.action, reason: s.actionReason },
    recommendation: s?.recommendation ? { categories: s.recommendation.categories, reason: s.recommendation.reason, min_unit_price_minor: s.recommendation.minUnitPriceMinor } : null,
    features: {
      as_of: iso(f.event_time),
      first_purchase_time: iso(f.first_purchase_time),
      last_purchase_time: iso(f.last_purchase_time),
      purchase_days: f.purchase_days,
      repeat_purchase_days: f.repeat_purchase_days,
      repeat_value_minor: f.repeat_value_minor,
      total_value_minor: f.total_value_minor,
    },
    explanation: {
      text: s === null
        ? 'Not scored yet: no model had been trained when this customer was last seen; the next re-score will score them.'
        : e === null
          ? `Scored by model ${s.modelVersion}, which is no longer loaded, so the score cannot be recomputed here.`
          : explanationText(e, c.currency),
      details: e && details(e),
    },
  };
}

const ErasureResponse = Type.Object({
  customer_id: Type.String(),
  erased_at: Time,
  audit_event_id: Type.String({ description: 'Of the record published to clv.erasures.v1' }),
  requested_by: Type.String(),
  state_keys_deleted: Type.Integer({ description: 'Processor state entries deleted: purchase history, score, order ledgers' }),
  tombstoned_topics: Type.Array(Type.String(), { description: 'Compacted topics given a tombstone for the customer' }),
  analytics_tables: Type.Array(Type.String(), { description: "Analytics tables the customer's rows were deleted from" }),
});

export interface CustomerRoutesOptions {
  readModel: ClvReadModel;
  minorPerUnit: number;
  /** Customer documents kept, built once per score revision (api/customer-document-cache.ts); 0: none, every GET builds its own. */
  documentCacheEntries?: number;
  /** Erases a customer everywhere; absent where this deployment cannot (501). */
  forgetCustomer?: (customerId: string, requestedBy: string) => Promise<CustomerErasedEvent>;
}

/** What fastify sends with a body it serialised from the route's schema: a cached body goes out with the same. */
const JSON_TYPE = 'application/json; charset=utf-8';

export async function customerRoutes(app: FastifyInstance, options: CustomerRoutesOptions): Promise<void> {
  const { readModel } = options;
  const entries = options.documentCacheEntries ?? 0;
  const cache = entries > 0 && readModel.customerRevised ? new CustomerDocumentCache(entries) : null;
  app.get<{ Params: { id: string } }>('/v1/customers/:id', {
    config: { auth: 'read' },
    schema: {
      tags: ['customers'],
      summary: "A customer's CLV, segment, action, features and how the CLV was reached",
      params: CustomerIdParams,
      response: { 200: CustomerResponse, ...errorResponses('UNAUTHENTICATED', 'FORBIDDEN', 'CUSTOMER_NOT_FOUND', 'UNAVAILABLE') },
    },
  }, async (request, reply) => {
    const id = request.params.id;
    if (cache === null) {
      const customer = await readModel.customer(id);
      if (customer === null) throw notFound(id);
      return customerBody(customer, options.minorPerUnit);
    }
    const found = await readModel.customerRevised!(id);
    if (found === null) {
      cache.delete(id);
      throw notFound(id);
    }
    let body = cache.get(id, found.revision);
    if (body === undefined) {
      const customer = await found.view();
      // The route's own serializer (its response schema), so a cached body is byte for byte what fastify would send.
      body = reply.serialize(customerBody(customer, options.minorPerUnit)) as string;
      // Without its model loaded the explanation may appear later under the same revision: not kept.
      if (customer.score === null || customer.score.explanation !== null) cache.set(id, found.revision, body);
    }
    // What the compression plugin would send, compressed once per kept body rather than per
    // request. (HEAD, which fastify answers with this handler, it leaves uncompressed.)
    if (request.method === 'GET' && compressionEncodingOf(request.headers) === 'gzip' && Buffer.byteLength(body) >= COMPRESSION_THRESHOLD_BYTES) {
      const gzip = cache.gzipOf(id, body);
      if (gzip !== undefined) {
        return reply.type(JSON_TYPE).header('content-encoding', 'gzip').header('vary', varyWithAcceptEncoding(reply.getHeader('vary'))).send(gzip);
      }
    }
    return reply.type(JSON_TYPE).send(body);
  });

  app.delete<{ Params: { id: string } }>('/v1/customers/:id', {
    config: { auth: 'admin' },
    schema: {
      tags: ['customers'],
      summary: 'Erase a customer (GDPR/CCPA): processor state, compacted topics, analytics rows; answers with the audit record',
      params: CustomerIdParams,
      response: { 200: ErasureResponse, ...errorResponses('UNAUTHENTICATED', 'FORBIDDEN', 'ERASURE_UNAVAILABLE', 'UNAVAILABLE') },
    },
  }, async (request) => {
    if (!options.forgetCustomer) throw new ApiError('ERASURE_UNAVAILABLE', 'this deployment does not erase customers through the API: use `clv forget`');
    const principal = request.principal;
    const record = await options.forgetCustomer(request.params.id, `api:${principal ? `${principal.kind}:${principal.id}` : 'unknown'}`);
    cache?.delete(request.params.id);
    request.log.info({ customer: record.customer_id, audit: record.event_id }, 'customer erased');
    return {
      customer_id: record.customer_id,
      erased_at: iso(record.event_time),
      audit_event_id: record.event_id,
      requested_by: record.requested_by,
      state_keys_deleted: record.state_keys_deleted,
      tombstoned_topics: record.tombstoned_topics,
      analytics_tables: record.analytics_tables,
    };
  });
}

function notFound(id: string): ApiError {
  return new ApiError('CUSTOMER_NOT_FOUND', `no customer ${JSON.stringify(id)}`);
}
