/**
 * Helmet's security headers (its defaults: CSP, HSTS, X-Content-Type-Options, X-Frame-Options,
 * Cross-Origin-*-Policy, Referrer-Policy…) on every response, computed once.
 *
 * Why not `@fastify/helmet` as a global plugin: it calls `helmet(options)` inside an
 * onRequest hook, which rebuilds every middleware and re-serialises the CSP on each request
 * (5% of server CPU on GET /v1/customers/:id under autocannon, bench/api-bench.ts). The
 * headers depend only on the options, so the same helmet, run once at start-up against a
 * recording response, gives the exact set; each request then copies it. A route may still
 * set its own value afterwards (the dashboard's CSP).
 */
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

type Middleware = (req: object, res: { setHeader(name: string, value: string): void; removeHeader(name: string): void }, next: (err?: unknown) => void) => void;

// helmet itself, as @fastify/helmet (our dependency) resolves it: the same version it would run.
const helmet = createRequire(createRequire(import.meta.url).resolve('@fastify/helmet'))('helmet') as { default: (options?: object) => Middleware };

/** The headers helmet sets with `options` (lower-case names). */
export function helmetHeaders(options: object = {}): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  let failure: unknown = null;
  helmet.default(options)({}, {
    setHeader: (name, value) => { headers[name.toLowerCase()] = String(value); },
    removeHeader: (name) => { delete headers[name.toLowerCase()]; },
  }, (err) => { failure = err ?? null; });
  if (failure) throw failure;
  return Object.freeze(headers);
}

export const securityHeaders = fp(async (app: FastifyInstance) => {
  const headers = helmetHeaders();
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}, { name: 'clv-security-headers' });
