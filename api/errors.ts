/**
 * Every error the API answers with: a stable code, its HTTP status, and the class of error
 * it is. Clients see `{ error: { code, message } }` and nothing else — never a stack.
 * tests/api-errors.test.ts checks that codes are unique.
 */
import { ClvError, ErrorCodes, type ErrorCode } from '../core/errors.js';

export const ApiErrors = {
  /** A parameter, query or body broke its schema; the message names the field. */
  BAD_REQUEST: { code: 'API_BAD_REQUEST', status: 400 },
  /** An ingested event broke a domain rule (core/event-validation.ts). */
  INVALID_EVENT: { code: 'API_INVALID_EVENT', status: 400 },
  /** No credentials, or credentials that do not verify. */
  UNAUTHENTICATED: { code: 'API_UNAUTHENTICATED', status: 401 },
  /** Verified credentials without the scope the route needs. */
  FORBIDDEN: { code: 'API_FORBIDDEN', status: 403 },
  /** No such route. */
  NOT_FOUND: { code: 'API_NOT_FOUND', status: 404 },
  CUSTOMER_NOT_FOUND: { code: 'API_CUSTOMER_NOT_FOUND', status: 404 },
  MODEL_NOT_FOUND: { code: 'API_MODEL_NOT_FOUND', status: 404 },
  /** No revenue forecast has been produced yet. */
  NO_FORECAST: { code: 'API_NO_FORECAST', status: 404 },
  METHOD_NOT_ALLOWED: { code: 'API_METHOD_NOT_ALLOWED', status: 405 },
  /** A retrain is already running. */
  RETRAIN_IN_PROGRESS: { code: 'API_RETRAIN_IN_PROGRESS', status: 409 },
  /** The data cannot support training (ClvError INSUFFICIENT_DATA). */
  CANNOT_TRAIN: { code: 'API_CANNOT_TRAIN', status: 409 },
  PAYLOAD_TOO_LARGE: { code: 'API_PAYLOAD_TOO_LARGE', status: 413 },
  URI_TOO_LONG: { code: 'API_URI_TOO_LONG', status: 414 },
  UNSUPPORTED_MEDIA_TYPE: { code: 'API_UNSUPPORTED_MEDIA_TYPE', status: 415 },
  RATE_LIMITED: { code: 'API_RATE_LIMITED', status: 429 },
  INTERNAL: { code: 'API_INTERNAL', status: 500 },
  /** This deployment has no retrain hook (e.g. a read-only API instance). */
  RETRAIN_UNAVAILABLE: { code: 'API_RETRAIN_UNAVAILABLE', status: 501 },
  /** This deployment cannot erase customers through the API. */
  ERASURE_UNAVAILABLE: { code: 'API_ERASURE_UNAVAILABLE', status: 501 },
  /** A dependency (event log, store) failed; retrying later may succeed. */
  UNAVAILABLE: { code: 'API_UNAVAILABLE', status: 503 },
} as const;

export type ApiErrorKind = keyof typeof ApiErrors;
export type ApiErrorCode = (typeof ApiErrors)[ApiErrorKind]['code'];

/** Retry-After of a 503 that names no other: long enough for a dependency to come back. */
export const DEFAULT_RETRY_AFTER_S = 5;

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly statusCode: number;
  /** Sent as Retry-After (seconds); every 503 carries one. */
  readonly retryAfterS: number | null;

  /** `message` goes to the client as is: no internals, no stack. */
  constructor(kind: ApiErrorKind, message: string, options: { cause?: unknown; retryAfterS?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.code = ApiErrors[kind].code;
    this.statusCode = ApiErrors[kind].status;
    this.retryAfterS = options.retryAfterS ?? (this.statusCode === 503 ? DEFAULT_RETRY_AFTER_S : null);
  }
}

/** How a domain error reaches a client. Messages of 4xx ClvErrors are safe to show. */
const fromClvError: Readonly<Record<ErrorCode, ApiErrorKind>> = {
  [ErrorCodes.UNDECODABLE]: 'INVALID_EVENT',
  [ErrorCodes.INVALID_EVENT]: 'INVALID_EVENT',
  [ErrorCodes.UNSUPPORTED_CURRENCY]: 'INVALID_EVENT',
  [ErrorCodes.EVENT_FROM_FUTURE]: 'INVALID_EVENT',
  [ErrorCodes.LATE_EVENT]: 'INVALID_EVENT',
  [ErrorCodes.INVALID_INPUT_FILE]: 'BAD_REQUEST',
  [ErrorCodes.INVALID_POLICY]: 'INTERNAL',
  [ErrorCodes.INVALID_CONFIG]: 'INTERNAL',
  [ErrorCodes.INSUFFICIENT_DATA]: 'CANNOT_TRAIN',
  [ErrorCodes.NO_MODEL]: 'CANNOT_TRAIN',
  [ErrorCodes.DEPENDENCY_FAILED]: 'UNAVAILABLE',
};

export function apiErrorOfClvError(error: ClvError): ApiError {
  const kind = fromClvError[error.code] ?? 'INTERNAL';
  const status = ApiErrors[kind].status;
  const message = status < 500 ? error.message : kind === 'UNAVAILABLE' ? 'a dependency is unavailable; retry later' : 'internal error';
  return new ApiError(kind, message, { cause: error });
}
