/**
 * Per-key processor state (the feature store is one). Implemented in memory and in Redis.
 *
 * Contract: `setMany` is atomic per key, not across keys; processors therefore make every
 * state transition idempotent, so a batch replayed after a crash converges on the same state.
 */
export interface StateStore<T> {
  getMany(keys: readonly string[]): Promise<Map<string, T>>;
  setMany(entries: ReadonlyMap<string, T>): Promise<void>;
  /** Every entry, in pages of about `pageSize`; no order is promised. */
  scan(pageSize: number): AsyncIterable<Array<[string, T]>>;
  size(): Promise<number>;
}
