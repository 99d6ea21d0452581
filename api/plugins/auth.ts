/**
 * Authentication and authorization, in two steps with rate limiting between them:
 *
 * 1. `authentication` (an instance onRequest hook, so before everything route-level) reads
 *    `Authorization: Bearer <API key or JWT>` or `X-API-Key: <API key>` and sets
 *    `request.principal` — or leaves it null. It never rejects, so the rate limiter can key
 *    on who is calling and also throttle failed attempts (by IP). A request carrying both
 *    headers gets no principal whatever they hold: one rule, whichever header is bad.
 * 2. `authorization` adds to every route, after the rate limiter's hook, a check of the
 *    scope the route declares in `config.auth`: 401 without valid credentials, 403 without
 *    the scope.
 *
 * Every route must declare `config.auth` ('public' or a scope); a route without one fails
 * registration, so a new route cannot be public by omission. Swagger UI's own routes under
 * /docs are public.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiKeyVerifier, ApiScopes, type ApiKeyIdentity, type ApiScope } from '../../core/api-keys.js';
import type { ApiConfig } from '../../config/api-config.js';
import { ApiError } from '../errors.js';
import { verifyJwt } from '../jwt.js';
import { DOCS_PREFIX } from './docs.js';

export type RouteAuth = 'public' | ApiScope;

export interface Principal {
  kind: 'api-key' | 'jwt' | 'anonymous';
  /** Key name, JWT subject digest, or 'anonymous' (auth off): safe to log, used as rate-limit key. */
  id: string;
  scopes: readonly ApiScope[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route: everyone, or holders of one scope. */
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** Why the credentials presented were refused (for the client), or null. */
    credentialsRefused: string | null;
  }
}

const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous', id: 'anonymous', scopes: ApiScopes });

const TWO_CREDENTIALS = 'send one credential, in "Authorization: Bearer" or in "X-API-Key", not both';

/**
 * The one credential presented, null for none, or TWO_CREDENTIALS. Two headers are refused
 * outright, valid or not: accepting one while ignoring the other would make the outcome
 * depend on which header is read first (a bad key next to a good token used to pass).
 */
function credentialOf(request: FastifyRequest): string | null | typeof TWO_CREDENTIALS {
  const header = request.headers.authorization;
  const key = request.headers['x-api-key'];
  if (header !== undefined && key !== undefined) return TWO_CREDENTIALS;
  if (typeof header === 'string') {
    const match = /^Bearer +(\S+)\s*$/i.exec(header);
    return match ? match[1] : '';
  }
  return typeof key === 'string' ? key.trim() : null;
}

/**
 * Keys that verified, so that a client's every request does not hash its key again (SHA-256
 * and a compare were 4% of server CPU on GET /v1/customers/:id under autocannon). Safe to
 * keep: keys are fixed for the life of the process (config, read once), only keys that
 * verified are kept, and a presented key is matched exactly. Bounded: emptied when full,
 * so a flood of distinct valid keys costs hashing again, never memory.
 */
class VerifiedKeys {
  private readonly identities = new Map<string, ApiKeyIdentity>();
  constructor(private readonly verifier: ApiKeyVerifier, private readonly capacity = 1024) {}

  verify(presented: string): ApiKeyIdentity | null {
    const known = this.identities.get(presented);
    if (known) return known;
    const identity = this.verifier.verify(presented);
    if (identity) {
      if (this.identities.size >= this.capacity) this.identities.clear();
      this.identities.set(presented, identity);
    }
    return identity;
  }
}

export const authentication = fp(async (app: FastifyInstance, options: { config: Readonly<ApiConfig>; now?: () => number }) => {
  const { config } = options;
  const keys = new VerifiedKeys(new ApiKeyVerifier(config.apiKeys));
  const now = options.now ?? Date.now;
  app.decorateRequest('principal', null);
  app.decorateRequest('credentialsRefused', null);

  // Callback style, not async: no promise per request on the hottest hook.
  app.addHook('onRequest', (request, _reply, done) => {
    if (!config.authEnabled) {
      request.principal = ANONYMOUS;
      return done();
    }
    const credential = credentialOf(request);
    if (credential === null) return done();
    if (credential === TWO_CREDENTIALS) {
      request.credentialsRefused = TWO_CREDENTIALS;
      return done();
    }
    if (credential.startsWith('clv_')) {
      const identity = keys.verify(credential);
      if (identity) request.principal = { kind: 'api-key', id: identity.name, scopes: identity.scopes };
    } else if (config.jwt && credential.includes('.')) {
      const result = verifyJwt(credential, config.jwt, now());
      if ('refused' in result) request.log.info({ reason: result.refused }, 'JWT refused');
      else request.principal = { kind: 'jwt', id: result.subjectDigest, scopes: result.scopes };
    }
    if (request.principal === null) request.credentialsRefused = 'the credentials are not valid';
    done();
  });

  app.addHook('onRoute', (route) => {
    const auth = route.config?.auth ?? (route.url.startsWith(DOCS_PREFIX) ? 'public' : undefined);
    if (auth === undefined) throw new Error(`route ${route.method} ${route.url} declares no config.auth ('public' or a scope)`);
    route.config = { ...route.config, auth };
    if (auth !== 'public' && route.schema) {
      route.schema = { ...route.schema, security: [{ apiKey: [] }, { bearer: [] }] } as typeof route.schema;
    }
  });
}, { name: 'clv-authentication' });

export const authorization = fp(async (app: FastifyInstance, options: { enabled: boolean }) => {
  app.addHook('onRoute', (route) => {
    const auth = route.config?.auth;
    if (!options.enabled || auth === undefined || auth === 'public') return;
    const check = async (request: FastifyRequest) => {
      const p = request.principal;
      if (p === null) {
        throw new ApiError('UNAUTHENTICATED', request.credentialsRefused
          ?? 'credentials required: send "Authorization: Bearer <API key or JWT>" or "X-API-Key: <API key>"');
      }
      if (!p.scopes.includes(auth)) {
        throw new ApiError('FORBIDDEN', `this route needs the "${auth}" scope; the credentials have ${p.scopes.length > 0 ? p.scopes.join(', ') : 'no scope'}`);
      }
    };
    const hooks = route.onRequest;
    route.onRequest = hooks === undefined ? [check] : Array.isArray(hooks) ? [...hooks, check] : [hooks, check];
  });
}, { name: 'clv-authorization', dependencies: ['clv-authentication'] });
