/**
 * One error type with a stable `code`. Validation errors (retriable: false) send the input to
 * the dead-letter topic; dependency errors (retriable: true) make the runner back off and
 * retry the batch.
 */
import { redactSecrets } from './redact-secrets.js';

export const ErrorCodes = {
  /** Bytes that do not decode with the topic's schema. */
  UNDECODABLE: 'CLV_UNDECODABLE',
  /** Decoded, but a field breaks a domain rule (negative amount, empty id…). */
  INVALID_EVENT: 'CLV_INVALID_EVENT',
  /** Currency other than the shop's; CLV is kept in one currency. */
  UNSUPPORTED_CURRENCY: 'CLV_UNSUPPORTED_CURRENCY',
  /** event_time further in the future than allowed. */
  EVENT_FROM_FUTURE: 'CLV_EVENT_FROM_FUTURE',
  /** A setting is missing or malformed. */
  INVALID_CONFIG: 'CLV_INVALID_CONFIG',
  /** An input file line could not be read. */
  INVALID_INPUT_FILE: 'CLV_INVALID_INPUT_FILE',
  /** The action policy file is malformed. */
  INVALID_POLICY: 'CLV_INVALID_POLICY',
  /** The data cannot support fitting a model. */
  INSUFFICIENT_DATA: 'CLV_INSUFFICIENT_DATA',
  /** No model has been trained yet. */
  NO_MODEL: 'CLV_NO_MODEL',
  /** A dependency (log, store) failed; the batch is retried. */
  DEPENDENCY_FAILED: 'CLV_DEPENDENCY_FAILED',
  /**
   * An event older than what its state keeps in detail (an order's dedup window, a customer's
   * compacted purchase days): it cannot be told from a duplicate, so it is dead-lettered.
   */
  LATE_EVENT: 'CLV_LATE_EVENT',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export class ClvError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    // Messages often quote a dependency's URL: its password must never reach a log or a terminal.
    super(redactSecrets(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ClvError';
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}
