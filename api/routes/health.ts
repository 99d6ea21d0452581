/**
 * GET /healthz (public): the process answers — liveness; restart it if this fails.
 * GET /readyz (public): the dependencies answer — readiness; route no traffic here while it
 * is 503. Checks run in parallel, each bounded by a timeout. Failures are logged with their
 * error; the response says only which check failed (it is public).
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { ClvReadModel } from '../../core/ports/clv-read-model.js';
import type { EventLog } from '../../core/ports/event-log.js';
import { Topics } from '../../core/topics.js';

export interface HealthRoutesOptions {
  readModel: ClvReadModel;
  log: EventLog;
  /** More named checks (e.g. the analytics store); each rejects when its dependency is down. */
  extraChecks?: Record<string, () => Promise<void>>;
  timeoutMs?: number;
}

const Check = Type.Object({ ok: Type.Boolean(), ms: Type.Number() });
const Ready = Type.Object({ status: Type.Enum(['ready', 'not_ready']), checks: Type.Record(Type.String(), Check) });

/** The group is never joined: asking its lag only proves the log answers. */
function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export async function healthRoutes(app: FastifyInstance, options: HealthRoutesOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const checks: Record<string, () => Promise<void>> = {
    // What the API needs of the log is to publish ingested events: a writable orders topic.
    event_log: () => options.log.checkWritable(Topics.orders),
    read_model: () => options.readModel.ping(),
    ...options.extraChecks,
  };

  app.get('/healthz', {
    config: { auth: 'public', rateLimit: false },
    schema: { tags: ['operations'], summary: 'Liveness', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', {
    config: { auth: 'public', rateLimit: false },
    schema: { tags: ['operations'], summary: 'Readiness: the event log and stores answer', response: { 200: Ready, 503: Ready } },
  }, async (request, reply) => {
    const results = await Promise.all(Object.entries(checks).map(async ([name, check]) => {
      const started = performance.now();
      try {
        await withTimeout(check(), timeoutMs);
        return [name, { ok: true, ms: performance.now() - started }] as const;
      } catch (err) {
        request.log.warn({ err, check: name }, 'readiness check failed');
        return [name, { ok: false, ms: performance.now() - started }] as const;
      }
    }));
    const ready = results.every(([, r]) => r.ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(results) });
  });
}
