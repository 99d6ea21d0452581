/**
 * API latency by route template (never the raw URL: ids would explode the label set) and
 * GET /metrics in the Prometheus text format. At scrape time the segment sizes and the
 * models' metrics are refreshed from the read model, so they need no other wiring.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import type { ClvReadModel } from '../../core/ports/clv-read-model.js';
import { enableProcessMetrics, metricsRegistry, observeApiRequest, recordModelMetrics, recordSegmentSizes } from '../../metrics/metrics-registry.js';

export const apiMetrics = fp(async (app: FastifyInstance, options: { readModel: ClvReadModel }) => {
  enableProcessMetrics();
  app.addHook('onResponse', async (request, reply) => {
    observeApiRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });

  app.get('/metrics', {
    config: { auth: 'public', rateLimit: false },
    schema: {
      tags: ['operations'],
      summary: 'Prometheus metrics',
      response: { 200: Type.String({ description: 'Prometheus text exposition format' }) },
    },
  }, async (request, reply) => {
    try {
      recordSegmentSizes((await options.readModel.segmentSizes()).segments);
      for (const summary of await options.readModel.models()) {
        const detail = await options.readModel.model(summary.version);
        if (detail) recordModelMetrics(detail.version, detail.metrics);
      }
    } catch (err) {
      // A store outage must not hide the process metrics, which say most about it.
      request.log.warn({ err }, 'read model unavailable while refreshing metrics');
    }
    return reply.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
}, { name: 'clv-metrics' });
