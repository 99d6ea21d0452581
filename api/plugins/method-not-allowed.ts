/**
 * 405 Method Not Allowed, with `Allow`, for a method the API does not serve on a path it does
 * serve (TRACE, QUERY, DELETE /v1/segments…); an unknown path stays 404. Fastify answers both
 * with its not-found handler, so this keeps the paths and methods of every route (onRoute) and
 * answers in the not-found route's onRequest hook: before body parsing (a QUERY without a
 * content type would otherwise be a 400) and before authentication (the method is wrong
 * whoever asks). The catch-all `*` route (CORS preflight) is left out: it would match any path.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ApiErrors } from '../errors.js';

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** A route URL (`/v1/customers/:id`, `/docs/*`) as a regex over request paths. */
function pathRegex(url: string): RegExp {
  const source = url.split(/(:[A-Za-z0-9_]+|\*)/).map((part) =>
    part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('');
  return new RegExp(`^${source}/?$`);
}

export const methodNotAllowed = fp(async (app: FastifyInstance) => {
  const routes: Array<{ path: RegExp; methods: string[] }> = [];
  app.addHook('onRoute', (route) => {
    if (route.url === '*' || route.url === '/*') return;
    const methods = ([] as string[]).concat(route.method).map((m) => m.toUpperCase());
    routes.push({ path: pathRegex(route.url), methods });
  });
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done();
    const path = request.url.split('?')[0];
    const allowed = new Set(routes.filter((r) => r.path.test(path)).flatMap((r) => r.methods));
    if (allowed.size === 0 || allowed.has(request.method)) return done();
    const allow = ORDER.filter((m) => allowed.has(m)).concat([...allowed].filter((m) => !ORDER.includes(m)).sort()).join(', ');
    void reply.code(405).header('allow', allow).send({ error: { code: ApiErrors.METHOD_NOT_ALLOWED.code, message: `${request.method} is not served on ${path}; allowed: ${allow}` } });
  });
}, { name: 'clv-method-not-allowed' });
