/**
 * API latency by route template (never the raw URL: ids would explode the label set) and
 * GET /metrics in the Prometheus text format, for holders of the `metrics` scope (Prometheus
 * with its own key); `clv serve` can also serve it without credentials on a port of its own,
 * CLV_API_METRICS_PORT, kept off the Ingress.
 *
 * At scrape time the segment sizes (from the in-process index) are refreshed; the models'
 * metrics come from the model catalogue, which in production reads the registry directory,
 * so they are refreshed at most once per `modelRefreshMs` (CLV_MODEL_POLL_MS, how often the
 * API looks for a new champion anyway), never on every scrape.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import type { ClvReadModel } from '../../core/ports/clv-read-model.js';
import { enableProcessMetrics, metricsRegistry, observeApiRequest, recordModelMetrics, recordSegmentSizes } from '../../metrics/metrics-registry.js';

/** Brings the read-model gauges up to date before a scrape; the models at most once per interval. */
export type MetricsRefresher = (log: FastifyBaseLogger | null) => Promise<void>;

export function metricsRefresher(readModel: ClvReadModel, modelRefreshMs: number, now: () => number = Date.now): MetricsRefresher {
  let modelsReadAt = -Infinity;
  let reading: Promise<void> | null = null;
  const readModels = async () => {
    for (const summary of await readModel.models()) {
      const detail = await readModel.model(summary.version);
      if (detail) recordModelMetrics(detail.version, detail.metrics);
    }
    modelsReadAt = now();
  };
  return async (log) => {
    try {
      recordSegmentSizes((await readModel.segmentSizes()).segments);
      if (now() - modelsReadAt >= modelRefreshMs) await (reading ??= readModels().finally(() => (reading = null)));
    } catch (err) {
      // A store outage must not hide the process metrics, which say most about it.
      log?.warn({ err }, 'read model unavailable while refreshing metrics');
    }
  };
}

export const apiMetrics = fp(async (app: FastifyInstance, options: { refresh: MetricsRefresher }) => {
  enableProcessMetrics();
  // Callback style: the work is synchronous, and an async hook costs a promise per request.
  app.addHook('onResponse', (request, reply, done) => {
    observeApiRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  app.get('/metrics', {
    config: { auth: 'metrics', rateLimit: false },
    schema: {
      tags: ['operations'],
      summary: 'Prometheus metrics (scope metrics)',
      response: { 200: { description: 'Prometheus text exposition format', content: { [metricsRegistry.contentType]: { schema: Type.String() } } } },
    },
  }, async (request, reply) => {
    await options.refresh(request.log);
    return reply.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
}, { name: 'clv-metrics' });
