/**
 * GET /v1/models/champion/accuracy (scope read): how well the champion predicts, each figure
 * named for what it measures (core/ports/clv-read-model-reports.ts ChampionAccuracy):
 * - `customer_model`: the per-customer CLV model's backtest, recorded when it was trained —
 *   fitted on the data to `calibration_end`, each customer's predicted value over the holdout
 *   set against what they spent;
 * - `revenue_forecast`: the total revenue forecast kept with it, per calendar month: its
 *   `backtest`, against the days after its fit window that its run held out (null when the
 *   run held none out, as training's forecasts), and `live`, against the revenue booked since
 *   it began (months that are over).
 * Fractions, not percentages. Under /v1/models/champion/ so that no version name can shadow it.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ForecastBacktest } from '../../core/ports/clv-read-model.js';
import type { ClvReadModel } from '../../core/ports/clv-read-model.js';
import { Nullable } from '../nullable-schema.js';
import { errorResponses } from '../plugins/errors.js';

const Time = Type.String({ format: 'date-time' });
const Fraction = (description: string) => Nullable(Type.Number({ description }));

const Monthly = Type.Object({
  from: Time,
  to: Type.String({ format: 'date-time', description: 'Exclusive' }),
  months: Type.Integer({ description: 'Calendar months compared (a partly covered month counts with the days covered)' }),
  monthly_mape: Fraction('Mean over the months of |forecast − actual| / actual'),
  total_relative_error: Fraction('(Σ forecast − Σ actual) / Σ actual over the window'),
});

const Accuracy = Type.Object({
  currency: Type.String(),
  champion: Nullable(Type.Object({ version: Type.String(), kind: Type.String(), trained_at: Nullable(Time) })),
  customer_model: Nullable(Type.Object({
    measured: Type.Literal('backtest'),
    calibration_end: Nullable(Time),
    holdout_end: Nullable(Time),
    holdout_days: Nullable(Type.Number()),
    customers: Type.Integer(),
    value_error: Fraction('(Σ predicted − Σ actual) / Σ actual value over the holdout: the error of the total'),
    spearman: Fraction('Rank correlation of predicted and actual value per customer: 1 = ranks them perfectly'),
    top_decile_capture: Fraction('Share of the holdout\'s value spent by the 10% of customers predicted most valuable'),
    mean_absolute_error_minor: Nullable(Type.Integer({ description: 'Mean |predicted − actual| value per customer' })),
    predicted_value_minor: Nullable(Type.Integer()),
    actual_value_minor: Nullable(Type.Integer()),
  }, { description: "Null when the champion's record holds no backtest" })),
  revenue_forecast: Nullable(Type.Object({
    model_version: Type.String(),
    backtest: Nullable(Monthly),
    live: Nullable(Monthly),
  })),
});

function monthly(b: ForecastBacktest | null) {
  return b && {
    from: new Date(b.fromMs).toISOString(), to: new Date(b.toMs).toISOString(), months: b.months,
    monthly_mape: b.monthlyMape, total_relative_error: b.totalRelativeError,
  };
}

export async function accuracyRoutes(app: FastifyInstance, options: { readModel: ClvReadModel; currency: string }): Promise<void> {
  app.get('/v1/models/champion/accuracy', {
    config: { auth: 'read' },
    schema: {
      tags: ['models'],
      summary: "The champion's accuracy: the customer model's backtest, the revenue forecast's backtest and live check",
      response: { 200: Accuracy, ...errorResponses('UNAUTHENTICATED', 'FORBIDDEN', 'UNAVAILABLE') },
    },
  }, async () => {
    const a = await options.readModel.championAccuracy();
    const c = a.customerModel;
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      currency: options.currency,
      champion: a.champion && { version: a.champion.version, kind: a.champion.kind, trained_at: iso(a.champion.trainedAtMs) },
      customer_model: c && {
        measured: 'backtest' as const,
        calibration_end: iso(c.calibrationEndMs), holdout_end: iso(c.holdoutEndMs), holdout_days: c.holdoutDays, customers: c.customers,
        value_error: c.valueError, spearman: c.spearman, top_decile_capture: c.topDecileCapture,
        mean_absolute_error_minor: c.meanAbsoluteErrorMinor, predicted_value_minor: c.predictedValueMinor, actual_value_minor: c.actualValueMinor,
      },
      revenue_forecast: a.revenueForecast && {
        model_version: a.revenueForecast.modelVersion, backtest: monthly(a.revenueForecast.backtest), live: monthly(a.revenueForecast.live),
      },
    };
  });
}
