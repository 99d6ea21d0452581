/**
 * A StateStore that reads from one store and writes to two: the bench's way of keeping, beside
 * the states the pipeline reads back (the project's format), the same states written as another
 * format would write them — the same writes, in the same order, with the same write options.
 */
import type { Revised, StateStore, WriteOptions } from '../core/ports/state-store.js';

export class TeeStateStore<T> implements StateStore<T> {
  constructor(
    private readonly primary: StateStore<T>,
    private readonly copy: StateStore<T>,
  ) {}

  getMany(keys: readonly string[]): Promise<Map<string, T>> {
    return this.primary.getMany(keys);
  }

  getManyRevised(keys: readonly string[]): Promise<Map<string, Revised<T>>> {
    if (!this.primary.getManyRevised) throw new Error('the primary store has no getManyRevised');
    return this.primary.getManyRevised(keys);
  }

  async setMany(entries: ReadonlyMap<string, T>, options?: WriteOptions): Promise<void> {
    await Promise.all([this.primary.setMany(entries, options), this.copy.setMany(entries, options)]);
  }

  scan(pageSize: number): AsyncIterable<Array<[string, T]>> {
    return this.primary.scan(pageSize);
  }

  scanPrefix(prefix: string, pageSize: number): AsyncIterable<Array<[string, T]>> {
    return this.primary.scanPrefix(prefix, pageSize);
  }

  async deleteMany(keys: readonly string[]): Promise<number> {
    const [deleted] = await Promise.all([this.primary.deleteMany(keys), this.copy.deleteMany(keys)]);
    return deleted;
  }

  size(): Promise<number> {
    return this.primary.size();
  }
}
