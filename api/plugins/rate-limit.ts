/**
 * Rate limiting per caller: per API key, per JWT subject, else per client IP (which also
 * throttles failed credential guesses). Registered after `authentication` and before
 * `authorization` (see auth.ts). Routes opt out with `config: { rateLimit: false }` (health
 * and metrics, which probes call often). Counters are per process: behind a load balancer
 * with N instances a caller gets up to N × the limit.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../errors.js';

export const rateLimiting = fp(async (app: FastifyInstance, options: { perMinute: number }) => {
  await app.register(rateLimit, {
    global: true,
    max: options.perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => {
      const p = request.principal;
      return p && p.kind !== 'anonymous' ? `${p.kind}:${p.id}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      new ApiError('RATE_LIMITED', `rate limit of ${context.max} requests per minute exceeded; retry in ${context.after}`),
  });
}, { name: 'clv-rate-limit', dependencies: ['clv-authentication'] });
