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

/**
 * The control (Cc) and format (Cf) code points as ranges, Unicode 17 (Node 20's ICU says so in
 * `process.versions.unicode`; tests/id-rule.test.ts compares this list with the running
 * engine's \p{Cc} and \p{Cf}, so a newer Unicode shows up as a failing test, not as drift).
 * Written out rather than as \p{…}: the regex also goes into the OpenAPI document, and tools
 * that read it (schemathesis, in Python) cannot generate strings for property escapes.
 */
const CONTROL_AND_FORMAT: ReadonlyArray<readonly [number, number]> = [
  [0x0, 0x1f], [0x7f, 0x9f], [0xad, 0xad], [0x600, 0x605], [0x61c, 0x61c], [0x6dd, 0x6dd], [0x70f, 0x70f],
  [0x890, 0x891], [0x8e2, 0x8e2], [0x180e, 0x180e], [0x200b, 0x200f], [0x202a, 0x202e], [0x2060, 0x2064],
  [0x2066, 0x206f], [0xfeff, 0xfeff], [0xfff9, 0xfffb], [0x110bd, 0x110bd], [0x110cd, 0x110cd],
  [0x13430, 0x1343f], [0x1bca0, 0x1bca3], [0x1d173, 0x1d17a], [0xe0001, 0xe0001], [0xe0020, 0xe007f],
];

const inClass = (cp: number) => `\\u${cp.toString(16).padStart(4, '0')}`;
const range = ([a, b]: readonly [number, number]) => (a === b ? inClass(a) : `${inClass(a)}-${inClass(b)}`);
const BMP = CONTROL_AND_FORMAT.filter(([a]) => a <= 0xffff);
const ASTRAL = CONTROL_AND_FORMAT.filter(([a]) => a > 0xffff).map(([a, b]) => `\\u{${a.toString(16)}}-\\u{${b.toString(16)}}`);

/**
 * For JSON schemas (ECMA-262 with the "u" flag, as JSON Schema specifies): no control or format
 * character of the Basic Multilingual Plane, as \uXXXX escapes that ECMA-262, Python and Rust
 * regex engines all read. The rest of the rule — the few format characters beyond U+FFFF
 * (tags, Egyptian hieroglyph controls…) and lone surrogates — is the schema's
 * `format: "clv-id"` (ID_FORMAT): engines built on UTF-8 (Rust's, which schemathesis
 * validates with) cannot name surrogates, and schemathesis mistranslates astral characters.
 */
export const ID_PATTERN = `^[^${BMP.map(range).join('')}]+$`;

/** The JSON schema `format` of ids: a string idProblem accepts (the API's schemas register it). */
export const ID_FORMAT = 'clv-id';

// Lone surrogates: with the "u" flag a surrogate pair is one code point, outside this range.
const FORBIDDEN = new RegExp(`[${BMP.map(range).join('')}${ASTRAL.join('')}\\ud800-\\udfff]`, 'u');
const CONTROL = /\p{Cc}/u;
const FORMAT = /\p{Cf}/u;

/** Code points an id may not hold, as inclusive ranges (for tests and documents). */
export const forbiddenIdCodePoints = (): ReadonlyArray<readonly [number, number]> => [...CONTROL_AND_FORMAT, [0xd800, 0xdfff]];

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
