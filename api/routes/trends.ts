/**
 * Read endpoints for the dashboard's charts (scope read), usable by any client:
 *
 * GET /v1/segments/history: segment sizes over event time, oldest first, the last being
 *   the current sizes; bounded (older snapshots are thinned, the range is kept).
 * GET /v1/clv/distribution?buckets=N: the scored customers' CLVs in N equal-width buckets,
 *   the top 5% counted apart (core/clv-histogram.ts). Not under /v1/customers/: a static
 *   segment there would shadow the customer whose id is "distribution".
 * GET /v1/revenue/actuals?from&period&periods: net revenue booked per period, to set
 *   against the revenue forecast; `available: false` where the API cannot see purchases.
 *   With `&segment=` (and `&as_of=`), of the customers in that segment as of `as_of`: each
 *   customer's segment in their latest score by then (the analytics store's score history),
 *   default their latest score now. Why an as-of: a segment's forecast is of the customers in
 *   it when the model was trained (revenue-forecast-run.ts, training-forecast.ts), a closed
 *   group; actuals by segment-at-order-time, or by today's segments, would count other
 *   customers. GET /v1/forecast/revenue says that time as `segments_as_of`.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ClvReadModel } from '../../core/ports/clv-read-model.js';
import { Segments, type Segment } from '../../core/segmentation.js';
import { errorResponses } from '../plugins/errors.js';

const Time = Type.String({ format: 'date-time' });
const Minor = Type.Integer();
const iso = (ms: number) => new Date(ms).toISOString();
const MS_PER_DAY = 86_400_000;
const PERIOD_MS = { day: MS_PER_DAY, week: 7 * MS_PER_DAY } as const;

const History = Type.Object({
  snapshots: Type.Array(Type.Object({
    as_of: Type.String({ format: 'date-time', description: 'The latest as-of time of the scores seen (event time)' }),
    customers: Type.Object(Object.fromEntries(Segments.map((s) => [s, Type.Integer()]))),
    unscored: Type.Integer(),
  })),
});

const DistributionQuery = Type.Object({
  buckets: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Equal-width buckets (default 20)' })),
}, { additionalProperties: false });

const Distribution = Type.Object({
  currency: Type.String(),
  minor_per_unit: Type.Integer({ description: 'Minor units per currency unit (100 for USD)' }),
  customers: Type.Integer({ description: 'Scored customers counted' }),
  buckets: Type.Array(Type.Object({ lower_minor: Minor, upper_minor: Type.Integer({ description: 'Exclusive' }), customers: Type.Integer() })),
  above: Type.Object({ lower_minor: Type.Union([Minor, Type.Null()]), customers: Type.Integer({ description: 'CLV at or above lower_minor (the top 5%)' }) }),
  quantiles: Type.Union([Type.Object({ p50_minor: Minor, p90_minor: Minor, p99_minor: Minor }), Type.Null()]),
  max_minor: Type.Union([Minor, Type.Null()]),
});

const ActualsQuery = Type.Object({
  from: Type.String({ format: 'date-time', description: 'Start of the first period' }),
  period: Type.Optional(Type.Enum(['day', 'week'], { default: 'day' })),
  periods: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30 })),
  segment: Type.Optional(Type.Enum([...Segments], { description: 'Only the customers in this segment as of `as_of` (default: all customers)' })),
  as_of: Type.Optional(Type.String({
    format: 'date-time',
    description: "With `segment`: membership is each customer's segment in their latest score at or before this time "
      + "(default: their latest score). Give a segment forecast's `segments_as_of` to check that forecast. Without `segment` it changes nothing.",
  })),
}, { additionalProperties: false });

const Actuals = Type.Object({
  currency: Type.String(),
  available: Type.Boolean({ description: 'false where this API cannot see purchases (points are then empty)' }),
  period: Type.Enum(['day', 'week']),
  points: Type.Array(Type.Object({ period_start: Time, actual_minor: Minor })),
  latest_order_hour: Type.Union([Time, Type.Null()], { description: 'Periods after it are not yet seen rather than empty' }),
});

export async function trendRoutes(app: FastifyInstance, options: { readModel: ClvReadModel; currency: string; minorPerUnit: number }): Promise<void> {
  const { readModel, currency } = options;
  const errors = errorResponses('UNAUTHENTICATED', 'FORBIDDEN', 'UNAVAILABLE');

  app.get('/v1/segments/history', {
    config: { auth: 'read' },
    schema: { tags: ['segments'], summary: 'Customers per segment over event time', response: { 200: History, ...errors } },
  }, async () => ({
    snapshots: (await readModel.segmentHistory()).map((s) => ({ as_of: iso(s.atMs), customers: s.segments, unscored: s.unscored })),
  }));

  app.get<{ Querystring: { buckets?: number } }>('/v1/clv/distribution', {
    config: { auth: 'read' },
    schema: { tags: ['customers'], summary: "Histogram of the scored customers' CLV", querystring: DistributionQuery, response: { 200: Distribution, ...errors } },
  }, async (request) => {
    const h = await readModel.clvDistribution(request.query.buckets ?? 20);
    const q = h.quantiles;
    return {
      currency,
      minor_per_unit: options.minorPerUnit,
      customers: h.customers,
      buckets: h.bins.map((b) => ({ lower_minor: b.lowerMinor, upper_minor: b.upperMinor, customers: b.customers })),
      above: { lower_minor: h.bins.at(-1)?.upperMinor ?? null, customers: h.above },
      quantiles: q && { p50_minor: q.p50, p90_minor: q.p90, p99_minor: q.p99 },
      max_minor: h.maxMinor,
    };
  });

  app.get<{ Querystring: { from: string; period?: 'day' | 'week'; periods?: number; segment?: Segment; as_of?: string } }>('/v1/revenue/actuals', {
    config: { auth: 'read' },
    schema: {
      tags: ['forecast'],
      summary: 'Net revenue booked per period (actuals for the forecast), of all customers or of a segment\'s customers as of a time',
      description: 'With `segment`, the customers in that segment as of `as_of` (their latest score by then; default: now), '
        + 'whatever segment they moved to later: the same closed group a segment forecast predicts, when `as_of` is its `segments_as_of`. '
        + '`available: false` where the API has no score history (no analytics store).',
      querystring: ActualsQuery,
      response: { 200: Actuals, ...errors },
    },
  }, async (request) => {
    const { segment, as_of: asOf } = request.query;
    // Without a segment, as_of selects nothing (all customers): accepted and ignored, so that
    // every query the schema admits has an answer.
    const period = request.query.period ?? 'day';
    const range = { fromMs: Date.parse(request.query.from), periodMs: PERIOD_MS[period], periods: request.query.periods ?? 30 };
    const asOfMs = asOf === undefined ? null : Date.parse(asOf);
    const actuals = segment === undefined ? await readModel.revenueActuals(range) : await readModel.segmentRevenueActuals(segment, asOfMs, range);
    return {
      currency,
      available: actuals !== null,
      period,
      points: (actuals?.points ?? []).map((p) => ({ period_start: iso(p.periodStartMs), actual_minor: p.actualMinor })),
      latest_order_hour: actuals?.latestHourMs == null ? null : iso(actuals.latestHourMs),
    };
  });
}
