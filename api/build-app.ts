/**
 * Builds the REST API (not listening: the caller `listen`s, tests `inject`). The same app
 * serves the embedded mode (in-memory log and stores) and production (Kafka, Redis); only
 * the ports given differ.
 *
 * Hook order, which the security of every route relies on:
 *   authentication (identify the caller; never rejects)
 *   → rate limit (per caller, else per IP)
 *   → authorization (401 / 403 by the route's declared scope)
 *   → validation (400) → handler.
 */
import type { RetrainOutcome } from './routes/models.js';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { CustomerErasedEvent } from '../core/events.js';
import type { ClvReadModel } from '../core/ports/clv-read-model.js';
import type { EventCodec } from '../core/ports/event-codec.js';
import type { EventLog } from '../core/ports/event-log.js';
import type { ApiConfig } from '../config/api-config.js';
import { authentication, authorization } from './plugins/auth.js';
import { docs } from './plugins/docs.js';
import { errorHandling, formatSchemaErrors, sendApiError, toApiError } from './plugins/errors.js';
import { httpWiring } from './plugins/http-wiring.js';
import { methodNotAllowed } from './plugins/method-not-allowed.js';
import { typeBoxValidatorCompiler } from './typebox-validator-compiler.js';
import { apiMetrics, metricsRefresher, type MetricsRefresher } from './plugins/metrics.js';
import { rateLimiting } from './plugins/rate-limit.js';
import { ApiLogController, redactedPaths, requestIdOf } from './request-logging.js';
import { customerRoutes } from './routes/customers.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { eventRoutes } from './routes/events.js';
import { forecastRoutes } from './routes/forecast.js';
import { healthRoutes } from './routes/health.js';
import { modelRoutes } from './routes/models.js';
import { segmentRoutes } from './routes/segments.js';

export interface BuildAppOptions {
  readModel: ClvReadModel;
  /** Where POST /v1/events publishes; also probed by /readyz. */
  log: EventLog;
  codec: EventCodec;
  /** The pipeline's settings: currency, future-skew limit and minor units for ingestion and money. */
  config: Readonly<Config>;
  /** The API's settings, API keys included (api-config.ts). */
  api: Readonly<ApiConfig>;
  logger: Logger;
  /** Trains and promotes a new model; absent where the API cannot retrain (501). */
  retrain?: () => Promise<RetrainOutcome>;
  /** Erases a customer everywhere (app/forget-customer.ts); absent where the API cannot (501). */
  forgetCustomer?: (customerId: string, requestedBy: string) => Promise<CustomerErasedEvent>;
  /** More readiness checks by name (e.g. the analytics store). */
  readinessChecks?: Record<string, () => Promise<void>>;
  /** How long /readyz waits for each check (default 2000 ms). */
  readinessTimeoutMs?: number;
  /** Shown in the OpenAPI document. */
  version?: string;
  /** Wall clock, ms (JWT expiry, ingestion's future-skew rule). */
  now?: () => number;
  /** What refreshes the read-model gauges before a scrape (clv serve shares it with CLV_API_METRICS_PORT); default: one of its own. */
  metricsRefresher?: MetricsRefresher;
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { api, config, readModel } = options;
  const app = Fastify({
    loggerInstance: options.logger.child({ component: 'api' }, { redact: { paths: redactedPaths, censor: '[redacted]' } }) as FastifyBaseLogger,
    logController: new ApiLogController(api.slowRequestMs),
    genReqId: requestIdOf,
    bodyLimit: api.bodyLimitBytes,
    // A client that trickles its request in is cut off (slowloris); answers have their own
    // deadlines (POST /v1/events: CLV_API_PUBLISH_TIMEOUT_MS).
    requestTimeout: api.requestTimeoutMs,
    // Above the schemas' own limits (ids ≤ 128), so that those answer with a message.
    routerOptions: { maxParamLength: 256 },
    frameworkErrors: (error, _request, reply) => sendApiError(reply, toApiError(error)),
    trustProxy: api.trustProxy,
    schemaErrorFormatter: formatSchemaErrors,
    return503OnClosing: true,
    // CLV_API_TLS_CERT_FILE / CLV_API_TLS_KEY_FILE: HTTPS only, no plain listener beside it.
    https: api.tls === null ? null : { cert: api.tls.cert, key: api.tls.privateKey },
  }) as unknown as FastifyInstance;
  // TypeBox's compiler, once per route schema at registration; converts query and path
  // strings to the declared types, never the body.
  app.setValidatorCompiler(typeBoxValidatorCompiler);
  // JSON only: a text/plain body is 415, not a string for the schemas to puzzle over.
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  await app.register(errorHandling);
  await app.register(methodNotAllowed);
  await app.register(httpWiring, { corsOrigins: api.corsOrigins });
  await app.register(docs, { version: options.version ?? '1' });
  await app.register(authentication, { config: api, now: options.now });
  await app.register(rateLimiting, { perMinute: api.rateLimitPerMinute });
  await app.register(authorization, { enabled: api.authEnabled });
  await app.register(apiMetrics, { refresh: options.metricsRefresher ?? metricsRefresher(readModel, config.modelPollMs) });

  await app.register(healthRoutes, { readModel, log: options.log, extraChecks: options.readinessChecks, timeoutMs: options.readinessTimeoutMs });
  await app.register(customerRoutes, { readModel, minorPerUnit: config.minorPerUnit, documentCacheEntries: api.customerCacheEntries, forgetCustomer: options.forgetCustomer });
  await app.register(segmentRoutes, { readModel });
  await app.register(modelRoutes, { readModel, retrain: options.retrain });
  await app.register(forecastRoutes, { readModel });
  await app.register(dashboardRoutes, { readModel, currency: config.currency, minorPerUnit: config.minorPerUnit, timeZone: config.timeZone });
  await app.register(eventRoutes, { log: options.log, codec: options.codec, config, maxBatchEvents: api.maxBatchEvents, publishTimeoutMs: api.publishTimeoutMs, now: options.now });
  return app;
}
