/**
 * Read endpoints for the dashboard's charts (scope read), usable by any client:
 *
 * GET /v1/segments/history: segment sizes over event time, oldest first, the last being
 *   the current sizes; bounded (older snapshots are thinned, the range is kept).
 * GET /v1/clv/distribution?buckets=N: the scored customers' CLVs in N equal-width buckets,
 *   the top 5% counted apart (core/clv-histogram.ts). Not under /v1/customers/: a static
 *   segment there would shadow the customer whose id is "distribution".
 * GET /v1/revenue/actuals?from&to&period&periods: net revenue booked per calendar day, week
 *   (Monday first) or month of the shop's time zone, to set against the revenue forecast;
 *   by default from the period of the first order through that of the latest: the whole
 *   range. `available: false` where the API cannot see purchases.
 *   With `&segment=` (and `&as_of=`), of the customers in that segment as of `as_of`: each
 *   customer's segment in their latest score by then (the analytics store's score history),
 *   default their latest score now. Why an as-of: a segment's forecast is of the customers in
 *   it when the model was trained (revenue-forecast-run.ts, training-forecast.ts), a closed
 *   group; actuals by segment-at-order-time, or by today's segments, would count other
 *   customers. GET /v1/forecast/revenue says that time as `segments_as_of`.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { calendarPeriods, CalendarPeriods, type CalendarPeriod } from '../../core/calendar-periods.js';
import type { ClvReadModel } from '../../core/ports/clv-read-model.js';
import { Segments, type Segment } from '../../core/segmentation.js';
import { DateOrTime, instantOf } from '../date-or-time.js';
import { errorResponses } from '../plugins/errors.js';

const Time = Type.String({ format: 'date-time' });
const Minor = Type.Integer();
const iso = (ms: number) => new Date(ms).toISOString();
/** Ten years of days: the longest answer, about 400 kB. */
export const MAX_ACTUALS_PERIODS = 3660;

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
  from: Type.Optional(DateOrTime('Start of the first period (default: the start of the period of the first order)')),
  to: Type.Optional(DateOrTime('The last period is the one holding this time (none when it is before `from`); a date means the end of that day (default: the latest order)')),
  period: Type.Optional(Type.Enum([...CalendarPeriods], { default: 'day', description: "Calendar day, week (Monday first) or month of the shop's time zone" })),
  periods: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ACTUALS_PERIODS, description: 'How many periods from `from` (then `to` is not used)' })),
  segment: Type.Optional(Type.Enum([...Segments], { description: 'Only the customers in this segment as of `as_of` (default: all customers)' })),
  as_of: Type.Optional(Type.String({
    format: 'date-time',
    description: "With `segment`: membership is each customer's segment in their latest score at or before this time "
      + "(default: their latest score). Give a segment forecast's `segments_as_of` to check that forecast. Without `segment` it changes nothing.",
  })),
}, { additionalProperties: false });

const Actuals = Type.Object({
  currency: Type.String(),
  time_zone: Type.String({ description: 'The shop time zone the periods are calendar periods of' }),
  available: Type.Boolean({ description: 'false where this API cannot see purchases (points are then empty)' }),
  period: Type.Enum([...CalendarPeriods]),
  points: Type.Array(Type.Object({ period_start: Time, period_end: Type.String({ format: 'date-time', description: 'Exclusive' }), actual_minor: Minor })),
  more: Type.Boolean({ description: `true when the range holds more periods than answered (at most ${MAX_ACTUALS_PERIODS}): ask again from the last period_end` }),
  first_order_hour: Type.Union([Time, Type.Null()], { description: 'Start of the hour of the first order of anyone' }),
  latest_order_hour: Type.Union([Time, Type.Null()], { description: 'Periods after it are not yet seen rather than empty; the one holding it may be incomplete' }),
});

type ActualsQueryValue = { from?: string; to?: string; period?: CalendarPeriod; periods?: number; segment?: Segment; as_of?: string };

export async function trendRoutes(app: FastifyInstance, options: { readModel: ClvReadModel; currency: string; minorPerUnit: number; timeZone: string }): Promise<void> {
  const { readModel, currency, timeZone } = options;
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

  app.get<{ Querystring: ActualsQueryValue }>('/v1/revenue/actuals', {
    config: { auth: 'read' },
    schema: {
      tags: ['forecast'],
      summary: 'Net revenue booked per calendar day, week or month (actuals for the forecast), of all customers or of a segment\'s customers as of a time',
      description: 'Without `from` and `to`: every period from the first order\'s to the latest\'s, the whole range. '
        + 'With `segment`, the customers in that segment as of `as_of` (their latest score by then; default: now), '
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
    const span = await readModel.revenueSpan();
    const range = periodRange(request.query, period, span, timeZone);
    const asOfMs = asOf === undefined ? null : Date.parse(asOf);
    // No range (no `from`, no order yet): no period, but still whether purchases can be seen.
    const r = range ?? { boundariesMs: [0], more: false };
    const actuals = segment === undefined ? await readModel.revenueActuals(r) : await readModel.segmentRevenueActuals(segment, asOfMs, r);
    const b = r.boundariesMs;
    return {
      currency,
      time_zone: timeZone,
      available: actuals !== null,
      period,
      points: (actuals?.points ?? []).map((p, i) => ({ period_start: iso(p.periodStartMs), period_end: iso(b[i + 1]), actual_minor: p.actualMinor })),
      more: r.more,
      first_order_hour: span === null ? null : iso(span.firstHourMs),
      latest_order_hour: actuals?.latestHourMs == null ? (span === null ? null : iso(span.latestHourMs)) : iso(actuals.latestHourMs),
    };
  });
}

/** The shortest a period can be (a DST day, a February): to count periods from above before making them. */
const SHORTEST_MS: Record<CalendarPeriod, number> = { day: 23 * 3_600_000, week: 7 * 86_400_000 - 3_600_000, month: 28 * 86_400_000 - 3_600_000 };

/**
 * The periods asked for: from `from` (or the start of the first order's period) for
 * `periods` periods, or through the one holding `to` (or the latest order) — none when `to`
 * is before `from` — at most MAX_ACTUALS_PERIODS of them (`more`: the range holds more).
 * Null when there is nothing to count from (no `from` and no order).
 */
function periodRange(q: ActualsQueryValue, period: CalendarPeriod, span: { firstHourMs: number; latestHourMs: number } | null, timeZone: string) {
  const calendar = calendarPeriods(period, timeZone);
  const fromMs = q.from !== undefined ? instantOf(q.from, 'from', timeZone, 'start') : span === null ? null : calendar.startOf(span.firstHourMs);
  if (fromMs === null) return null;
  if (q.periods !== undefined) return { boundariesMs: calendar.boundaries(fromMs, { count: q.periods }), more: false };
  const untilMs = q.to !== undefined ? instantOf(q.to, 'to', timeZone, 'end') : Math.max(fromMs, span?.latestHourMs ?? fromMs);
  if (untilMs < fromMs) return { boundariesMs: [fromMs], more: false };
  // Counted from above before they are made: a `from` centuries back must not build a huge list.
  const count = Math.min(MAX_ACTUALS_PERIODS, Math.ceil((untilMs - fromMs) / SHORTEST_MS[period]) + 1);
  const boundariesMs = calendar.boundaries(fromMs, { count });
  const past = boundariesMs.findIndex((b) => b > untilMs);
  return past < 0 ? { boundariesMs, more: true } : { boundariesMs: boundariesMs.slice(0, past + 1), more: false };
}
