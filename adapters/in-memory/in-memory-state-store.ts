/**
 * Embedded StateStore: a Map. Values are stored as given (processors never mutate state in
 * place, they return new objects), so there is no copying on the hot path.
 */
import type { Revised, StateStore, WriteOptions } from '../../core/ports/state-store.js';

export class InMemoryStateStore<T> implements StateStore<T> {
  private readonly entries = new Map<string, T>();

  async getMany(keys: readonly string[]): Promise<Map<string, T>> {
    const found = new Map<string, T>();
    for (const key of keys) {
      const value = this.entries.get(key);
      if (value !== undefined) found.set(key, value);
    }
    return found;
  }

  /** The revision is the stored object itself: states are replaced, never changed in place. */
  async getManyRevised(keys: readonly string[]): Promise<Map<string, Revised<T>>> {
    const found = new Map<string, Revised<T>>();
    for (const key of keys) {
      const value = this.entries.get(key);
      if (value !== undefined) found.set(key, { revision: value, value: () => value });
    }
    return found;
  }

  async setMany(entries: ReadonlyMap<string, T>, _options?: WriteOptions): Promise<void> {
    for (const [key, value] of entries) this.entries.set(key, value);
  }

  async *scan(pageSize: number): AsyncIterable<Array<[string, T]>> {
    let page: Array<[string, T]> = [];
    for (const entry of this.entries) {
      page.push(entry);
      if (page.length >= pageSize) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }

  async *scanPrefix(prefix: string, pageSize: number): AsyncIterable<Array<[string, T]>> {
    let page: Array<[string, T]> = [];
    for (const entry of this.entries) {
      if (!entry[0].startsWith(prefix)) continue;
      page.push(entry);
      if (page.length >= pageSize) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }

  async deleteMany(keys: readonly string[]): Promise<number> {
    let deleted = 0;
    for (const key of keys) if (this.entries.delete(key)) deleted++;
    return deleted;
  }

  async size(): Promise<number> {
    return this.entries.size;
  }
}
