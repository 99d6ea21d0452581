/**
 * The serialised GET /v1/customers/:id bodies, kept per customer with the revision of the
 * state they were built from (core/ports/clv-read-model.ts RevisedCustomer), at most
 * `maxEntries` of them, least recently used first out. Building and serialising the document
 * was ~22% of the server's CPU under autocannon and parsing the state 6% (issue 14); a body
 * whose revision is unchanged is served as it was built, so a score change (a new revision)
 * gives a new body on the next read and nothing is ever stale.
 *
 * Memory: about 2 KB per entry (the ~1.7 KB body and, over Redis, the ~0.5 KB stored text
 * used as the revision), and ~0.8 KB more once a client has asked for the gzip.
 */
import { gzipSync } from 'node:zlib';

export class CustomerDocumentCache {
  /** Map order is the recency order: a hit moves its entry to the end. */
  private readonly entries = new Map<string, { revision: unknown; body: string; gzip?: Buffer }>();

  constructor(readonly maxEntries: number) {
    if (!(Number.isSafeInteger(maxEntries) && maxEntries > 0)) throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The body kept for `customerId` if it was built from `revision`, else undefined (and a stale one is dropped). */
  get(customerId: string, revision: unknown): string | undefined {
    const entry = this.entries.get(customerId);
    if (entry === undefined) return undefined;
    this.entries.delete(customerId);
    if (entry.revision !== revision) return undefined;
    this.entries.set(customerId, entry);
    return entry.body;
  }

  set(customerId: string, revision: unknown, body: string): void {
    this.entries.delete(customerId);
    this.entries.set(customerId, { revision, body });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  /**
   * The gzip of `body` when it is the body kept for `customerId`: compressed on the first
   * request that asks for it and kept with the body (it goes when the body does). Undefined
   * when another body, or none, is kept.
   */
  gzipOf(customerId: string, body: string): Buffer | undefined {
    const entry = this.entries.get(customerId);
    if (entry === undefined || entry.body !== body) return undefined;
    return (entry.gzip ??= gzipSync(body));
  }

  /** Forgets a customer (erased, or no longer found). */
  delete(customerId: string): void {
    this.entries.delete(customerId);
  }
}
