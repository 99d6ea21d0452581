/**
 * GET /v1/models, GET /v1/models/:version (scope read): model versions, their parameters,
 * segment thresholds and metrics.
 * POST /v1/models/retrain (scope admin): runs the deployment's retrain hook and answers with
 * the new version once it is trained; one at a time (409 while one runs); 501 where the
 * deployment has no hook (an API-only instance).
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ClvReadModel, ModelSummary } from '../../core/ports/clv-read-model.js';
import { ApiError } from '../errors.js';
import { errorResponses } from '../plugins/errors.js';

const Summary = Type.Object({
  version: Type.String(),
  kind: Type.String(),
  status: Type.Enum(['champion', 'retired']),
  trained_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  period_days: Type.Union([Type.Number(), Type.Null()]),
  horizon_days: Type.Union([Type.Integer(), Type.Null()]),
});

const Detail = Type.Object({
  ...Summary.properties,
  params: Type.Record(Type.String(), Type.Unknown()),
  thresholds: Type.Union([Type.Object({
    high_clv_minor: Type.Number(),
    medium_clv_minor: Type.Number(),
    at_risk_p_alive: Type.Number(),
    lost_p_alive: Type.Number(),
    new_customer_days: Type.Number(),
    // Null for a model without a one-time-buyer lapse (the RFM rules).
    one_time_buyer_at_risk_days: Type.Union([Type.Number(), Type.Null()]),
    one_time_buyer_lost_days: Type.Union([Type.Number(), Type.Null()]),
  }), Type.Null()]),
  metrics: Type.Record(Type.String(), Type.Number()),
});

/** As the model registry names versions. */
const VersionParams = Type.Object({ version: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }) });

function summaryBody(m: ModelSummary) {
  return {
    version: m.version,
    kind: m.kind,
    status: m.status,
    trained_at: m.trainedAtMs === null ? null : new Date(m.trainedAtMs).toISOString(),
    period_days: m.periodDays,
    horizon_days: m.horizonDays,
  };
}

/** What a retrain did: the version registered, and whether (and why) it became champion. */
export interface RetrainOutcome {
  version: string;
  promoted: boolean;
  reason: string;
}

export interface ModelRoutesOptions {
  readModel: ClvReadModel;
  retrain?: () => Promise<RetrainOutcome>;
}

export async function modelRoutes(app: FastifyInstance, options: ModelRoutesOptions): Promise<void> {
  const { readModel, retrain } = options;
  let retraining = false;

  app.get('/v1/models', {
    config: { auth: 'read' },
    schema: {
      tags: ['models'],
      summary: 'Model versions, champion first',
      response: { 200: Type.Object({ champion: Type.Union([Type.String(), Type.Null()]), models: Type.Array(Summary) }), ...errorResponses('UNAUTHENTICATED', 'FORBIDDEN', 'UNAVAILABLE') },
    },
  }, async () => {
    const models = await readModel.models();
    return { champion: models.find((m) => m.status === 'champion')?.version ?? null, models: models.map(summaryBody) };
  });

  app.get<{ Params: { version: string } }>('/v1/models/:version', {
    config: { auth: 'read' },
    schema: {
      tags: ['models'],
      summary: "One model version: parameters, segment thresholds, metrics",
      params: VersionParams,
      response: { 200: Detail, ...errorResponses('UNAUTHENTICATED', 'FORBIDDEN', 'MODEL_NOT_FOUND', 'UNAVAILABLE') },
    },
  }, async (request) => {
    const m = await readModel.model(request.params.version);
    if (m === null) throw new ApiError('MODEL_NOT_FOUND', `no model version ${JSON.stringify(request.params.version)}`);
    const t = m.thresholds;
    return {
      ...summaryBody(m),
      params: m.params,
      thresholds: t && {
        high_clv_minor: t.highClvMinor, medium_clv_minor: t.mediumClvMinor, at_risk_p_alive: t.atRiskPAlive, lost_p_alive: t.lostPAlive, new_customer_days: t.newCustomerDays,
        one_time_buyer_at_risk_days: t.oneTimeBuyerAtRiskDays ?? null, one_time_buyer_lost_days: t.oneTimeBuyerLostDays ?? null,
      },
      metrics: m.metrics,
    };
  });

  app.post('/v1/models/retrain', {
    config: { auth: 'admin' },
    schema: {
      tags: ['models'],
      summary: 'Train a new model version now (waits until it is trained); says whether it beat the champion and was promoted',
      response: { 200: Type.Object({ version: Type.String(), promoted: Type.Boolean(), reason: Type.String() }), ...errorResponses('UNAUTHENTICATED', 'FORBIDDEN', 'RETRAIN_IN_PROGRESS', 'CANNOT_TRAIN', 'RETRAIN_UNAVAILABLE', 'UNAVAILABLE') },
    },
  }, async (request) => {
    if (!retrain) throw new ApiError('RETRAIN_UNAVAILABLE', 'this deployment does not retrain through the API');
    if (retraining) throw new ApiError('RETRAIN_IN_PROGRESS', 'a retrain is already running');
    retraining = true;
    try {
      const outcome = await retrain();
      request.log.info(outcome, 'retrained through the API');
      return outcome;
    } finally {
      retraining = false;
    }
  });
}
