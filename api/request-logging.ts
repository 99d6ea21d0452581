/**
 * What the API logs per request: one line when it completes, with the request id, method,
 * route template, status, time and the caller's key name — never the raw URL (it carries
 * customer ids and cursors), headers (credentials), bodies or query strings.
 *
 * Request ids: a client's `X-Request-Id` is kept when it is a plain token (so a trace can
 * cross services), else one is generated; it is echoed in the response's X-Request-Id.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Paths pino must censor should any code log a request or its headers. */
export const redactedPaths = [
  'req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie',
  'headers.authorization', 'headers["x-api-key"]', 'headers.cookie',
];

function line(request: FastifyRequest, reply: FastifyReply) {
  return {
    method: request.method,
    route: request.routeOptions.url ?? 'unmatched',
    statusCode: reply.statusCode,
    ms: Math.round(reply.elapsedTime * 100) / 100,
    caller: request.principal ? `${request.principal.kind}:${request.principal.id}` : null,
  };
}

export class ApiLogController extends LogController {
  override incomingRequest(): void {
    // One line per request, at completion (half the log volume, and the line has the status).
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.error({ ...line(request, reply), err: error }, 'request errored');
    else reply.log.info(line(request, reply), 'request completed');
  }

  override routeNotFound(request: FastifyRequest): void {
    request.log.info({ method: request.method }, 'route not found');
  }

  override defaultErrorLog(): void {
    // The API's error handler (plugins/errors.ts) logs what needs logging.
  }
}
