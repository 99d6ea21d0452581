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
  const routes = new Map<string, { path: RegExp; specificity: number; methods: Set<string> }>();
  app.addHook('onRoute', (route) => {
    if (route.url === '*' || route.url === '/*') return;
    let entry = routes.get(route.url);
    if (!entry) {
      // The router prefers static segments to parameters, and parameters to wildcards.
      const staticLength = route.url.replace(/:[A-Za-z0-9_]+|\*/g, '').length;
      routes.set(route.url, (entry = { path: pathRegex(route.url), specificity: (route.url.includes('*') ? 0 : 1e6) + staticLength, methods: new Set() }));
    }
    for (const m of ([] as string[]).concat(route.method)) entry.methods.add(m.toUpperCase());
  });
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done();
    const path = request.url.split('?')[0];
    // The methods of the route that names this path most precisely, as the OpenAPI document
    // lists them (`/v1/models/retrain` is POST, though `/v1/models/:version` matches it too).
    const best = [...routes.values()].filter((r) => r.path.test(path)).sort((a, b) => b.specificity - a.specificity)[0];
    const allowed = best?.methods ?? new Set<string>();
    if (allowed.size === 0 || allowed.has(request.method)) return done();
    const allow = ORDER.filter((m) => allowed.has(m)).concat([...allowed].filter((m) => !ORDER.includes(m)).sort()).join(', ');
    void reply.code(405).header('allow', allow).send({ error: { code: ApiErrors.METHOD_NOT_ALLOWED.code, message: `${request.method} is not served on ${path}; allowed: ${allow}` } });
  });
}, { name: 'clv-method-not-allowed' });
