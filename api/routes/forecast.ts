/**
 * GET /v1/forecast/revenue (scope read): the latest total revenue forecast; 404
 * API_NO_FORECAST until the forecasting job has produced one.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ClvReadModel } from '../../core/ports/clv-read-model.js';
import { ApiError } from '../errors.js';
import { errorResponses } from '../plugins/errors.js';

const Forecast = Type.Object({
  model_version: Type.String(),
  generated_at: Type.String({ format: 'date-time' }),
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
  app.get('/v1/forecast/revenue', {
    config: { auth: 'read' },
    schema: {
      tags: ['forecast'],
      summary: 'Revenue forecast per period with its interval',
      response: { 200: Forecast, ...errorResponses('UNAUTHENTICATED', 'FORBIDDEN', 'NO_FORECAST', 'UNAVAILABLE') },
    },
  }, async () => {
    const f = await options.readModel.revenueForecast();
    if (f === null) throw new ApiError('NO_FORECAST', 'no revenue forecast has been produced yet');
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      model_version: f.modelVersion,
      generated_at: iso(f.generatedAtMs),
      currency: f.currency,
      granularity: f.granularity,
      points: f.points.map((p) => ({ period_start: iso(p.periodStartMs), expected_minor: p.expectedMinor, lower_minor: p.lowerMinor, upper_minor: p.upperMinor })),
    };
  });
}
