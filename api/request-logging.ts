/**
 * What the API logs per request: one line when it completes, with the request id, method,
 * route template, status, time and the caller's key name — never the raw URL (it carries
 * customer ids and cursors), headers (credentials), bodies or query strings.
 *
 * Which level: failures (4xx, 5xx) at info (errors at error), requests slower than
 * `slowRequestMs` at warn, and fast successes at debug — so CLV_LOG_LEVEL=debug shows every
 * request. Why not all at info: at thousands of requests per second a line per success is
 * most of the log volume and a synchronous write each (pino.destination): 3% of the server's
 * CPU in pino alone under autocannon (bench/api-bench.ts), before the write, while
 * clv_api_request_duration_seconds already counts every request by route and status.
 *
 * Request ids: a client's `X-Request-Id` is kept when it is a plain token (so a trace can
 * cross services), else one is generated; it is echoed in the response's X-Request-Id.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const DEBUG_LEVELS = new Set(['debug', 'trace']);

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
  constructor(private readonly slowRequestMs = 1000) {
    super();
  }

  override incomingRequest(): void {
    // One line per request, at completion (half the log volume, and the line has the status).
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.error({ ...line(request, reply), err: error }, 'request errored');
    else if (reply.elapsedTime >= this.slowRequestMs) reply.log.warn(line(request, reply), 'slow request');
    else if (reply.statusCode >= 400) reply.log.info(line(request, reply), 'request completed');
    // The check first: the line is not even built when debug is off.
    else if (DEBUG_LEVELS.has(reply.log.level)) reply.log.debug(line(request, reply), 'request completed');
  }

  override routeNotFound(request: FastifyRequest): void {
    request.log.info({ method: request.method }, 'route not found');
  }

  override defaultErrorLog(): void {
    // The API's error handler (plugins/errors.ts) logs what needs logging.
  }
}
