/**
 * GET /v1/forecast/revenue (scope read): the latest revenue forecast of all customers, or with
 * `?segment=` of a segment's customers as of the training (forecasting/revenue-forecast-run.ts;
 * `segments_as_of` says when, for the matching actuals in trends.ts).
 * 400 API_BAD_REQUEST for a segment that does not exist; 404 API_NO_FORECAST until the
 * forecasting job has produced one, or when its last run left the segment out (too little
 * revenue history).
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ClvReadModel } from '../../core/ports/clv-read-model.js';
import { Segments, type Segment } from '../../core/segmentation.js';
import { ApiError } from '../errors.js';
import { errorResponses } from '../plugins/errors.js';

const ForecastQuery = Type.Object({
  segment: Type.Optional(Type.Enum([...Segments], { description: 'A segment: forecast the revenue of its customers as of the training, `segments_as_of` (default: all customers)' })),
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
  granularity: Type.Enum(['day', 'week']),
  points: Type.Array(Type.Object({
    period_start: Type.String({ format: 'date-time' }),
    expected_minor: Type.Integer(),
    lower_minor: Type.Union([Type.Integer(), Type.Null()]),
    upper_minor: Type.Union([Type.Integer(), Type.Null()]),
  })),
});

export async function forecastRoutes(app: FastifyInstance, options: { readModel: ClvReadModel }): Promise<void> {
  app.get<{ Querystring: { segment?: Segment } }>('/v1/forecast/revenue', {
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
    return {
      segment,
      model_version: f.modelVersion,
      generated_at: iso(f.generatedAtMs),
      segments_as_of: f.segmentsAsOfMs == null ? null : iso(f.segmentsAsOfMs),
      currency: f.currency,
      granularity: f.granularity,
      points: f.points.map((p) => ({ period_start: iso(p.periodStartMs), expected_minor: p.expectedMinor, lower_minor: p.lowerMinor, upper_minor: p.upperMinor })),
    };
  });
}
