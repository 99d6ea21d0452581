/**
 * GET /v1/forecast/revenue (scope read): the latest revenue forecast of all customers, or with
 * `?segment=` of a segment's customers as of the training (forecasting/revenue-forecast-run.ts;
 * `segments_as_of` says when, for the matching actuals in trends.ts). `?period=week|month`
 * sums a daily forecast per calendar week or month, each sum with its own interval (whole
 * periods only); `backtest` is how it did on the days after its fit window its run held out.
 * 400 API_BAD_REQUEST for a segment that does not exist; 404 API_NO_FORECAST until the
 * forecasting job has produced one, when its last run left the segment out (too little
 * revenue history), or per a period it has not (a weekly forecast per day or month).
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ClvReadModel } from '../../core/ports/clv-read-model.js';
import { CalendarPeriods, type CalendarPeriod } from '../../core/calendar-periods.js';
import { Segments, type Segment } from '../../core/segmentation.js';
import { ApiError } from '../errors.js';
import { Nullable } from '../nullable-schema.js';
import { errorResponses } from '../plugins/errors.js';

const ForecastQuery = Type.Object({
  segment: Type.Optional(Type.Enum([...Segments], { description: 'A segment: forecast the revenue of its customers as of the training, `segments_as_of` (default: all customers)' })),
  period: Type.Optional(Type.Enum([...CalendarPeriods], {
    description: "Per calendar day, week (Monday first) or month of the shop's time zone (default: the forecast's own granularity). "
      + 'Weeks and months are sums of a daily forecast, whole periods only, each with the interval of the sum.',
  })),
}, { additionalProperties: false });

const Forecast = Type.Object({
  /** null: all customers. */
  segment: Type.Union([Type.String(), Type.Null()]),
  model_version: Type.String(),
  generated_at: Type.String({ format: 'date-time' }),
  segments_as_of: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: "When the segments were taken (the training as-of): a segment's forecast is of its customers then; "
      + 'pass it as `as_of` to GET /v1/revenue/actuals?segment= for the actuals of the same customers. Null when not recorded.',
  }),
  currency: Type.String(),
  granularity: Type.Enum([...CalendarPeriods], { description: 'The period of the points' }),
  granularities: Type.Array(Type.Enum([...CalendarPeriods]), { description: 'The periods this forecast can be asked for' }),
  interval_level: Nullable(Type.Number({ description: 'Probability between lower and upper (0.8: the 10th to 90th percentile)' })),
  backtest: Nullable(Type.Object({
    from: Type.String({ format: 'date-time' }),
    to: Type.String({ format: 'date-time', description: 'Exclusive' }),
    months: Type.Integer(),
    monthly_mape: Nullable(Type.Number({ description: 'Mean over calendar months of |forecast − actual| / actual (a fraction)' })),
    total_relative_error: Nullable(Type.Number({ description: '(Σ forecast − Σ actual) / Σ actual (a fraction)' })),
  }, { description: 'How the forecast did on the days after its fit window that its run held out; null without them' })),
  points: Type.Array(Type.Object({
    period_start: Type.String({ format: 'date-time' }),
    expected_minor: Type.Integer(),
    lower_minor: Type.Union([Type.Integer(), Type.Null()]),
    upper_minor: Type.Union([Type.Integer(), Type.Null()]),
  })),
});

export async function forecastRoutes(app: FastifyInstance, options: { readModel: ClvReadModel }): Promise<void> {
  app.get<{ Querystring: { segment?: Segment; period?: CalendarPeriod } }>('/v1/forecast/revenue', {
    config: { auth: 'read' },
    schema: {
      tags: ['forecast'],
      summary: 'Revenue forecast per period with its interval, of all customers or of one segment',
      querystring: ForecastQuery,
      response: { 200: Forecast, ...errorResponses('UNAUTHENTICATED', 'FORBIDDEN', 'NO_FORECAST', 'UNAVAILABLE') },
    },
  }, async (request) => {
    const segment = request.query.segment ?? null;
    const f = await options.readModel.revenueForecast(segment ?? undefined);
    if (f === null) {
      throw new ApiError('NO_FORECAST', segment === null
        ? 'no revenue forecast has been produced yet'
        : `no revenue forecast for segment ${segment}: none produced yet, or the last run had too little revenue history for it`);
    }
    const iso = (ms: number) => new Date(ms).toISOString();
    const granularities: CalendarPeriod[] = [f.granularity, ...(['week', 'month'] as const).filter((p) => p !== f.granularity && f.totals?.[p] !== undefined)];
    const period = request.query.period ?? f.granularity;
    // Schema-valid, so not a 400: there is no forecast per that period.
    if (!granularities.includes(period)) {
      throw new ApiError('NO_FORECAST', `no revenue forecast per ${period}: this forecast is per ${f.granularity}; ask per ${granularities.join(' or ')}`);
    }
    const points = period === f.granularity ? f.points : f.totals![period as 'week' | 'month']!;
    const b = f.backtest ?? null;
    return {
      segment,
      model_version: f.modelVersion,
      generated_at: iso(f.generatedAtMs),
      segments_as_of: f.segmentsAsOfMs == null ? null : iso(f.segmentsAsOfMs),
      currency: f.currency,
      granularity: period,
      granularities,
      interval_level: f.intervalLevel ?? null,
      backtest: b && { from: iso(b.fromMs), to: iso(b.toMs), months: b.months, monthly_mape: b.monthlyMape, total_relative_error: b.totalRelativeError },
      points: points.map((p) => ({ period_start: iso(p.periodStartMs), expected_minor: p.expectedMinor, lower_minor: p.lowerMinor, upper_minor: p.upperMinor })),
    };
  });
}
