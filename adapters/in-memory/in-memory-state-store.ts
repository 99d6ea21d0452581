/**
 * Embedded StateStore.
 *
 * Without a codec, values are kept as given in a Map (processors never mutate state in place,
 * they return new objects), so nothing is copied: for tests and tools. With one (the Redis
 * store's, processors/state-codecs.ts), as the embedded pipeline runs, each value is kept as
 * its text in a TextArena, outside the JavaScript heap. A long-running embedded process keeps
 * every ledger, history and score: as objects, each major garbage collection marked all of
 * them (p99 at 5,000 events/s ~600 ms); as strings in the heap there was nothing inside them
 * to mark, but every state written was promoted, and a major collection came every few
 * seconds (docs/performance.md, "Event-to-score latency and the collector").
 */
import type { Revised, StateCodec, StateStore, WriteOptions } from '../../core/ports/state-store.js';
import { TextArena } from './text-arena.js';

export class InMemoryStateStore<T> implements StateStore<T> {
  /** Without a codec: each value as given. */
  private readonly values: Map<string, T> = new Map();
  /** With one: each key's slot in the arena. */
  private readonly slots = new Map<string, number>();
  private readonly arena = new TextArena();
  private readonly codec: StateCodec<T> | null;

  constructor(codec?: StateCodec<T>) {
    this.codec = codec ?? null;
  }

  async getMany(keys: readonly string[]): Promise<Map<string, T>> {
    const found = new Map<string, T>();
    for (const key of keys) {
      const value = this.read(key);
      if (value !== undefined) found.set(key, value);
    }
    return found;
  }

  /**
   * The revision is the stored object itself (states are replaced, never changed in place),
   * or the number of the write that stored the text.
   */
  async getManyRevised(keys: readonly string[]): Promise<Map<string, Revised<T>>> {
    const found = new Map<string, Revised<T>>();
    const codec = this.codec;
    for (const key of keys) {
      if (codec === null) {
        if (!this.values.has(key)) continue;
        const value = this.values.get(key) as T;
        found.set(key, { revision: value, value: () => value });
        continue;
      }
      const slot = this.slots.get(key);
      if (slot === undefined) continue;
      // Read now: the slot may hold another text by the time value() is called.
      const text = this.arena.read(slot);
      found.set(key, { revision: this.arena.stampOf(slot), value: () => codec.decode(text, key) });
    }
    return found;
  }

  async setMany(entries: ReadonlyMap<string, T>, _options?: WriteOptions): Promise<void> {
    const codec = this.codec;
    if (codec === null) {
      for (const [key, value] of entries) this.values.set(key, value);
      return;
    }
    for (const [key, value] of entries) {
      const text = codec.encode(value, key);
      const slot = this.slots.get(key);
      if (slot === undefined) this.slots.set(key, this.arena.add(text));
      else this.arena.replace(slot, text);
    }
    this.arena.compactStep();
  }

  async *scan(pageSize: number): AsyncIterable<Array<[string, T]>> {
    yield* this.pages(pageSize, null);
  }

  async *scanPrefix(prefix: string, pageSize: number): AsyncIterable<Array<[string, T]>> {
    yield* this.pages(pageSize, prefix);
  }

  async deleteMany(keys: readonly string[]): Promise<number> {
    let deleted = 0;
    for (const key of keys) {
      if (this.codec === null) {
        if (this.values.delete(key)) deleted++;
        continue;
      }
      const slot = this.slots.get(key);
      if (slot === undefined) continue;
      this.slots.delete(key);
      this.arena.remove(slot);
      deleted++;
    }
    return deleted;
  }

  async size(): Promise<number> {
    return this.codec === null ? this.values.size : this.slots.size;
  }

  private *pages(pageSize: number, prefix: string | null): Iterable<Array<[string, T]>> {
    let page: Array<[string, T]> = [];
    for (const key of this.codec === null ? this.values.keys() : this.slots.keys()) {
      if (prefix !== null && !key.startsWith(prefix)) continue;
      const value = this.read(key);
      if (value === undefined) continue;
      page.push([key, value]);
      if (page.length >= pageSize) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }

  private read(key: string): T | undefined {
    if (this.codec === null) return this.values.get(key);
    const slot = this.slots.get(key);
    return slot === undefined ? undefined : this.codec.decode(this.arena.read(slot), key);
  }
}
