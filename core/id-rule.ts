/**
 * The one rule for ids (event_id, customer_id, order_id, payment_id), applied by the API's
 * schemas (api/event-batch.ts), the file replay (producers/transaction-file.ts) and the
 * processors (core/event-validation.ts): 1 to 128 code points, none of them a control
 * character (Unicode Cc), a format character (Cf: zero-width spaces, bidi overrides, soft
 * hyphens, tags…) or a lone surrogate (Cs).
 *
 * Why: an id is a Kafka key, a Redis key and a ClickHouse value. Controls and format
 * characters make ids that look equal and are not (or that reorder a terminal line); a lone
 * surrogate is not text at all: Avro writes it as U+FFFD, so `A\uD800` and `A\uDBFF` would
 * both become `A�` and merge two customers.
 */

export const ID_MAX_LENGTH = 128;

/** For JSON schemas: ECMA-262 with the "u" flag, as JSON Schema specifies. */
export const ID_PATTERN = '^[^\\p{Cc}\\p{Cf}\\p{Cs}]+$';

const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}]/u;
const CONTROL = /\p{Cc}/u;
const FORMAT = /\p{Cf}/u;

/** What is wrong with an id ("is empty", "holds U+200B (a format character)"…), or null. */
export function idProblem(id: string): string | null {
  if (id === '') return 'is empty';
  if (id.length > ID_MAX_LENGTH && [...id].length > ID_MAX_LENGTH) return `is longer than ${ID_MAX_LENGTH} characters`;
  const found = FORBIDDEN.exec(id);
  if (found === null) return null;
  const c = found[0];
  const kind = CONTROL.test(c) ? 'a control character' : FORMAT.test(c) ? 'a format character' : 'a lone surrogate';
  return `holds U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} (${kind}) at index ${found.index}`;
}
