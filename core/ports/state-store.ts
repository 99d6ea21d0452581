/**
 * Per-key processor state (the feature store is one). Implemented in memory and in Redis.
 *
 * Contract: `setMany` is atomic per key, not across keys; processors therefore make every
 * state transition idempotent, so a batch replayed after a crash converges on the same state.
 *
 * Fencing: a store that several processes share (Redis) keeps a write version with every
 * value and refuses a write whose `writeVersion` is lower than the stored one (the write
 * rejects with a non-retriable error naming the refused keys; the other keys are written).
 * Processors pass the epoch of the partition they hold (ports/partition-epochs.ts), so an
 * instance that lost its partitions cannot overwrite what the new owner saved. A write
 * without `writeVersion` keeps each key's stored version: it neither fences nor is fenced
 * (re-scoring, tools). The in-process store, which only one process uses, ignores versions.
 */
export interface WriteOptions {
  /** The writer's epoch: a non-negative safe integer. */
  writeVersion?: number;
}

/**
 * A stored value read with its revision: two reads of a key give the same (`===`) revision
 * only if the key held the same value both times (a write may or may not change it). `value()`
 * decodes the state, so a reader that keeps something derived from it (the API's customer
 * documents) can check the revision and skip decoding when it has not changed.
 */
export interface Revised<T> {
  revision: unknown;
  value(): T;
}

/**
 * How a store that keeps text (Redis) turns a state into that text and back. Given the state
 * key, so that an encoding may leave out what the key already says (the customer and order
 * ids). `decode(encode(v, k), k)` must equal `v` (deep equality, the same fields present).
 */
export interface StateCodec<T> {
  encode(value: T, key: string): string;
  /** @throws Error saying what is wrong when `text` is not a value `encode` makes for `key`. */
  decode(text: string, key: string): T;
}

export interface StateStore<T> {
  getMany(keys: readonly string[]): Promise<Map<string, T>>;
  /** Optional: as `getMany`, each value with its revision and decoded only on demand (see Revised). */
  getManyRevised?(keys: readonly string[]): Promise<Map<string, Revised<T>>>;
  setMany(entries: ReadonlyMap<string, T>, options?: WriteOptions): Promise<void>;
  /** Every entry, in pages of about `pageSize`; no order is promised. */
  scan(pageSize: number): AsyncIterable<Array<[string, T]>>;
  /**
   * Every entry whose key starts with `prefix` (a customer's order ledgers: `customerId/`), in
   * pages of about `pageSize`. May cost a scan of the whole store: for erasure, not hot paths.
   */
  scanPrefix(prefix: string, pageSize: number): AsyncIterable<Array<[string, T]>>;
  /** Removes the keys (missing ones are ignored); returns how many there were. */
  deleteMany(keys: readonly string[]): Promise<number>;
  size(): Promise<number>;
}
