/**
 * One error handler for the whole API: every failure leaves as `{ error: { code, message } }`
 * with a 4xx or 5xx status — ApiErrors as they are, ClvErrors mapped by code, fastify's own
 * errors (validation, body parsing, size) as 4xx with their message — and anything else as
 * a bare 500 "internal error". Stacks go to the log only, never to the client.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifySchemaValidationError } from 'fastify';
import fp from 'fastify-plugin';
import { Type, type TSchema } from 'typebox';
import { ClvError } from '../../core/errors.js';
import { ApiError, ApiErrors, apiErrorOfClvError, type ApiErrorKind } from '../errors.js';

export const ErrorBody = Type.Object(
  { error: Type.Object({ code: Type.String({ description: 'Stable error code (api/errors.ts)' }), message: Type.String() }) },
  { description: 'Every error response' },
);

/** Response schemas for the given error kinds, for a route's `schema.response`. */
export function errorResponses(...kinds: ApiErrorKind[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const kind of ['BAD_REQUEST', 'RATE_LIMITED', 'INTERNAL', ...kinds] as ApiErrorKind[]) out[ApiErrors[kind].status] = ErrorBody;
  return out;
}

/** The ApiError a failure is answered with. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ClvError) return apiErrorOfClvError(error);
  const e = error as Partial<FastifyError>;
  const status = e.statusCode ?? 500;
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : 'bad request';
  if (e.validation) return new ApiError('BAD_REQUEST', message, { cause: error });
  switch (status) {
    case 404: return new ApiError('NOT_FOUND', message, { cause: error });
    case 405: return new ApiError('METHOD_NOT_ALLOWED', message, { cause: error });
    case 413: return new ApiError('PAYLOAD_TOO_LARGE', message, { cause: error });
    case 414: return new ApiError('URI_TOO_LONG', 'the URL is too long', { cause: error });
    case 415: return new ApiError('UNSUPPORTED_MEDIA_TYPE', message, { cause: error });
    case 429: return new ApiError('RATE_LIMITED', message, { cause: error });
  }
  // Other 4xx come from fastify and its plugins (malformed JSON, empty body…): their
  // messages describe the request, not the server.
  if (status >= 400 && status < 500) return new ApiError('BAD_REQUEST', message, { cause: error });
  return new ApiError('INTERNAL', 'internal error', { cause: error });
}

/** Readable validation messages naming the field: `body/0/event/amount_minor must be >= 0`. */
export function formatSchemaErrors(errors: FastifySchemaValidationError[], dataVar: string): Error {
  // TypeBox reports a rejected extra property twice (as `schema is false` on the property and
  // as additionalProperties on the object), and a failed union once per branch plus a summary.
  const useful = errors.filter((e) => e.keyword !== 'boolean' && !(e.keyword === 'anyOf' && errors.length > 1));
  const shown = (useful.length > 0 ? useful : errors).slice(0, 5).map((e) => `${dataVar}${e.instancePath} ${describe(e)}`);
  const more = useful.length > 5 ? ` (and ${useful.length - 5} more)` : '';
  return new Error([...new Set(shown)].join('; ') + more);
}

function describe(e: FastifySchemaValidationError): string {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'enum': return `must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'const': return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'additionalProperties': {
      const names = params.additionalProperties ?? params.additionalProperty;
      return `has unknown propert${Array.isArray(names) && names.length > 1 ? 'ies' : 'y'} ${([] as unknown[]).concat(names).join(', ')}`;
    }
    case 'pattern': return 'has characters or a form that is not allowed';
    default: return e.message ?? 'is invalid';
  }
}

export function sendApiError(reply: FastifyReply, apiError: ApiError): FastifyReply {
  if (apiError.code === ApiErrors.UNAUTHENTICATED.code) reply.header('www-authenticate', 'Bearer');
  if (apiError.retryAfterS !== null) reply.header('retry-after', String(apiError.retryAfterS));
  return reply.code(apiError.statusCode).send({ error: { code: apiError.code, message: apiError.message } });
}

export const errorHandling = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    return sendApiError(reply, apiError);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    return reply.code(404).send({ error: { code: ApiErrors.NOT_FOUND.code, message: `no route ${request.method} ${path}` } });
  });
}, { name: 'clv-errors' });
