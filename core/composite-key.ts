/**
 * State keys made of several ids (`customer_id` + `order_id` for an order's ledger). Each part
 * is escaped ('%' → '%25', '/' → '%2F') before the parts are joined with '/', so the first
 * '/' always ends the first part: customer `A/B` with order `C` (`A%2FB/C`) and customer `A`
 * with order `B/C` (`A/B%2FC`) can no longer share a key. Ids without '%' or '/' are kept as
 * they are, so ordinary keys read the same as before.
 */

const SEPARATOR = '/';

/** Parts joined with '/', each escaped so that the join can be undone. */
export function compositeKey(...parts: readonly string[]): string {
  return parts.map(escapeKeyPart).join(SEPARATOR);
}

/** The parts of a compositeKey, unescaped. */
export function compositeKeyParts(key: string): string[] {
  return key.split(SEPARATOR).map(unescapeKeyPart);
}

export function escapeKeyPart(part: string): string {
  return part.includes('%') || part.includes('/') ? part.replace(/%/g, '%25').replace(/\//g, '%2F') : part;
}

export function unescapeKeyPart(part: string): string {
  return part.includes('%') ? part.replace(/%2F|%25/g, (m) => (m === '%2F' ? '/' : '%')) : part;
}
